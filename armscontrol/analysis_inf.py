"""Lessons 2 and 3 (the INF Treaty): the lesson's toolbox of small tables and distances.

Where a missile falls under the treaty (``inf_category``, ``is_banned``, ``claim_category``,
``classify_claims`` and the category names) is decided in :mod:`armscontrol.inf`, the one
module that applies Article II's definitions; they are imported here so that the lessons can
write ``inf.inf_category(...)`` with one import (``from armscontrol import analysis_inf as inf``).
"""
from __future__ import annotations

import pandas as pd

from armscontrol import geo
from armscontrol.geo import KM_PER_MILE, km_to_miles
from armscontrol.timeline import event_card
from armscontrol.inf import (ABOVE, BASINGS, BELOW, CATEGORIES, INTERMEDIATE,
                             NOT_GROUND, SHORTER, claim_category, classify_claims,
                             inf_category, is_banned)

#: What lessons 2 and 3 use as ``inf.<name>``: the treaty categories (from armscontrol.inf),
#: the mile conversion (from armscontrol.geo), event cards (from armscontrol.timeline) and
#: this module's own helpers.
__all__ = [
    "ABOVE", "BASINGS", "BELOW", "CATEGORIES", "INTERMEDIATE", "NOT_GROUND", "SHORTER",
    "claim_category", "classify_claims", "inf_category", "is_banned", "KM_PER_MILE",
    "km_to_miles", "site_point", "site_distance_km", "elimination_coverage", "event_card",
]


def site_point(site_id: str, sites: pd.DataFrame) -> tuple[float, float]:
    """Return the ``(lat, lon)`` in degrees of the site ``site_id`` in a sites.csv table.

    Raises ``KeyError`` listing the valid ids when ``site_id`` is not in ``sites``.
    """
    table = sites.set_index("site_id") if "site_id" in sites.columns else sites
    if site_id not in table.index:
        raise KeyError(f"no site {site_id!r} in sites; valid ids: {', '.join(map(str, table.index))}")
    row = table.loc[site_id]
    return float(row["lat"]), float(row["lon"])


def site_distance_km(a: str, b: str, sites: pd.DataFrame) -> float:
    """Return the geodesic distance in km between two sites of sites.csv, named by ``site_id``.

    Uses :func:`armscontrol.geo.distance_km` (geographiclib, WGS84). Raises ``KeyError`` for
    an unknown id.
    """
    return geo.distance_km(site_point(a, sites), site_point(b, sites))


def elimination_coverage(eliminations: pd.DataFrame, missiles: pd.DataFrame) -> pd.DataFrame:
    """Return, per party, how complete the elimination counts in inf_eliminations.csv are.

    Compares the systems marked ``"eliminated under INF"`` in ``missiles`` with the rows of
    ``eliminations``. One row per party (``US``, ``USSR``), indexed by party, with columns:
    ``systems_eliminated`` (how many systems missiles.csv marks as eliminated),
    ``systems_counted`` (how many of them have a count), ``missing`` (the names of those with no
    count, ``;``-separated, empty if none) and ``missiles_counted`` (the sum of the counts we
    have: a lower bound on the true total while ``missing`` is not empty).
    """
    eliminated = missiles[missiles["inf_status"] == "eliminated under INF"]
    rows = []
    for party in ("US", "USSR"):
        systems = eliminated[eliminated["country"] == party]  # missiles.csv uses the same codes
        counted = eliminations[eliminations["party"] == party]
        have = set(counted["system_id"])
        missing = [str(r.name) for r in systems.itertuples() if r.system_id not in have]
        rows.append({
            "party": party,
            "systems_eliminated": int(len(systems)),
            "systems_counted": int(systems["system_id"].isin(have).sum()),
            "missing": "; ".join(missing),
            "missiles_counted": int(counted["missiles_eliminated"].sum()),
        })
    return pd.DataFrame(rows).set_index("party")
