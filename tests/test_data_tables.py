"""The data tables beside the figures hold every row the figure draws, readable cell by cell."""
from __future__ import annotations

import html

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from armscontrol import data, timeline
from armscontrol.data_tables import events_table_html, range_claims_table_html


class _Table:
    """The caption, header cells (with their scope) and body rows of the first table in markup."""

    def __init__(self, markup: str) -> None:
        table = BeautifulSoup(markup, "html.parser").find("table")
        self.caption = table.find("caption").get_text()
        heads = table.find("thead").find_all("th")
        self.headers = [th.get_text() for th in heads]
        self.scopes = [th.get("scope") for th in heads]
        self.rows = [[td.get_text() for td in tr.find_all("td")]
                     for tr in table.find("tbody").find_all("tr")]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return timeline.prepare_events(data.load_events(), data.load_quotes())


def test_every_event_is_a_row_in_order(events):
    table = _Table(events_table_html(events))
    assert table.headers == ["Date", "Event", "Treaty", "Actors", "Source"]
    assert table.scopes == ["col"] * 5
    assert [row[1] for row in table.rows] == list(events["title"])
    assert [row[0] for row in table.rows] == list(events["date_label"])
    assert str(len(events)) in table.caption


def test_dates_keep_their_precision(events):
    rows = {row[1]: row for row in _Table(events_table_html(events)).rows}
    first = events.iloc[0]
    assert first["date_precision"] == "year"
    assert rows[first["title"]][0] == str(first["date"].year)


def test_a_filtered_view_and_an_empty_one(events):
    inf_only = timeline.filter_events(events, treaties=["INF"])
    table = _Table(events_table_html(inf_only))
    assert len(table.rows) == len(inf_only) < len(events)
    assert {row[2] for row in table.rows} == {"INF"}
    empty = events_table_html(inf_only.iloc[0:0])
    assert "no event in view" in empty and _Table(empty).headers


def test_data_text_is_escaped(events):
    row = events.iloc[[0]].copy()
    row["title"] = "<script>alert(1)</script>"
    markup = events_table_html(row)
    assert "<script>" not in markup and html.escape("<script>") in markup


def test_the_explorer_keeps_its_table_in_step_with_the_filters(events):
    explorer = timeline.timeline_explorer()
    assert len(_Table(explorer.data_table.value).rows) == len(explorer.visible()) == len(events)
    explorer.treaty_boxes["INF"].value = False
    rows = _Table(explorer.data_table.value).rows
    assert len(rows) == len(explorer.visible()) < len(events)
    assert "INF" not in {row[2] for row in rows}


def test_range_claims_table_has_every_ring_in_km_and_miles():
    from armscontrol import geo, maps

    claims = maps.system_ranges("Pershing II")
    table = _Table(range_claims_table_html("Pershing II", claims))
    assert len(table.rows) == len(claims) >= 2
    assert [row[0] for row in table.rows] == list(claims["claimant"])
    for row, km in zip(table.rows, claims["range_km"]):
        assert row[2] == f"{km:,.0f}"
        assert row[3] == f"{geo.km_to_miles(km):,.0f}"
    assert "Pershing II" in table.caption


def test_the_range_explorer_shows_the_rings_table_for_its_system():
    from armscontrol import maps

    explorer = maps.range_explorer("9M729", "chernyakhovsk")
    rows = _Table(explorer.caption.value.split("</p>", 1)[1]).rows
    assert len(rows) == len(maps.system_ranges("9M729"))
    explorer.system.value = maps.find_system("Pershing II")["system_id"]
    rows = _Table(explorer.caption.value.split("</p>", 1)[1]).rows
    assert [row[0] for row in rows] == list(maps.system_ranges("Pershing II")["claimant"])
