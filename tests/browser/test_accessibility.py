"""axe-core in JupyterLab, after Run All of lessons 03 and 04 and the two demo notebooks: no
serious or critical accessibility violation in what our notebooks put on the page (nodes inside
an output area, ``.jp-OutputArea-output``: tables, plotly figures, maps, time lines, widgets, and
the text alternative and data table under each static figure, opened before axe runs so that
axe checks the tables too).

Violations in JupyterLab's own interface are printed in the test output (run with ``-s``) and
do not fail: they are not ours to fix. The class report is checked in test_report_browser.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import axe
import harness
from conftest import require_browser

ROOT = Path(__file__).resolve().parents[2]
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PAGES = ["notebooks/03_inf_collapse.ipynb", "notebooks/timeline_demo.ipynb",
         "notebooks/range_explorer_demo.ipynb", "notebooks/04_new_start.ipynb"]
#: The pages that show a range slider (the time line's date range).
WITH_RANGE_SLIDER = PAGES[:2] + PAGES[3:]
#: Opens every data table in the outputs (collapsed <details>: the static figures' and the
#: explorers') and returns how many static figures' tables (armscontrol.figures.show) it opened.
OPEN_DATA_TABLES_JS = """() => {
    const tables = document.querySelectorAll('.jp-OutputArea-output details.ac-data-table');
    tables.forEach(d => { d.open = true; });
    return document.querySelectorAll(
        '.jp-OutputArea-output .ac-figure-alternatives details.ac-data-table[open]').length;
}"""


def stored_figures(path: str) -> int:
    nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


#: ipywidgets (8.1) draws its sliders with noUiSlider and gives the handles (``div.noUi-handle``,
#: role="slider") no accessible name: the widget's ``description`` is a separate label the
#: handles do not point to, and nothing set from Python reaches them. Our explorers' browser code
#: names them (armscontrol/timeline_filter.js: "Dates: first month" / "Dates: last month";
#: armscontrol/range_explorer.js: "What if (km)"), and test_slider_handles_are_named checks that
#: axe finds no unnamed handle and that the names are ours.
SLIDER_HANDLE = ("aria-input-field-name", 'class="noUi-handle')


def _is_slider_handle(row: dict) -> bool:
    return row["rule"] == SLIDER_HANDLE[0] and SLIDER_HANDLE[1] in row["html"]


@pytest.fixture(scope="module")
def server():
    require_browser()
    with harness.JupyterLab() as lab:
        yield lab


@pytest.fixture(scope="module")
def audits(server, browser):
    """audit(path): open ``path`` in JupyterLab offline, Run All, wait for its figures, run axe;
    returns {"found": violations, "outputs": output areas, "blocked": URLs}, once per path."""
    done: dict[str, dict] = {}

    def audit(path: str) -> dict:
        if path in done:
            return done[path]
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked = harness.block_external_requests(context)
        page = context.new_page()
        try:
            harness.open_notebook(page, server, path, workspace="axe-" + Path(path).stem)
            harness.run_all(page, timeout_ms=240_000)
            expected = stored_figures(path)
            if expected:
                harness.wait_for_plots(page, expected, timeout_ms=120_000)
            outputs = page.locator(".jp-OutputArea-output").count()
            tables = page.evaluate(OPEN_DATA_TABLES_JS)
            # the explorers' browser code names slider handles once the slider has drawn
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea-output .noUi-handle')]"
                ".every(h => h.hasAttribute('aria-label'))", timeout=30_000)
            handle_names = page.eval_on_selector_all(
                ".jp-OutputArea-output .noUi-handle",
                "hs => hs.map(h => h.getAttribute('aria-label'))")
            found = axe.violations(page)
            harness.delete_sessions(page, server)
        finally:
            context.close()
        ours, theirs = axe.split(found)
        print(f"\naxe on {path}: {outputs} output areas")
        print("JupyterLab's own violations (listed, not failed):\n" + axe.describe(theirs))
        print("violations in our outputs (serious and critical fail; slider handles: test_slider_handles_are_named):\n"
              + axe.describe(ours))
        done[path] = {"found": found, "outputs": outputs, "blocked": list(blocked),
                      "handle_names": handle_names,
                      "tables": tables, "figures": expected}
        return done[path]

    return audit


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_our_outputs_have_no_serious_accessibility_violations(path, audits):
    result = audits(path)
    assert result["outputs"] > 0, f"{path}: no outputs to check"
    # every static figure's table is on the page, and was open while axe ran
    assert result["tables"] == result["figures"], (
        f"{path}: {result['tables']} data tables for {result['figures']} static figures")
    serious = [r for r in axe.serious_ours(result["found"]) if not _is_slider_handle(r)]
    assert not serious, (f"{path}: serious or critical violations in our outputs:\n"
                         + axe.describe(serious))
    assert result["blocked"] == [], f"{path}: requests left the machine: {result['blocked']}"


#: The slider-handle names each page must show (its explorers' sliders).
HANDLE_NAMES = {path: {"Dates: first month", "Dates: last month"} for path in WITH_RANGE_SLIDER}
HANDLE_NAMES["notebooks/range_explorer_demo.ipynb"] = {"What if (km)"}


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_slider_handles_are_named(path, audits):
    result = audits(path)
    handles = [r for r in axe.serious_ours(result["found"]) if _is_slider_handle(r)]
    assert not handles, f"{path}: unnamed slider handles:\n" + axe.describe(handles)
    assert HANDLE_NAMES[path] <= set(result["handle_names"]), (
        f"{path}: slider handles named {result['handle_names']}")
