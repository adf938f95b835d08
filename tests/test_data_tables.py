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


# ---- static figures in lessons: range maps and the New START chart ---------------------------

def test_a_range_maps_table_has_a_row_per_ring_drawn():
    from armscontrol import figures, geo, inf, maps

    fig = maps.range_map(["9M729", "Pershing II"], ["kapustin_yar", "mutlangen"], view="europe")
    rings = [t for t in fig.data if t.uid.startswith(("ring-", "inf-"))]
    table = _Table(figures.alternatives_html(fig))
    assert table.headers == ["System", "Base", "Claim", "Claimant", "Range (km)",
                             "Range (miles, converted)", "Source"]
    assert table.scopes == ["col"] * 7
    assert len(table.rows) == len(rings) == 2 * (2 + len(maps.system_ranges("9M729"))
                                                 + len(maps.system_ranges("Pershing II")))
    sites = data.load_sites().set_index("site_id")
    for row, ring in zip(table.rows, rings):
        base = sites.loc[ring.uid.rsplit("-", 1)[1]]
        assert row[1] == base["name"]
        drawn = geo.distance_km((base["lat"], base["lon"]), (ring.lat[0], ring.lon[0]))
        km = float(row[4].replace(",", ""))
        assert abs(drawn - km) < 1
        assert row[5] == f"{geo.km_to_miles(km):,.0f}"
    claimants = {row[3] for row in table.rows if row[0] == "9M729 (SSC-8)"}
    assert claimants == set(maps.system_ranges("9M729")["claimant"])
    band = [float(row[4].replace(",", "")) for row in table.rows if row[0].startswith("INF")]
    assert sorted(set(band)) == [inf.band_km()[0], inf.band_km()[2]]
    assert fig.layout.title.text.split(":")[0] in table.caption


def test_a_map_drawn_from_other_tables_is_not_given_the_shipped_data():
    from armscontrol import figures, maps

    ranges = data.load_missile_ranges()
    ranges.loc[ranges["system_id"] == "ss20", "range_km"] = 3000
    fig = maps.range_map("ss20", "postavy_ss20", missile_ranges=ranges)
    with pytest.raises(ValueError, match="drawn at 3,000 km"):
        figures.alternatives_html(fig)
    rows = _Table(figures.alternatives_html(fig, missile_ranges=ranges)).rows
    assert "3,000" in {row[4] for row in rows}


def test_the_new_start_table_holds_every_point_the_chart_draws():
    from armscontrol import analysis_new_start as ns, figures

    fig = ns.exchanges_figure()
    table = _Table(figures.alternatives_html(fig))
    limits = ns.new_start_limits()
    assert table.headers == ["Party", "Date"] + [
        f"{ns.COUNT_LABELS[c].capitalize()} (limit {limits[c]:,})" for c in ns.COUNT_LABELS]
    by_key = {(row[0], row[1]): row[2:] for row in table.rows}
    counts = [t for t in fig.data if isinstance(t.meta, dict) and "count" in t.meta]
    assert len(counts) == 6
    for trace in counts:
        column = list(ns.COUNT_LABELS).index(trace.meta["count"])
        for x, y in zip(trace.x, trace.y):
            day = pd.Timestamp(x)
            assert by_key[(trace.meta["party"], f"{day.day} {day:%B %Y}")][column] == f"{y:,}"
    assert len(table.rows) == len(data.load_new_start_counts())
    assert [row[0] for row in table.rows] == sorted(
        (row[0] for row in table.rows), key=["US", "Russia"].index)  # panel by panel


def test_the_new_start_text_alternative_says_what_the_data_say():
    from armscontrol import analysis_new_start as ns

    text = ns.exchanges_figure().layout.meta["text_alternative"]
    counts = data.load_new_start_counts()
    assert f"the {counts['as_of'].nunique()} data exchanges" in text
    last_us = counts[counts["party"] == "US"].sort_values("as_of").iloc[-1]
    assert f"{last_us['deployed_warheads']:,} deployed warheads" in text
    assert text.count("within all three limits") == 2
    over = counts.assign(deployed_warheads=2000)
    assert "over a limit at" in ns.exchanges_figure(over).layout.meta["text_alternative"]


def test_static_figure_tables_escape_their_text():
    from armscontrol.data_tables import new_start_exchanges_table_html, range_rings_table_html

    rings = pd.DataFrame([dict(system="<b>S</b>", base="B & C", claim_type="max",
                               claimant="<script>x</script>", range_km=1000.0,
                               source_title="T")])
    markup = range_rings_table_html(rings, "<i>caption</i>")
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    assert _Table(markup).rows[0][:4] == ["<b>S</b>", "B & C", "max", "<script>x</script>"]
    exchanges = pd.DataFrame([dict(party="<US>", as_of=pd.Timestamp("2011-02-05"), n=5)])
    markup = new_start_exchanges_table_html(exchanges, {"n": 7}, {"n": "things <x>"}, "c")
    assert "<US>" not in markup and "<x>" not in markup
    table = _Table(markup)
    assert table.rows == [["<US>", "5 February 2011", "5"]]
    assert table.headers[-1] == "Things <x> (limit 7)"


def test_show_displays_the_figure_then_one_html_output(monkeypatch):
    import IPython.display
    import plotly.graph_objects as go

    from armscontrol import figures, maps

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False: shown.append((obj, raw)))
    fig = maps.range_map("ss20", "postavy_ss20")
    assert figures.show(fig) is None
    assert shown[0] == (fig, False)
    assert shown[1] == ({"text/html": figures.alternatives_html(fig),
                         "text/plain": fig.layout.meta["text_alternative"]}, True)
    with pytest.raises(ValueError, match="no data table"):
        figures.show(go.Figure(go.Scatter(x=[1], y=[2])))
    assert len(shown) == 2  # nothing shown for a figure without a table


def test_a_static_timelines_table_lists_the_events_in_its_view(events):
    from armscontrol import figures

    fig = timeline.timeline_figure(data.load_events(), data.load_treaties(),
                                   start="2018-10-01", end="2019-08-31")
    text, markup = figures.alternatives(fig)
    rows = _Table(markup).rows
    in_view = timeline.filter_events(events, start="2018-10-01", end="2019-08-31")
    assert [row[1] for row in rows] == list(in_view["title"])
    assert text.startswith(f"Timeline of {len(in_view)} events between 1 October 2018 and "
                           "31 August 2019")
    whole = figures.alternatives(timeline.timeline_figure(data.load_events()))
    assert len(_Table(whole[1]).rows) == len(events) > len(rows)
    with pytest.raises(ValueError, match="not in the events table"):
        figures.alternatives(fig, events=data.load_events().iloc[:3])
