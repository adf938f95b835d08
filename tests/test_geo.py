"""Tests for armscontrol.geo: distances and range rings on the WGS84 ellipsoid."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic

from armscontrol import geo

WGS84 = Geodesic.WGS84


def sphere_km(a, b, radius_km=6371.0088):
    """Great-circle distance on a sphere (an independent cross-check, good to ~0.5 %)."""
    (lat1, lon1), (lat2, lon2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * radius_km * math.asin(math.sqrt(h))


# --- distance_km against published values --------------------------------------------------

def test_wellington_salamanca_matches_karneys_published_value():
    # C. F. F. Karney's example for GeographicLib: Wellington, NZ (41.32S, 174.81E) to
    # Salamanca, Spain (40.96N, 5.50W) is 19959679.267 m
    # (https://www.github.com/yurijmikhalevich/node-geographiclib, README "node geographiclib").
    assert geo.distance_km((-41.32, 174.81), (40.96, -5.50)) == pytest.approx(19959.679267,
                                                                            abs=1e-6)


def test_one_degree_along_the_equator_is_a_pi_over_180():
    # WGS84's equatorial radius is 6,378,137 m; along the equator a geodesic is the equator.
    assert geo.distance_km((0, 10), (0, 11)) == pytest.approx(6378.137 * math.pi / 180,
                                                            rel=1e-12)


def test_half_circumference_is_pole_to_pole():
    assert geo.HALF_CIRCUMFERENCE_KM == pytest.approx(20003.93, abs=0.01)
    assert geo.distance_km((90, 0), (-90, 0)) == pytest.approx(geo.HALF_CIRCUMFERENCE_KM)


def test_distance_is_symmetric_and_zero_for_the_same_point():
    a, b = (55.75, 37.6), (52.52, 13.4)
    assert geo.distance_km(a, b) == pytest.approx(geo.distance_km(b, a), abs=1e-9)
    assert geo.distance_km(a, a) == 0


def test_moscow_berlin_in_the_real_sites_table():
    from armscontrol import data

    sites = data.load_sites().set_index("site_id")
    if not {"moscow", "berlin"} <= set(sites.index):
        pytest.skip("sites.csv has no Moscow or Berlin row yet")
    moscow = tuple(sites.loc["moscow", ["lat", "lon"]])
    berlin = tuple(sites.loc["berlin", ["lat", "lon"]])
    km = geo.distance_km(moscow, berlin)
    # Commonly quoted city-centre distances are about 1,610 km; the spherical formula agrees
    # with the ellipsoid to within half a per cent.
    assert 1590 < km < 1630
    assert km == pytest.approx(sphere_km(moscow, berlin), rel=0.005)


@pytest.mark.parametrize("a, b, message", [
    ((91, 0), (0, 0), "latitude 91.0 is outside"),
    ((0, 0), (0, 181), "longitude 181.0 is outside"),
    ((float("nan"), 0), (0, 0), "finite"),
    (("north", 0), (0, 0), "must be numbers"),
    ((1, 2, 3), (0, 0), "(lat, lon) pair"),
])
def test_bad_coordinates_raise_clear_value_errors(a, b, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        geo.distance_km(a, b)


# --- range_ring --------------------------------------------------------------------------------

def ring_errors_m(lat, lon, lons, lats, range_km):
    return np.array([WGS84.Inverse(lat, lon, la, lo)["s12"] - range_km * 1000
                     for lo, la in zip(lons, lats)])


@pytest.mark.parametrize("lat, lon, range_km", [
    (55.75, 37.6, 5500),      # Moscow, the INF upper bound
    (64.73, 177.5, 5500),     # Anadyr, Chukotka: crosses the antimeridian, encloses the pole
    (64.84, -147.72, 5500),   # Fairbanks, Alaska: the same from the other side
    (-41.3, 174.8, 2000),     # Wellington: crosses the antimeridian in the south
    (0, 0, 500),
    (90, 0, 1000),            # centred on the North Pole
    (-89.9, 10, 19000),       # nearly antipodal
])
def test_every_ring_point_is_at_the_range_within_a_metre(lat, lon, range_km):
    lons, lats = geo.range_ring(lat, lon, range_km, n=72)
    assert len(lons) == len(lats) == 73
    assert np.max(np.abs(ring_errors_m(lat, lon, lons, lats, range_km))) < 1.0


def test_ring_crossing_the_antimeridian_is_continuous():
    # 2,000 km around Anadyr (177.5 E) reaches well past 180 without enclosing the pole.
    lons, lats = geo.range_ring(64.73, 177.5, 2000, n=180)
    steps = np.abs(np.diff(lons))
    assert steps.max() < 10, "neighbouring points must not jump across the map"
    assert lons.max() > 180, "the eastern side runs past +180 instead of jumping to -180"
    assert lons[-1] == pytest.approx(lons[0]) and lats[-1] == pytest.approx(lats[0])
    # wrapped into [-180, 180) the points are the same places
    wrapped = (lons + 180) % 360 - 180
    assert np.max(np.abs(ring_errors_m(64.73, 177.5, wrapped, lats, 2000))) < 1.0


@pytest.mark.parametrize("lat, lon", [(64.73, 177.5), (64.84, -147.72)])
def test_ring_enclosing_the_north_pole_goes_once_round(lat, lon):
    # 5,500 km from Chukotka or Alaska (both ~25 degrees, ~2,800 km, from the pole).
    lons, lats = geo.range_ring(lat, lon, 5500, n=360)
    assert abs(lons[-1] - lons[0]) == pytest.approx(360)
    assert np.abs(np.diff(lons)).max() < 10
    assert lats.min() > 0 and lats.max() < 90


def test_ring_not_enclosing_a_pole_closes_on_itself():
    lons, lats = geo.range_ring(55.75, 37.6, 1000, n=36)
    assert lons[-1] == pytest.approx(lons[0])
    assert np.all(lons > 0) and np.all(lons < 80)


def test_first_point_is_due_north():
    lons, lats = geo.range_ring(0, 0, 1000, n=4)
    assert lons[0] == pytest.approx(0, abs=1e-9) and lats[0] > 8.9
    assert lats[1] == pytest.approx(0, abs=1e-9) and lons[1] > 8.9  # then east


@pytest.mark.parametrize("range_km, message", [
    (0, "positive"), (-5, "positive"), (float("inf"), "positive"),
    (20_005, "half the Earth's circumference"), ("far", "number of km"),
])
def test_impossible_ranges_raise_value_error(range_km, message):
    with pytest.raises(ValueError, match=message):
        geo.range_ring(0, 0, range_km)


def test_range_of_half_the_circumference_is_allowed():
    lons, lats = geo.range_ring(90, 0, geo.HALF_CIRCUMFERENCE_KM, n=8)
    assert np.allclose(lats, -90, atol=1e-6)


@pytest.mark.parametrize("n", [2, 0, 3.5, True])
def test_ring_needs_at_least_three_points(n):
    with pytest.raises(ValueError, match="n \\(points on the ring\\)"):
        geo.range_ring(0, 0, 100, n=n)


def test_ring_rejects_bad_centre():
    with pytest.raises(ValueError, match="ring centre: latitude 100.0"):
        geo.range_ring(100, 0, 100)


# --- DataFrame helpers ------------------------------------------------------------------------

@pytest.fixture
def places():
    return pd.DataFrame({
        "site_id": ["a", "b", "c", "d"],
        "name": ["Origin", "Near", "Far", "Across"],
        "lat": [0.0, 0.0, 0.0, 0.0],
        "lon": [0.0, 1.0, 10.0, -3.0],
    }, index=[10, 11, 12, 13])


def test_distances_keep_the_index(places):
    d = geo.distances_km(places, 0, 0)
    assert list(d.index) == [10, 11, 12, 13]
    assert d.loc[11] == pytest.approx(111.319, abs=0.001)
    assert d.name == "distance_km"


def test_within_range_returns_rows_in_reach_nearest_first(places):
    near = geo.within_range(places, 0, 0, 400)
    assert list(near["name"]) == ["Origin", "Near", "Across"]
    assert near["distance_km"].is_monotonic_increasing
    assert near.loc[13, "distance_km"] == pytest.approx(3 * 111.3195, abs=0.01)
    assert "distance_km" not in places.columns  # the input is left alone


def test_within_range_counts_a_place_exactly_at_the_range(places):
    exact = geo.distance_km((0, 0), (0, 10))
    assert "Far" in set(geo.within_range(places, 0, 0, exact)["name"])


def test_within_range_names_a_bad_row(places):
    places.loc[12, "lat"] = 95
    with pytest.raises(ValueError, match=r"row 12 \(Far\).*latitude 95"):
        geo.within_range(places, 0, 0, 100)


def test_within_range_needs_lat_lon_columns():
    with pytest.raises(ValueError, match="'lat' and 'lon' columns"):
        geo.within_range(pd.DataFrame({"x": [1]}), 0, 0, 100)


def test_within_range_rejects_bad_range(places):
    with pytest.raises(ValueError, match="positive"):
        geo.within_range(places, 0, 0, 0)


def test_miles_and_kilometres_convert_both_ways():
    assert geo.miles_to_km(1) == pytest.approx(1.609344)
    assert geo.km_to_miles(geo.miles_to_km(3400)) == pytest.approx(3400)
    # CNN's "300 and 3,400 miles" against the treaty's 500-5,500 km band (lessons 2 and 6).
    assert round(geo.miles_to_km(300)) == 483 and round(geo.km_to_miles(5500)) == 3418


# --- many points at once (pyproj) against geographiclib -------------------------------------

def test_inverse_arrays_equal_geographiclib_to_a_micrometre():
    rng = np.random.default_rng(7)
    lats = np.concatenate([rng.uniform(-90, 90, 400), [0.0, 90.0, -90.0, -52.5]])
    lons = np.concatenate([rng.uniform(-180, 180, 400), [-166.6, 0.0, 0.0, -166.6]])
    distance, azimuth = geo.inverse_arrays(52.5, 13.4, lats, lons)  # the last: near-antipodal
    for lat, lon, s, azi in zip(lats, lons, distance, azimuth):
        ref = WGS84.Inverse(52.5, 13.4, lat, lon)
        assert s * 1000.0 == pytest.approx(ref["s12"], abs=1e-6)
        if ref["s12"] < 19_000_000:  # near the antipode the azimuth is ill-conditioned
            assert (azi - ref["azi1"] + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=1e-9)


def test_inverse_arrays_give_nan_for_nan_and_keep_the_shape():
    distance, azimuth = geo.inverse_arrays(0.0, 0.0, [0.0, np.nan, 0.0], [1.0, 5.0, np.nan])
    assert distance.shape == azimuth.shape == (3,)
    assert distance[0] == pytest.approx(111.319, abs=0.001) and azimuth[0] == pytest.approx(90)
    assert np.isnan(distance[1:]).all() and np.isnan(azimuth[1:]).all()
    empty = geo.inverse_arrays(0.0, 0.0, [], [])
    assert empty[0].shape == (0,)
