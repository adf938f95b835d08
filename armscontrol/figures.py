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
"""
from __future__ import annotations

import base64
import copy
import json
import os

import nbformat

from armscontrol import DATA_DIR

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


def first_state(figure) -> dict:
    """Return ``{FIRST_STATE_MIME: figure JSON}`` for an explorer's mimebundle while outputs are
    being refreshed (``STORE_FIRST_STATE_ENV`` is "1"), else ``{}``.

    ``figure`` is a plotly ``Figure`` or ``FigureWidget``; the JSON is plain (no numpy arrays),
    so the kernel can send it.
    """
    if os.environ.get(STORE_FIRST_STATE_ENV) != "1":
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
