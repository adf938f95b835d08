"""Tests for armscontrol.inf: the INF Treaty's categories, edges included, and range claims."""
import pandas as pd
import pytest

from armscontrol import data, inf


def test_band_is_read_from_the_data_set():
    limits = data.load_treaty_limits().set_index("limit_id")["value"]
    assert inf.band_km() == (limits["inf_min_range"], limits["inf_shorter_intermediate_boundary"],
                             limits["inf_max_range"])


def test_a_changed_limits_table_moves_the_edges():
    limits = data.load_treaty_limits()
    limits.loc[limits["limit_id"] == "inf_min_range", "value"] = 600
    assert inf.band_km(limits)[0] == 600
    assert inf.inf_category(550, "ground", limits) == inf.BELOW
    assert inf.inf_category(550) == inf.SHORTER


@pytest.mark.parametrize("km, expected", [
    (499.9, inf.BELOW),
    (500, inf.SHORTER),           # "equal to or in excess of 500 kilometers"
    (999, inf.SHORTER),
    (1000, inf.SHORTER),          # shorter-range: "not in excess of 1000"
    (1000.5, inf.INTERMEDIATE),   # intermediate-range: "in excess of 1000"
    (5500, inf.INTERMEDIATE),     # "not in excess of 5500 kilometers"
    (5500.1, inf.ABOVE),
    (12000, inf.ABOVE),
])
def test_ground_launched_categories_at_the_edges(km, expected):
    assert inf.inf_category(km, "ground") == expected


@pytest.mark.parametrize("basing", ["sea", "air"])
def test_sea_and_air_launched_missiles_are_not_covered_at_any_range(basing):
    for km in (300, 500, 2500, 5500, 9000):
        assert inf.inf_category(km, basing) == inf.NOT_GROUND
        assert inf.is_banned(km, basing) is False


def test_is_banned_includes_both_edges():
    assert [inf.is_banned(km) for km in (499, 500, 5500, 5501)] == [False, True, True, False]


@pytest.mark.parametrize("bad, error", [("far", TypeError), (None, TypeError), (True, TypeError),
                                        (0, ValueError), (-5, ValueError),
                                        (float("nan"), ValueError)])
def test_bad_ranges_are_rejected_with_a_clear_error(bad, error):
    with pytest.raises(error, match="range_km"):
        inf.inf_category(bad)


def test_bad_basing_is_rejected():
    with pytest.raises(ValueError, match="basing must be one of ground, sea, air"):
        inf.inf_category(1000, "land")


@pytest.mark.parametrize("km, expected", [
    (480, inf.BELOW),
    (500, inf.SHORTER),
    (2350, inf.INTERMEDIATE),
])
def test_maximum_claims_are_classified_by_their_range(km, expected):
    assert inf.claim_category(km, "maximum") == expected


@pytest.mark.parametrize("km, start", [
    (400, "unknown"),
    (499, "unknown"),
    (500, "at least shorter-range"),
    (999, "at least shorter-range"),
    (1000, "at least intermediate-range"),
    (2000, "at least intermediate-range"),
    (5500, "above 5,500 km"),
])
def test_lower_bound_claims_say_what_they_settle(km, start):
    assert inf.claim_category(km, "more than").startswith(start)


def test_unknown_claim_type_is_rejected():
    with pytest.raises(ValueError, match="claim_type must be one of maximum, more than"):
        inf.claim_category(500, "about")


@pytest.mark.parametrize("km, kind, expected", [
    (480, "maximum", False), (500, "maximum", True), (5500, "maximum", True),
    (5501, "maximum", False), (370, "more than", False), (500, "more than", True),
    (2000, "more than", True), (5500, "more than", False),
])
def test_claim_in_band_counts_lower_bounds_from_the_lower_edge(km, kind, expected):
    assert inf.claim_in_band(km, kind, "ground") is expected
    assert inf.claim_in_band(km, kind, "sea") is False


def test_classify_claims_on_the_data_set():
    table = inf.classify_claims()
    assert list(table.columns) == ["claim_id", "system_id", "name", "country", "basing",
                                   "inf_status", "range_km", "claim_type", "claimant",
                                   "inf_category", "in_band"]
    assert len(table) == len(data.load_missile_ranges())
    by_id = table.set_index("claim_id")["inf_category"]
    # Each row's category is what claim_category says for that row.
    for row in table.itertuples():
        assert by_id[row.claim_id] == inf.claim_category(row.range_km, row.claim_type, row.basing)
        assert row.in_band == inf.claim_in_band(row.range_km, row.claim_type, row.basing)
    # The Russian Ministry of Defence's 480 km maximum for the 9M729 is below the band.
    assert by_id["9m729_ru_mod"] == inf.BELOW


def test_classify_claims_names_a_claim_for_an_unknown_missile():
    claims = pd.DataFrame([{"claim_id": "x1", "system_id": "nope", "range_km": 600,
                            "claim_type": "maximum", "claimant": "me"}])
    with pytest.raises(ValueError, match=r"x1 \(nope\)"):
        inf.classify_claims(claims, data.load_missiles())
    with pytest.raises(ValueError, match=r"missiles lacks columns \['country'"):
        inf.classify_claims(claims, data.load_missiles().drop(columns=["country"]))
