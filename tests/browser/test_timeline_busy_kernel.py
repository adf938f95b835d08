"""The timeline's filters redraw in the browser while the kernel is busy, offline.

A notebook shows the explorer, then runs ``time.sleep`` in its next cell. While the kernel
sleeps, the date slider (ArrowRight on its lower handle) moves the plot's x range by a month,
Space on the INF box takes exactly the INF events off the plot, and a word typed in the search
box keeps exactly the events that name it: the browser draws them
(armscontrol/timeline_filter.js), and the status line, which only the kernel writes, has not
moved. When the kernel is free, the status line, the list of events and the data table follow,
the drawing stays as the browser drew it (the kernel does not redraw it late), and a click on a
marker opens that event.
"""
from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import harness
from timeline_probes import EVENT_POINTS, POINT_CENTRE, STATUS, TIMELINE
from armscontrol import data, timeline

pytestmark = pytest.mark.browser

BUSY_SECONDS = 45
GRAPH = f"document.querySelector('{TIMELINE} .js-plotly-plot')"
X_RANGE = f"() => {GRAPH}._fullLayout.xaxis.range.map(String)"
MENU_OPTIONS = f"() => document.querySelectorAll('{TIMELINE} .widget-dropdown option').length"
TABLE_ROWS = f"() => document.querySelectorAll('{TIMELINE} .ac-data-table tbody tr').length"
BUSY = "() => !!document.querySelector(\".jp-Notebook-ExecutionIndicator[data-status='busy']\")"


def _notebook(folder):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from armscontrol import timeline\n"
                                          "timeline.timeline_explorer()"),
                nbformat.v4.new_code_cell(f"import time\ntime.sleep({BUSY_SECONDS})")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "busy.ipynb")


def _wait(page, condition: str, what: str, arg=None, timeout_ms: int = 30_000) -> None:
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError
        shot = harness.screenshot(page, "timeline_busy_failed")
        raise AssertionError(
            f"waited {timeout_ms} ms for {what}; markers {page.evaluate(EVENT_POINTS)}, "
            f"status {page.evaluate(STATUS)!r}, errors {harness.output_errors(page)}; "
            f"screenshot {shot}") from error


def _start_run_all(page, attempts: int = 3) -> None:
    """Run > Run All Cells without waiting for the cells (harness.run_all would wait out the
    sleep), retrying when it did nothing (seen right after the kernel first reports idle)."""
    started = "() => [...document.querySelectorAll('.jp-InputPrompt')]" \
              ".some(n => /\\[(\\*|\\d+)\\]/.test(n.textContent))"
    for _ in range(attempts):
        harness.focus_notebook(page)
        harness._menu_command(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(started, timeout=10_000)
            return
        except Exception:  # playwright's TimeoutError: try again
            continue
    raise AssertionError("Run All did nothing")


def test_filters_redraw_while_the_kernel_is_busy(jupyterlab, offline_page, tmp_path):
    page = offline_page
    events = timeline.prepare_events(data.load_events(), data.load_quotes())
    total = len(events)
    _notebook(tmp_path)
    server = jupyterlab(root_dir=tmp_path)
    harness.open_notebook(page, server, "busy.ipynb", workspace="timeline-busy")
    _start_run_all(page)
    _wait(page, f"() => ({EVENT_POINTS})() === {total}", "every marker drawn", timeout_ms=90_000)
    _wait(page, f"() => ({STATUS})().startsWith('{total} of {total}')", "the first status line")
    _wait(page, BUSY, "the kernel to start sleeping")
    before = page.evaluate(X_RANGE)
    full = timeline.timeline_figure(events, data.load_treaties()).layout.xaxis.range
    assert before == list(full)
    # The date slider's lower handle, one month on: the x range starts a month later.
    second = (pd.Timestamp(full[0]) + pd.DateOffset(months=1)).strftime("%Y-%m-%d")
    handle = page.locator(f"{TIMELINE} .noUi-handle-lower").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    _wait(page, f"() => ({X_RANGE})()[0].startsWith({second!r})",
          "the x range to start a month later", timeout_ms=5_000)

    # Space on the INF box: exactly the INF events leave the plot.
    box = page.locator(f"{TIMELINE} .widget-checkbox input").first
    assert page.locator(f"{TIMELINE} .widget-checkbox").first.inner_text().strip() == "INF"
    box.focus()
    page.keyboard.press("Space")
    not_inf = int((events["lane"] != "INF").sum())
    _wait(page, f"() => ({EVENT_POINTS})() === {not_inf}", "the INF markers to go",
          timeout_ms=5_000)
    # A search ("Treaty": any case) keeps the events that name it, in every lane still ticked.
    searched = timeline.filter_events(events, treaties=["New START", "other"], text="treaty")
    assert 0 < len(searched) < not_inf
    search = page.locator(f"{TIMELINE} .widget-text input").first
    search.focus()
    page.keyboard.type("Treaty")
    _wait(page, f"() => ({EVENT_POINTS})() === {len(searched)}", "the search to filter",
          timeout_ms=5_000)
    # All of it drawn by the browser alone: the kernel is still asleep and has not written.
    assert page.evaluate(BUSY), "the kernel woke up too soon: raise BUSY_SECONDS"
    assert page.evaluate(STATUS).startswith(f"{total} of {total}")

    # When the kernel is free, the status line, the list and the table follow.
    start, end = pd.Timestamp(second), pd.Timestamp(full[1]) - pd.Timedelta(days=1)
    shown = timeline.filter_events(events, start=start, end=end,
                                   treaties=["New START", "other"], text="Treaty")
    n = len(shown)
    assert 0 < n <= len(searched)
    harness.wait_kernel_idle(page, timeout_ms=(BUSY_SECONDS + 60) * 1000)
    _wait(page, f"() => ({STATUS})().startsWith('{n} of {total} events')", "the status line")
    _wait(page, f"() => ({MENU_OPTIONS})() === {n + 1}", "the list of events in view")
    _wait(page, f"() => ({TABLE_ROWS})() === {n}", "the data table")
    # And the drawing is still the browser's: nothing redrew it from stale data meanwhile.
    page.wait_for_timeout(1_000)
    assert page.evaluate(EVENT_POINTS) == len(searched)
    assert page.evaluate(X_RANGE)[0].startswith(second)
    # A click on a marker opens that event: the kernel's copy of the figure followed the
    # browser's redraw (a click names the point by its index in the drawn trace).
    event = shown.iloc[-1]
    centre = page.evaluate(POINT_CENTRE, event.event_id)
    assert centre is not None, f"{event.event_id} is not drawn"
    page.mouse.move(*centre)
    page.mouse.click(*centre)
    _wait(page, "(t) => { const h = document.querySelector('.ac-event-detail h4');"
                " return h && h.textContent === t; }", f"the detail of {event.event_id}",
          arg=event.title, timeout_ms=15_000)
    assert harness.output_errors(page) == []
    assert page.blocked == []
