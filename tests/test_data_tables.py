"""The data tables beside the figures hold every row the figure draws, readable cell by cell."""
from __future__ import annotations

import html
from html.parser import HTMLParser

import pandas as pd
import pytest

from armscontrol import data, timeline
from armscontrol.data_tables import events_table_html, range_claims_table_html


class _Cells(HTMLParser):
    """Collect the caption, the header cells and the body rows of one table."""

    def __init__(self) -> None:
        super().__init__()
        self.caption, self.headers, self.rows, self._where, self._scopes = "", [], [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._where = "caption"
        elif tag == "th":
            self._where = "th"
            self._scopes.append(dict(attrs).get("scope"))
            self.headers.append("")
        elif tag == "tr" and self.headers:
            self.rows.append([])
        elif tag == "td":
            self._where = "td"
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td"):
            self._where = None

    def handle_data(self, text):
        if self._where == "caption":
            self.caption += text
        elif self._where == "th":
            self.headers[-1] += text
        elif self._where == "td":
            self.rows[-1][-1] += text


def _parse(markup: str) -> _Cells:
    cells = _Cells()
    cells.feed(markup)
    return cells


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return timeline.prepare_events(data.load_events(), data.load_quotes())


def test_every_event_is_a_row_in_order(events):
    table = _parse(events_table_html(events))
    assert table.headers == ["Date", "Event", "Treaty", "Actors", "Source"]
    assert table._scopes == ["col"] * 5
    assert [row[1] for row in table.rows] == list(events["title"])
    assert [row[0] for row in table.rows] == list(events["date_label"])
    assert str(len(events)) in table.caption


def test_dates_keep_their_precision(events):
    rows = {row[1]: row for row in _parse(events_table_html(events)).rows}
    first = events.iloc[0]
    assert first["date_precision"] == "year"
    assert rows[first["title"]][0] == str(first["date"].year)


def test_a_filtered_view_and_an_empty_one(events):
    inf_only = timeline.filter_events(events, treaties=["INF"])
    table = _parse(events_table_html(inf_only))
    assert len(table.rows) == len(inf_only) < len(events)
    assert {row[2] for row in table.rows} == {"INF"}
    empty = events_table_html(inf_only.iloc[0:0])
    assert "no event in view" in empty and _parse(empty).headers


def test_data_text_is_escaped(events):
    row = events.iloc[[0]].copy()
    row["title"] = "<script>alert(1)</script>"
    markup = events_table_html(row)
    assert "<script>" not in markup and html.escape("<script>") in markup


def test_the_explorer_keeps_its_table_in_step_with_the_filters(events):
    explorer = timeline.timeline_explorer()
    assert len(_parse(explorer.data_table.value).rows) == len(explorer.visible()) == len(events)
    explorer.treaty_boxes["INF"].value = False
    rows = _parse(explorer.data_table.value).rows
    assert len(rows) == len(explorer.visible()) < len(events)
    assert "INF" not in {row[2] for row in rows}


def test_range_claims_table_has_every_ring_in_km_and_miles():
    from armscontrol import geo, maps

    claims = maps.system_ranges("Pershing II")
    table = _parse(range_claims_table_html("Pershing II", claims))
    assert len(table.rows) == len(claims) >= 2
    assert [row[0] for row in table.rows] == list(claims["claimant"])
    for row, km in zip(table.rows, claims["range_km"]):
        assert row[2] == f"{km:,.0f}"
        assert row[3] == f"{geo.km_to_miles(km):,.0f}"
    assert "Pershing II" in table.caption


def test_the_range_explorer_shows_the_rings_table_for_its_system():
    from armscontrol import maps

    explorer = maps.range_explorer("9M729", "chernyakhovsk")
    rows = _parse(explorer.caption.value.split("</p>", 1)[1]).rows
    assert len(rows) == len(maps.system_ranges("9M729"))
    explorer.system.value = maps.find_system("Pershing II")["system_id"]
    rows = _parse(explorer.caption.value.split("</p>", 1)[1]).rows
    assert [row[0] for row in rows] == list(maps.system_ranges("Pershing II")["claimant"])
