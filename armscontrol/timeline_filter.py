"""The timeline explorer's filters, run in the browser: an anywidget and the rows it filters.

:class:`TimelineFilter` is a widget inside the explorer, under the plot. Its JavaScript
(``timeline_filter.js`` beside this file, shipped in the package: nothing comes from a CDN)
listens to the explorer's date slider, treaty and actor boxes and search box in the page, filters
the events itself and redraws the plotly figure with ``Plotly.restyle`` / ``Plotly.relayout``, so
a filter change is drawn in a frame or two whether the kernel is free or busy. Once it has found
the figure it sets ``browser_draws``; from then on the kernel leaves the markers, the x range and
the "no events" note to the browser (plotly's widget reports the redraw back, so
``explorer.figure`` follows) and only updates the status line, the list of events, the data table
and the detail panel. It also draws the timeline's key (the legends) once, under the plot: kept
inside the plot, the key's 24 legend-only traces and two legends were redrawn with every filter
change.

:func:`event_rows` is what the browser filters: the events sent once, with what
``armscontrol.timeline.filter_events`` looks at and what the figure draws.
tests/test_timeline_filter_js.py runs the JavaScript filter on these rows under Node and checks it
against ``filter_events``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import pandas as pd
import traitlets

from armscontrol.figure_widget import FigureWidget

#: The ES module the widget runs (also imported by the Node test).
ESM_PATH = Path(__file__).with_name("timeline_filter.js")


def event_rows(table: pd.DataFrame, columns: dict[str, list]) -> list[dict[str, Any]]:
    """Return one dict per event of a ``prepare_events`` table, in its order, for the browser.

    ``columns`` is ``timeline._marker_columns(table)`` (computed once by the caller). Keys:
    ``id``; ``date`` (the first day the date stands for, "YYYY-MM-DD"); ``lane``; ``actors``
    (list); ``primary`` (the first actor: the trace it is drawn in); ``search`` (the lower-case
    text the search box matches); and the marker's ``x`` (date text), ``y`` (lane units),
    ``symbol``, ``hovertext`` and ``span`` (["first day", "day after"] of a month or year, or
    None for an event known to the day).
    """
    spans = iter(zip(columns["span_x"][0::3], columns["span_x"][1::3]))
    # Read column by column (itertuples and a strftime per row cost more than the rest).
    days = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d") if len(table) else []
    rows = []
    for event_id, day, precision, lane, actors, primary, search, x, y, symbol, hover in zip(
            table["event_id"], days, table["date_precision"], table["lane"], table["actors"],
            table["primary_actor"], table["search_text"], columns["x"], columns["y"],
            columns["symbol"], columns["hovertext"]):
        span = None if precision == "day" else list(next(spans))
        rows.append({"id": event_id, "date": day, "lane": lane, "actors": list(actors),
                     "primary": primary, "search": search, "x": x, "y": y, "symbol": symbol,
                     "hovertext": hover, "span": span})
    return rows


class TimelineFilter(anywidget.AnyWidget):
    """The browser side of the timeline explorer's filters (see the module docstring).

    ``controls``: the ipywidgets model ids of the controls, ``{"dates": id, "search": id,
    "treaties": {lane: id}, "actors": {actor: id}}``. ``events``: :func:`event_rows`.
    ``months``: the slider's options as "YYYY-MM-01". ``no_match``: the plotly annotation shown
    when no event is in view. ``key``: the timeline's key (legend-only traces and legends) as a
    plotly figure, which the browser draws once in this widget. ``browser_draws``: set by the browser once it draws the filters.
    """

    _esm = ESM_PATH
    controls = traitlets.Dict().tag(sync=True)
    events = traitlets.List().tag(sync=True)
    months = traitlets.List().tag(sync=True)
    no_match = traitlets.Dict().tag(sync=True)
    key = traitlets.Dict().tag(sync=True)
    browser_draws = traitlets.Bool(False).tag(sync=True)


class TimelineFigure(FigureWidget):
    """The explorer's figure widget (an :class:`armscontrol.figure_widget.FigureWidget`): it
    does not send a view's own restyle back to that view.

    When the browser restyles the figure (the filters above), plotly's widget reports it to
    Python, which then sends the same restyle back to every view. plotly's front end skips a
    relayout that came from the same view (``source_view_id``) but not a restyle: it would apply
    it again, with ``_doNotReportToPy``, which makes plotly.js replot everything (~150 ms), and
    late, over a newer drawing when the kernel was busy. Each view of the explorer redraws itself
    from its own controls, so that echo is dropped; restyles the kernel makes (the selection
    ring, or the markers before a browser draws) are sent as usual.
    """

    def _send_restyle_msg(self, restyle_data: Any, trace_indexes: Any = None,
                          source_view_id: Any = None) -> None:
        if source_view_id is None:
            super()._send_restyle_msg(restyle_data, trace_indexes)


class ExplorerBox(ipywidgets.VBox):
    """The explorer's outer box: a ``VBox`` whose text repr is the fixed line ``text``.

    ipywidgets writes a widget's ``text/plain`` from its repr, and a box's repr holds its
    children's: here the whole plotly figure, pretty-printed (about a fifth of the time a notebook
    took to show the explorer), with random trace uids, only for the explorer to replace it.
    """

    def __init__(self, children: Any, text: str, **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self._text = text

    def __repr__(self) -> str:
        return self._text
