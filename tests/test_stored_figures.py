"""Every stored plotly figure carries a static PNG, so GitHub and nbviewer show something; is
followed by its text alternative and data table; and tells its series apart by more than colour."""
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup

from armscontrol import ROOT
from armscontrol.figures import (ALTERNATIVES_CLASS, PLOTLY_MIME, alternatives_html,
                                 stored_figure_outputs)

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


# ---- every line or marker series differs by more than colour ---------------------------------

def _series(figure: dict) -> list[dict]:
    """The figure's visible series: one per legend entry (traces sharing a ``legendgroup``
    are one series, e.g. the same limit drawn in both panels); hidden traces are left out."""
    series, groups = [], set()
    for trace in figure.get("data", []):
        if trace.get("visible") is False or trace.get("visible") == "legendonly":
            continue
        group = trace.get("legendgroup")
        if group:
            if group in groups and trace.get("showlegend") is False:
                continue
            groups.add(group)
        series.append(trace)
    return series


def _look(trace: dict) -> tuple[tuple, object]:
    """(everything but colour that tells a series apart, its colour) for a line/marker trace."""
    mode = trace.get("mode", "lines+markers")
    line, marker = trace.get("line", {}) or {}, trace.get("marker", {}) or {}
    shape = []
    if "lines" in mode:
        shape += ["line", line.get("dash", "solid"), line.get("width", 2)]
    if "markers" in mode:
        shape += ["marker", marker.get("symbol", "circle"), marker.get("size", 6)]
    colour = (line.get("color") if "lines" in mode else None, marker.get("color"))
    return tuple(shape), colour


def colour_only_pairs(figure: dict) -> list[tuple[str, str]]:
    """Return the pairs of series (by name) of a stored plotly figure that differ only by
    colour: same dash and width for lines, same symbol and size for markers."""
    looks = [(t.get("name", "?"), *_look(t)) for t in _series(figure)
             if t.get("type", "scatter") in ("scatter", "scattergeo", "scattergl")]
    return [(a[0], b[0]) for i, a in enumerate(looks) for b in looks[i + 1:]
            if a[1] == b[1] and a[2] != b[2]]


def test_the_colour_check_finds_series_told_apart_by_colour_alone():
    red = {"type": "scatter", "mode": "lines+markers", "name": "a", "line": {"color": "red"}}
    blue = {"type": "scatter", "mode": "lines+markers", "name": "b", "line": {"color": "blue"}}
    assert colour_only_pairs({"data": [red, blue]}) == [("a", "b")]
    dotted = dict(blue, line={"color": "blue", "dash": "dot"})
    assert colour_only_pairs({"data": [red, dotted]}) == []
    squares = dict(blue, marker={"symbol": "square"})
    assert colour_only_pairs({"data": [red, squares]}) == []
    # the same series drawn again in a second panel is not a second series
    again = dict(red, legendgroup="a", showlegend=False)
    assert colour_only_pairs({"data": [dict(red, legendgroup="a"), again]}) == []


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stored_figures_tell_series_apart_by_more_than_colour(path: Path):
    nb = nbformat.read(path, as_version=4)
    for bundle in stored_figure_outputs(nb):
        pairs = colour_only_pairs(bundle[PLOTLY_MIME])
        assert not pairs, f"{path.name}: these series differ only by colour: {pairs}"


# ---- every stored static figure is followed by its text alternative and data table ------------

def _figures_and_next(nb) -> list[tuple[dict, dict | None]]:
    pairs = []
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        for i, output in enumerate(outputs):
            if PLOTLY_MIME in output.get("data", {}):
                pairs.append((output["data"][PLOTLY_MIME],
                              outputs[i + 1] if i + 1 < len(outputs) else None))
    return pairs


def _drawn_rows(figure: dict) -> int:
    """How many rows the figure's data table must have: one per ring of a range map, one per
    party and data exchange of the New START chart."""
    rings = [t for t in figure["data"] if str(t.get("uid", "")).startswith(("ring-", "inf-"))]
    if rings:
        return len(rings)
    points = {(t["meta"]["party"], x) for t in figure["data"]
              if isinstance(t.get("meta"), dict) and "count" in t["meta"] for x in t["x"]}
    return len(points)


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_stored_figure_is_followed_by_its_data_table(path: Path):
    nb = nbformat.read(path, as_version=4)
    for figure, following in _figures_and_next(nb):
        title = figure["layout"].get("title", {}).get("text", "?")
        assert following is not None and "text/html" in following.get("data", {}), (
            f"{path.name}: the figure {title!r} has no HTML output after it; show it with "
            "figures.show(...)")
        soup = BeautifulSoup("".join(following["data"]["text/html"]), "html.parser")
        box = soup.find("div", class_=ALTERNATIVES_CLASS)
        assert box is not None, f"{path.name}: {title!r} is not followed by its alternatives"
        assert box.find("p").get_text(" ", strip=True).endswith(
            figure["layout"]["meta"]["text_alternative"])
        table = box.find("details").find("table")
        assert table.find("caption").get_text()
        assert len(table.find("tbody").find_all("tr")) == _drawn_rows(figure) > 0
        # and it is exactly what the stored figure's own data give
        assert "".join(following["data"]["text/html"]) == alternatives_html(go.Figure(figure))


def test_importing_figures_does_not_load_nbformat():
    # nbformat (with jsonschema and its format checkers) is needed only to refresh stored
    # outputs: figures imports it there, not when it is imported. (maps still loads it:
    # plotly's notebook renderers, which maps configures on import, import nbformat.)
    import subprocess
    import sys

    code = ("import sys, armscontrol.figures, armscontrol.timeline\n"
            "print(sorted(m for m in ('nbformat', 'jsonschema') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"
