"""The harness itself, in JupyterLab in Chromium: it never leaves the notebook under test, and
says so at once if something else does.

A CI run once timed out after 240 s on 05_after_inf with the page showing 06_synthesis: run_all
focused the notebook by clicking its middle, which after Run All is the last cell, the lessons'
navigation line ("06 Synthesis →"). These tests pin the fix: run_all twice in a row (the second
time scrolled to that line) stays on the notebook, and following a link makes the next wait fail
fast with NavigatedAway naming both documents.
"""
from __future__ import annotations

import time

import pytest

import harness

NOTEBOOK = "notebooks/00_start_here.ipynb"
NEXT = "notebooks/00b_python_primer.ipynb"  # where the start notebook's "→" link goes
pytestmark = pytest.mark.browser


def test_run_all_stays_on_the_notebook_and_navigation_fails_fast(jupyterlab, offline_page):
    page = offline_page
    server = jupyterlab()
    harness.open_notebook(page, server, NOTEBOOK, workspace="harness")
    assert harness.shown_document(page) == NOTEBOOK
    harness.run_all(page)
    prompts = harness._prompts(page)
    assert prompts and all(p.startswith("[") and p[1:-2].isdigit() for p in prompts), prompts
    # Run All leaves the notebook scrolled to its last cell, the navigation links; a second
    # run_all must still run this notebook, not follow a link.
    harness.run_all(page)
    assert harness.shown_document(page) == NOTEBOOK
    assert harness.open_tabs(page) == [NOTEBOOK]
    assert int(harness._prompts(page)[0][1:-2]) > len(prompts)  # it really ran again

    # Following a link on purpose: the next wait reports it at once, naming both documents.
    # (the navigation line's link to the next notebook, whatever its label)
    page.locator(".jp-RenderedMarkdown a", has_text="→").last.click()
    page.wait_for_function(f"() => ({harness.SHOWN_DOCUMENT_JS})()?.path === {NEXT!r}",
                           timeout=60_000)
    started = time.monotonic()
    with pytest.raises(harness.NavigatedAway) as failure:
        harness.run_all(page)
    assert time.monotonic() - started < 10, "NavigatedAway should come at once, not on timeout"
    assert NOTEBOOK in str(failure.value) and NEXT in str(failure.value)
    assert page.blocked == []
