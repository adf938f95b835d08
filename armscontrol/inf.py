"""The INF Treaty's range classes: where a missile, or a claim about its range, falls.

This is the one place in the package that applies the treaty's definitions; the lesson helpers
(``analysis_inf``, ``analysis_new_start``, ``analysis_sources``) and the maps use it.

The INF Treaty defines the two classes of missile it bans in Article II, paragraphs 5 and 6
(official text at https://nuke.fas.org/control/inf/text/inf.htm, "Treaty Between the United
States of America and the Union of Soviet Socialist Republics on the Elimination of Their
Intermediate-Range and Shorter-Range Missiles", Federation of American Scientists; NATO
documents copy at https://michaelbommarito.com/wiki/nato/documents/inf-treaty)::

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

The three numbers are facts, so they are not typed here: :func:`band_km` reads them from
``data/treaty_limits.csv`` (``inf_min_range``, ``inf_shorter_intermediate_boundary``,
``inf_max_range``), where each has its source.
"""
from __future__ import annotations

import functools

import pandas as pd

from armscontrol import data, geo

#: The categories :func:`inf_category` returns.
SHORTER = "shorter-range (banned)"
INTERMEDIATE = "intermediate-range (banned)"
BELOW = "below 500 km (not covered)"
ABOVE = "above 5,500 km (not covered)"
NOT_GROUND = "not ground-launched (not covered)"
CATEGORIES: tuple[str, ...] = (SHORTER, INTERMEDIATE, BELOW, ABOVE, NOT_GROUND)

#: What a ``more than`` claim (a lower bound) can say, besides :data:`ABOVE` and
#: :data:`NOT_GROUND`; see :func:`claim_category`.
AT_LEAST_SHORTER = "at least shorter-range (banned unless above 5,500 km)"
AT_LEAST_INTERMEDIATE = "at least intermediate-range (banned unless above 5,500 km)"
UNKNOWN_BELOW = "unknown: the lower bound is below 500 km"

#: The readings of :func:`claim_category` that put a missile in the banned band, or at least at
#: its lower edge (see :func:`claim_in_band`).
IN_BAND: tuple[str, ...] = (SHORTER, INTERMEDIATE, AT_LEAST_SHORTER, AT_LEAST_INTERMEDIATE)

#: The ``basing`` values of missiles.csv.
BASINGS: tuple[str, ...] = ("ground", "sea", "air")

#: The ``claim_type`` values of missile_ranges.csv.
CLAIM_TYPES: tuple[str, ...] = ("maximum", "more than")


@functools.lru_cache(maxsize=1)
def _band_from_data() -> tuple[int, int, int]:
    return data.inf_band_km()


def band_km(limits: pd.DataFrame | None = None) -> tuple[int, int, int]:
    """Return the treaty's range edges in km: (lowest banned range, boundary between
    shorter- and intermediate-range, highest banned range) — 500, 1,000 and 5,500.

    Read from ``limits`` (a ``data.load_treaty_limits()`` table), by default from
    ``data/treaty_limits.csv`` (read once per session).
    """
    return _band_from_data() if limits is None else data.inf_band_km(limits)


def _check_basing(basing: str) -> str:
    if basing not in BASINGS:
        raise ValueError(f"basing must be one of {', '.join(BASINGS)} (as in missiles.csv), "
                         f"got {basing!r}")
    return basing


def inf_category(range_km: float, basing: str = "ground",
                 limits: pd.DataFrame | None = None) -> str:
    """Return where a missile of ``range_km`` km and this ``basing`` falls under the INF Treaty.

    One of :data:`CATEGORIES`: ``"shorter-range (banned)"`` for a ground-launched missile of
    500 to 1,000 km (both edges included), ``"intermediate-range (banned)"`` for more than
    1,000 and up to 5,500 km (5,500 included), ``"below 500 km (not covered)"``,
    ``"above 5,500 km (not covered)"``, or ``"not ground-launched (not covered)"`` for
    ``basing`` ``"sea"`` or ``"air"`` at any range. The edges follow the treaty's wording
    (Article II: "equal to or in excess of 500", "not in excess of 5500"; see the module
    docstring). ``limits``: see :func:`band_km`.

    Raises ``TypeError`` if ``range_km`` is not a number and ``ValueError`` if it is not
    positive, is longer than half the Earth's circumference (:func:`armscontrol.geo.check_range`)
    or ``basing`` is not ``"ground"``, ``"sea"`` or ``"air"``.

    >>> inf_category(500), inf_category(5500), inf_category(5501)
    ('shorter-range (banned)', 'intermediate-range (banned)', 'above 5,500 km (not covered)')
    """
    km = geo.check_range(range_km, "range_km")
    if _check_basing(basing) != "ground":
        return NOT_GROUND
    low, boundary, high = band_km(limits)
    if km < low:
        return BELOW
    if km <= boundary:
        return SHORTER
    if km <= high:
        return INTERMEDIATE
    return ABOVE


def is_banned(range_km: float, basing: str = "ground",
              limits: pd.DataFrame | None = None) -> bool:
    """Return True if the INF Treaty banned a missile of ``range_km`` km with this ``basing``.

    True exactly for ground-launched missiles of 500 to 5,500 km, both edges included.
    Raises like :func:`inf_category`.
    """
    return inf_category(range_km, basing, limits) in (SHORTER, INTERMEDIATE)


def claim_category(range_km: float, claim_type: str, basing: str = "ground",
                   limits: pd.DataFrame | None = None) -> str:
    """Return what one range claim (a row of missile_ranges.csv) says about the missile under INF.

    ``claim_type`` ``"maximum"``: the claim gives the range, so this is
    :func:`inf_category` of it. ``claim_type`` ``"more than"``: the claim only says the range
    exceeds ``range_km`` (a lower bound), so a longer range, even one above 5,500 km, is not
    ruled out. The function returns one of:

    - a category of :data:`CATEGORIES` when the claim settles it;
    - :data:`AT_LEAST_SHORTER` for a lower bound from 500 up to (not including) 1,000 km;
    - :data:`AT_LEAST_INTERMEDIATE` for a lower bound from 1,000 up to (not including)
      5,500 km;
    - :data:`UNKNOWN_BELOW` for a lower bound under 500 km.

    Raises ``ValueError`` for any other ``claim_type``, and like :func:`inf_category`.
    """
    km = geo.check_range(range_km, "range_km")
    basing = _check_basing(basing)
    if claim_type == "maximum":
        return inf_category(km, basing, limits)
    if claim_type != "more than":
        raise ValueError(f"claim_type must be one of {', '.join(CLAIM_TYPES)} (as in "
                         f"missile_ranges.csv), got {claim_type!r}")
    if basing != "ground":
        return NOT_GROUND
    low, boundary, high = band_km(limits)
    if km < low:
        return UNKNOWN_BELOW
    if km < boundary:
        return AT_LEAST_SHORTER
    if km < high:
        return AT_LEAST_INTERMEDIATE
    return ABOVE


def claim_in_band(range_km: float, claim_type: str, basing: str = "ground",
                  limits: pd.DataFrame | None = None) -> bool:
    """Return True if a range claim puts a missile inside the banned band, or at least at its
    lower edge: a ``maximum`` of 500 to 5,500 km, or a ``more than`` lower bound of 500 km up
    to (not including) 5,500 km, for a ground-launched missile.

    A lower bound says the missile reaches at least that far, which is what the INF charge
    needs (a range of 500 km or more); it cannot rule out a range above 5,500 km, which
    :func:`claim_category` spells out. Raises like :func:`claim_category`.
    """
    return claim_category(range_km, claim_type, basing, limits) in IN_BAND


def classify_claims(missile_ranges: pd.DataFrame | None = None,
                    missiles: pd.DataFrame | None = None,
                    limits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return each range claim with its missile's details and what the claim means under INF.

    ``missile_ranges`` and ``missiles`` default to ``data.load_missile_ranges()`` and
    ``data.load_missiles()`` (pass rows of them to classify fewer). Columns of the result:
    ``claim_id``, ``system_id``, ``name``, ``country``, ``basing``, ``inf_status``,
    ``range_km`` (km), ``claim_type``, ``claimant``, ``inf_category`` (from
    :func:`claim_category`) and ``in_band`` (from :func:`claim_in_band`), in the order of
    ``missile_ranges``.

    Raises ``ValueError`` naming the claims whose ``system_id`` is not in ``missiles``, or the
    columns a table lacks.
    """
    missile_ranges = data.load_missile_ranges() if missile_ranges is None else missile_ranges
    missiles = data.load_missiles() if missiles is None else missiles
    for frame, needed, what in ((missile_ranges, ("claim_id", "system_id", "range_km",
                                                  "claim_type", "claimant"), "missile_ranges"),
                                (missiles, ("system_id", "name", "country", "basing",
                                            "inf_status"), "missiles")):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"{what} lacks columns {missing}; it has {list(frame.columns)}")
    info = missiles.set_index("system_id")
    unknown = [f"{row.claim_id} ({row.system_id})" for row in missile_ranges.itertuples()
               if row.system_id not in info.index]
    if unknown:
        raise ValueError(f"claims for missiles not in the missiles table: {', '.join(unknown)}")
    table = missile_ranges[["claim_id", "system_id", "range_km", "claim_type",
                            "claimant"]].copy().reset_index(drop=True)
    for position, column in enumerate(("name", "country", "basing", "inf_status"), start=2):
        table.insert(position, column, [info.loc[s, column] for s in table["system_id"]])
    table["inf_category"] = [claim_category(r.range_km, str(r.claim_type), r.basing, limits)
                             for r in table.itertuples()]
    table["in_band"] = table["inf_category"].isin(IN_BAND)
    return table
