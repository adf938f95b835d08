"""The timeline explorer in JupyterLab in Chromium, with every non-loopback request blocked.

(Named ``*_browser`` so that pytest can collect it beside tests/test_timeline.py: the test
folders are not packages, so two files called test_timeline.py clash.)

The demo notebook runs and the timeline draws one marker per event; dragging the date slider
changes the number of markers drawn in the plot (the window moves; markers outside it are off
the plot); the "October 2018" button above the plot zooms in the
browser and the kernel moves the slider to match; clicking a marker, or choosing an event from
the keyboard-reachable list, shows the event's quote highlighted in its paragraph of the article.
Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import pytest

import harness
from timeline_probes import EVENT_POINTS, POINT_CENTRE, POINTS_IN_VIEW, READOUT, STATUS
from armscontrol import data, timeline

NOTEBOOK = "notebooks/timeline_demo.ipynb"
pytestmark = pytest.mark.browser



def _event_with_passage():
    """An October 2018 event reported in the articles (Trump's announcement if it is there),
    and the first quote it cites (a quotes.csv row)."""
    events = timeline.prepare_events(data.load_events(), data.load_quotes())
    october = events[(events.date >= "2018-10-01") & (events.date < "2018-11-01")
                     & (events.source_quote.map(len) > 0)]
    assert len(october), "no October 2018 event with a source_quote in data/events.csv"
    preferred = october[october.event_id == "trump_announces_inf_exit"]
    event = (preferred if len(preferred) else october).iloc[0]
    quotes = data.load_quotes()
    quote = quotes[quotes.quote_id == event.source_quote[0]].iloc[0]
    return event, quote


def _point_centre(page, event_id: str):
    """Screen coordinates of an event's marker (None if it is not drawn)."""
    return page.evaluate(POINT_CENTRE, event_id)


def _wait(page, condition: str, what: str, name: str, timeout_ms: int = 30_000) -> None:
    """Wait for a JavaScript condition; on timeout save a screenshot and say what was seen."""
    try:
        page.wait_for_function(condition, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError
        shot = harness.screenshot(page, f"timeline_failed_{name}")
        raise AssertionError(
            f"waited {timeout_ms} ms for {what}; markers drawn: {page.evaluate(EVENT_POINTS)}, "
            f"status: {page.evaluate(STATUS)!r}, errors: {harness.output_errors(page)}; "
            f"screenshot: {shot}") from error


def _check_passage(page, quote) -> None:
    page.wait_for_function(
        "(q) => { const m = document.querySelector('.ac-event-detail mark');"
        " return m && m.textContent === q; }", arg=str(quote.quote), timeout=15_000)
    passage = page.inner_text(".ac-event-detail blockquote")
    assert str(quote.quote) in passage and len(passage) > len(str(quote.quote))
    assert str(quote.speaker) in page.inner_text(".ac-event-detail figcaption")


def test_timeline_explorer_offline(jupyterlab, offline_page):
    page = offline_page
    total = len(data.load_events())
    server = jupyterlab()
    harness.open_notebook(page, server, NOTEBOOK, workspace="timeline")
    harness.run_all(page)
    harness.wait_for_plots(page, 1)

    # It draws: one marker per event, three lanes, no errors, nothing fetched from outside.
    _wait(page, f"() => ({EVENT_POINTS})() === {total}", f"{total} markers drawn", "timeline_draws")
    assert harness.output_errors(page) == []
    ticks = page.eval_on_selector_all(".js-plotly-plot .ytick text",
                                      "nodes => nodes.map(n => n.textContent)")
    assert sorted(ticks) == ["INF", "New START", "Other"]
    assert page.evaluate(STATUS).startswith(f"{total} of {total} events")
    harness.screenshot(page, "timeline_full")

    # Dragging the date slider's left handle to 80% of the track drops the earlier markers.
    handle = page.locator(".ac-timeline-explorer .noUi-handle-lower").first
    track = page.locator(".ac-timeline-explorer .noUi-target").first
    handle.scroll_into_view_if_needed()
    hb, tb = handle.bounding_box(), track.bounding_box()
    y = hb["y"] + hb["height"] / 2
    page.mouse.move(hb["x"] + hb["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(tb["x"] + 0.8 * tb["width"], y, steps=8)
    page.mouse.up()
    _wait(page, f"() => {{ const n = ({POINTS_IN_VIEW})(); return n > 0 && n < {total}; }}",
          "fewer markers in view after the slider moved", "slider")
    drawn = page.evaluate(POINTS_IN_VIEW)
    # The status line counts events dated in the window (within a marker or two of `drawn`:
    # an event known only to the year is drawn mid-year, so it can sit just across the edge).
    _wait(page, f"() => {{ const n = parseInt(({STATUS})()); return n > 0 && n < {total}; }}",
          "the status line to count fewer events", "status")
    assert not page.evaluate(READOUT).startswith("Jan 1977")

    # The "October 2018" button zooms in the browser; the kernel then moves the slider.
    page.locator(".js-plotly-plot .updatemenu-button", has_text="October 2018").first.click()
    page.wait_for_function(f"() => ({READOUT})() === 'Oct 2018-Oct 2018'", timeout=15_000)
    event, quote = _event_with_passage()
    _wait(page, f"() => ({POINTS_IN_VIEW})() < {drawn}", "fewer markers in October 2018",
          "october")

    # Clicking the event's marker shows its quote, highlighted inside its paragraph.
    centre = _point_centre(page, event.event_id)
    assert centre is not None, f"{event.event_id} is not drawn in October 2018"
    page.mouse.move(*centre)
    page.mouse.click(*centre)
    page.wait_for_function(
        "(t) => { const h = document.querySelector('.ac-event-detail h4');"
        " return h && h.textContent === t; }", arg=event.title, timeout=15_000)
    _check_passage(page, quote)
    harness.screenshot(page, "timeline_october_2018_selected")

    # Keyboard route: the list of events in view is a <select>; choosing another event opens it.
    menu = page.locator(".ac-timeline-explorer .widget-dropdown select").first
    labels = menu.evaluate("s => [...s.options].map(o => o.value)")  # textContent has &nbsp;
    other = next(label for label in labels[1:] if not label.endswith(event.title))
    menu.focus()
    menu.select_option(value=other)
    page.wait_for_function(
        "(label) => { const h = document.querySelector('.ac-event-detail h4');"
        " return h && label.endsWith(' — ' + h.textContent); }", arg=other, timeout=15_000)
    assert page.blocked == [], f"the page tried to reach the internet: {page.blocked}"
