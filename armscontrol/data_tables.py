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

from armscontrol.geo import km_to_miles

__all__ = ["events_table_html", "range_claims_table_html", "range_rings_table_html",
           "new_start_exchanges_table_html"]


#: The class of every data table's ``<details>`` (armscontrol.printing opens them on paper).
DETAILS_CLASS = "ac-data-table"


def _table(caption: str, headers: list[str], rows: list[list[str]], summary: str) -> str:
    """Return ``<details>`` holding one table; ``rows`` are already-escaped cell texts."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return (f'<details class="{DETAILS_CLASS}"><summary>{html.escape(summary)}</summary>'
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
    rows = [[html.escape(str(c.claimant)), html.escape(str(getattr(c, "claim_type", ""))),
             f"{float(c.range_km):,.0f}", f"{km_to_miles(c.range_km):,.0f}",
             html.escape(str(getattr(c, "source_title", "")))]
            for c in claims.itertuples()]
    n = len(rows)
    return _table(f"Range claims for the {system_name} drawn as rings ({n})",
                  ["Claimant", "Claim", "Range (km)", "Range (miles, converted)", "Source"],
                  rows, f"Data table: the {_count(n, 'range claim')} on the map")


#: Columns of the table :func:`range_rings_table_html` reads (as ``figures.range_rings`` makes).
RING_COLUMNS = ("system", "base", "claim_type", "claimant", "range_km", "source_title")


def range_rings_table_html(rings: pd.DataFrame, caption: str) -> str:
    """Return every ring a static range map draws as an HTML data table (collapsed).

    ``rings`` has one row per ring, in the figure's drawing order, with the columns of
    :data:`RING_COLUMNS`: the missile system (or the INF Treaty, for its reference rings), the
    base it is drawn around, the kind of claim, who claims it, the range in km (as stored; the
    miles column is converted by us, rounded to the mile) and the source's title. ``caption``
    names what the map shows (its title).
    """
    rows = [[html.escape(str(r.system)), html.escape(str(r.base)),
             html.escape(str(r.claim_type)), html.escape(str(r.claimant)),
             f"{float(r.range_km):,.0f}", f"{km_to_miles(r.range_km):,.0f}",
             html.escape(str(r.source_title))]
            for r in rings.itertuples()]
    n = len(rows)
    return _table(f"{caption} ({_count(n, 'ring')} drawn on the map)",
                  ["System", "Base", "Claim", "Claimant", "Range (km)",
                   "Range (miles, converted)", "Source"],
                  rows, f"Data table: the {_count(n, 'range ring')} on the map")


def new_start_exchanges_table_html(exchanges: pd.DataFrame, limits: dict[str, int],
                                   labels: dict[str, str], caption: str) -> str:
    """Return the counts a New START exchanges chart draws as an HTML data table (collapsed).

    ``exchanges`` has one row per party and data exchange, in the order the chart's panels
    show them (party by party, oldest first): columns ``party``, ``as_of`` (a date) and one
    column per count named in ``labels`` (count column -> plain-English name), in numbers of
    warheads or launchers. ``limits`` maps each count column to its treaty limit, which the
    column's header states. ``caption`` names what the chart shows (its title).
    """
    counts = list(labels)
    headers = ["Party", "Date"] + [f"{labels[c].capitalize()} (limit {int(limits[c]):,})"
                                   for c in counts]
    rows = [[html.escape(str(r["party"])), html.escape(f"{r['as_of'].day} {r['as_of']:%B %Y}")]
            + [f"{int(r[c]):,}" for c in counts]
            for _, r in exchanges.iterrows()]
    n = len(rows)
    return _table(f"{caption} ({_count(n, 'row')}: one per party and data exchange)",
                  headers, rows, f"Data table: the counts at each data exchange ({n} rows)")
