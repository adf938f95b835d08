"""Saved explorers show a picture of their first state, not just a Python repr.

An explorer is a widget, and its state is not stored, so a lesson opened on GitHub, nbviewer,
paper or in a JupyterLab that has not run the cell could only show its text line. While
tools/refresh_outputs.py runs, explorers hand over their figure (FIRST_STATE_MIME);
add_explorer_fallbacks stores it as a PNG output before the widget. These tests check both
steps, and that the stored notebooks carry the pictures and still match what nbval sees.
"""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

import nbformat
import pytest

from armscontrol import ROOT, figures, maps, timeline

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def has_chromium() -> bool:
    return bool(shutil.which("chromium")) or Path("/usr/bin/chromium").exists()


@pytest.fixture(scope="module")
def range_explorer():
    return maps.range_explorer("ss20", "postavy", view="europe")


@pytest.fixture(scope="module")
def timeline_explorer():
    return timeline.timeline_explorer()


def test_explorers_send_their_first_state_only_while_outputs_are_refreshed(
        monkeypatch, range_explorer, timeline_explorer):
    for explorer, figure in ((range_explorer, range_explorer.figure),
                             (timeline_explorer, timeline_explorer.figure)):
        monkeypatch.delenv(figures.STORE_FIRST_STATE_ENV, raising=False)
        plain = explorer._repr_mimebundle_()
        assert figures.FIRST_STATE_MIME not in plain  # what students and nbval get
        assert figures.WIDGET_VIEW_MIME in plain
        monkeypatch.setenv(figures.STORE_FIRST_STATE_ENV, "1")
        bundle = explorer._repr_mimebundle_()
        state = bundle[figures.FIRST_STATE_MIME]
        assert bundle["text/plain"] == plain["text/plain"]
        assert plain["text/plain"].endswith(figures.RUN_THIS_CELL)  # the line beside the picture
        assert "Explorer(" not in plain["text/plain"]  # not a Python repr
        # The figure as it is drawn: same traces (the timeline's key is drawn apart, under its
        # plot, by its browser filter), same layout title.
        key = explorer.browser_filter.key["data"] if explorer is timeline_explorer else []
        assert len(state["data"]) == len(figure.data) + len(key)
        assert [t["meta"] for t in key] == ["key"] * len(key)
        title = figure.to_plotly_json()["layout"].get("title")
        assert (state["layout"].get("title") or {}) == (title or {})  # {} and None: no title


def _explorer_notebook(state: dict) -> nbformat.NotebookNode:
    widget = nbformat.v4.new_output("display_data", data={
        "text/plain": "Range explorer: SS-20 from Postavy, europe view. Run this cell to use the controls.",
        figures.WIDGET_VIEW_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        figures.FIRST_STATE_MIME: state})
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[widget])])


def test_without_rendering_the_first_state_is_dropped(range_explorer):
    nb = _explorer_notebook(range_explorer.figure.to_plotly_json())
    assert figures.add_explorer_fallbacks(nb, render=False) == 0
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1 and figures.FIRST_STATE_MIME not in outputs[0]["data"]


def test_the_first_state_becomes_a_picture_before_the_widget(monkeypatch, range_explorer):
    if not has_chromium():
        pytest.skip("kaleido needs Debian's chromium: apt-get install chromium")
    monkeypatch.setenv(figures.STORE_FIRST_STATE_ENV, "1")
    state = range_explorer._repr_mimebundle_()[figures.FIRST_STATE_MIME]
    nb = _explorer_notebook(state)
    assert figures.add_explorer_fallbacks(nb) == 1
    picture, widget = nb.cells[0].outputs
    assert set(picture["data"]) == {"image/png"}  # nothing nbval compares
    png = base64.b64decode(picture["data"]["image/png"])
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert figures.FIRST_STATE_MIME not in widget["data"]
    assert widget["data"][figures.WIDGET_VIEW_MIME]["model_id"] == ""
    assert widget["data"]["text/plain"].endswith(figures.RUN_THIS_CELL)


def test_the_picture_says_to_run_the_cell(range_explorer):
    """The note is in the picture's title (the only place nbval does not compare)."""
    seen = {}

    def fake_png(spec, width, height, scale):
        seen.update(spec=spec, height=height, scale=scale)
        return b"\x89PNG"

    original = figures.figure_png
    figures.figure_png = fake_png
    try:
        figures.explorer_png(range_explorer.figure.to_plotly_json())
    finally:
        figures.figure_png = original
    assert figures.RUN_TO_USE in seen["spec"]["layout"]["title"]["text"]
    assert "9M729" not in seen["spec"]["layout"]["title"]["text"]  # it is the SS-20's map
    assert "SS-20" in seen["spec"]["layout"]["title"]["text"]
    assert seen["height"] == range_explorer.figure.layout.height
    assert seen["scale"] == figures.EXPLORER_PNG_SCALE


def _explorer_outputs(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        for index, output in enumerate(outputs):
            text = output.get("data", {}).get("text/plain", "")
            if figures.WIDGET_VIEW_MIME in output.get("data", {}) and text.endswith(
                    figures.RUN_THIS_CELL):
                yield outputs, index


def test_the_lessons_store_explorers():
    """The check below must see explorers to mean anything."""
    found = sum(1 for path in NOTEBOOKS
                for _ in _explorer_outputs(nbformat.read(path, as_version=4)))
    assert found >= 8, f"only {found} stored explorers found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_explorers_carry_their_picture(path: Path):
    nb = nbformat.read(path, as_version=4)
    for outputs, index in _explorer_outputs(nb):
        assert index > 0, f"{path.name}: an explorer has no stored picture before it"
        picture = outputs[index - 1]
        assert "image/png" in picture.get("data", {}), (
            f"{path.name}: an explorer has no stored picture; run tools/refresh_outputs.py")
        assert picture["metadata"]["armscontrol"]["first_state_of"] == \
            outputs[index]["data"]["text/plain"]
        assert len(picture["data"]["image/png"]) > 20_000
        assert outputs[index]["data"][figures.WIDGET_VIEW_MIME]["model_id"] == ""
    text = path.read_text(encoding="utf-8")
    assert figures.FIRST_STATE_MIME not in text
    assert len(text.encode()) <= 1_000_000, f"{path.name} is over 1 MB"
