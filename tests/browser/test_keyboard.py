"""The explorers work from the keyboard alone, in JupyterLab in Chromium, offline.

After a control has the focus (a test must give it one: ``focus()`` stands for the Tab presses a
reader would make), only ``page.keyboard`` is used: arrow keys move the timeline's date slider,
Space unticks a treaty box, and a menu (the timeline's list of events, the range explorer's
system menu) is opened with Alt+ArrowDown, moved with ArrowDown and chosen with Enter. (A plain
ArrowDown on a closed menu is taken by JupyterLab, which moves to the next cell: ipywidgets issue
#3912, open upstream; the open-the-list route is the one the README gives readers.) Each step
checks what changed on the page: the slider's readout, the status line and the data table beside
the figure, the detail panel, the map's text alternative.
"""
from __future__ import annotations

import pytest

import harness
from timeline_probes import READOUT, STATUS, TIMELINE
from armscontrol import data, timeline

pytestmark = pytest.mark.browser

TABLE_ROWS = f"() => document.querySelectorAll('{TIMELINE} .ac-data-table tbody tr').length"


def _expected_in_view(lower_index: int, inf_ticked: bool = True) -> tuple[str, int]:
    """What the explorer should show once the kernel has seen every key press: the slider's
    lower month label and the number of events in view, from an explorer built here (no kernel).
    Waiting for these exact values, not for "fewer than before", keeps a late slider update
    from passing for the treaty box's (a CI run failed that way)."""
    explorer = timeline.timeline_explorer()
    last = len(explorer.date_range.options) - 1
    explorer.date_range.index = (lower_index, last)
    explorer.treaty_boxes["INF"].value = inf_ticked
    return explorer.date_range.options[lower_index][0], len(explorer.visible())


def _wait(page, condition: str, what: str, arg=None, timeout_ms: int = 30_000) -> None:
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError
        shot = harness.screenshot(page, "keyboard_failed")
        raise AssertionError(f"waited {timeout_ms} ms for {what}; status "
                             f"{page.evaluate(STATUS)!r}; screenshot {shot}") from error


def test_timeline_explorer_from_the_keyboard(jupyterlab, offline_page):
    page = offline_page
    total = len(data.load_events())
    harness.open_notebook(page, jupyterlab(), "notebooks/timeline_demo.ipynb",
                          workspace="keyboard-timeline")
    harness.run_all(page)
    harness.wait_for_plots(page, 1)
    _wait(page, f"() => ({STATUS})().startsWith('{total} of {total}')", "every event in view")
    assert page.evaluate(TABLE_ROWS) == total  # the data table beside the figure

    # The date slider's lower handle: arrow keys move it a month at a time.
    steps = 24
    month, window = _expected_in_view(steps)
    handle = page.locator(f"{TIMELINE} .noUi-handle-lower").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    _wait(page, f"() => ({READOUT})().includes({month!r})",
          f"the readout to show {month} after {steps} presses")
    _wait(page, f"() => ({STATUS})().startsWith('{window} of {total}')",
          f"{window} events in view")
    _wait(page, f"() => ({TABLE_ROWS})() === {window}", "the data table to follow the slider")

    # A treaty box: Space unticks it, and the INF events leave the view and the table.
    _, without_inf = _expected_in_view(steps, inf_ticked=False)
    assert without_inf < window
    box = page.locator(f"{TIMELINE} .widget-checkbox input").first
    assert box.evaluate("b => b.parentElement.textContent").strip() == "INF"
    box.focus()
    page.keyboard.press("Space")
    _wait(page, f"() => ({STATUS})().startsWith('{without_inf} of {total}')",
          f"{without_inf} events in view after Space")
    assert not box.is_checked()
    _wait(page, f"() => ({TABLE_ROWS})() === {without_inf}", "the table to follow the box")
    treaties = page.eval_on_selector_all(f"{TIMELINE} .ac-data-table tbody tr td:nth-child(3)",
                                         "cells => [...new Set(cells.map(c => c.textContent))]")
    assert "INF" not in treaties

    # The list of events in view: ArrowDown chooses the first event and opens its detail.
    menu = page.locator(f"{TIMELINE} .widget-dropdown select").first
    menu.focus()
    page.keyboard.press("Alt+ArrowDown")  # opens the list, as a keyboard user would
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait(page, "() => { const h = document.querySelector('.ac-event-detail h4');"
                " return h && h.textContent.length > 0; }", "the detail panel to open")
    chosen = menu.evaluate("s => s.value")
    title = page.inner_text(".ac-event-detail h4")
    assert chosen.endswith(" — " + title)
    assert page.blocked == []


def test_range_explorer_menus_from_the_keyboard(jupyterlab, offline_page):
    page = offline_page
    harness.open_notebook(page, jupyterlab(), "notebooks/range_explorer_demo.ipynb",
                          workspace="keyboard-range")
    harness.run_all(page)
    harness.wait_for_plots(page, 2)
    caption = """() => [...document.querySelectorAll('.widget-html')]
        .map(n => n.textContent).find(t => t.startsWith('Text alternative:')) || ''"""
    _wait(page, f"() => ({caption})().length > 0", "the explorer's text alternative")
    before = page.evaluate(caption)
    menus = page.locator(".widget-dropdown select")
    system = menus.first
    system.focus()
    old = system.evaluate("s => s.value")
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait(page, "(old) => document.querySelector('.widget-dropdown select').value !== old",
          "the system menu to move from the keyboard", arg=old)
    _wait(page, f"(b) => ({caption})() !== b", "the map's text alternative to change", arg=before)
    assert page.blocked == []
