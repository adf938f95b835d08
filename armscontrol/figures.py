"""Static PNG copies of stored plotly figures, for readers without a kernel.

GitHub, nbviewer and ``jupyter nbconvert --to html`` show nothing for plotly's JSON output. When
the maintainers refresh the stored outputs (``tools/refresh_outputs.py``), every plotly figure
output also gets an ``image/png`` rendering of the same figure in the same output. JupyterLab
still shows the interactive figure (its plotly renderer outranks PNG); nbval ignores PNGs.

Rendering uses kaleido, which drives a Chromium browser (Debian's ``chromium`` is found by
itself). That is needed only when refreshing outputs, never when students run the notebooks, so
kaleido is in requirements-dev.txt, not requirements.txt.
"""
from __future__ import annotations

import base64
import copy

import nbformat

from armscontrol import DATA_DIR

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Size of the static images, pixels. Small enough to keep each notebook well under 1 MB.
PNG_WIDTH, PNG_HEIGHT = 900, 520


def figure_png(figure_json: dict, width: int = PNG_WIDTH, height: int = PNG_HEIGHT) -> bytes:
    """Return PNG bytes of a plotly figure given as the JSON dict stored in a notebook output.

    Maps load the shipped world outline from ``data/`` (no network).
    """
    import plotly.io as pio

    pio.defaults.topojson = DATA_DIR.resolve().as_uri() + "/"
    spec = {"data": figure_json.get("data", []), "layout": copy.deepcopy(figure_json.get("layout", {}))}
    # Interactive controls (sliders, menus) mean nothing in a picture; keep the drawn state.
    spec["layout"].pop("sliders", None)
    spec["layout"].pop("updatemenus", None)
    return pio.to_image(spec, format="png", width=width, height=height, scale=1)


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
