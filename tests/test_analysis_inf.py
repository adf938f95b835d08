"""Tests for armscontrol.analysis_inf: the INF Treaty's categories, edges included, and tables."""
import pandas as pd
import pytest

from armscontrol import analysis_inf as inf
from armscontrol import data, geo


def test_band_matches_the_data_set():
    limits = data.load_treaty_limits().set_index("limit_id")["value"]
    assert inf.BAND_KM == (limits["inf_min_range"], limits["inf_shorter_intermediate_boundary"],
                           limits["inf_max_range"])


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
    with pytest.raises(ValueError, match="claim_type must be 'maximum' or 'more than'"):
        inf.claim_category(500, "about")


def test_classify_claims_on_the_data_set():
    table = inf.classify_claims(data.load_missile_ranges(), data.load_missiles())
    assert list(table.columns) == ["claim_id", "system_id", "name", "basing", "range_km",
                                   "claim_type", "claimant", "inf_category"]
    assert len(table) == len(data.load_missile_ranges())
    by_id = table.set_index("claim_id")["inf_category"]
    # Each row's category is what claim_category says for that row.
    for row in table.itertuples():
        assert by_id[row.claim_id] == inf.claim_category(row.range_km, row.claim_type, row.basing)


def test_classify_claims_names_a_claim_for_an_unknown_missile():
    claims = pd.DataFrame([{"claim_id": "x1", "system_id": "nope", "range_km": 600,
                            "claim_type": "maximum", "claimant": "me"}])
    with pytest.raises(ValueError, match=r"x1 \(nope\)"):
        inf.classify_claims(claims, data.load_missiles())


def test_km_to_miles():
    assert inf.km_to_miles(inf.KM_PER_MILE) == pytest.approx(1.0)
    assert round(inf.km_to_miles(5500)) == 3418


def test_site_distance_uses_the_geodesic():
    sites = data.load_sites()
    a = sites.set_index("site_id").loc["mutlangen"]
    b = sites.set_index("site_id").loc["moscow"]
    expected = geo.distance_km((a["lat"], a["lon"]), (b["lat"], b["lon"]))
    assert inf.site_distance_km("mutlangen", "moscow", sites) == pytest.approx(expected)
    assert inf.site_distance_km("moscow", "moscow", sites) == 0


def test_unknown_site_lists_valid_ids():
    with pytest.raises(KeyError, match="valid ids"):
        inf.site_point("atlantis", data.load_sites())


def _missiles(rows):
    return pd.DataFrame(rows, columns=["system_id", "name", "country", "inf_status"])


def test_elimination_coverage_reports_missing_systems():
    missiles = _missiles([
        ("a", "Alpha", "US", "eliminated under INF"),
        ("b", "Beta", "USSR", "eliminated under INF"),
        ("c", "Gamma", "USSR", "eliminated under INF"),
        ("d", "Delta", "Russia", "disputed"),
    ])
    elims = pd.DataFrame({"system_id": ["a", "b"], "party": ["US", "USSR"],
                          "missiles_eliminated": [10, 7]})
    table = inf.elimination_coverage(elims, missiles)
    assert table.loc["US"].to_dict() == {"systems_eliminated": 1, "systems_counted": 1,
                                         "missing": "", "missiles_counted": 10}
    assert table.loc["USSR"].to_dict() == {"systems_eliminated": 2, "systems_counted": 1,
                                           "missing": "Gamma", "missiles_counted": 7}


def test_elimination_coverage_on_the_data_set_adds_up():
    elims = data.load_inf_eliminations()
    table = inf.elimination_coverage(elims, data.load_missiles())
    assert table["missiles_counted"].sum() == elims["missiles_eliminated"].sum()


def test_event_card_shows_the_event_and_its_quote():
    html = inf.event_card("peskov_replies").data
    assert "Kremlin denies violating INF" in html
    assert "dilutes" in html  # the linked CNN quote is shown in its paragraph


def test_event_card_unknown_id():
    with pytest.raises(KeyError, match="no event 'nope'"):
        inf.event_card("nope")
