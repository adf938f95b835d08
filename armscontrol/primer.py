"""Feedback for the challenges of the Python primer (notebooks/00b_python_primer.ipynb).

Each challenge cell of the primer ends with ``primer.check("name", answer)``. The check prints one
line: what is right, or, if the answer is not right yet, a hint that says what to look at (never
the answer itself). It uses the exercises' feedback helpers (:mod:`armscontrol.exercises`), so a
student meets the same messages here as in the graded exercises, but it prints them instead of
raising an error: a beginner's first mistakes should not fill the screen with a traceback.

The right answers are computed from the data set each time, never typed in here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from armscontrol import data
from armscontrol.geo import KM_PER_MILE
from armscontrol.exercises import check as require, check_answered, check_type

RIGHT = "Right: "
NOT_YET = "Not yet: "
UNANSWERED = "Not answered yet: "


@dataclass(frozen=True)
class Challenge:
    """A primer challenge: the variable the student fills in, its test and the praise on success.

    ``test`` raises ``AssertionError`` with a hint if the answer is wrong; ``praise`` is printed
    after ``RIGHT`` when it passes, with ``{value}`` replaced by the answer.
    """

    variable: str
    test: Callable[[Any], None]
    praise: str


def _miles(value: Any) -> None:
    check_type(value, int, "pershing1a_km")
    expected = round(450 * KM_PER_MILE)
    require(value != round(450 / KM_PER_MILE),
            "A kilometre is shorter than a mile, so there are more kilometres: multiply, "
            "do not divide.")
    require(value == expected, "Multiply 450 by KM_PER_MILE, then round the result with round(...).")


def _shorter_range(value: Any) -> None:
    check_answered(value, "is_shorter_range")
    require(callable(value), "is_shorter_range should be your function itself: define it with def.")
    result = value(700)
    require(result is not None, "Your function returns nothing yet: it needs a return line.")
    require(type(result) is bool, "Your function should return True or False (a comparison does).")
    low, middle, _ = data.inf_band_km()
    require(value(700) is True and value(100) is False and value(3000) is False,
            f"A shorter-range missile flies {low:,} to {middle:,} km: check 100, 700 and 3000 km.")
    require(value(low) is True, f"Exactly {low} km counts as shorter-range: use <= at the lower edge.")
    require(value(middle) is True,
            f"Exactly {middle:,} km still counts as shorter-range: use <= at the upper edge too.")
    require(value(middle + 1) is False and value(low - 1) is False,
            "Just outside either edge is not shorter-range.")


def _ground_cruise(value: Any) -> None:
    check_type(value, int, "ground_cruise")
    missiles = data.load_missiles()
    ground = missiles["basing"] == "ground"
    cruise = missiles["kind"] == "cruise"
    require(value != int(cruise.sum()), "That counts every cruise missile: keep only the "
            "ground-launched ones as well (&).")
    require(value != int(ground.sum()), "That counts every ground-launched system: keep only the "
            "cruise missiles as well (&).")
    require(value == int((ground & cruise).sum()),
            "Combine the two conditions with &, each in its own brackets, then count with len(...).")


def _most_eliminated(value: Any) -> None:
    check_type(value, str, "most_eliminated")
    totals = data.load_inf_eliminations().groupby("party")["missiles_eliminated"].sum()
    require(value in set(totals.index), "Give a party as it is written in the party column.")
    require(value == totals.idxmax(), "Add up missiles_eliminated for each party (groupby, then "
            ".sum()), then take the party with the largest total (.idxmax()).")


def _days_to_end(value: Any) -> None:
    check_type(value, int, "days_to_end")
    treaties = data.load_treaties().set_index("treaty_id")
    events = data.load_events().set_index("event_id")
    gap = treaties.loc["INF", "ended"] - events.loc["us_withdrawal_notice", "date"]
    require(value > 0, "The treaty ended after the notice: subtract the notice's date from the "
            "end date, not the other way round.")
    require(value == gap.days, "Subtract the two Timestamps and take .days of the result.")


CHALLENGES: dict[str, Challenge] = {
    "miles": Challenge("pershing1a_km", _miles,
                       "450 miles is {value:,} km; missile_ranges.csv gives the same figure for "
                       "TIME's claim (row pershing1a_time)."),
    "shorter_range": Challenge("is_shorter_range", _shorter_range,
                               "your function gets both edges right."),
    "ground_cruise": Challenge("ground_cruise", _ground_cruise,
                               "{value} systems in missiles.csv are ground-launched cruise "
                               "missiles."),
    "most_eliminated": Challenge("most_eliminated", _most_eliminated,
                                 "the {value} eliminated more missiles under the INF Treaty "
                                 "than the other party (inf_eliminations.csv)."),
    "days_to_end": Challenge("days_to_end", _days_to_end,
                             "the treaty ended {value} days after the US notice: six calendar "
                             "months, as Article XV required."),
}


def feedback(name: str, value: Any) -> str:
    """Return the feedback line for ``value`` as the answer to challenge ``name``.

    The answer is checked against values computed from ``data/``. The line starts with ``RIGHT``
    if it is right, with ``UNANSWERED`` if the ``...`` placeholder is still there, and with
    ``NOT_YET`` and a hint (never the answer) otherwise. Nothing is raised, even if the
    student's own function fails.
    """
    challenge = CHALLENGES[name]
    try:
        challenge.test(value)
    except AssertionError as hint:
        if value is ...:
            return f"{UNANSWERED}replace the `...` with your code and run this cell again."
        return NOT_YET + str(hint)
    except Exception as error:  # the student's function itself failed
        return f"{NOT_YET}your code raised {type(error).__name__}: {error}"
    return RIGHT + challenge.praise.format(value=value)


def check(name: str, value: Any) -> None:
    """Print the feedback line for ``value`` as the answer to challenge ``name`` (returns None,
    so that a notebook cell ending with it shows only the line)."""
    print(feedback(name, value))


__all__ = ["CHALLENGES", "Challenge", "KM_PER_MILE", "check", "feedback"]
