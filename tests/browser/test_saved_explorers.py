"""A saved explorer, opened in JupyterLab before its cell runs, shows its picture.

The widget state is not stored, so until the cell runs JupyterLab cannot draw the widget; the
stored outputs carry a PNG of the explorer's first state (armscontrol.figures) and a widget
view without a model id, which JupyterLab hides instead of printing "Error displaying widget".
"""
from __future__ import annotations

import pytest

import harness

pytestmark = pytest.mark.browser

PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output img')]
    .filter(i => i.complete && i.naturalWidth > 500).length"""


@pytest.mark.parametrize("path", ["notebooks/range_explorer_demo.ipynb",
                                  "notebooks/timeline_demo.ipynb"])
def test_saved_explorer_shows_its_picture_before_running(jupyterlab, offline_page, path):
    page = offline_page
    server = jupyterlab()
    harness.open_notebook(page, server, path, workspace="saved-" + path.split("/")[1][:-6])
    page.wait_for_function(f"() => ({PICTURES})() >= 1", timeout=30_000)
    # The line under the picture is the widget view's text/plain, which JupyterLab's widget
    # renderer shows only once it has given up looking for the (unstored) widget model: wait for
    # it rather than reading the page at once (under load that takes seconds).
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .some(n => n.textContent.includes('Run this cell to use the controls.'))""",
                           timeout=60_000)
    outputs = page.eval_on_selector_all(".jp-OutputArea-output",
                                        "nodes => nodes.map(n => n.textContent).join('\\n')")
    assert "Error displaying widget" not in outputs
    assert "Explorer(" not in outputs  # not a Python repr, but one line saying what to do:
    assert "Run this cell to use the controls." in outputs
    assert page.blocked == []
    harness.screenshot(page, "saved_explorer__" + path.split("/")[1])
