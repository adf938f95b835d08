"""Every stored plotly figure carries a static PNG, so GitHub and nbviewer show something."""
from pathlib import Path

import nbformat
import pytest

from armscontrol import ROOT
from armscontrol.figures import PLOTLY_MIME, stored_figure_outputs

STORED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_plotly_output_has_a_png(path: Path):
    nb = nbformat.read(path, as_version=4)
    for bundle in stored_figure_outputs(nb):
        assert "image/png" in bundle, (
            f"{path.name}: a plotly figure has no PNG fallback; refresh the outputs with "
            "python tools/refresh_outputs.py (needs chromium)")
        assert len(bundle["image/png"]) > 1000


def test_png_fallback_renders_a_map_offline():
    """The fallback draws a geo figure from the shipped outline, with no network."""
    import base64
    import shutil

    import plotly.graph_objects as go

    from armscontrol.figures import add_png_fallbacks

    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.skip("kaleido needs Debian's chromium: apt-get install chromium")
    fig = go.Figure(go.Scattergeo(lon=[37.6, 13.4], lat=[55.7, 52.5], mode="markers"))
    output = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: fig.to_plotly_json()})
    cell = nbformat.v4.new_code_cell("fig", outputs=[output])
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert add_png_fallbacks(nb) == 1
    png = base64.b64decode(nb.cells[0].outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG") and len(png) > 5000
