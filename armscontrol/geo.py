"""Geodesic distances and range rings on the WGS84 ellipsoid.

Everything here is computed with Karney's geodesic algorithms (accurate to nanometres on the
WGS84 ellipsoid), never with a hand-written spherical formula: a haversine on a sphere is off by
up to about 0.5 %, which is tens of kilometres at missile ranges. Single points and rings use
``geographiclib`` (Karney's own Python implementation); many points at once (every place in a
table, every point of a map's outline) use ``pyproj``'s ``Geod``, PROJ's C implementation of the
same algorithms, which takes whole numpy arrays: 8,000 outline points in about 9 ms here against
0.6 s one by one, and equal to geographiclib to within a micrometre (tests/test_geo.py checks it).

Conventions used throughout:

- a point is ``(lat, lon)`` in degrees, WGS84, north and east positive;
- distances and ranges are in kilometres;
- ``lat`` must lie in [-90, 90] and ``lon`` in [-180, 180].

Functions
---------
- :func:`distance_km` the geodesic distance between two points;
- :func:`distances_km` the distance from one point to every row of a DataFrame;
- :func:`inverse_arrays` distances and azimuths from one point to arrays of points;
- :func:`within_range` the rows of a DataFrame that lie within a range of a point;
- :func:`range_ring` the ring of points at a given range around a point.
"""
from __future__ import annotations

import functools

import math
from typing import Iterable

import numpy as np
import pandas as pd
from geographiclib.geodesic import Geodesic

#: The WGS84 ellipsoid, as geographiclib defines it.
WGS84: Geodesic = Geodesic.WGS84

#: Half the Earth's circumference along a meridian (pole to pole), in km: the longest possible
#: distance between two points on the WGS84 ellipsoid, about 20,004 km. Computed, not typed.
HALF_CIRCUMFERENCE_KM: float = WGS84.Inverse(90.0, 0.0, -90.0, 0.0)["s12"] / 1000.0

#: Kilometres in one international mile: 1,760 yards of exactly 0.9144 m (the 1959 international
#: yard and pound agreement), so 1,609.344 m exactly. Source: "Mile", Wikipedia,
#: https://en.wikipedia.org/?oldid=525521498&title=Mile (citing NIST, "Appendix E. General
#: Tables of Units of Measurement", https://www.nist.gov/document-2382).
KM_PER_MILE: float = 1.609344


def check_point(lat: float, lon: float, what: str = "point") -> tuple[float, float]:
    """Check one ``(lat, lon)`` pair and return it as floats.

    Raises ``ValueError`` naming ``what`` when a coordinate is not a finite number, when ``lat``
    is outside [-90, 90] or ``lon`` outside [-180, 180] (a common cause: latitude and longitude
    swapped).
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError(
            f"{what}: coordinates must be numbers in degrees, got lat={lat!r}, lon={lon!r}"
        ) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise ValueError(f"{what}: coordinates must be finite, got lat={lat!r}, lon={lon!r}")
    if not -90.0 <= lat_f <= 90.0:
        raise ValueError(
            f"{what}: latitude {lat_f} is outside [-90, 90] degrees "
            "(are latitude and longitude swapped? points are (lat, lon))"
        )
    if not -180.0 <= lon_f <= 180.0:
        raise ValueError(f"{what}: longitude {lon_f} is outside [-180, 180] degrees")
    return lat_f, lon_f


class NotANumberError(TypeError, ValueError):
    """A range or coordinate that is not a number at all.

    Both a ``TypeError`` (the wrong kind of value) and a ``ValueError`` (so code that catches
    ``ValueError`` for any bad range, as the map functions document, still catches it), as
    numpy's ``AxisError`` is both an ``IndexError`` and a ``ValueError``.
    """


def check_range(range_km: float, what: str = "range") -> float:
    """Check a range in km and return it as a float; ``what`` names it in the error message.

    Raises :class:`NotANumberError` (a ``TypeError`` and a ``ValueError``) if it is not a
    number (a bool is not), and ``ValueError`` unless
    ``0 < range_km <= HALF_CIRCUMFERENCE_KM`` (about 20,004 km: no point on Earth is further
    away than that).
    """
    if isinstance(range_km, bool):
        raise NotANumberError(f"{what} must be a number of km, got a bool ({range_km!r})")
    try:
        value = float(range_km)
    except (TypeError, ValueError):
        raise NotANumberError(f"{what} must be a number of km, got {range_km!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number of km, got {range_km!r}")
    if value > HALF_CIRCUMFERENCE_KM:
        raise ValueError(
            f"{what} {value:,.0f} km is longer than half the Earth's circumference "
            f"({HALF_CIRCUMFERENCE_KM:,.0f} km): no place on Earth is that far away"
        )
    return value


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic distance in km between points ``a`` and ``b``, each ``(lat, lon)``.

    >>> round(distance_km((0, 0), (0, 1)), 3)   # one degree along the equator
    111.319
    """
    lat1, lon1 = check_point(*_pair(a, "a"), what="first point (a)")
    lat2, lon2 = check_point(*_pair(b, "b"), what="second point (b)")
    return _inverse_km(lat1, lon1, lat2, lon2)


def _pair(point: Iterable[float], name: str) -> tuple[float, float]:
    try:
        lat, lon = point
    except (TypeError, ValueError):
        raise ValueError(f"point {name} must be a (lat, lon) pair, got {point!r}") from None
    return lat, lon


def _check_frame(sites: pd.DataFrame) -> None:
    if not isinstance(sites, pd.DataFrame):
        raise TypeError(f"sites must be a pandas DataFrame, got {type(sites).__name__}")
    missing = [c for c in ("lat", "lon") if c not in sites.columns]
    if missing:
        raise ValueError(
            f"sites must have 'lat' and 'lon' columns (degrees); missing {missing}, "
            f"columns are {list(sites.columns)}"
        )


def _row_label(sites: pd.DataFrame, index) -> str:
    row = sites.loc[index]
    for column in ("name", "site_id"):
        if column in sites.columns and isinstance(row[column], str):
            return f"row {index!r} ({row[column]})"
    return f"row {index!r}"


@functools.lru_cache(maxsize=65_536)
def _inverse_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km between two checked points (geographiclib; cached: a lesson
    measures the same distances for several maps, captions and tables)."""
    return WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


@functools.cache
def _geod():
    """pyproj's ``Geod`` on the WGS84 ellipsoid (imported on first use: only maps need it)."""
    from pyproj import Geod
    return Geod(ellps="WGS84")


def inverse_arrays(lat0: float, lon0: float, lats, lons) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(distance_km, azimuth_deg)``: for every point of the arrays ``lats``, ``lons``
    (degrees), its geodesic distance in km from ``(lat0, lon0)`` on the WGS84 ellipsoid and the
    azimuth of that geodesic at ``(lat0, lon0)`` in degrees clockwise from north (-180 to 180).
    Points with a NaN coordinate get NaN. The coordinates are not checked: callers check them
    first (see :func:`check_point`)."""
    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    distance, azimuth = np.full(lats.shape, np.nan), np.full(lats.shape, np.nan)
    ok = np.isfinite(lats) & np.isfinite(lons)
    if ok.any():
        count = int(ok.sum())
        azi, _, metres = _geod().inv(np.full(count, float(lon0)), np.full(count, float(lat0)),
                                     lons[ok], lats[ok])
        distance[ok], azimuth[ok] = np.asarray(metres) / 1000.0, azi
    return distance, azimuth


def distances_km(sites: pd.DataFrame, lat: float, lon: float) -> pd.Series:
    """Return the geodesic distance in km from ``(lat, lon)`` to every row of ``sites``.

    ``sites`` needs ``lat`` and ``lon`` columns in degrees. The result is a float Series named
    ``distance_km`` with the same index as ``sites``. A row with a bad coordinate raises
    ``ValueError`` naming the row.
    """
    _check_frame(sites)
    lat0, lon0 = check_point(lat, lon, what="base")
    checked = [check_point(site_lat, site_lon, what=f"sites {_row_label(sites, index)}")
               for index, site_lat, site_lon in zip(sites.index, sites["lat"], sites["lon"])]
    lats = np.array([p[0] for p in checked], dtype=float)
    lons = np.array([p[1] for p in checked], dtype=float)
    distance, _ = inverse_arrays(lat0, lon0, lats, lons)
    return pd.Series(distance, index=sites.index, name="distance_km", dtype="float64")


def within_range(sites: pd.DataFrame, lat: float, lon: float, range_km: float) -> pd.DataFrame:
    """Return the rows of ``sites`` that lie within ``range_km`` km of ``(lat, lon)``.

    The result is a copy of those rows with an added ``distance_km`` column (km, float), sorted
    from nearest to furthest; a place exactly at the range counts as within it. ``sites`` keeps
    whatever other columns it has (``name``, ``kind``, ...). Raises ``ValueError`` for a bad
    range or bad coordinates.
    """
    limit = check_range(range_km)
    distance = distances_km(sites, lat, lon)
    result = sites.loc[distance <= limit].copy()
    result["distance_km"] = distance[distance <= limit]
    return result.sort_values("distance_km", kind="stable")


def range_ring(lat: float, lon: float, range_km: float, n: int = 360
               ) -> tuple[np.ndarray, np.ndarray]:
    """Return the ring of points at ``range_km`` km from ``(lat, lon)`` as ``(lons, lats)``.

    The ring is traced by following the geodesic from the centre for every one of ``n`` evenly
    spaced initial bearings (0 = north, clockwise), so each point is at the range to within
    nanometres. Both arrays have ``n + 1`` values in degrees: the last point closes the ring.

    Longitudes are *continuous*: consecutive values never jump by 360 degrees, so

    - a ring crossing the antimeridian runs past +/-180 (for example 175 -> 185) instead of
      jumping to -175, which is what mapping libraries need to draw it without a streak across
      the map (plotly draws it correctly; wrap with ``(lon + 180) % 360 - 180`` if you need
      values in [-180, 180));
    - a ring that encloses a pole (a 5,500 km ring around Chukotka or Alaska) goes once round:
      its last longitude is its first plus or minus 360.

    Raises ``ValueError`` for bad coordinates, a range outside (0, ~20,004] km, or ``n < 3``.
    """
    lat0, lon0 = check_point(lat, lon, what="ring centre")
    distance_m = check_range(range_km) * 1000.0
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 3:
        raise ValueError(f"n (points on the ring) must be an integer >= 3, got {n!r}")
    lons, lats = _ring(lat0, lon0, distance_m, int(n))
    return lons.copy(), lats.copy()  # copies: the cached arrays must not be changed


@functools.lru_cache(maxsize=32)
def _geodesics(lat0: float, lon0: float, n: int) -> tuple:
    """The ``n + 1`` geodesics leaving ``(lat0, lon0)`` at evenly spaced bearings (0 = north,
    clockwise; the last repeats the first), as geographiclib ``GeodesicLine`` objects.

    Cached per centre: setting a line up is most of the cost of a point on it, and a map draws
    many rings around the same base (the INF band, each claim, every step of a slider).
    """
    caps = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.DISTANCE_IN
    return tuple(WGS84.Line(lat0, lon0, float(bearing), caps)
                 for bearing in np.arange(n + 1) * (360.0 / n))


@functools.lru_cache(maxsize=512)
def _ring(lat0: float, lon0: float, distance_m: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(lons, lats)`` of the ring at ``distance_m`` metres (cached; see :func:`range_ring`)."""
    lats = np.empty(n + 1)
    lons = np.empty(n + 1)
    for i, line in enumerate(_geodesics(lat0, lon0, n)):
        point = line.Position(distance_m, Geodesic.LATITUDE | Geodesic.LONGITUDE)
        lats[i], lons[i] = point["lat2"], point["lon2"]
    # geographiclib gives each longitude in [-180, 180]; numpy's unwrap removes the 360-degree
    # jumps between neighbouring points, which is all the antimeridian and pole handling needs.
    lons = np.unwrap(lons, period=360.0)
    lons.flags.writeable = lats.flags.writeable = False
    return lons, lats


def km_to_miles(km: float) -> float:
    """Return ``km`` kilometres in international miles (1 mile = 1.609344 km)."""
    return float(km) / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    """Return ``miles`` international miles in kilometres (1 mile = 1.609344 km)."""
    return float(miles) * KM_PER_MILE
