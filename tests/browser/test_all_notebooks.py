"""Every notebook of the module, opened and run in JupyterLab in Chromium, offline.

For each notebook in notebooks/, exercises/ and solutions/: Run All, then check that
- no cell shows an error, except the check cells of the unanswered exercises, which must say
  (with an AssertionError) that the question is not answered yet;
- every plotly figure drew (an SVG with content), every map drew its coastlines;
- every widget rendered (no "Error displaying widget");
- no request left the machine (all non-loopback requests are blocked and recorded);
- the page still shows that notebook (the harness fails at once, with NavigatedAway, if it ever
  shows another document: see test_harness.py).
A screenshot of each is saved as test-artifacts/screenshots/notebook__<folder>__<name>.png.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness
from conftest import require_browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [p.relative_to(ROOT).as_posix() for folder in ("notebooks", "exercises", "solutions")
             for p in sorted((ROOT / folder).glob("*.ipynb"))]
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def stored_figures(path: str) -> int:
    """How many plotly figures the stored notebook shows (0 for exercises: no outputs)."""
    nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def unanswered_checks(path: str) -> int:
    """How many cells of the notebook are tagged raises-exception (check cells)."""
    nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return sum("raises-exception" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


@pytest.fixture(scope="module")
def server():
    require_browser()
    with harness.JupyterLab() as lab:
        yield lab


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_in_the_browser(path, server, offline_page):
    page = offline_page
    harness.open_notebook(page, server, path, workspace="all-" + path.replace("/", "-")[:-6])
    harness.run_all(page, timeout_ms=240_000)
    expected = stored_figures(path)
    if expected:
        harness.wait_for_plots(page, expected, timeout_ms=120_000)
    errors = harness.output_errors(page)
    if path.startswith("exercises/"):
        # Unanswered questions make their check cells fail, with an AssertionError that says
        # what to do; any other error (a NameError, a crash, a failed figure) is a defect.
        unexpected = [e for e in errors if "AssertionError" not in e or "Javascript Error" in e]
        assert not unexpected, f"{path}: errors other than unanswered checks: {unexpected}"
        assert len(errors) <= unanswered_checks(path), f"{path}: more errors than check cells"
    else:
        assert not errors, f"{path}: error outputs: {errors}"
    empty = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .filter(p => !p.querySelector('.main-svg .plot, .main-svg .geolayer, .main-svg g'))
        .length""")
    assert empty == 0, f"{path}: {empty} plotly figure(s) with nothing drawn"
    outlines = harness.geo_outline_paths(page)
    assert all(length > 0 for length in outlines), f"{path}: a map drew no coastlines {outlines}"
    body = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in body, f"{path}: a widget failed to render"
    assert page.blocked == [], f"{path}: requests left the machine: {page.blocked}"
    harness.assert_shows(page, path)  # still this notebook: no click followed a link
    harness.screenshot(page, "notebook__" + path.replace("/", "__"))
    harness.delete_sessions(page, server)
