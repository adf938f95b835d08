"""Data tables that stand beside the figures, for readers who cannot see them.

A figure's text alternative says what it shows in a sentence; a screen-reader user also needs
the data themselves, in a form their reader can walk cell by cell. Each function here returns an
HTML string: a ``<details>`` element (collapsed, so sighted readers are not slowed down) holding
a ``<table>`` with a ``<caption>`` and ``<th scope="col">`` headers. Every piece of data text is
HTML-escaped.
"""
from __future__ import annotations

import html

import pandas as pd

__all__ = ["events_table_html", "range_claims_table_html"]


def _table(caption: str, headers: list[str], rows: list[list[str]], summary: str) -> str:
    """Return ``<details>`` holding one table; ``rows`` are already-escaped cell texts."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return (f'<details class="ac-data-table"><summary>{html.escape(summary)}</summary>'
            f"<table><caption>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>")


def _count(n: int, noun: str) -> str:
    """Return '1 event', '3 events'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def events_table_html(events: pd.DataFrame, caption: str = "Events on the timeline") -> str:
    """Return the events a timeline draws as an HTML data table (in a collapsed ``<details>``).

    ``events`` is a :func:`armscontrol.timeline.prepare_events` table (or a filtered part of it):
    one row per event, in its order, with the date written to its precision (``date_label``),
    the title, the treaty lane, the actors and the source's title. An empty table keeps its
    headers and says that no event is in view.
    """
    from armscontrol.timeline import LANE_LABELS  # here: timeline imports this module

    rows = [[html.escape(str(r.date_label)), html.escape(str(r.title)),
             html.escape(LANE_LABELS.get(r.lane, str(r.lane))),
             html.escape(", ".join(r.actors)), html.escape(str(r.source_title))]
            for r in events.itertuples()]
    n = len(rows)
    summary = (f"Data table: the {_count(n, 'event')} in view" if n
               else "Data table: no event in view")
    return _table(f"{caption} ({_count(n, 'event')})",
                  ["Date", "Event", "Treaty", "Actors", "Source"], rows, summary)


def range_claims_table_html(system_name: str, claims: pd.DataFrame) -> str:
    """Return the range rings a map draws for one system as an HTML data table.

    ``claims`` are rows of ``missile_ranges`` (as :func:`armscontrol.maps.system_ranges` gives
    them, longest first): one row per ring, with who claims it, the kind of claim, the range in
    km (as stored) and in miles (converted by us, rounded to the mile) and the source's title
    (a table without ``claim_type`` or ``source_title`` columns leaves those cells empty).
    """
    from armscontrol.geo import km_to_miles

    rows = [[html.escape(str(c.claimant)), html.escape(str(getattr(c, "claim_type", ""))),
             f"{float(c.range_km):,.0f}", f"{km_to_miles(c.range_km):,.0f}",
             html.escape(str(getattr(c, "source_title", "")))]
            for c in claims.itertuples()]
    n = len(rows)
    return _table(f"Range claims for the {system_name} drawn as rings ({n})",
                  ["Claimant", "Claim", "Range (km)", "Range (miles, converted)", "Source"],
                  rows, f"Data table: the {_count(n, 'range claim')} on the map")
