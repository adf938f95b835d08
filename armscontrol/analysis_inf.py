"""Lessons 2 and 3 (the INF Treaty): classifying missiles under the treaty, and small tables.

The INF Treaty defines the two classes of missile it bans in Article II. As given in the copy of
the treaty text reproduced at https://michaelbommarito.com/wiki/nato/documents/inf-treaty
("The Intermediate-Range Nuclear Forces (INF) Treaty", NATO documents wiki; the full official
text is at https://nuke.fas.org/control/inf/text/inf.htm, "Treaty Between the United States of
America and the Union of Soviet Socialist Republics on the Elimination of Their Intermediate-Range
and Shorter-Range Missiles", Federation of American Scientists, where these are paragraphs 5
and 6 of Article II, after the four definitions of missiles and launchers)::

    The term "intermediate-range missile" means a GLBM or a GLCM having a range capability
    in excess of 1000 kilometers but not in excess of 5500 kilometers.

    The term "shorter-range missile" means a GLBM or a GLCM having a range capability equal
    to or in excess of 500 kilometers but not in excess of 1000 kilometers.

GLBM and GLCM are *ground-launched* ballistic and cruise missiles (Article II, paragraphs 1
and 2). So both edges of the banned band are inside it: a ground-launched missile with a range
of exactly 500 km is a shorter-range missile, one of exactly 1,000 km is still a shorter-range
missile, one of exactly 5,500 km is an intermediate-range missile, and one of 5,501 km is
outside the treaty. The definitions do not mention warheads: nuclear and conventional missiles
alike are covered. Sea- and air-launched missiles are not.

The band's numbers are not typed here as facts for the lessons: notebooks read them from
``data/treaty_limits.csv`` (``inf_min_range``, ``inf_shorter_intermediate_boundary``,
``inf_max_range``). :data:`BAND_KM` holds the same numbers so that this module can be tested
on its own; a unit test checks that the two agree.
"""
from __future__ import annotations

import math
import pandas as pd

from armscontrol import geo

#: The treaty's range edges in km: (lower edge of shorter-range, boundary between shorter- and
#: intermediate-range, upper edge of intermediate-range). Article II, paragraphs 5 and 6 (see the
#: module docstring for the wording and its sources). ``tests/test_analysis_inf.py`` checks these
#: against ``data/treaty_limits.csv``.
BAND_KM: tuple[int, int, int] = (500, 1000, 5500)

#: Kilometres in one international mile (1,609.344 m exactly, by the 1959 international yard and
#: pound agreement). Source: "Mile", Wikipedia, https://en.wikipedia.org/?oldid=525521498&title=Mile
#: (citing NIST, "Appendix E. General Tables of Units of Measurement",
#: https://www.nist.gov/document-2382).
KM_PER_MILE: float = 1.609344

#: The categories :func:`inf_category` returns.
SHORTER = "shorter-range (banned)"
INTERMEDIATE = "intermediate-range (banned)"
BELOW = "below 500 km (not covered)"
ABOVE = "above 5,500 km (not covered)"
NOT_GROUND = "not ground-launched (not covered)"
CATEGORIES: tuple[str, ...] = (SHORTER, INTERMEDIATE, BELOW, ABOVE, NOT_GROUND)

BASINGS: tuple[str, ...] = ("ground", "sea", "air")


def _check_km(range_km: float, what: str = "range_km") -> float:
    if isinstance(range_km, bool):
        raise TypeError(f"{what} must be a number of km, got a bool ({range_km!r})")
    try:
        value = float(range_km)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number of km, got {range_km!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number of km, got {range_km!r}")
    return value


def _check_basing(basing: str) -> str:
    if basing not in BASINGS:
        raise ValueError(f"basing must be one of {', '.join(BASINGS)} (as in missiles.csv), "
                         f"got {basing!r}")
    return basing


def inf_category(range_km: float, basing: str = "ground") -> str:
    """Return where a missile of ``range_km`` km and this ``basing`` falls under the INF Treaty.

    One of :data:`CATEGORIES`: ``"shorter-range (banned)"`` for a ground-launched missile of
    500 to 1,000 km (both edges included), ``"intermediate-range (banned)"`` for more than
    1,000 and up to 5,500 km (5,500 included), ``"below 500 km (not covered)"``,
    ``"above 5,500 km (not covered)"``, or ``"not ground-launched (not covered)"`` for
    ``basing`` ``"sea"`` or ``"air"`` at any range. The edges follow the treaty's wording
    (Article II: "equal to or in excess of 500", "not in excess of 5500"; see the module
    docstring).

    Raises ``TypeError`` if ``range_km`` is not a number and ``ValueError`` if it is not
    positive or ``basing`` is not ``"ground"``, ``"sea"`` or ``"air"``.

    >>> inf_category(500), inf_category(5500), inf_category(5501)
    ('shorter-range (banned)', 'intermediate-range (banned)', 'above 5,500 km (not covered)')
    """
    km = _check_km(range_km)
    if _check_basing(basing) != "ground":
        return NOT_GROUND
    low, boundary, high = BAND_KM
    if km < low:
        return BELOW
    if km <= boundary:
        return SHORTER
    if km <= high:
        return INTERMEDIATE
    return ABOVE


def is_banned(range_km: float, basing: str = "ground") -> bool:
    """Return True if the INF Treaty banned a missile of ``range_km`` km with this ``basing``.

    True exactly for ground-launched missiles of 500 to 5,500 km, both edges included.
    Raises like :func:`inf_category`.
    """
    return inf_category(range_km, basing) in (SHORTER, INTERMEDIATE)


def claim_category(range_km: float, claim_type: str, basing: str = "ground") -> str:
    """Return what one range claim (a row of missile_ranges.csv) says about the missile under INF.

    ``claim_type`` ``"maximum"``: the claim gives the range, so this is
    :func:`inf_category` of it. ``claim_type`` ``"more than"``: the claim only says the range
    exceeds ``range_km`` (a lower bound), so a longer range, even one above 5,500 km, is not
    ruled out. The function returns one of:

    - a category of :data:`CATEGORIES` when the claim settles it;
    - ``"at least shorter-range (banned unless above 5,500 km)"`` for a lower bound from 500
      up to (not including) 1,000 km;
    - ``"at least intermediate-range (banned unless above 5,500 km)"`` for a lower bound from
      1,000 up to (not including) 5,500 km;
    - ``"unknown: the lower bound is below 500 km"`` for a lower bound under 500 km.

    Raises ``ValueError`` for any other ``claim_type``, and like :func:`inf_category`.
    """
    km = _check_km(range_km)
    basing = _check_basing(basing)
    if claim_type == "maximum":
        return inf_category(km, basing)
    if claim_type != "more than":
        raise ValueError(f"claim_type must be 'maximum' or 'more than' (as in "
                         f"missile_ranges.csv), got {claim_type!r}")
    if basing != "ground":
        return NOT_GROUND
    low, boundary, high = BAND_KM
    if km < low:
        return "unknown: the lower bound is below 500 km"
    if km < boundary:
        return "at least shorter-range (banned unless above 5,500 km)"
    if km < high:
        return "at least intermediate-range (banned unless above 5,500 km)"
    return ABOVE


def classify_claims(missile_ranges: pd.DataFrame, missiles: pd.DataFrame) -> pd.DataFrame:
    """Return each range claim with the missile's name, basing and what the claim means under INF.

    ``missile_ranges`` and ``missiles`` are the tables of ``data.load_missile_ranges()`` and
    ``data.load_missiles()`` (or rows of them). Columns of the result: ``claim_id``,
    ``system_id``, ``name``, ``basing``, ``range_km`` (km), ``claim_type``, ``claimant``,
    ``inf_category`` (from :func:`claim_category`), in the order of ``missile_ranges``.

    Raises ``ValueError`` naming the claim when its ``system_id`` is not in ``missiles``.
    """
    for frame, needed, what in ((missile_ranges, ("claim_id", "system_id", "range_km",
                                                  "claim_type", "claimant"), "missile_ranges"),
                                (missiles, ("system_id", "name", "basing"), "missiles")):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"{what} lacks columns {missing}; it has {list(frame.columns)}")
    info = missiles.set_index("system_id")[["name", "basing"]]
    unknown = [f"{row.claim_id} ({row.system_id})" for row in missile_ranges.itertuples()
               if row.system_id not in info.index]
    if unknown:
        raise ValueError(f"claims for missiles not in the missiles table: {', '.join(unknown)}")
    table = missile_ranges[["claim_id", "system_id", "range_km", "claim_type",
                            "claimant"]].copy()
    table.insert(2, "name", [str(info.loc[s, "name"]) for s in table["system_id"]])
    table.insert(3, "basing", [str(info.loc[s, "basing"]) for s in table["system_id"]])
    table["inf_category"] = [claim_category(r.range_km, str(r.claim_type), r.basing)
                             for r in table.itertuples()]
    return table.reset_index(drop=True)


def km_to_miles(km: float) -> float:
    """Return ``km`` kilometres in international miles (1 mile = 1.609344 km)."""
    return float(km) / KM_PER_MILE


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


def event_card(event_id: str, events: pd.DataFrame | None = None):
    """Return one event of the chronology as an HTML card for a notebook (``IPython.display.HTML``).

    The card is :func:`armscontrol.timeline.event_detail_html`: title, date with its precision,
    actors, type, summary, and its sources (a quote from the articles highlighted in its
    paragraph, and the reference link). ``events`` defaults to ``data.load_events()``.
    Raises ``KeyError`` when ``event_id`` is not in the chronology.
    """
    from IPython.display import HTML

    from armscontrol import data, timeline

    quotes = data.load_quotes()
    table = timeline.prepare_events(data.load_events() if events is None else events, quotes)
    match = table[table["event_id"] == event_id]
    if match.empty:
        raise KeyError(f"no event {event_id!r} in the chronology; see data/events.csv for the ids")
    return HTML(timeline.event_detail_html(match.iloc[0], quotes, data.load_sources()))
