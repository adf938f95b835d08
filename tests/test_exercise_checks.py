"""The fair-checking helpers of armscontrol.exercises: every correct form accepted, wrong kinds
of answer told what is wrong, and forged objects unable to pass a comparison."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from armscontrol import exercises as ex
from armscontrol import grade


@pytest.mark.parametrize("value, expected", [
    (4, 4), (np.int64(4), 4), (4.0, 4), (np.float64(4.0), 4), (pd.Series([4]).sum(), 4)])
def test_whole_numbers_in_every_form(value, expected):
    result = ex.as_whole_number(value, "x")
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value, message", [
    (True, "yes/no value"), ("4", "without quotes"), (4.5, "fractional part"),
    (float("nan"), "NaN"), (pd.Series([4]), "pick the single value"), (..., "Not answered yet")])
def test_wrong_kinds_of_number_are_explained(value, message):
    with pytest.raises(AssertionError, match=message):
        ex.as_whole_number(value, "x")


def test_numbers_and_tolerance():
    assert ex.as_number(np.float64(22.9), "x") == 22.9 and type(ex.as_number(np.float64(1.5), "x")) is float
    assert ex.close_to(np.float64(3504.4), 3504.25, 1) and not ex.close_to(3510, 3504.25, 5)


@pytest.mark.parametrize("value", [True, np.bool_(True), pd.Series([1, 2]).gt(0).all()])
def test_bools_in_every_form(value):
    assert ex.as_bool(value, "b") is True


@pytest.mark.parametrize("value, message", [("True", "without quotes"), (1, "True or False"),
                                            (None, "True or False")])
def test_wrong_kinds_of_bool_are_explained(value, message):
    with pytest.raises(AssertionError, match=message):
        ex.as_bool(value, "b")


def test_names_ignore_case_spacing_and_apostrophes():
    assert ex.as_name("  Robert   O’BRIEN ", "n") == "robert o'brien"
    assert ex.same_name(np.str_("dmitry peskov"), "Dmitry Peskov")
    assert not ex.same_name("Peskov", "Dmitry Peskov")


@pytest.mark.parametrize("value", ["2019-02-02", " 2 February 2019 ", pd.Timestamp("2019-02-02"),
                                   datetime.date(2019, 2, 2), datetime.datetime(2019, 2, 2, 15),
                                   np.datetime64("2019-02-02"), pd.Series(pd.to_datetime(["2019-02-02"])).iloc[0]])
def test_dates_in_every_form(value):
    assert ex.as_date(value, "d") == datetime.date(2019, 2, 2)


@pytest.mark.parametrize("value, message", [("soon", "not a date"), (pd.NaT, "NaT"), (2019, "should be a date")])
def test_wrong_kinds_of_date_are_explained(value, message):
    with pytest.raises(AssertionError, match=message):
        ex.as_date(value, "d")


def test_choices():
    for value in ("b", "B", " b ", "(b)", "b)", np.str_("b")):
        assert ex.as_choice(value, "abcd", "c") == "b"
    with pytest.raises(AssertionError, match='"a", "b", "c", "d"'):
        ex.as_choice("e", "abcd", "c")
    with pytest.raises(AssertionError, match="text"):
        ex.as_choice(2, "abcd", "c")


def test_items_ordered_and_unordered():
    forms = [["Berlin", "Stockholm"], ("stockholm", "BERLIN"), {"Berlin", "Stockholm"},
             pd.Series(["Stockholm", "Berlin"]), pd.Index(["Berlin", "Stockholm"]), np.array(["Berlin", "Stockholm"])]
    for value in forms:
        assert ex.same_items(value, ["Berlin", "Stockholm"])
    assert not ex.same_items(["Stockholm", "Berlin"], ["Berlin", "Stockholm"], ordered=True)
    assert ex.same_items(pd.Series([np.int64(2), 1]), [1, 2])
    assert not ex.same_items(["Berlin"], ["Berlin", "Stockholm"])
    for value, message in [("Berlin", "list of items"), (pd.DataFrame({"a": [1]}), "list of items"),
                           (5, "should be a list")]:
        with pytest.raises(AssertionError, match=message):
            ex.as_items(value, "l")


def test_mapping():
    assert ex.as_mapping({"A": " Direct "}, "m") == {"a": "direct"}
    assert ex.as_mapping(pd.Series({"x": "Y"}), "m") == {"x": "y"}
    with pytest.raises(AssertionError, match="should be a dict"):
        ex.as_mapping([("a", "b")], "m")


class _EqualsEverything(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__

    def __int__(self):
        return 999


class _TextEqualsEverything(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def __str__(self):
        return "anything"


def test_forged_objects_cannot_pass_a_comparison():
    assert ex.as_whole_number(_EqualsEverything(3), "x") != 4
    assert ex.as_text(_TextEqualsEverything("x"), "t") != "Moscow"
    assert ex.as_name(_TextEqualsEverything("x"), "t") != "moscow"


def test_the_grader_copy_defines_every_helper_and_they_work_alone():
    namespace: dict = {}
    exec(compile(grade.helpers_source(), "helpers", "exec"), namespace)
    assert all(callable(namespace[name]) for name in ex.FEEDBACK_HELPERS)
    assert namespace["as_date"]("22 October 2018", "d") == datetime.date(2018, 10, 22)
    assert namespace["same_items"](pd.Series(["b", "A"]), ["a", "B"])
    assert namespace["as_mapping"]({"K": "V"}, "m") == {"k": "v"}
