// The timeline explorer's filters, run in the browser (armscontrol/timeline_filter.py ships this
// file as the anywidget's ESM; nothing is fetched from the network).
//
// The explorer's date slider, treaty and actor boxes and search box are ipywidgets models. This
// module listens to them in the page and redraws the plotly figure itself, with Plotly.restyle /
// Plotly.relayout on the graph div: a change is drawn within a frame or two, busy kernel or not.
// The kernel then hears about the redraw (plotly's widget reports a restyle or relayout to
// Python), and only updates what needs Python: the status line, the list of events, the data
// table and the detail panel.
//
// It also draws the timeline's key (legends) once, in its own element under the plot, so that
// the plot's redraws do not redraw it.
//
// filterEvents gives exactly armscontrol.timeline.filter_events's answer on the rows the Python
// side exports (tests/test_timeline_filter_js.py runs both on the real events).

// The characters Python's str.split() splits on (str.isspace), so that a search splits into the
// same words here as in filter_events. (JavaScript's \s differs: it has U+FEFF, not U+001C-1F.)
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Return the rows (objects from timeline_filter.event_rows) that pass every filter given, in
 * their order. start / end: first and last day to keep, "YYYY-MM-DD", inclusive (a row's date is
 * the first day it stands for). treaties: lane codes to keep. actors: keep rows naming at least
 * one of them. text: every word must appear in the row's lower-case search text. A filter left
 * null (or text "") keeps everything, as in filter_events.
 */
export function filterEvents(rows, { start = null, end = null, treaties = null, actors = null,
                                     text = "" } = {}) {
  const lanes = treaties === null ? null : new Set(treaties);
  const wanted = actors === null ? null : new Set(actors);
  const words = (text || "").toLowerCase().split(PY_SPACE).filter((w) => w !== "");
  return rows.filter((r) =>
    (start === null || r.date >= start)
    && (end === null || r.date <= end)
    && (lanes === null || lanes.has(r.lane))
    && (wanted === null || r.actors.some((a) => wanted.has(a)))
    && words.every((w) => r.search.includes(w)));
}

/** Return "YYYY-MM-01" of the month after the month of day ("YYYY-MM-DD"). */
function nextMonth(day) {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

/** Return the day before day ("YYYY-MM-DD"), in the calendar (no time zones involved). */
function dayBefore(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Return the date window of the slider's index pair over months (first days, "YYYY-MM-01"):
 * {start, end, view}: the first and last day kept (inclusive) and the x range drawn,
 * [first day, day after the last], as TimelineExplorer.date_window and refresh write them.
 */
export function dateWindow(months, index) {
  const start = months[index[0]];
  const after = nextMonth(months[index[1]]);
  return { start, end: dayBefore(after), view: [start, after] };
}

/**
 * Return one event trace's per-point data for rows (all of one primary actor), the same columns
 * as timeline._marker_columns: x, y, symbol, customdata, hovertext, and span_x / span_y, the
 * line across the month or year of an event not known to the day (null between segments).
 */
export function traceColumns(rows) {
  const spanX = [];
  const spanY = [];
  for (const r of rows) {
    if (r.span !== null) {
      spanX.push(r.span[0], r.span[1], null);
      spanY.push(r.y, r.y, null);
    }
  }
  return {
    x: rows.map((r) => r.x), y: rows.map((r) => r.y), symbol: rows.map((r) => r.symbol),
    customdata: rows.map((r) => [r.id]), hovertext: rows.map((r) => r.hovertext),
    span_x: spanX, span_y: spanY,
  };
}

/**
 * Return the slider's index pair [lo, hi] for an x range [from, to] (dates, "YYYY-MM-DD..."):
 * the months of its first day and of the day before its end, kept within the slider, as
 * TimelineExplorer._on_zoom does in the kernel when no browser draws.
 */
export function sliderIndex(months, range) {
  const first = `${String(range[0]).slice(0, 7)}-01`;
  const last = `${dayBefore(String(range[1]).slice(0, 10)).slice(0, 7)}-01`;
  const top = months[months.length - 1];
  const lo = first < months[0] ? months[0] : (first > top ? top : first);
  const hi = last > top ? top : (last < lo ? lo : last);
  return [months.indexOf(lo), months.indexOf(hi)];
}

const sameList = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Redraw the graph div gd for the filters: the markers are the rows passing the treaty, actor
 * and text filters (all dates), the x range is the date window, and the "no events" note shows
 * when nothing is in the window. Only what differs from the drawing is sent to plotly.js.
 * Returns the number of events in view.
 */
export function redraw(Plotly, gd, rows, filters, window, noMatch) {
  const candidates = filterEvents(rows, filters);
  const traces = [];
  const x = [], y = [], symbol = [], customdata = [], hovertext = [];
  let changed = false;
  for (const [actor, idx] of Object.entries(traceIndexes(gd))) {
    const cols = traceColumns(candidates.filter((r) => r.primary === actor));
    const drawn = (gd.data[idx.events].customdata || []).map((c) => c[0]);
    changed = changed || !sameList(drawn, cols.customdata.map((c) => c[0]));
    traces.push(idx.events, idx.periods);
    x.push(cols.x, cols.span_x);
    y.push(cols.y, cols.span_y);
    // undefined: plotly.js leaves that attribute of the period trace alone
    symbol.push(cols.symbol, undefined);
    customdata.push(cols.customdata, undefined);
    hovertext.push(cols.hovertext, undefined);
  }
  if (changed) {
    Plotly.restyle(gd, { x, y, "marker.symbol": symbol, customdata, hovertext }, traces);
  }
  const shown = filterEvents(candidates, { start: window.start, end: window.end }).length;
  const layout = {};
  if (!sameList((gd.layout.xaxis && gd.layout.xaxis.range) || [], window.view)) {
    layout["xaxis.range"] = window.view;
  }
  const noted = (gd.layout.annotations || []).length > 0;
  if (noted !== (shown === 0)) {
    layout.annotations = shown === 0 ? [noMatch] : [];
  }
  if (Object.keys(layout).length) {
    Plotly.relayout(gd, layout);
  }
  return shown;
}

/**
 * Return {actor: {events, periods}}: the indexes in gd.data of each actor's two traces, found by
 * their meta ("events" / "periods") and name (the actor / "actor (period)"), as
 * timeline.timeline_figure draws them. (Not by uid: a FigureWidget gives its traces new ones.)
 */
function traceIndexes(gd) {
  const out = {};
  gd.data.forEach((t, i) => {
    if (t.meta === "events") (out[t.name] = out[t.name] || {}).events = i;
    if (t.meta === "periods") {
      const actor = String(t.name).replace(/ \(period\)$/, "");
      (out[actor] = out[actor] || {}).periods = i;
    }
  });
  for (const key of Object.keys(out)) {
    if (out[key].events === undefined || out[key].periods === undefined) delete out[key];
  }
  return out;
}

// ipywidgets (8.1) gives a range slider's two handles (role="slider") no accessible name: its
// description is a separate label they do not point to, and nothing set from Python reaches
// them (tests/browser/test_accessibility.py). Name the date slider's handles for screen
// readers: "Dates: first month" and "Dates: last month".
function nameHandles(el, dates) {
  const box = el.closest(".ac-timeline-explorer");
  const handles = box ? box.querySelectorAll(".widget-slider .noUi-handle") : [];
  const label = dates.get("description") || "Dates";
  [["lower", "first"], ["upper", "last"]].forEach(([end, word]) => {
    const handle = [...handles].find((h) => h.classList.contains(`noUi-handle-${end}`));
    const name = `${label}: ${word} month`;
    if (handle && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
  });
}

async function render({ model, el }) {
  const ids = model.get("controls");
  const manager = model.widget_manager;
  const named = async (table) => Object.fromEntries(await Promise.all(
    Object.entries(table).map(async ([key, id]) => [key, await manager.get_model(id)])));
  const dates = await manager.get_model(ids.dates);
  const search = await manager.get_model(ids.search);
  const treaties = await named(ids.treaties);
  const actors = await named(ids.actors);
  const rows = model.get("events");
  const months = model.get("months");
  const noMatch = model.get("no_match");
  const ticked = (boxes) => Object.keys(boxes).filter((k) => boxes[k].get("value"));

  // The figure is a sibling widget in the same explorer box: it may render after this one.
  const graph = () => {
    const box = el.closest(".ac-timeline-explorer");
    const gd = box && box.querySelector(".js-plotly-plot");
    return gd && gd._fullLayout && gd.data && window.Plotly ? gd : null;
  };
  let queued = false;
  let alive = true;
  // Relayouts this module makes are counted until plotly.js has reported them, so that
  // onZoom below tells them from a zoom or a preset button.
  let ownRelayouts = 0;
  const plotly = {
    restyle: (...args) => window.Plotly.restyle(...args),
    relayout: (...args) => {
      ownRelayouts += 1;
      return Promise.resolve(window.Plotly.relayout(...args))
        .finally(() => { ownRelayouts -= 1; });
    },
  };
  const draw = () => {
    queued = false;
    const gd = graph();
    if (!alive || !gd) return;
    redraw(plotly, gd, rows,
           { treaties: ticked(treaties), actors: ticked(actors), text: search.get("value") },
           dateWindow(months, dates.get("index")), noMatch);
  };
  // Drawn in a microtask: right after the control's own code, which sends the change to the
  // kernel (the change event fires inside the control's model.set, before its save), so that
  // the kernel hears the control first and the redraw second; changes made together (a preset,
  // a kernel update of several controls) are drawn once.
  const schedule = () => {
    if (!queued) {
      queued = true;
      queueMicrotask(draw);
    }
  };
  const listeners = [[dates, "change:index"], [search, "change:value"],
                     ...Object.values(treaties).map((m) => [m, "change:value"]),
                     ...Object.values(actors).map((m) => [m, "change:value"])];
  for (const [m, event] of listeners) m.on(event, schedule);

  // A zoom in the plot (a drag, or the preset buttons above it) moves the date slider here, in
  // the browser; the slider's change then redraws the rest. (Done in the kernel, a zoom reported
  // late could move the slider back over key presses made since: it lost presses on CI.)
  const onZoom = (event) => {
    if (ownRelayouts > 0 || !event || event._doNotReportToPy) return;
    const range = event["xaxis.range"]
      || (event["xaxis.range[0]"] !== undefined && [event["xaxis.range[0]"], event["xaxis.range[1]"]]);
    if (!range || range.length !== 2) return;
    const index = sliderIndex(months, range);
    if (index[0] < 0 || index[1] < 0 || sameList(index, dates.get("index"))) return;
    dates.set("index", index);
    dates.save_changes();
  };
  let zoomTarget = null;

  // Wait for the graph (render order is not fixed), then tell the kernel the browser draws.
  let tries = 0;
  const attach = () => {
    if (!alive) return;
    if (!graph()) {
      tries += 1;
      if (tries < 600) setTimeout(attach, 50);  // up to 30 s: a busy page draws plots late
      return;
    }
    zoomTarget = graph();
    zoomTarget.on("plotly_relayout", onZoom);
    draw();  // redraws only if the figure does not already show these filters
    const key = model.get("key");
    if (key && key.data && !el.querySelector(".js-plotly-plot")) {
      const div = document.createElement("div");
      div.className = "ac-timeline-key";
      el.appendChild(div);
      window.Plotly.newPlot(div, key.data, key.layout,
                            { staticPlot: true, displayModeBar: false, responsive: true });
    }
    if (!model.get("browser_draws")) {
      model.set("browser_draws", true);
      model.save_changes();
    }
  };
  attach();
  // The slider may draw after this view (views render in any order): name its handles then.
  const explorerBox = el.closest(".ac-timeline-explorer");
  const watcher = new MutationObserver(() => nameHandles(el, dates));
  if (explorerBox) watcher.observe(explorerBox, { childList: true, subtree: true });
  nameHandles(el, dates);
  return () => {
    watcher.disconnect();
    alive = false;
    for (const [m, event] of listeners) m.off(event, schedule);
    if (zoomTarget && zoomTarget.removeListener) zoomTarget.removeListener("plotly_relayout", onZoom);
  };
}

export default { render };
