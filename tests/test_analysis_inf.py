"""Tests for armscontrol.analysis_inf: the lesson toolbox of lessons 2 and 3 (distances, tables).

The treaty categories themselves are tested in test_inf.py."""
import pandas as pd
import pytest

from armscontrol import analysis_inf as inf
from armscontrol import data, geo


def test_the_lesson_toolbox_uses_the_one_classifier():
    from armscontrol import inf as treaty
    assert inf.inf_category is treaty.inf_category
    assert inf.classify_claims is treaty.classify_claims


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
