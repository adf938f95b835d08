"""Static PNG copies of stored plotly figures and explorers, for readers without a kernel.

GitHub, nbviewer and ``jupyter nbconvert --to html`` show nothing for plotly's JSON output. When
the maintainers refresh the stored outputs (``tools/refresh_outputs.py``), every plotly figure
output also gets an ``image/png`` rendering of the same figure in the same output. JupyterLab
still shows the interactive figure (its plotly renderer outranks PNG); nbval ignores PNGs.

Rendering uses kaleido, which drives a Chromium browser (Debian's ``chromium`` is found by
itself). That is needed only when refreshing outputs, never when students run the notebooks, so
kaleido is in requirements-dev.txt, not requirements.txt.

Explorers (``maps.range_explorer``, ``timeline.timeline_explorer``) are widgets: a saved one can
only show its text repr, since the widget state is not stored. When outputs are refreshed
(``STORE_FIRST_STATE_ENV`` set), an explorer also hands over its figure as it first appears
(``FIRST_STATE_MIME``); :func:`add_explorer_fallbacks` turns that into a PNG output placed before
the widget, titled with :data:`RUN_TO_USE`, and hides the stale widget view. nbval ignores PNGs
and widget views, so the stored notebook still matches a fresh run.

A static figure in a lesson is shown with :func:`show` (``figures.show(maps.range_map(...))``):
the figure, then its text alternative and its data table in one HTML output under it
(:func:`alternatives_html`; range maps, the New START chart and the timeline).
"""
from __future__ import annotations

import base64
import copy
import json
import os

from typing import TYPE_CHECKING

from armscontrol import DATA_DIR

if TYPE_CHECKING:  # for the type hints only
    import nbformat
    import pandas as pd
    import plotly.graph_objects as go

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: Output key under which an explorer hands its first state (a plotly figure's JSON) to
#: tools/refresh_outputs.py; add_explorer_fallbacks removes it, so it is never stored.
FIRST_STATE_MIME = "application/vnd.armscontrol.first-state+json"
#: Environment variable (set by tools/refresh_outputs.py) that makes explorers add it.
STORE_FIRST_STATE_ENV = "ARMSCONTROL_STORE_FIRST_STATE"
#: The line under the title of an explorer's stored picture.
RUN_TO_USE = "A picture of this explorer as it first appears: run this cell to use the controls."
#: How an explorer's text line (its ``text/plain``, shown beside the stored picture) ends.
RUN_THIS_CELL = "Run this cell to use the controls."
#: Size of the static images, pixels. Small enough to keep each notebook well under 1 MB.
PNG_WIDTH, PNG_HEIGHT = 900, 520
#: Explorers' pictures are drawn at this fraction of their size (a lesson with two range
#: explorers and a timeline stays under 1 MB; the text stays legible).
EXPLORER_PNG_SCALE = 0.8


def figure_png(figure_json: dict, width: int = PNG_WIDTH, height: int = PNG_HEIGHT,
               scale: float = 1.0) -> bytes:
    """Return PNG bytes of a plotly figure given as the JSON dict stored in a notebook output,
    laid out at ``width`` x ``height`` CSS pixels and drawn at ``scale`` times that size.

    Maps load the shipped world outline from ``data/`` (no network).
    """
    import plotly.io as pio

    pio.defaults.topojson = DATA_DIR.resolve().as_uri() + "/"
    spec = {"data": figure_json.get("data", []), "layout": copy.deepcopy(figure_json.get("layout", {}))}
    # Interactive controls (sliders, menus) mean nothing in a picture; keep the drawn state.
    spec["layout"].pop("sliders", None)
    spec["layout"].pop("updatemenus", None)
    return pio.to_image(spec, format="png", width=width, height=height, scale=scale)


def add_png_fallbacks(nb: nbformat.NotebookNode) -> int:
    """Add an ``image/png`` rendering beside every plotly output of ``nb``, in place.

    Returns how many outputs were given one.
    """
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            bundle = output.get("data", {})
            if PLOTLY_MIME in bundle:
                png = figure_png(bundle[PLOTLY_MIME])
                bundle["image/png"] = base64.b64encode(png).decode("ascii")
                count += 1
    return count


def stored_figure_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """Return the output bundles of ``nb`` that hold a plotly figure (for tests and reports)."""
    return [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
            if PLOTLY_MIME in o.get("data", {})]


def storing_first_state() -> bool:
    """Return True while outputs are being refreshed (``STORE_FIRST_STATE_ENV`` is "1"): then
    explorers hand over their first state (:func:`first_state`)."""
    return os.environ.get(STORE_FIRST_STATE_ENV) == "1"


def first_state(figure) -> dict:
    """Return ``{FIRST_STATE_MIME: figure JSON}`` for an explorer's mimebundle while outputs are
    being refreshed (:func:`storing_first_state`), else ``{}``.

    ``figure`` is a plotly ``Figure`` or ``FigureWidget``; the JSON is plain (no numpy arrays),
    so the kernel can send it.
    """
    if not storing_first_state():
        return {}
    return {FIRST_STATE_MIME: json.loads(figure.to_json())}


def explorer_png(figure_json: dict, width: int = PNG_WIDTH) -> bytes:
    """Return PNG bytes of an explorer's first state: its figure (laid out ``width`` by the
    figure's own height, pixels, drawn at :data:`EXPLORER_PNG_SCALE`), without the in-figure
    controls, with :data:`RUN_TO_USE` under the title."""
    layout = copy.deepcopy(figure_json.get("layout", {}))
    title = layout.get("title", {})
    title = dict(title) if isinstance(title, dict) else {"text": str(title)}
    text = title.get("text") or ""
    title["text"] = (text + "<br>" if text else "") + f"<sup><i>{RUN_TO_USE}</i></sup>"
    layout["title"] = title
    margin = dict(layout.get("margin", {}))
    margin["t"] = max(int(margin.get("t", 0) or 0), 90)
    layout["margin"] = margin
    height = int(layout.get("height") or PNG_HEIGHT)
    return figure_png({"data": figure_json.get("data", []), "layout": layout},
                      width=width, height=height, scale=EXPLORER_PNG_SCALE)


def add_explorer_fallbacks(nb: nbformat.NotebookNode, render: bool = True) -> int:
    """Give every explorer output of ``nb`` a static picture, in place; return how many.

    For each output carrying ``FIRST_STATE_MIME``: insert before it a ``display_data`` output
    holding only an ``image/png`` of :func:`explorer_png` (what GitHub, nbviewer, paper and a
    JupyterLab that has not run the cell show), remove the first-state JSON, and blank the
    widget view's ``model_id`` (its model is never stored; JupyterLab hides a view without one
    instead of printing "Error displaying widget: model not found"). With ``render=False`` (no
    Chromium) only the JSON is removed.
    """
    # Imported here, not at module level: nbformat loads jsonschema and its format checkers
    # (about 0.1 s), which importing this module need not cost. (A kernel that shows a plotly
    # figure or widget loads nbformat all the same: plotly's notebook renderers import it.)
    import nbformat

    count = 0
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        index = 0
        while index < len(outputs):
            bundle = outputs[index].get("data", {})
            state = bundle.pop(FIRST_STATE_MIME, None)
            if state is not None and render:
                png = base64.b64encode(explorer_png(state)).decode("ascii")
                picture = nbformat.v4.new_output(
                    "display_data", data={"image/png": png},
                    metadata={"armscontrol": {"first_state_of": bundle.get("text/plain", "")}})
                outputs.insert(index, picture)
                index += 1
                if WIDGET_VIEW_MIME in bundle:
                    bundle[WIDGET_VIEW_MIME]["model_id"] = ""
                count += 1
            index += 1
    return count


# ---- text alternative and data table under a static figure -----------------------------------
#
# A plotly output cannot carry an HTML table beside it: JupyterLab shows only the richest MIME
# type of one output. So a lesson shows a static figure with :func:`show`, which displays the
# figure as it is (one plotly output, which gets its PNG when outputs are refreshed) and then one
# HTML output holding the figure's text alternative and its data table. The figure functions
# keep returning plain ``go.Figure`` objects (students call ``.update_layout`` and read
# ``.data``); nothing about them changes. That is why this is a helper called in the lesson's
# cell and not a Figure subclass with its own ``_ipython_display_``: the subclass would change
# what ``maps.range_map`` and ``exchanges_figure`` return, for every caller.

#: The class of the ``<div>`` that :func:`alternatives_html` returns (tests and print find it).
ALTERNATIVES_CLASS = "ac-figure-alternatives"
#: How far (km) a drawn ring may lie from the range its table row states: rings are stored
#: rounded to 0.001 degree (about 0.1 km).
RING_TOLERANCE_KM = 1.0


def range_rings(figure: go.Figure, sites: pd.DataFrame | None = None,
                missiles: pd.DataFrame | None = None,
                missile_ranges: pd.DataFrame | None = None,
                limits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the rings a :func:`armscontrol.maps.range_map` figure draws, as a DataFrame.

    One row per ring trace, in drawing order, with the columns of
    :data:`armscontrol.data_tables.RING_COLUMNS` (``range_km`` in km). Claim rings are read from
    their trace ids (``ring-<system_id>-<claim number>-<site_id>``) and the claims of
    :func:`armscontrol.maps.system_ranges`; the INF Treaty's reference rings from
    ``inf-<km>-<site_id>`` and ``treaty_limits``. Pass the tables the figure was drawn from
    (default: ``armscontrol.data`` loaders). Raises ``ValueError`` when a ring's drawn radius
    differs from its row's range (the figure was drawn from other tables).
    """
    import re

    import pandas as pd

    from armscontrol import data, geo, maps  # here: maps imports this module
    from armscontrol.data_tables import RING_COLUMNS

    # Each table is read once here, not once per ring by the maps helpers.
    sites = data.load_sites() if sites is None else sites
    missiles = data.load_missiles() if missiles is None else missiles
    missile_ranges = data.load_missile_ranges() if missile_ranges is None else missile_ranges
    limits = data.load_treaty_limits() if limits is None else limits
    # Each base, system and its claims is looked up once, not once per ring (a lookup matches
    # the name against every row: about 2 ms each, 7 to 10 rings on a lesson's map).
    bases: dict[str, pd.Series] = {}
    systems: dict[str, pd.Series] = {}
    claims_of: dict[str, pd.DataFrame] = {}
    rows = []
    for trace in figure.data:
        uid = trace.uid or ""
        ring = re.fullmatch(r"ring-(?P<system>[^-]+)-(?P<j>\d+)-(?P<base>.+)", uid)
        band = re.fullmatch(r"inf-(?P<km>\d+)-(?P<base>.+)", uid)
        if not ring and not band:
            continue
        base_id = (ring or band)["base"]
        if base_id not in bases:
            bases[base_id] = maps.find_site(base_id, sites)
        base = bases[base_id]
        if ring:
            if ring["system"] not in systems:
                systems[ring["system"]] = maps.find_system(ring["system"], missiles)
                claims_of[ring["system"]] = maps.system_ranges(ring["system"], missiles,
                                                               missile_ranges)
            system = systems[ring["system"]]
            claim = claims_of[ring["system"]].iloc[int(ring["j"])]
            row = dict(system=system["name"], claim_type=claim.get("claim_type", ""),
                       claimant=claim["claimant"], range_km=float(claim["range_km"]),
                       source_title=claim.get("source_title", ""))
        else:
            km = int(band["km"])
            limit = limits[(limits["treaty_id"] == "INF") & (limits["unit"] == "km")
                           & (limits["value"].astype(float) == km)].iloc[0]
            row = dict(system="INF Treaty (reference ring)",
                       claim_type=str(limit["item"]).split(" (")[0], claimant="the treaty",
                       range_km=float(km), source_title=limit.get("source_title", ""))
        drawn = geo.distance_km((base["lat"], base["lon"]), (trace.lat[0], trace.lon[0]))
        if abs(drawn - row["range_km"]) > RING_TOLERANCE_KM:
            raise ValueError(f"ring {uid!r} is drawn at {drawn:,.0f} km but its data say "
                             f"{row['range_km']:,.0f} km: pass show() the tables the map "
                             "was drawn from")
        rows.append(dict(row, base=base["name"]))
    return pd.DataFrame(rows, columns=list(RING_COLUMNS))


def new_start_exchanges(figure: go.Figure) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return the counts an ``exchanges_figure`` chart draws, and the limits it draws.

    Returns ``(exchanges, limits)``: a DataFrame with one row per party and data exchange
    (party by party as the panels show them, oldest first; columns ``party``, ``as_of`` and one
    column per count, numbers of warheads or launchers) and a dict count -> limit, both read
    from the figure's traces (their ``meta`` says which party and count each one draws).
    """
    import pandas as pd

    counts: dict[tuple[str, str], dict[str, int]] = {}
    limits: dict[str, int] = {}
    for trace in figure.data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if "count" in meta:
            for x, y in zip(trace.x, trace.y):
                counts.setdefault((meta["party"], x), {})[meta["count"]] = int(y)
        elif "limit" in meta:
            limits[meta["limit"]] = int(trace.y[0])
    exchanges = pd.DataFrame([dict(party=p, as_of=pd.Timestamp(x), **values)
                              for (p, x), values in counts.items()])
    return exchanges, limits


def timeline_events(figure: go.Figure, events: pd.DataFrame | None = None,
                    quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the events a :func:`armscontrol.timeline.timeline_figure` shows in its visible
    date range (``layout.xaxis.range``), as rows of :func:`armscontrol.timeline.prepare_events`
    in its order (oldest first).

    The events are found by the ids the figure's event markers carry; pass the ``events`` (and
    ``quotes``) the figure was drawn from (default: ``armscontrol.data`` loaders). Raises
    ``ValueError`` when a drawn event is not in them.
    """
    import pandas as pd

    from armscontrol import data, timeline  # here: timeline imports maps, which imports this

    start, end = (pd.Timestamp(x) for x in figure.layout.xaxis.range)
    drawn = [(str(c[0]), pd.Timestamp(x)) for t in timeline.event_traces(figure)
             for c, x in zip(t.customdata, t.x)]
    in_view = {event_id for event_id, x in drawn if start <= x <= end}
    table = timeline.prepare_events(data.load_events() if events is None else events,
                                    data.load_quotes() if quotes is None else quotes)
    unknown = in_view - set(table["event_id"])
    if unknown:
        raise ValueError(f"the timeline draws events not in the events table: "
                         f"{sorted(unknown)}; pass show() the events it was drawn from")
    return table[table["event_id"].isin(in_view)]


def timeline_summary(figure: go.Figure, shown: pd.DataFrame) -> str:
    """Return a text alternative for a timeline figure: how many events it shows between which
    days of its visible range, and how many in each treaty lane (``shown``: the
    :func:`timeline_events` rows)."""
    import pandas as pd

    from armscontrol import timeline

    start, end = (pd.Timestamp(x) for x in figure.layout.xaxis.range)
    lanes = shown["lane"].value_counts()
    parts = [f"{lanes[lane]} in the {timeline.LANE_LABELS[lane]} lane"
             for lane in timeline.LANES if lane in lanes.index]
    where = (": " + ", ".join(parts)) if parts else ""
    return (f"Timeline of {len(shown)} event{'' if len(shown) == 1 else 's'} between "
            f"{start.day} {start:%B %Y} and {end.day} {end:%B %Y}{where}. Colour shows the "
            "first-named actor and marker shape the kind of event; the table lists them.")


def alternatives(figure: go.Figure, **tables: pd.DataFrame) -> tuple[str, str]:
    """Return ``(text alternative, data table HTML)`` for a static figure.

    Knows the range maps (:func:`armscontrol.maps.range_map`; ``tables`` may pass ``sites``,
    ``missiles``, ``missile_ranges``, ``limits`` as for :func:`range_rings`), the New START
    exchanges chart (both carry ``layout.meta["text_alternative"]``) and the timeline
    (:func:`armscontrol.timeline.timeline_figure`; ``tables`` may pass ``events`` and
    ``quotes``; its text alternative is :func:`timeline_summary`). Raises ``ValueError`` for any
    other figure, so that a lesson cannot show a figure without its table.
    """
    import html

    from armscontrol import analysis_new_start
    from armscontrol import data_tables

    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    title = html.unescape(figure.layout.title.text or "")  # markup; the table escapes text
    text = meta.get("text_alternative")
    if meta.get("figure") == analysis_new_start.EXCHANGES_FIGURE:
        exchanges, limits = new_start_exchanges(figure)
        table = data_tables.new_start_exchanges_table_html(
            exchanges, limits, analysis_new_start.COUNT_LABELS, title or "New START counts")
    elif any((t.uid or "").startswith("ring-") for t in figure.data) and "view" in meta:
        table = data_tables.range_rings_table_html(range_rings(figure, **tables),
                                                   title or "Range rings")
    elif any(t.meta == "events" for t in figure.data):
        shown = timeline_events(figure, **tables)
        text = text or timeline_summary(figure, shown)
        table = data_tables.events_table_html(
            shown, caption=f"{title}: events in view" if title else "Events in view")
    else:
        raise ValueError("no data table is known for this figure: armscontrol.figures.show "
                         "knows maps.range_map, analysis_new_start.exchanges_figure and "
                         "timeline.timeline_figure")
    if not text:
        raise ValueError("the figure has no layout.meta['text_alternative']")
    return text, table


def alternatives_html(figure: go.Figure, **tables: pd.DataFrame) -> str:
    """Return the HTML shown under a static figure (see :func:`alternatives`): a ``<div>`` of
    class :data:`ALTERNATIVES_CLASS` holding the text alternative (one paragraph) and the data
    table (a collapsed ``<details>``, see :mod:`armscontrol.data_tables`)."""
    return _alternatives_markup(*alternatives(figure, **tables))


def _alternatives_markup(text: str, table: str) -> str:
    import html

    return (f'<div class="{ALTERNATIVES_CLASS}"><p><strong>In words:</strong> '
            f"{html.escape(text)}</p>{table}</div>")


def show(figure: go.Figure, **tables: pd.DataFrame) -> None:
    """Display a static figure, then its text alternative and data table; returns nothing.

    Use it in a lesson cell as ``figures.show(maps.range_map(...))``: the figure is displayed
    unchanged (a plotly output), followed by one output holding :func:`alternatives_html` as
    HTML and the text alternative as plain text (what a terminal or a plain-text reader shows).
    ``tables`` are passed on to :func:`alternatives`. Returns ``None``, so the figure is not
    shown twice.
    """
    from IPython.display import display

    text, table = alternatives(figure, **tables)  # fails before anything is shown
    display(figure)
    display({"text/html": _alternatives_markup(text, table), "text/plain": text}, raw=True)
