// The range explorer's browser side (armscontrol/range_explorer.py, class RangeBridge).
//
// It listens to the explorer's keyboard-native controls (the "What if" slider, the INF-band
// toggle, the claim buttons) in the browser and redraws the map's circles itself with
// Plotly.relayout on the explorer's graph div, without waiting for the kernel. Every circle a
// control can show is already in the figure; a change only sets line colours (shown or
// transparent), which plotly.js redraws shape by shape ("arraydraw" edits) instead of
// replotting the figure. The FigureWidget reports each relayout to Python (plotly's
// _js2py_relayout), so the kernel's copy of the figure stays in step.

function graphDiv(el) {
  const box = el.closest(".ac-range-explorer");
  return box ? box.querySelector(".js-plotly-plot") : null;
}

// Line colours that show shape `on` and hide the other shapes of `indices` (only those that
// change: each edit redraws one shape).
function switchTo(gd, indices, on, colour, hidden) {
  const update = {};
  const shapes = (gd.layout && gd.layout.shapes) || [];
  for (const i of indices || []) {
    const want = i === on ? colour : hidden;
    const now = shapes[i] && shapes[i].line ? shapes[i].line.color : undefined;
    if (now !== want) update[`shapes[${i}].line.color`] = want;
  }
  return update;
}

function redraw(el, model, what, control) {
  const gd = graphDiv(el);
  // The figure may not have drawn yet (views render in any order); the kernel builds it in the
  // state the controls show, so an early change has nothing to catch up with.
  if (!gd || !gd._fullLayout || !window.Plotly) return;
  const shapes = model.get("shapes") || {};
  const hidden = model.get("hidden");
  let update = {};
  if (what === "what_if") {
    const on = shapes.what_if[model.get("what_if_km").indexOf(Number(control.get("value")))];
    update = switchTo(gd, shapes.what_if, on, model.get("what_if_colour"), hidden);
  } else if (what === "inf") {
    const shown = control.get("value");
    for (const i of shapes.inf || []) {
      Object.assign(update, switchTo(gd, [i], shown ? i : -1, model.get("inf_colour"), hidden));
    }
  } else {
    // Selection widgets sync their index, not their value.
    const on = (shapes.highlights || [])[control.get("index")];
    update = switchTo(gd, shapes.highlights, on, model.get("highlight_colour"), hidden);
  }
  if (Object.keys(update).length) window.Plotly.relayout(gd, update);
}

// ipywidgets (8.1) gives a slider's handle no accessible name (its description is a separate
// label the handle does not point to; see tests/browser/test_accessibility.py): name the
// What-if handle after the slider's description, for screen readers.
function nameHandle(el, slider) {
  const box = el.closest(".ac-range-explorer");
  const handle = box && box.querySelector(".widget-slider .noUi-handle");
  const name = slider.get("description");
  if (handle && name && handle.getAttribute("aria-label") !== name) {
    handle.setAttribute("aria-label", name);
  }
}

async function render({ model, el }) {
  const manager = model.widget_manager;
  const [slider, toggle, claims] = await Promise.all(
    ["slider_id", "inf_id", "claims_id"].map((name) => manager.get_model(model.get(name))));
  const listeners = [
    [slider, "change:value", () => redraw(el, model, "what_if", slider)],
    [toggle, "change:value", () => redraw(el, model, "inf", toggle)],
    [claims, "change:index", () => redraw(el, model, "claims", claims)],
  ];
  listeners.push([slider, "change:max", () => nameHandle(el, slider)]);
  for (const [control, event, listener] of listeners) control.on(event, listener);
  // The slider may draw after this view (views render in any order): name its handle then.
  const box = el.closest(".ac-range-explorer");
  const watcher = new MutationObserver(() => nameHandle(el, slider));
  if (box) watcher.observe(box, { childList: true, subtree: true });
  nameHandle(el, slider);
  el.dataset.acBridge = "ready";  // tests wait for this before pressing keys
  return () => {
    watcher.disconnect();
    for (const [control, event, listener] of listeners) control.off(event, listener);
  };
}

export default { render };
