"""The timeline: a plotly figure of the chronology and an explorer widget tied to the sources.

Two entry points:

* :func:`timeline_figure` draws the events on a date axis, one lane per treaty (INF, New START,
  other). Each treaty's life is a band (signed → in force → ended); each event is a marker
  coloured by the first actor named and shaped by the event type; hovering shows the date and
  summary.
  Buttons above the plot (plotly's own controls, so they work in the browser with no kernel and in
  static HTML) jump between 1977–2026, each treaty's life and October 2018.
* :func:`timeline_explorer` wraps the figure in ipywidgets: a month range slider, treaty and actor
  check boxes and a text search filter the events (in the browser, by
  :mod:`armscontrol.timeline_filter`, so the plot follows at once even while the kernel is busy);
  clicking a marker, or choosing from the drop-down list of events in view, opens the event's
  detail panel — the summary, the date with its precision, and its source. An event reported in
  one of the two articles shows the verbatim quote highlighted inside its paragraph of the
  article, and names who said it and where.

Students' own events
--------------------
Start from :func:`new_events` (an empty table with the right columns) or from the data set, add
rows with :func:`add_events`, and pass the result to :func:`timeline_explorer`::

    from armscontrol import data, timeline
    mine = timeline.add_events(data.load_events(), [{
        "event_id": "my_event", "date": "2019-02-02", "date_precision": "day",
        "treaty": "INF", "actors": "Russia", "type": "suspension",
        "title": "Russia suspends its INF obligations", "summary": "...",
        "source_url": "https://...", "source_title": "...",
    }])
    timeline.timeline_explorer(mine)

:func:`add_events` checks the new rows with the same rules as ``data/events.csv`` and names the
row and the field of any mistake.
"""
from __future__ import annotations

import copy
import functools
import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from armscontrol.data import ACTORS, TREATY_CODES, DataError, validate_events
from armscontrol.data_tables import events_table_html
from armscontrol import figures
from armscontrol.plot_style import TEMPLATE

#: The lanes, top to bottom, keyed by the ``treaty`` codes of events.csv.
LANES: tuple[str, ...] = TREATY_CODES  # ("INF", "New START", "other")
LANE_LABELS: dict[str, str] = {"INF": "INF", "New START": "New START", "other": "Other"}
#: The y position of each lane's centre line (lanes are 1 unit apart, INF on top).
LANE_Y: dict[str, int] = {"INF": 2, "New START": 1, "other": 0}

#: Okabe–Ito colour-blind-safe palette (Okabe & Ito 2002, "Color Universal Design"; hex values
#: checked against https://vizcept.com/blog/okabe-ito-palette-guide "Okabe-Ito palette guide" and
#: https://biolabs.cloud/skill/scientific-visualization/file/references/color_palettes.md
#: "Scientific Color Palettes and Guidelines"). Yellow (#F0E442) is left out: it is too pale
#: for small markers on white.
ACTOR_COLOURS: dict[str, str] = {
    "US": "#0072B2",      # blue
    "USSR": "#CC79A7",    # reddish purple
    "Russia": "#D55E00",  # vermillion
    "NATO": "#56B4E9",    # sky blue
    "China": "#E69F00",   # orange
    "other": "#000000",   # black
}
#: Marker symbol per event type (events.csv ``type`` codes, in the data dictionary's order).
TYPE_SYMBOLS: dict[str, str] = {
    "deployment": "triangle-up",
    "decision": "diamond",
    "negotiation": "hexagon",
    "signature": "star",
    "ratification": "square",
    "entry into force": "circle",
    "implementation": "pentagon",
    "inspection": "cross",
    "data exchange": "hourglass",
    "accusation": "triangle-right",
    "denial": "triangle-left",
    "statement": "circle-open",
    "proposal": "diamond-open",
    "suspension": "bowtie",
    "withdrawal": "x",
    "extension": "star-triangle-up",
    "expiry": "square-open",
    "test": "triangle-down",
}
PRECISIONS: tuple[str, ...] = ("day", "month", "year")
#: The columns of events.csv, in order (see data/README.md).
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id", "date", "date_precision", "treaty", "actors", "type", "title", "summary",
    "source_quote", "source_url", "source_title",
)
#: View presets offered as buttons above the plot: label -> (first day, day after the last).
#: "1977–2026" and the treaty lives are added from the data by :func:`timeline_figure`.
EXTRA_PRESETS: dict[str, tuple[str, str]] = {"October 2018": ("2018-10-01", "2018-11-01")}

NO_MATCH_MESSAGE = "No events match these filters."
# The explorer's text/plain: one stable line (the widgets' own repr holds random trace uids).
_EXPLORER_TEXT = f"Timeline explorer: events, treaties and sources. {figures.RUN_THIS_CELL}"
_DATE_FORMS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)
# Same-day events in one lane are spread over these offsets from the lane's centre line.
_STACK_OFFSETS = (0.0, 0.22, -0.22, 0.36, -0.36)


# ---------------------------------------------------------------------------------------------
# Preparing and checking events
# ---------------------------------------------------------------------------------------------

def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _split_ids(value: Any) -> tuple[str, ...]:
    """Return the items of a ``;``-separated cell (or a list/tuple) as a tuple of stripped text."""
    if isinstance(value, (list, tuple)):
        items = value
    elif _missing(value):
        return ()
    else:
        items = str(value).split(";")
    return tuple(s.strip() for s in items if str(s).strip())


def _row_name(index: Any, event_id: Any) -> str:
    return f"events row {index!r} (event_id {event_id!r})"


def _parse_date(value: Any, precision: str, where: str) -> pd.Timestamp:
    """Return the first day the date stands for; raise DataError naming ``where`` if it is bad."""
    missing = "the date is missing; write YYYY-MM-DD, YYYY-MM or YYYY"
    if not isinstance(value, str) and hasattr(value, "year"):  # a loaded Timestamp / datetime
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            raise DataError(where, "date", missing)
        return stamp.normalize()
    text = "" if _missing(value) else str(value).strip()
    if not text:
        raise DataError(where, "date", missing)
    form = _DATE_FORMS[precision]
    if not re.fullmatch(form, text):
        pattern = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision]
        raise DataError(where, "date", f"{text!r} is not a date of {precision} precision; write "
                        f"{pattern} (or change date_precision)")
    padded = text + {"day": "", "month": "-01", "year": "-01-01"}[precision]
    try:
        return pd.Timestamp(pd.to_datetime(padded, format="%Y-%m-%d"))
    except (ValueError, pd.errors.OutOfBoundsDatetime):
        raise DataError(where, "date", f"{text!r} is not a real calendar date") from None


def _check_and_normalise(events: pd.DataFrame, quote_ids: Iterable[str] | None) -> pd.DataFrame:
    """Check every row against the events.csv rules and return a normalised copy.

    The copy has ``date`` as Timestamps, ``actors`` and ``source_quote`` as tuples, and text
    columns as ``str`` ("" where empty).
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, got {type(events).__name__}")
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise DataError("events table", missing[0], f"column missing; an events table needs "
                        f"{list(EVENT_COLUMNS)} (start from armscontrol.timeline.new_events())")
    known_quotes = None if quote_ids is None else set(quote_ids)
    rows, seen = [], {}
    for index, row in _rows(events):
        event_id = "" if _missing(row["event_id"]) else str(row["event_id"]).strip()
        where = _row_name(index, event_id)
        if not event_id:
            raise DataError(where, "event_id", "every event needs an id, e.g. 'my_event_1'")
        if event_id in seen:
            raise DataError(where, "event_id", f"{event_id!r} is already used by events row "
                            f"{seen[event_id]!r}; ids must be unique")
        seen[event_id] = index
        precision = "" if _missing(row["date_precision"]) else str(row["date_precision"]).strip()
        if precision not in PRECISIONS:
            raise DataError(where, "date_precision", f"{precision!r} is not one of "
                            f"{list(PRECISIONS)}")
        date = _parse_date(row["date"], precision, where)
        treaty = "" if _missing(row["treaty"]) else str(row["treaty"]).strip()
        if treaty not in LANES:
            raise DataError(where, "treaty", f"unknown treaty {treaty!r}; use one of "
                            f"{list(LANES)}")
        actors = _split_ids(row["actors"])
        if not actors:
            raise DataError(where, "actors", f"name at least one actor from {list(ACTORS)}")
        for actor in actors:
            if actor not in ACTORS:
                raise DataError(where, "actors", f"unknown actor {actor!r}; use "
                                f"';'-separated codes from {list(ACTORS)}")
        kind = "" if _missing(row["type"]) else str(row["type"]).strip()
        if kind not in TYPE_SYMBOLS:
            raise DataError(where, "type", f"unknown type {kind!r}; use one of "
                            f"{list(TYPE_SYMBOLS)}")
        texts = {}
        for column in ("title", "summary", "source_url", "source_title"):
            texts[column] = "" if _missing(row[column]) else str(row[column]).strip()
        for column in ("title", "summary"):
            if not texts[column]:
                raise DataError(where, column, "must not be empty")
        quotes = _split_ids(row["source_quote"])
        if known_quotes is not None:
            for quote_id in quotes:
                if quote_id not in known_quotes:
                    raise DataError(where, "source_quote", f"quote id {quote_id!r} is not "
                                    "in quotes.csv (a dangling reference); check the spelling")
        if not quotes and not (texts["source_url"] and texts["source_title"]):
            raise DataError(where, "source_url", "an event needs a "
                            "source_quote, or both a source_url and a source_title")
        if texts["source_url"] and not _SAFE_URL.match(texts["source_url"]):
            raise DataError(where, "source_url", f"{texts['source_url']!r} must start "
                            "with http:// or https://")
        rows.append({"event_id": event_id, "date": date, "date_precision": precision,
                     "treaty": treaty, "actors": actors, "type": kind, "source_quote": quotes,
                     **texts})
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


def _rows(events: pd.DataFrame) -> Iterable[tuple[Any, Mapping[str, Any]]]:
    """Return (index, {column: value}) for each row of ``events``, the events.csv columns only,
    with the values ``DataFrame.iterrows`` gives.

    Read column by column: building a Series for every row (``iterrows``) was most of the cost
    of checking the events. ``iterrows`` turns a row of all-numeric columns into one dtype (an
    int beside a float becomes a float), so such a table is still read by ``iterrows``.
    """
    if len(events.columns) and all(pd.api.types.is_numeric_dtype(t) for t in events.dtypes):
        return events.iterrows()
    columns = [events[c] for c in EVENT_COLUMNS]
    return ((index, dict(zip(EVENT_COLUMNS, values)))
            for index, values in zip(events.index, zip(*columns)))


def _quote_ids(quotes: pd.DataFrame | None) -> list[str] | None:
    if quotes is None:
        return None
    return [str(q) for q in quotes["quote_id"]]


def prepare_events(events: pd.DataFrame, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check ``events`` and return the table the timeline draws, sorted by date then event id.

    Each failure raises :class:`DataError` naming the row and the field. With ``quotes`` (a
    quotes.csv table) given, ``source_quote`` ids are checked against it; without, the rows are
    checked by ``armscontrol.data.validate_events``, the same rules as ``data/events.csv``
    (quote ids against ``data/quotes.csv``).

    Added columns: ``lane`` (the treaty lane), ``primary_actor`` (the first actor, which sets the
    marker colour), ``y`` (the marker's height: the lane's centre line, spread apart for events on
    the same day), ``date_label`` (the date written to its precision) and ``search_text`` (lower
    case text the search box matches).
    """
    if quotes is None and isinstance(events, pd.DataFrame) and len(events):
        validate_events(events)
    table = _check_and_normalise(events, _quote_ids(quotes))
    table = table.sort_values(["date", "event_id"], kind="mergesort").reset_index(drop=True)
    table["lane"] = table["treaty"]
    table["primary_actor"] = [a[0] for a in table["actors"]]
    stack = table.groupby(["lane", "date"], sort=False).cumcount()
    table["y"] = [LANE_Y[lane] + _STACK_OFFSETS[n % len(_STACK_OFFSETS)]
                  for lane, n in zip(table["lane"], stack)]
    table["date_label"] = [date_label(d, p) for d, p in zip(table["date"], table["date_precision"])]
    extra = _quote_search_text(table, quotes)
    table["search_text"] = [
        " ".join([event_id, title, summary, kind, " ".join(actors), treaty, source_title,
                  extra.get(event_id, "")]).lower()
        for event_id, title, summary, kind, actors, treaty, source_title in zip(
            table["event_id"], table["title"], table["summary"], table["type"],
            table["actors"], table["treaty"], table["source_title"])]
    return table


def _quote_search_text(table: pd.DataFrame, quotes: pd.DataFrame | None) -> dict[str, str]:
    if quotes is None or table.empty:
        return {}
    by_id = {str(quote_id): f"{speaker} {quote}" for quote_id, speaker, quote in
             zip(quotes["quote_id"], quotes["speaker"], quotes["quote"])}
    return {event_id: " ".join(by_id.get(q, "") for q in quote_ids)
            for event_id, quote_ids in zip(table["event_id"], table["source_quote"])}


def new_events() -> pd.DataFrame:
    """Return an empty events table with the events.csv columns, for students to add rows to."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})


def add_events(events: pd.DataFrame, rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
               quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``events`` with ``rows`` appended, after checking the whole table.

    ``rows`` is a list of dicts (or a DataFrame) with the events.csv columns; ``source_quote``
    may be left out (it defaults to empty). Dates are text: ``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY`` to match ``date_precision``. Raises :class:`DataError` naming the row and the field
    of the first mistake; ``events`` itself is never changed.
    """
    extra = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    unknown = [c for c in extra.columns if c not in EVENT_COLUMNS]
    if unknown:
        raise DataError("your events", unknown[0], f"unknown column; the columns are "
                        f"{list(EVENT_COLUMNS)}")
    extra = extra.reindex(columns=list(EVENT_COLUMNS))
    start = len(events)
    extra.index = range(start, start + len(extra))
    both = pd.concat([events.reset_index(drop=True).astype(object), extra.astype(object)])
    prepare_events(both, quotes)  # raises DataError on the first bad row
    return both


# ---------------------------------------------------------------------------------------------
# Dates, filters
# ---------------------------------------------------------------------------------------------

def date_label(date: Any, precision: str) -> str:
    """Return a date written to its precision: '22 October 2018', 'October 2018' or '2018'."""
    stamp = pd.Timestamp(date)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return f"{stamp.strftime('%B')} {stamp.year}"
    return f"{stamp.day} {stamp.strftime('%B')} {stamp.year}"


def filter_events(events: pd.DataFrame, *, start: Any = None, end: Any = None,
                  treaties: Iterable[str] | None = None, actors: Iterable[str] | None = None,
                  text: str = "") -> pd.DataFrame:
    """Return the events (a :func:`prepare_events` table) that pass every filter given.

    ``start``/``end``: first and last day to keep (inclusive; text or Timestamp; an event dated
    only to a month or year counts as its first day). ``treaties``: lane codes to keep.
    ``actors``: keep events naming at least one of them. ``text``: every word must appear
    (ignoring case) in the title, summary, actors, type, source title or linked quotes.
    """
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= events["date"] <= pd.Timestamp(end)
    if treaties is not None:
        keep &= events["lane"].isin(list(treaties))
    if actors is not None:
        wanted = set(actors)
        keep &= pd.Series([bool(wanted.intersection(a)) for a in events["actors"]],
                          index=events.index, dtype=bool)
    for word in (text or "").lower().split():
        keep &= pd.Series([word in t for t in events["search_text"]], index=events.index,
                          dtype=bool)
    return events[keep]


# ---------------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _summary_lines(summary: str) -> str:
    """Return a summary wrapped to 60 characters a line, escaped, lines joined by ``<br>``.

    Cached: the explorer draws the same summaries again on every filter change and every
    explorer, and ``textwrap.wrap`` was most of the cost of the hover labels.
    """
    return "<br>".join(html.escape(line) for line in textwrap.wrap(summary, 60))


def _hover_html(title: str, date_text: str, kind: str, actors: Sequence[str],
                summary: str) -> str:
    """Return the hover label of one event; every piece of data text is HTML-escaped."""
    return (f"<b>{html.escape(title)}</b><br>{html.escape(date_text)}"
            f" · {html.escape(kind)} · {html.escape(', '.join(actors))}<br>"
            f"{_summary_lines(summary)}")


def _periods(dates: pd.Series, precisions: pd.Series) -> tuple[list[str], list[Any]]:
    """Return where to draw each event and the (first day, day after) of its period, if any.

    A day is drawn on its day. An event known only to the month or year is drawn at the middle
    of that month or year, with a line across the whole period, so that it neither claims a day
    nor sits at the edge of a one-month view. (Plotly does not draw error bars on date axes, so
    the period is a line trace of its own.) Returns the x texts and, per event, None (a day) or
    the period's two day texts; computed column-wise (one ``strftime`` per column, not per row).
    """
    if not len(dates):
        return [], []
    dates = pd.to_datetime(dates).reset_index(drop=True)
    precisions = precisions.reset_index(drop=True)
    after = (dates + pd.DateOffset(months=1)).where(precisions == "month",
                                                    dates + pd.DateOffset(years=1))
    day = dates.dt.strftime("%Y-%m-%d")
    middle = (dates + (after - dates) / 2).dt.strftime("%Y-%m-%d %H:%M")
    after_day = after.dt.strftime("%Y-%m-%d")
    is_day = (precisions == "day").tolist()
    x = [d if exact else m for d, m, exact in zip(day, middle, is_day)]
    spans = [None if exact else (d, a) for d, a, exact in zip(day, after_day, is_day)]
    return x, spans


def _points(table: pd.DataFrame) -> pd.DataFrame:
    """Return what is drawn of each event of a :func:`prepare_events` table, one row per event
    with the table's index: ``x`` (date text), ``span`` (first day, day after) or None, ``y``
    (lane units, rounded), ``symbol``, ``event_id`` and ``hovertext``.

    Computed once per table; :func:`_marker_columns` takes any subset of its rows.
    """
    x, spans = _periods(table["date"], table["date_precision"])
    hover = [_hover_html(*row) for row in zip(table["title"], table["date_label"], table["type"],
                                              table["actors"], table["summary"])]
    return pd.DataFrame({
        "x": pd.Series(x, dtype=object), "span": pd.Series(spans, dtype=object),
        "y": pd.Series([round(float(v), 3) for v in table["y"]], dtype=float),
        "symbol": pd.Series([TYPE_SYMBOLS[t] for t in table["type"]], dtype=object),
        "event_id": pd.Series(list(table["event_id"]), dtype=object),
        "hovertext": pd.Series(hover, dtype=object),
    }).set_axis(table.index)


def _marker_columns(table: pd.DataFrame, points: pd.DataFrame | None = None) -> dict[str, list]:
    """Return the per-point data of one event trace (same shape for figure and widget).

    ``points`` is :func:`_points` of a table holding ``table``'s rows (same index), so that a
    caller drawing many subsets of one table computes them once; by default, or when the index
    does not name each row once (a table concatenated from prepared tables), it is computed here.
    """
    shared = points is not None and points.index.is_unique
    rows = points.loc[table.index] if shared else _points(table)
    ys = rows["y"].tolist()
    span_x: list[str | None] = []
    span_y: list[float | None] = []
    for span, y in zip(rows["span"], ys):
        if span is not None:
            span_x += [span[0], span[1], None]
            span_y += [y, y, None]
    return {
        "x": rows["x"].tolist(),
        "span_x": span_x, "span_y": span_y,
        "y": ys,
        "symbol": rows["symbol"].tolist(),
        "customdata": [[e] for e in rows["event_id"]],
        "hovertext": rows["hovertext"].tolist(),
    }


def _treaty_dates(treaties: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Return INF and New START rows of treaties.csv as dicts with Timestamps (None if empty)."""
    if treaties is None:
        return []
    out = []
    for row in treaties.itertuples():
        if row.treaty_id not in ("INF", "New START"):
            continue

        def stamp(value: Any) -> pd.Timestamp | None:
            return None if _missing(value) else pd.Timestamp(value).normalize()

        out.append({"treaty_id": row.treaty_id, "name": str(row.name),
                    "signed": stamp(row.signed), "in_force": stamp(row.entered_into_force),
                    "ended": stamp(row.ended),
                    "end_reason": "" if _missing(getattr(row, "end_reason", None))
                    else str(row.end_reason)})
    return out


def _full_range(table: pd.DataFrame, treaty_rows: list[dict[str, Any]]) -> tuple[str, str]:
    """Return the default x range: 1 January of the first year to 1 January after the last."""
    dates = list(table["date"])
    for t in treaty_rows:
        dates += [d for d in (t["signed"], t["in_force"], t["ended"]) if d is not None]
    if not dates:
        return "1977-01-01", "2027-01-01"
    return f"{min(dates).year}-01-01", f"{max(dates).year + 1}-01-01"


def _bar_traces(treaty_rows: list[dict[str, Any]], view_end: str) -> list[dict[str, Any]]:
    """Return each treaty's life as two bands (scatter trace dicts): signed → in force (pale),
    in force → ended.

    Each band is a filled rectangle drawn with date corners. (A horizontal ``go.Bar`` needs its
    length in milliseconds, and a FigureWidget that drops the axis type after a redraw would
    then turn the date axis into a number axis.) Hovering a band names the treaty and its dates.
    """
    bands = []
    end_default = pd.Timestamp(view_end)

    def when(day: pd.Timestamp | None) -> str:
        return date_label(day, "day") if day is not None else "date unknown"

    for t in treaty_rows:
        y = LANE_Y[t["treaty_id"]]
        ended = t["ended"]
        if ended is None:
            end_text = "still in force"
        else:
            end_text = f"ended {when(ended)}" + (f" ({t['end_reason']})" if t["end_reason"] else "")
        summary = (f"{t['name']}: signed {when(t['signed'])}; in force {when(t['in_force'])}; "
                   f"{end_text}")
        segments = [("signed", t["signed"], t["in_force"], "rgba(0,0,0,0.05)"),
                    ("in force", t["in_force"], ended or end_default, "rgba(0,0,0,0.11)")]
        for part, begin, finish, colour in segments:
            if begin is None or finish is None or finish <= begin:
                continue
            a, b = begin.strftime("%Y-%m-%d"), finish.strftime("%Y-%m-%d")
            bands.append(dict(
                x=[a, b, b, a, a], y=[y - 0.4, y - 0.4, y + 0.4, y + 0.4, y - 0.4],
                mode="lines", fill="toself", fillcolor=colour, line={"width": 0},
                hoveron="fills", hoverlabel={"namelength": -1},
                # a filled area's hover label shows the trace name, so the name carries the dates
                name=html.escape(summary), showlegend=False, meta=f"treaty {part}",
                uid=f"band-{t['treaty_id']}-{part}"))
    return bands


def _presets(treaty_rows: list[dict[str, Any]],
             full: tuple[str, str]) -> list[tuple[str, str, str]]:
    """Return the view buttons as (label, first day, end day): all years, each treaty, extras."""
    out = [(f"{full[0][:4]}–{int(full[1][:4]) - 1}", *full)]
    for t in treaty_rows:
        if t["signed"] is not None:
            last = t["ended"].year if t["ended"] is not None else int(full[1][:4]) - 1
            out.append((f"{t['treaty_id']} {t['signed'].year}–{last}",
                        f"{t['signed'].year - 1}-01-01", f"{last + 1}-07-01"))
    out += [(label, a, b) for label, (a, b) in EXTRA_PRESETS.items()]
    return out


def timeline_figure(events: pd.DataFrame, treaties: pd.DataFrame | None = None, *,
                    quotes: pd.DataFrame | None = None, start: Any = None, end: Any = None,
                    selected: str | None = None, title: str | None = None,
                    height: int = 600) -> go.Figure:
    """Return the timeline as a plotly ``go.Figure``.

    ``events``: events.csv rows (as loaded, or a student's table). ``treaties``: treaties.csv
    rows for the INF and New START bars (none drawn if None). ``quotes``: quotes.csv, used only
    to reject dangling ``source_quote`` ids. ``start``/``end`` set the visible date range (the
    default spans every event and treaty date, by whole years). ``selected``: an event id to ring.

    The output is deterministic (same input, byte-identical JSON). With no events the plot keeps
    its lanes and says "No events match these filters."
    """
    table = events if "search_text" in events.columns else prepare_events(events, quotes)
    return _figure(table, treaties, start=start, end=end, selected=selected, title=title,
                   height=height)


def _figure(table: pd.DataFrame, treaties: pd.DataFrame | None, *, start: Any = None,
            end: Any = None, selected: str | None = None, title: str | None = None,
            height: int = 600, points: pd.DataFrame | None = None) -> go.Figure:
    """Return :func:`timeline_figure` of a :func:`prepare_events` table.

    ``points`` is :func:`_points` of ``table`` when the caller has it already.
    """
    spec = _figure_spec(table, treaties, start=start, end=end, selected=selected, title=title,
                        height=height, points=points)
    # The traces are plain dicts, so plotly checks each once, as the figure is built (built as
    # go.Scatter objects and added one by one, each was checked twice). The layout is set after
    # the traces, as before, so the JSON keeps its key order.
    fig = go.Figure(data=spec["data"], layout={"template": TEMPLATE})
    fig.update_layout(spec["layout"])
    return fig


def _figure_spec(table: pd.DataFrame, treaties: pd.DataFrame | None, *, start: Any = None,
                 end: Any = None, selected: str | None = None, title: str | None = None,
                 height: int = 600, points: pd.DataFrame | None = None) -> dict[str, Any]:
    """Return the timeline of a :func:`prepare_events` table as ``{"data": [trace dicts],
    "layout": layout dict}``, not yet checked by plotly (see :func:`_figure`)."""
    points = _points(table) if points is None else points
    treaty_rows = _treaty_dates(treaties)
    full = _full_range(table, treaty_rows)
    view = (pd.Timestamp(start).strftime("%Y-%m-%d") if start is not None else full[0],
            pd.Timestamp(end).strftime("%Y-%m-%d") if end is not None else full[1])
    traces = _bar_traces(treaty_rows, full[1])
    actors, kinds = _key_entries(table)
    for actor in actors:
        cols = _marker_columns(table[table["primary_actor"] == actor], points)
        traces.append(dict(
            x=cols["span_x"], y=cols["span_y"], mode="lines", name=f"{actor} (period)",
            uid=f"periods-{actor}", meta="periods", hoverinfo="skip", showlegend=False,
            line={"color": ACTOR_COLOURS[actor], "width": 2, "dash": "dot"}, opacity=0.7))
        traces.append(dict(
            x=cols["x"], y=cols["y"], mode="markers", name=actor, uid=f"events-{actor}",
            meta="events", showlegend=False,
            marker={"color": ACTOR_COLOURS[actor], "symbol": cols["symbol"], "size": 12,
                    "line": {"width": 1, "color": "#ffffff"}},
            customdata=cols["customdata"], hovertext=cols["hovertext"],
            hovertemplate="%{hovertext}<extra></extra>"))
    traces += _key_traces(actors, kinds)
    traces.append(_selected_trace(table, selected, points))
    return {"data": traces,
            "layout": _layout(view, treaty_rows, full, title, height, no_match=table.empty)}


def _key_entries(table: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the actors (first named, in :data:`ACTORS` order) and the event types (in
    :data:`TYPE_SYMBOLS` order) of a :func:`prepare_events` table: the key's entries."""
    primary, kinds = set(table["primary_actor"]), set(table["type"])
    return tuple(a for a in ACTORS if a in primary), tuple(k for k in TYPE_SYMBOLS if k in kinds)


@functools.lru_cache(maxsize=32)
def _checked_key_traces(actors: tuple[str, ...], kinds: tuple[str, ...]) -> tuple[dict, ...]:
    """Return :func:`_key_traces` as plotly checked them (plain JSON dicts); cached, since
    every explorer of the same events has the same key. Callers must copy before changing."""
    return tuple(go.Scatter(t).to_plotly_json() for t in _key_traces(actors, kinds))


def _key_traces(actors: Sequence[str], kinds: Sequence[str]) -> list[dict[str, Any]]:
    """Return the key's legend-only traces (dicts): one per actor, then one per event type.

    The key is plotly's legends. (Drawn as a trace with text on a key panel instead, it made
    every zoom 4-5 times slower; see benchmarks/bench_timeline_filter.py.)
    """
    traces = [dict(x=[None], y=[None], mode="markers", name=actor, uid=f"key-{actor}",
                   meta="key", hoverinfo="skip",
                   marker={"color": ACTOR_COLOURS[actor], "symbol": "circle", "size": 11})
              for actor in actors]
    traces += [dict(x=[None], y=[None], mode="markers", name=kind, legend="legend2",
                    hoverinfo="skip", uid=f"key-{kind}", meta="key",
                    marker={"symbol": TYPE_SYMBOLS[kind], "color": "#555555", "size": 10})
               for kind in kinds]
    return traces


def event_traces(figure: go.Figure) -> list[go.Scatter]:
    """Return the figure's event-marker traces (one per actor), in legend order."""
    return [t for t in figure.data if getattr(t, "meta", None) == "events"]


def _selected_trace(table: pd.DataFrame, selected: str | None,
                    points: pd.DataFrame | None = None) -> dict[str, Any]:
    """Return the ring around the selected event (none if ``selected`` is None) as a trace dict.

    ``points``: :func:`_points` of ``table``, if the caller has it.
    """
    row = table[table["event_id"] == selected] if selected else table.iloc[0:0]
    cols = _marker_columns(row, points)
    return dict(
        x=cols["x"], y=cols["y"],
        mode="markers", name="selected", uid="selected", showlegend=False, hoverinfo="skip",
        marker={"symbol": "circle-open", "size": 24, "color": "#000000", "line": {"width": 3}})


def _no_match_annotation() -> dict[str, Any]:
    return {"text": NO_MATCH_MESSAGE, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
            "showarrow": False, "font": {"size": 16, "color": "#444444"},
            "bgcolor": "rgba(255,255,255,0.85)", "name": "no-match"}


def _layout(view: tuple[str, str], treaty_rows: list[dict[str, Any]], full: tuple[str, str],
            title: str | None, height: int, no_match: bool) -> dict[str, Any]:
    buttons = [{"label": label, "method": "relayout", "args": [{"xaxis.range": [a, b]}]}
               for label, a, b in _presets(treaty_rows, full)]
    return {
        "title": ({"text": html.escape(title), "x": 0.01, "xanchor": "left", "y": 0.985,
                   "yanchor": "top"} if title else None),
        "height": height,
        "template": TEMPLATE,
        "margin": {"l": 90, "r": 150, "t": 90 if title else 50, "b": 95},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": {"type": "date", "range": list(view), "title": {"text": "Date"},
                  "showgrid": True},
        "yaxis": {"range": [-0.6, 2.6], "tickmode": "array", "fixedrange": True,
                  "tickvals": [LANE_Y[lane] for lane in LANES],
                  "ticktext": [LANE_LABELS[lane] for lane in LANES], "zeroline": False},
        "legend": {"orientation": "h", "x": 0.0, "y": -0.17, "xanchor": "left", "yanchor": "top",
                   "title": {"text": "Actor (first named):"}, "itemclick": False,
                   "itemdoubleclick": False},
        "legend2": {"x": 1.02, "y": 1.0, "xanchor": "left", "yanchor": "top",
                    "title": {"text": "Event type"}, "itemclick": False, "itemdoubleclick": False,
                    "font": {"size": 11}, "tracegroupgap": 0},
        "updatemenus": [{"type": "buttons", "direction": "right", "x": 0.0, "y": 1.02,
                         "xanchor": "left", "yanchor": "bottom", "showactive": False,
                         "pad": {"t": 0, "b": 4}, "font": {"size": 11}, "buttons": buttons}],
        "annotations": [_no_match_annotation()] if no_match else [],
    }


# ---------------------------------------------------------------------------------------------
# The detail panel
# ---------------------------------------------------------------------------------------------

_PANEL_STYLE = "font-family: sans-serif; line-height: 1.45; max-width: 56em"
_QUOTE_STYLE = ("margin: 0.4em 0; padding: 0.2em 0.8em; border-left: 4px solid #0072B2; "
                "background: #f6f8fa")
_MARK_STYLE = "background: #F0E442; padding: 0 2px"


def _paragraph(source_id: str, start: int, end: int,
               texts: Mapping[str, str] | None) -> tuple[str, int, int]:
    """Return (paragraph, start, end-in-paragraph) for a quote's raw offsets.

    ``texts`` (source id -> raw text) is used when given, e.g. in tests; otherwise
    ``armscontrol.sources.paragraph_around`` reads the article.
    """
    if texts is not None and source_id in texts:
        text = texts[source_id]
        para_start = text.rfind("\n\n", 0, start)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = text.find("\n\n", end)
        para_end = len(text) if para_end < 0 else para_end
        return text[para_start:para_end], start - para_start, end - para_start
    from armscontrol.sources import paragraph_around
    return paragraph_around(source_id, start, end)


def _source_caption(quote: Any, sources: pd.DataFrame | None) -> str:
    """Return 'Speaker (role), quoted in Outlet, “Headline” (date)' as escaped HTML."""
    who = html.escape(str(quote.speaker))
    if not _missing(getattr(quote, "role", None)):
        who += f" ({html.escape(str(quote.role))})"
    where = html.escape(str(quote.source_id))
    if sources is not None:
        match = sources[sources["source_id"] == quote.source_id]
        if len(match):
            src = match.iloc[0]
            # sources.csv keeps evidence beside the outlet ("CNN (the body opens with ...)") and
            # bracketed descriptions where a text has no headline: show the outlet's name only,
            # and a headline only when the text has one.
            outlet = re.split(r" \(|\. ", str(src.get("outlet", quote.source_id)))[0]
            headline = str(src.get("headline", "")).split(";")[0].strip()
            where = html.escape(outlet)
            if headline and not headline.startswith("["):
                where += f", “{html.escape(headline)}”"
            if not _missing(src.get("date")) and not _missing(src.get("date_precision")):
                where += f" ({html.escape(date_label(src['date'], str(src['date_precision'])))})"
    return f"{who}, in {where}"


def _quote_block(quote_id: str, quotes: pd.DataFrame | None, sources: pd.DataFrame | None,
                 texts: Mapping[str, str] | None) -> str:
    if quotes is None:
        return f"<p>Quote {html.escape(quote_id)} (quotes table not loaded).</p>"
    match = quotes[quotes["quote_id"] == quote_id]
    if not len(match):
        return f"<p>Quote {html.escape(quote_id)} is not in quotes.csv.</p>"
    quote = next(match.itertuples())
    start, end = int(quote.start), int(quote.end)
    paragraph, a, b = _paragraph(str(quote.source_id), start, end, texts)
    if paragraph[a:b] != str(quote.quote):
        # The offsets do not point at the quote: show the quote alone rather than a wrong passage.
        body = f"<mark style=\"{_MARK_STYLE}\">{html.escape(str(quote.quote))}</mark>"
        note = ("<br><small>(The stored offsets do not match the article; the quote is shown "
                "without its paragraph.)</small>")
    else:
        body = (f"{html.escape(paragraph[:a])}<mark style=\"{_MARK_STYLE}\">"
                f"{html.escape(paragraph[a:b])}</mark>{html.escape(paragraph[b:])}")
        note = ""
    body = body.replace("\n", "<br>")
    return (f"<figure style=\"margin: 0.6em 0\" data-quote-id=\"{html.escape(quote_id)}\">"
            f"<blockquote style=\"{_QUOTE_STYLE}\">{body}</blockquote>"
            f"<figcaption>— {_source_caption(quote, sources)}{note}</figcaption></figure>")


def event_detail_html(event: Any, quotes: pd.DataFrame | None = None,
                      sources: pd.DataFrame | None = None,
                      texts: Mapping[str, str] | None = None) -> str:
    """Return the detail panel of one event as an HTML string (all data text escaped).

    ``event``: a row of a :func:`prepare_events` table (Series or named tuple). Shows the title,
    the date with its precision, actors, type, summary, then the sources: for each
    ``source_quote`` the verbatim quote highlighted in its paragraph of the article, with the
    speaker and the article named; and the reference title and link when there is one.
    ``texts`` (source id -> raw article text) replaces reading ``data/sources/``, for tests.
    """
    get = event.get if isinstance(event, pd.Series) else lambda k, d=None: getattr(event, k, d)
    parts = [f"<div class=\"ac-event-detail\" style=\"{_PANEL_STYLE}\">",
             f"<h4 style=\"margin: 0.2em 0\">{html.escape(get('title'))}</h4>",
             f"<p style=\"margin: 0.2em 0\"><b>Date:</b> {html.escape(get('date_label'))} "
             f"(known to the {html.escape(get('date_precision'))})"
             f" · <b>Treaty:</b> {html.escape(LANE_LABELS[get('treaty')])}"
             f" · <b>Actors:</b> {html.escape(', '.join(get('actors')))}"
             f" · <b>Type:</b> {html.escape(get('type'))}</p>",
             f"<p style=\"margin: 0.4em 0\">{html.escape(get('summary'))}</p>"]
    quote_ids = get("source_quote") or ()
    if quote_ids:
        parts.append("<p style=\"margin: 0.6em 0 0\"><b>In the sources:</b></p>")
        parts += [_quote_block(q, quotes, sources, texts) for q in quote_ids]
    url, ref_title = get("source_url") or "", get("source_title") or ""
    if url and _SAFE_URL.match(url):
        href = html.escape(url, quote=True)
        parts.append(f"<p style=\"margin: 0.4em 0\"><b>Reference:</b> <a href=\"{href}\" "
                     f"target=\"_blank\" rel=\"noopener noreferrer\">"
                     f"{html.escape(ref_title or url)}</a></p>")
    elif ref_title:
        parts.append(f"<p><b>Reference:</b> {html.escape(ref_title)}</p>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# The explorer widget
# ---------------------------------------------------------------------------------------------

def _months(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Return the first days of the months from ``first`` to ``last``."""
    return pd.date_range(first, last, freq="MS")


#: What the key (drawn by the browser with plotly.js alone, no template) takes from TEMPLATE.
KEY_TEMPLATE_SETTINGS = ("font", "paper_bgcolor", "plot_bgcolor")


def _key_figure(table: pd.DataFrame, layout: go.Layout) -> dict[str, Any]:
    """Return the key of a :func:`timeline_figure` as a plotly figure of its own (plain JSON):
    its legend-only traces and both legends, laid out in rows, with no axes (140 px high).

    ``table``: the figure's :func:`prepare_events` table; ``layout``: a layout holding the
    figure's two legends (the explorer's FigureWidget's).
    """
    legends = {name: layout[name].to_plotly_json() for name in ("legend", "legend2")}
    legends["legend"].update(orientation="h", x=0, y=1, xanchor="left", yanchor="top")
    legends["legend2"].update(orientation="h", x=0, y=0, xanchor="left", yanchor="bottom")
    # Each trace is checked by plotly, as it was inside the whole figure.
    return {"data": copy.deepcopy(list(_checked_key_traces(*_key_entries(table)))),
            "layout": {**legends, "height": 140, "margin": {"l": 10, "r": 10, "t": 0, "b": 0},
                       "xaxis": {"visible": False}, "yaxis": {"visible": False},
                       # the template's colours, as the timeline's own figure has them
                       **{k: copy.deepcopy(TEMPLATE["layout"][k]) for k in KEY_TEMPLATE_SETTINGS},
                       "hovermode": False}}


class TimelineExplorer:
    """The timeline explorer: filters, a FigureWidget updated in place, and a detail panel.

    Display it by leaving it as a cell's last expression (or ``display(explorer.widget)``).
    Attributes a notebook or a test can drive: ``date_range`` (SelectionRangeSlider of months),
    ``treaty_boxes`` / ``actor_boxes`` (dicts of Checkbox), ``search`` (Text), ``events_menu``
    (Dropdown of the events in view), ``detail`` (HTML), ``status`` (HTML), ``data_table`` (HTML:
    the events in view as a table, for screen readers), ``figure``
    (FigureWidget), ``browser_filter`` (the :class:`~armscontrol.timeline_filter.TimelineFilter`
    that filters in the browser), ``static_figure`` (the whole :func:`timeline_figure`, key
    included, as it first appears: the picture stored for readers without a kernel).
    :meth:`visible` returns the events in view; :meth:`select` opens one.

    Once the explorer is on a page, the date slider and the treaty, actor and search boxes are
    drawn by the browser (armscontrol/timeline_filter.js), busy kernel or not, and the kernel
    updates the status line, the list, the data table and the detail panel. Until then (or with
    no browser at all, as in tests), :meth:`refresh` draws the figure from the kernel.
    """

    def __init__(self, events: pd.DataFrame, treaties: pd.DataFrame | None,
                 quotes: pd.DataFrame | None, sources: pd.DataFrame | None,
                 texts: Mapping[str, str] | None):
        import ipywidgets as widgets

        self.events = prepare_events(events, quotes)
        self.quotes, self.sources, self.texts = quotes, sources, texts
        self.selected: str | None = None
        self._drawn_filters: dict[str, Any] | None = None
        self._busy = False
        # What is drawn of each event (x, hover label, ...) is computed once, for the static
        # figure, the browser's rows and every redraw from the kernel.
        self._points = _points(self.events)
        spec = _figure_spec(self.events, treaties, points=self._points)
        from armscontrol.timeline_filter import (ExplorerBox, TimelineFigure, TimelineFilter,
                                                 event_rows)

        # The explorer draws the key (the legends) apart, once, under the plot (the browser
        # filter draws it): inside the plot, plotly.js redrew its 24 legend-only traces and two
        # legends on every filter change (benchmarks/bench_timeline_filter.py, treaty box:
        # median 85 ms with the key inside, 51 ms without, same machine). The picture stored
        # for readers without a kernel is the whole static figure, key included
        # (:attr:`static_figure`, built only when asked for).
        self._treaties = treaties
        self._static: go.Figure | None = None
        # Built from the same trace and layout dicts as the static figure, checked by plotly once
        # (building the static go.Figure and then copying it checked everything twice).
        self.figure = TimelineFigure(data=[t for t in spec["data"] if t.get("meta") != "key"],
                                     layout=spec["layout"])
        self.figure.update_layout(showlegend=False, margin={"r": 30, "b": 60})
        self._actor_traces = {t.name: t for t in event_traces(self.figure)}
        self._period_traces = {t.name.removesuffix(" (period)"): t for t in self.figure.data
                               if getattr(t, "meta", None) == "periods"}
        self._selected_trace = next(t for t in self.figure.data if t.name == "selected")
        for trace in self._actor_traces.values():
            trace.on_click(self._on_click)

        full = self.figure.layout.xaxis.range  # the whole timeline, as first shown
        months = _months(pd.Timestamp(full[0]), pd.Timestamp(full[1]) - pd.offsets.MonthBegin(1))
        # Labels written for the whole index at once (600 months: one strftime per month
        # was a few milliseconds).
        options = list(zip(months.strftime("%b %Y"), months))
        self.date_range = widgets.SelectionRangeSlider(
            options=options, index=(0, len(options) - 1), description="Dates",
            continuous_update=False, layout=widgets.Layout(width="95%"))
        self.treaty_boxes = {lane: widgets.Checkbox(value=True, description=LANE_LABELS[lane],
                                                    indent=False,
                                                    layout=widgets.Layout(width="auto"))
                             for lane in LANES}
        present = [a for a in ACTORS if any(a in acts for acts in self.events["actors"])]
        self.actor_boxes = {a: widgets.Checkbox(value=True, description=a, indent=False,
                                                layout=widgets.Layout(width="auto"))
                            for a in present}
        self.search = widgets.Text(placeholder="search titles, summaries, quotes…",
                                   description="Search", continuous_update=True)
        self.events_menu = widgets.Dropdown(description="Event", options=[("", "")], value="",
                                            layout=widgets.Layout(width="95%"))
        self.status = widgets.HTML()
        # The events in view as a table a screen reader can walk (collapsed under the figure).
        self.data_table = widgets.HTML()
        self.detail = widgets.HTML(value="<p><i>Click a marker, or choose an event from the list, "
                                         "to read its summary and source.</i></p>")
        for control in [self.date_range, self.search, *self.treaty_boxes.values(),
                        *self.actor_boxes.values()]:
            control.observe(self._on_filter, names="value")
        self.events_menu.observe(self._on_menu, names="value")
        self.browser_filter = TimelineFilter(
            controls={"dates": self.date_range.model_id, "search": self.search.model_id,
                      "treaties": {k: box.model_id for k, box in self.treaty_boxes.items()},
                      "actors": {k: box.model_id for k, box in self.actor_boxes.items()}},
            events=event_rows(self.events, _marker_columns(self.events, self._points)),
            months=list(months.strftime("%Y-%m-%d")), no_match=_no_match_annotation(),
            key=_key_figure(self.events, self.figure.layout))
        # Zooming in the plot (drag, or the preset buttons above it) redraws in the browser at
        # once; the kernel then moves the slider to match, which updates the list of events.
        self.figure.layout.on_change(self._on_zoom, "xaxis.range")
        self.widget = ExplorerBox([
            self.date_range,
            widgets.HBox([widgets.HTML("<b>Treaty:</b>&nbsp;"), *self.treaty_boxes.values(),
                          widgets.HTML("&nbsp;&nbsp;<b>Actor:</b>&nbsp;"),
                          *self.actor_boxes.values()],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.search, self.status, self.figure, self.browser_filter, self.events_menu,
            self.detail, self.data_table], text=_EXPLORER_TEXT)
        self.widget.add_class("ac-timeline-explorer")
        self.status.add_class("ac-timeline-status")
        self.detail.add_class("ac-timeline-detail")
        # The figure's markers were drawn from every event, which is what the filters let
        # through at first: the first refresh need not check and send the same marker data again.
        first = self._filters()
        if len(filter_events(self.events, **first)) == len(self.events):
            self._drawn_filters = first
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # A stable line, so notebooks storing this output pass nbval strict (the widgets' own
        # repr holds random trace uids). The box's repr is that line already (ExplorerBox), but
        # ipywidgets cuts a text/plain at 110 characters.
        bundle["text/plain"] = _EXPLORER_TEXT
        # While outputs are refreshed, also hand over the figure as it first appears, which
        # tools/refresh_outputs.py stores as a picture for readers without a kernel (the static
        # figure is built only then).
        if figures.storing_first_state():
            bundle.update(figures.first_state(self.static_figure))
        return bundle

    @property
    def static_figure(self) -> go.Figure:
        """Return the whole :func:`timeline_figure` of these events as it first appears (the key
        inside), the picture stored for readers without a kernel; built on first use."""
        if self._static is None:
            self._static = _figure(self.events, self._treaties, points=self._points)
        return self._static

    # -- filtering ---------------------------------------------------------------------------
    def date_window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Return the first and last day (inclusive) of the months chosen on the slider."""
        first, last = self.date_range.value
        return first, last + pd.offsets.MonthEnd(0)

    def _filters(self) -> dict[str, Any]:
        """The treaty, actor and text filters (everything but the dates)."""
        return {"treaties": [k for k, box in self.treaty_boxes.items() if box.value],
                "actors": [k for k, box in self.actor_boxes.items() if box.value],
                "text": self.search.value}

    def visible(self) -> pd.DataFrame:
        """Return the events passing the current filters (a :func:`prepare_events` table)."""
        start, end = self.date_window()
        return filter_events(self.events, start=start, end=end, **self._filters())

    def _on_filter(self, change: Any) -> None:
        self.refresh()

    def _on_zoom(self, layout: Any, xrange: Any) -> None:
        # Once the browser draws, it moves the slider after a zoom itself (timeline_filter.js):
        # a zoom reported here late would move the slider back over newer key presses.
        if self._busy or self.browser_filter.browser_draws or not xrange or len(xrange) != 2:
            return
        months = [value for _, value in self.date_range.options]
        first = pd.Timestamp(xrange[0]).to_period("M").to_timestamp()
        last = (pd.Timestamp(xrange[1]) - pd.Timedelta(days=1)).to_period("M").to_timestamp()
        lo = min(max(first, months[0]), months[-1])
        hi = max(min(last, months[-1]), lo)
        index = (months.index(lo), months.index(hi))
        if index != tuple(self.date_range.index):
            self.date_range.index = index

    def refresh(self) -> None:
        """Redraw the figure, the events list and the status line for the current filters.

        The figure's markers are the events passing the treaty, actor and text filters; the date
        window is the x range. So a move of the date slider only changes the axis range (a cheap
        redraw: the markers outside the window are off the plot), and the marker data are sent
        again only when another filter changed. Once a browser draws the filters
        (``browser_filter.browser_draws``), the kernel leaves markers, range and note to it and
        only rings the selection.
        """
        filters = self._filters()
        candidates = filter_events(self.events, **filters)
        start, end = self.date_window()
        shown = filter_events(candidates, start=start, end=end)
        if self.selected not in set(shown["event_id"]):
            self.selected = None
        view = [start.strftime("%Y-%m-%d"), (end + pd.Timedelta(days=1)).strftime("%Y-%m-%d")]
        kernel_draws = not self.browser_filter.browser_draws
        self._busy = True
        try:
            with self.figure.batch_update():
                if kernel_draws and filters != self._drawn_filters:
                    self._drawn_filters = filters
                    for actor, trace in self._actor_traces.items():
                        cols = _marker_columns(
                            candidates[candidates["primary_actor"] == actor], self._points)
                        trace.x, trace.y = cols["x"], cols["y"]
                        trace.marker.symbol = cols["symbol"]
                        trace.customdata, trace.hovertext = cols["customdata"], cols["hovertext"]
                        self._period_traces[actor].x = cols["span_x"]
                        self._period_traces[actor].y = cols["span_y"]
                if kernel_draws and list(self.figure.layout.xaxis.range or []) != view:
                    self.figure.layout.xaxis.range = view
                if kernel_draws and bool(self.figure.layout.annotations) != shown.empty:
                    self.figure.layout.annotations = [_no_match_annotation()] if shown.empty else []
                self._draw_selection()
        finally:
            self._busy = False
        n = len(shown)
        self.data_table.value = events_table_html(shown)
        self.status.value = (f"<b>{html.escape(NO_MATCH_MESSAGE)}</b> Widen the dates, tick more "
                             "treaties or actors, or clear the search." if n == 0 else
                             f"{n} of {len(self.events)} events in view.")
        self._busy = True
        try:
            self.events_menu.options = (
                [(f"— {NO_MATCH_MESSAGE} —" if n == 0 else f"— choose one of {n} events —",
                  "")]
                + [(f"{r.date_label} — {r.title}", r.event_id) for r in shown.itertuples()])
            self.events_menu.value = self.selected or ""
        finally:
            self._busy = False
        if self.selected is None:
            self.detail.value = (f"<p><b>{html.escape(NO_MATCH_MESSAGE)}</b></p>" if n == 0 else
                                 "<p><i>Click a marker, or choose an event from the list, to "
                                 "read its summary and source.</i></p>")

    # -- selection ---------------------------------------------------------------------------
    def _on_click(self, trace: Any, points: Any, state: Any) -> None:
        if points.point_inds:
            self.select(trace.customdata[points.point_inds[0]][0])

    def _on_menu(self, change: Any) -> None:
        if not self._busy and change["new"]:
            self.select(change["new"])

    def _draw_selection(self) -> None:
        new = _selected_trace(self.events, self.selected, self._points)
        if tuple(self._selected_trace.x or ()) != tuple(new["x"]):
            self._selected_trace.x, self._selected_trace.y = new["x"], new["y"]

    def select(self, event_id: str) -> None:
        """Open an event in the detail panel and ring its marker; KeyError if the id is unknown."""
        match = self.events[self.events["event_id"] == event_id]
        if match.empty:
            raise KeyError(f"no event with id {event_id!r} on this timeline")
        self.selected = event_id
        self.detail.value = event_detail_html(match.iloc[0], self.quotes, self.sources, self.texts)
        with self.figure.batch_update():
            self._draw_selection()
        if self.events_menu.value != event_id and any(v == event_id for _, v in
                                                      self.events_menu.options):
            self._busy = True
            try:
                self.events_menu.value = event_id
            finally:
                self._busy = False


def event_card(event_id: str, events: pd.DataFrame | None = None):
    """Return one event of the chronology as an HTML card for a notebook (``IPython.display.HTML``).

    The card is :func:`event_detail_html`: title, date with its precision,
    actors, type, summary, and its sources (a quote from the articles highlighted in its
    paragraph, and the reference link). ``events`` defaults to ``data.load_events()``.
    Raises ``KeyError`` when ``event_id`` is not in the chronology.
    """
    from IPython.display import HTML  # imported here: the rest of the module runs without IPython

    from armscontrol import data

    quotes = data.load_quotes()
    if events is None:
        # The shipped chronology was checked whole by load_events (ids unique, quote ids in
        # quotes.csv), and a card shows only its own row's fields: prepare that row alone
        # (preparing all of events.csv took about 30 ms of each card).
        shipped = data.load_events()
        table = prepare_events(shipped[shipped["event_id"] == event_id], quotes)
    else:  # a student's table: check it all, as before
        table = prepare_events(events, quotes)
    match = table[table["event_id"] == event_id]
    if match.empty:
        raise KeyError(f"no event {event_id!r} in the chronology; see data/events.csv for the ids")
    return HTML(event_detail_html(match.iloc[0], quotes, data.load_sources()))


def timeline_explorer(events: pd.DataFrame | None = None, treaties: pd.DataFrame | None = None,
                      quotes: pd.DataFrame | None = None, sources: pd.DataFrame | None = None,
                      texts: Mapping[str, str] | None = None) -> TimelineExplorer:
    """Return the interactive timeline (display it as a cell's last expression).

    Every table left as None is loaded from ``data/`` through :mod:`armscontrol.data`; pass a
    student's table (see :func:`add_events`) as ``events`` to explore it. ``texts`` (source id ->
    raw article text) replaces reading ``data/sources/``, for tests.
    """
    if events is None or treaties is None or quotes is None or sources is None:
        from armscontrol import data
        events = data.load_events() if events is None else events
        treaties = data.load_treaties() if treaties is None else treaties
        quotes = data.load_quotes() if quotes is None else quotes
        sources = data.load_sources() if sources is None else sources
    return TimelineExplorer(events, treaties, quotes, sources, texts)
