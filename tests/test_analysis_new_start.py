"""Tests for armscontrol.analysis_new_start: counts against limits, range classes."""
import pandas as pd
import pytest

from armscontrol import analysis_new_start as ans
from armscontrol import data


def limits_table(warheads=1550, deployed=700, total=800, period=7):
    rows = [("ns_deployed_warheads", warheads), ("ns_deployed_launchers", deployed),
            ("ns_total_launchers", total), ("ns_reduction_period", period),
            ("inf_min_range", 500), ("inf_shorter_intermediate_boundary", 1000),
            ("inf_max_range", 5500)]
    return pd.DataFrame(rows, columns=["limit_id", "value"])


def counts_table(rows):
    frame = pd.DataFrame(rows, columns=["as_of", "party", "deployed_launchers",
                                        "deployed_warheads", "total_launchers"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


COUNTS = counts_table([
    ("2011-02-05", "US", 882, 1800, 1124),
    ("2011-02-05", "Russia", 521, 1537, 865),
    ("2018-02-05", "US", 652, 1350, 800),
    ("2018-02-05", "Russia", 527, 1444, 779),
])


def test_limits_are_read_from_the_table_not_typed():
    limits = ans.new_start_limits(limits_table(warheads=1234, deployed=11, total=22))
    assert limits.to_dict() == {"deployed_warheads": 1234, "deployed_launchers": 11,
                                "total_launchers": 22}


def test_limits_from_the_data_set_match_the_count_columns():
    limits = ans.new_start_limits()
    assert list(limits.index) == ["deployed_warheads", "deployed_launchers", "total_launchers"]
    assert (limits > 0).all()


def test_missing_limit_row_names_the_limit_id():
    table = limits_table()
    with pytest.raises(KeyError, match="ns_total_launchers"):
        ans.new_start_limits(table[table["limit_id"] != "ns_total_launchers"])


def test_deadline_is_entry_into_force_plus_reduction_period():
    treaties = pd.DataFrame({"treaty_id": ["New START"],
                             "entered_into_force": [pd.Timestamp("2011-02-05")]})
    assert ans.central_limits_deadline(treaties, limits_table(period=7)) == \
        pd.Timestamp("2018-02-05")
    assert ans.central_limits_deadline(treaties, limits_table(period=3)) == \
        pd.Timestamp("2014-02-05")


def test_counts_against_limits_margin_and_equal_counts_meet_the_limit():
    table = ans.counts_against_limits(COUNTS, limits_table())
    assert len(table) == len(COUNTS) * 3
    us_2018_total = table[(table["party"] == "US") & (table["as_of"] == "2018-02-05")
                          & (table["count"] == "total_launchers")].iloc[0]
    assert us_2018_total["value"] == 800 and us_2018_total["margin"] == 0
    assert bool(us_2018_total["within_limit"])  # equal to the limit meets it
    us_2011_warheads = table[(table["party"] == "US") & (table["as_of"] == "2011-02-05")
                             & (table["count"] == "deployed_warheads")].iloc[0]
    assert us_2011_warheads["margin"] == 1550 - 1800
    assert not bool(us_2011_warheads["within_limit"])


def test_counts_against_limits_rejects_a_table_without_count_columns():
    with pytest.raises(ValueError, match="deployed_warheads"):
        ans.counts_against_limits(COUNTS.drop(columns="deployed_warheads"), limits_table())


def test_exchange_on_gives_party_by_count_booleans():
    table = ans.exchange_on("2011-02-05", COUNTS, limits_table())
    assert set(table.index) == {"US", "Russia"}
    assert list(table.columns) == ["deployed_warheads", "deployed_launchers", "total_launchers"]
    assert table.loc["Russia"].tolist() == [True, True, False]
    assert table.loc["US"].tolist() == [False, False, False]
    assert ans.exchange_on("2018-02-05", COUNTS, limits_table()).all().all()


def test_exchange_on_unknown_date_lists_the_dates_held():
    with pytest.raises(KeyError, match="2011-02-05, 2018-02-05"):
        ans.exchange_on("2015-03-01", COUNTS, limits_table())


def test_exchange_dates_and_missing_exchanges():
    dates = ans.exchange_dates(COUNTS)
    assert dates["parties"].tolist() == ["Russia; US", "Russia; US"]
    counts = counts_table([("2011-02-05", "US", 1, 1, 1), ("2011-09-01", "US", 1, 1, 1),
                           ("2012-09-01", "US", 1, 1, 1)])
    # 1 March 2011 is covered by the exchange dated 5 February 2011; 1 March 2012 is missing.
    assert ans.missing_exchanges(counts) == [pd.Timestamp("2012-03-01")]
    assert ans.missing_exchanges(counts, tolerance_days=0) == [
        pd.Timestamp("2011-03-01"), pd.Timestamp("2012-03-01")]


def test_exchanges_figure_has_a_panel_per_party_and_limit_lines():
    treaties = pd.DataFrame({"treaty_id": ["New START"],
                             "entered_into_force": [pd.Timestamp("2011-02-05")]})
    fig = ans.exchanges_figure(COUNTS, limits_table(), treaties)
    assert [a.text for a in fig.layout.annotations][:2] == ["US", "Russia"]
    lines = [t for t in fig.data if t.name.startswith("limit: ")]
    assert len(lines) == 6
    assert {t.y[0] for t in lines} == {1550, 700, 800}
    us_warheads = next(t for t in fig.data if t.name == "deployed warheads" and t.xaxis == "x")
    assert list(us_warheads.y) == [1800, 1350]
    with pytest.raises(ValueError, match="China"):
        ans.exchanges_figure(COUNTS, limits_table(), treaties, parties=("US", "China"))


def test_post_inf_systems_reports_systems_without_range_data():
    missiles = pd.DataFrame({"system_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                             "country": ["US", "Russia", "US"], "basing": ["ground"] * 3,
                             "kind": ["cruise"] * 3,
                             "inf_status": ["post-INF", "post-INF", "outside INF"]})
    ranges = pd.DataFrame({"claim_id": ["a1", "a2", "c1"], "system_id": ["a", "a", "c"],
                           "range_km": [1000, 2000, 300]})
    table = ans.post_inf_systems(missiles, ranges).set_index("system_id")
    assert list(table.index) == ["a", "b"]
    assert table.loc["a", "range_claims"] == 2 and table.loc["a", "longest_claim_km"] == 2000
    assert table.loc["b", "range_claims"] == 0
    assert table.loc["b", "range_data"] == "no range claim in the data set"


def test_functions_run_on_the_data_set():
    counts = data.load_new_start_counts()
    table = ans.counts_against_limits()
    assert len(table) == 3 * len(counts)
    assert set(ans.exchange_dates()["as_of"]) == set(counts["as_of"])
    assert ans.post_inf_systems()["system_id"].tolist() == data.load_missiles().query(
        "inf_status == 'post-INF'")["system_id"].tolist()
