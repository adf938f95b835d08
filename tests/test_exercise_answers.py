"""Fair checking, measured: every autograded question accepts other correct answers and rejects
typical wrong ones with a hint that names the misconception and does not give the answer.

For each exercise set the solution notebook runs in this process (:func:`armscontrol.key.run_solution`);
then, for each case below, the alternative answer cell runs in a copy of that namespace, followed
by the question's test cells (visible and hidden checks). A test cell scores its points when it
runs to the end without an exception: the rule the grader applies.

``CASES[set][question]`` holds:
* ``right``: answers written differently from the solution (at least one with numpy/pandas
  types) that must score the question's full points;
* ``wrong``: ``(answer, hint)`` pairs, typical misconceptions; each must lose points, and the
  failing checks' messages must contain ``hint`` (a phrase naming the misconception) and must
  not contain the expected value (see :func:`distinctive_forms`).
"""
from __future__ import annotations

import functools

import pytest

from armscontrol import exercises as ex
from armscontrol import key

SETS = {p.stem: p for p in ex.solution_notebooks(ex.SOLUTIONS_DIR)}
PRELUDE = "import numpy as np\nimport pandas as pd\n"

CASES: dict[str, dict[str, dict]] = {
    "01_reading_the_sources": {
        "q1": {"right": ['answer_q1 = "B"', 'answer_q1 = np.str_(" (b) ")'],
               "wrong": [('answer_q1 = "a"', "a written text"),
                         ('answer_q1 = "c"', "quotation marks"),
                         ('answer_q1 = "d"', "not the author")]},
        "q2": {"right": ['answer_q2 = compilation["speaker"].str.contains("government|press service").sum()',
                         'answer_q2 = np.int64(len(compilation[compilation["speaker"].str.contains("government")]) '
                         '+ len(compilation[compilation["speaker"] == "Kremlin press service"]))',
                         'answer_q2 = 4.0'],
               "wrong": [('answer_q2 = len(compilation)', "every quotation"),
                         ('answer_q2 = len(quotes[quotes["speaker"].str.contains("government|press service")])',
                          "every source"),
                         ('answer_q2 = compilation.loc[compilation["speaker"].str.contains("government|press '
                          'service"), "speaker"].nunique()', "different speakers")]},
        "q3": {"right": ['answer_q3a = events.set_index("event_id").loc[told].sort_values("date").index\n'
                         'answer_q3b = "B"',
                         'answer_q3a = ("US_freeze_condition", "putin_one_year_proposal", "putin_valdai_remarks", '
                         '"ryabkov_rejects_verification")\nanswer_q3b = "(b)"',
                         'answer_q3a = pd.Series(["us_freeze_condition", "putin_one_year_proposal", '
                         '"putin_valdai_remarks", "ryabkov_rejects_verification"])\nanswer_q3b = np.str_("b")'],
               "wrong": [('answer_q3a = told\nanswer_q3b = "d"', "order the report tells"),
                         ('answer_q3a = list(events[events["event_id"].isin(told)]'
                          '.sort_values("date", ascending=False)["event_id"])\nanswer_q3b = "b"', "latest first"),
                         ('answer_q3a = list(events[events["event_id"].isin(told)].sort_values("date")["event_id"])\n'
                          'answer_q3b = "a"', "compare the dates")]},
        "q4": {"right": ['answer_q4 = 22.9', 'answer_q4 = np.float64(23)',
                         '_w = compilation["quote"].str.split().str.len()\n'
                         'answer_q4 = 100 * _w.groupby(compilation["speaker"]).sum()["Anatoly Antonov"] / _w.sum()'],
               "wrong": [('answer_q4 = 100 * (compilation["speaker"] == "Anatoly Antonov").sum() / len(compilation)',
                          "share of the quotations"),
                         ('_w = quotes["quote"].str.split().str.len()\n'
                          'answer_q4 = 100 * _w[quotes["speaker"] == "Anatoly Antonov"].sum() / _w.sum()',
                          "every source"),
                         ('answer_q4 = 0.229', "")]},
    },
    "02_inf_treaty_1987": {
        "q1": {"right": ['def banned(range_km, basing):\n'
                         '    edges = limits.loc[["inf_min_range", "inf_max_range"], "value"]\n'
                         '    return np.bool_(basing == "ground") & (edges.iloc[0] <= range_km) & (range_km <= edges.iloc[1])',
                         'def banned(range_km, basing):\n'
                         '    if basing != "ground":\n'
                         '        return False\n'
                         '    return bool(pd.Series([range_km]).between(limits.loc["inf_min_range", "value"], '
                         'limits.loc["inf_max_range", "value"]).iloc[0])'],
               "wrong": [('def banned(range_km, basing):\n    return basing == "ground" and 500 < range_km < 5500',
                          "lower edge"),
                         ('def banned(range_km, basing):\n    return 500 <= range_km <= 5500', "basing"),
                         ('def banned(range_km, basing):\n    return basing == "ground" and 500 <= range_km < 5500',
                          "upper edge"),
                         ('def banned(range_km, basing):\n    print(basing == "ground" and 500 <= range_km <= 5500)',
                          "True or False")]},
        "q2": {"right": ['answer_q2 = ("united kingdom", "Italy", "Belgium", "Germany")',
                         'answer_q2 = pd.Series(["Germany", "Belgium", "Italy", "United Kingdom", "Italy"]).unique()'
                         '[[0, 1, 2, 3]]'],
               "wrong": [('answer_q2 = sorted(set(glcm_bases["country"]))', "planned base is not a deployment"),
                         ('answer_q2 = sorted(set(sites.loc[sites["kind"] == "missile base", "country"]))',
                          "no GLCM base"),
                         ('answer_q2 = list(glcm_bases["country"])', "each country once")]},
        "q3": {"right": ['answer_q3a = "1991-06-01"\nanswer_q3b = np.bool_(True)',
                         'answer_q3a = pd.Timestamp(treaties.loc["INF", "entered_into_force"].year + 3, 6, 1)\n'
                         'answer_q3b = events.set_index("event_id").loc["inf_eliminations_complete", "date"] '
                         '<= pd.Timestamp("1991-06-01")',
                         'import datetime\nanswer_q3a = datetime.date(1991, 6, 1)\nanswer_q3b = True'],
               "wrong": [('answer_q3a = treaties.loc["INF", "signed"] + pd.DateOffset(years=3)\nanswer_q3b = True',
                          "from the signature"),
                         ('answer_q3a = treaties.loc["INF", "entered_into_force"] + pd.DateOffset(months=3)\n'
                          'answer_q3b = True', "unit of the elimination period"),
                         ('answer_q3a = treaties.loc["INF", "entered_into_force"] + pd.DateOffset(years=13)\n'
                          'answer_q3b = False', "inspection period")]},
        "q4": {"right": ['answer_q4 = events.set_index("event_id").loc[steps, "date"].sort_values().index',
                         'answer_q4 = ("INF_signed", "inf_sent_to_senate", "inf_senate_consent", '
                         '"inf_entry_into_force", "inf_inspections_begin")'],
               "wrong": [('answer_q4 = steps', "order of the list you were given"),
                         ('answer_q4 = sorted(steps)', "alphabetical"),
                         ('answer_q4 = list(events.set_index("event_id").loc[steps, "date"]'
                          '.sort_values(ascending=False).index)', "latest first"),
                         ('answer_q4 = ["inf_signed", "inf_senate_consent", "inf_sent_to_senate", '
                          '"inf_entry_into_force", "inf_inspections_begin"]', "signed, then ratified")]},
        "q5": {"right": ['answer_q5 = "B"', 'answer_q5 = np.str_("b)")'],
               "wrong": [('answer_q5 = "a"', "missile changed"), ('answer_q5 = "c"', "earlier source"),
                         ('answer_q5 = "d"', "1,000 km boundary")]},
    },
    "03_inf_collapse": {
        "q6": {"right": ['answer_q6 = "B"', 'answer_q6 = np.str_("b")'],
               "wrong": [('answer_q6 = "a"', "one witness"), ('answer_q6 = "c"', "acknowledged the missile before"),
                         ('answer_q6 = "d"', "not a quotation of a person")]},
        "q1": {"right": ['answer_q1 = " B "', 'answer_q1 = np.str_("b")'],
               "wrong": [('answer_q1 = "a"', "lower bound"), ('answer_q1 = "c"', "claimant"),
                         ('answer_q1 = "d"', "when the treaty ended")]},
        "q2": {"right": ['answer_q2 = {"stockholm", "BERLIN"}',
                         '_c = sites[sites["kind"] == "capital"]\n_p = sites.set_index("site_id").loc["kapustin_yar"]\n'
                         '_d = geo.within_range(_c, _p["lat"], _p["lon"], 2350)\n'
                         'answer_q2 = _d[_d["distance_km"] > 2000]["name"]'],
               "wrong": [('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          '*inf.site_point("kapustin_yar", sites), 2350)["name"])', "every capital within the longer"),
                         ('_c = sites[sites["kind"] == "capital"]\n_lat, _lon = inf.site_point("chernyakhovsk", sites)\n'
                          'answer_q2 = sorted(set(geo.within_range(_c, _lat, _lon, 2350)["name"]) - '
                          'set(geo.within_range(_c, _lat, _lon, 2000)["name"]))', "empty list"),
                         ('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          '*inf.site_point("kapustin_yar", sites), 2000)["name"])', "already within the IISS")]},
        "q3": {"right": ['answer_q3a = "2019-02-02"\nanswer_q3b = np.bool_(True)',
                         'answer_q3a = pd.Timestamp("2018-12-04") + pd.DateOffset(days=60)\n'
                         'answer_q3b = events.set_index("event_id").loc["us_suspends_inf", "date"] < answer_q3a'],
               "wrong": [('answer_q3a = pd.Timestamp("2018-12-04") + pd.DateOffset(months=2)\nanswer_q3b = True',
                          "two months is not 60 days"),
                         ('answer_q3a = pd.Timestamp("2018-12-04") + pd.DateOffset(months=60)\nanswer_q3b = True',
                          "add days, not months"),
                         ('answer_q3a = pd.Timestamp("2019-02-02")\nanswer_q3b = False', "compare the date")]},
        "q4": {"right": ['answer_q4 = "A"', 'answer_q4 = np.str_("(a)")'],
               "wrong": [('answer_q4 = "b"', "second step"), ('answer_q4 = "c"', "display of a launcher"),
                         ('answer_q4 = "d"', "a base opening")]},
        "q5": {"right": ['answer_q5 = {"9M729_RU_MOD": "Accused government", "9m729_us_gov": "accusing  government", '
                         '"9m729_faz": "press citing intelligence", "9m729_iiss": "research institute"}',
                         'answer_q5 = pd.Series(["accused government", "accusing government", '
                         '"press citing intelligence", "research institute"], '
                         'index=["9m729_ru_mod", "9m729_us_gov", "9m729_faz", "9m729_iiss"])'],
               "wrong": [('answer_q5 = {"9m729_ru_mod": "accusing government", "9m729_us_gov": "accused government", '
                          '"9m729_faz": "press citing intelligence", "9m729_iiss": "research institute"}',
                          "which government owns the missile"),
                         ('answer_q5 = {"9m729_ru_mod": "accused government", "9m729_us_gov": "accusing government", '
                          '"9m729_faz": "research institute", "9m729_iiss": "research institute"}', "second-hand"),
                         ('answer_q5 = {"9m729_ru_mod": "accused government", "9m729_us_gov": "accusing government"}',
                          "four 9M729 claim ids")]},
    },
    "04_new_start": {
        "q6": {"right": ['answer_q6 = "B"', 'answer_q6 = np.str_(" (b)")'],
               "wrong": [('answer_q6 = "a"', "inspections had been paused"),
                         ('answer_q6 = "c"', "Russia's Foreign Ministry writing"),
                         ('answer_q6 = "d"', "not Russian ones")]},
        "q1": {"right": ['answer_q1 = "B"', 'answer_q1 = np.str_(" b")'],
               "wrong": [('answer_q1 = "a"', "when did the central limits have to be met"),
                         ('answer_q1 = "c"', "before 2018"), ('answer_q1 = "d"', "after the deadline")]},
        "q2": {"right": ['answer_q2a = "us"\nanswer_q2b = np.int64(1550 - 1457)',
                         '_r = counts[counts["as_of"] == pd.Timestamp("2020-09-01")].set_index("party")\n'
                         'answer_q2a = np.str_(" US ")\nanswer_q2b = float(1550 - _r.loc["US", "deployed_warheads"])'],
               "wrong": [('answer_q2a = "Russia"\nanswer_q2b = 1550 - 1447', "larger of the two margins"),
                         ('answer_q2a = "US"\nanswer_q2b = 1457 - 1550', "limit minus the count"),
                         ('answer_q2a = "US"\nanswer_q2b = 1550 - 1419', "latest exchange in the table"),
                         ('answer_q2a = "United States"\nanswer_q2b = 93', "as the `party` column writes it")]},
        "q3": {"right": ['answer_q3 = events.set_index("event_id").loc[steps].sort_values("date").index',
                         'answer_q3 = ("new_start_inspections_paused", "Russia_refuses_inspections", '
                         '"us_finds_noncompliance", "russia_suspends_new_start", "data_exchange_halted")'],
               "wrong": [('answer_q3 = steps', "order of the list you were given"),
                         ('answer_q3 = list(events.set_index("event_id").loc[steps].sort_values("date", '
                          'ascending=False).index)', "latest first"),
                         ('answer_q3 = ["russia_refuses_inspections", "new_start_inspections_paused", '
                          '"us_finds_noncompliance", "russia_suspends_new_start", "data_exchange_halted"]',
                          "inspections stopped long before")]},
        "q4": {"right": ['answer_q4 = "(B)"', 'answer_q4 = np.str_("b")'],
               "wrong": [('answer_q4 = "a"', "inspections paused"), ('answer_q4 = "c"', "declarations"),
                         ('answer_q4 = "d"', "written before 2022")]},
        "q5": {"right": ['answer_q5a = "2022-02-05"\nanswer_q5b = np.bool_(True)',
                         'answer_q5a = pd.Timestamp("2021-02-05") + pd.DateOffset(years=1)\nanswer_q5b = True'],
               "wrong": [('answer_q5a = treaties.loc["New START", "signed"] + pd.DateOffset(years=11)\n'
                          'answer_q5b = True', "counts from the signature"),
                         ('answer_q5a = "2021-02-05"\nanswer_q5b = True', "original expiry"),
                         ('answer_q5a = "2026-02-05"\nanswer_q5b = True', "five-year extension"),
                         ('answer_q5a = "2022-02-05"\nanswer_q5b = False', "up to its maximum")]},
    },
    "05_after_inf": {
        "q1": {"right": ['answer_q1a = round(geo.distance_km((place.loc["andersen_afb", "lat"], place.loc["andersen_afb", "lon"]), '
                         '(place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"])))\nanswer_q1b = False',
                         'answer_q1a = np.float64(3501.0)\nanswer_q1b = np.bool_(answer_q1a > 3500) == False',
                         'answer_q1a = 3507\nanswer_q1b = np.False_'],
               "wrong": [('answer_q1a = 3504254\nanswer_q1b = False', "quarter of the way round"),
                         ('answer_q1a = 3504 / 1.609344\nanswer_q1b = True', "not miles"),
                         ('answer_q1a = 350.4\nanswer_q1b = False', "far too short"),
                         ('answer_q1a = 3504\nanswer_q1b = True', "longest Dark Eagle claim")]},
        "q2": {"right": ['answer_q2 = {"tokyo", "SEOUL", "pyongyang", "beijing", "Taipei"}',
                         '_c = sites[sites["kind"] == "capital"]\n'
                         'answer_q2 = geo.within_range(_c, place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"], '
                         'claims.loc[claims["claim_id"] == "9m729_faz", "range_km"].iloc[0])["name"]',
                         'answer_q2 = np.array(["Taipei", "Beijing", "Tokyo", "Seoul", "Pyongyang"])'],
               "wrong": [('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          'place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"], 480)["name"])', "9m729_ru_mod"),
                         ('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          'place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"], 2350 / 1.609344)["name"])', "no conversion to miles"),
                         ('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          'place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"], 2000)["name"])', "only a lower bound"),
                         ('answer_q2 = list(geo.within_range(sites[sites["kind"] == "capital"], '
                          'place.loc["vladivostok", "lat"], place.loc["vladivostok", "lon"], 2350 * 1.609344)["name"])', "too long"),
                         ('_c = sites[(sites["kind"] == "capital") & (sites["site_id"] != "beijing")]\n'
                          'answer_q2 = list(geo.within_range(_c, place.loc["beijing", "lat"], '
                          'place.loc["beijing", "lon"], 2350)["name"])', "measured from Beijing"),
                         ('answer_q2 = ["Pyongyang", "Seoul", "Tokyo", "Beijing", "Taipei", "Vladivostok"]', "as the `name` column")]},
        "q3": {"right": ['answer_q3 = "B"', 'answer_q3 = np.str_("b.")'],
               "wrong": [('answer_q3 = "a"', "lower bound"), ('answer_q3 = "c"', "inside the band"),
                         ('answer_q3 = "d"', "two different missiles")]},
        "q4": {"right": ['answer_q4 = {"Dark_Eagle_Congress": "Government documents", "prsm_lockheed_2021_test": "MANUFACTURER", '
                         '"oreshnik_lao_dong": "newspaper ", "typhon_defence_affairs": "defence  trade site"}',
                         'answer_q4 = pd.Series({"dark_eagle_congress": "government documents", '
                         '"prsm_lockheed_2021_test": "manufacturer", "oreshnik_lao_dong": "newspaper", '
                         '"typhon_defence_affairs": "defence trade site"})'],
               "wrong": [('answer_q4 = {"dark_eagle_congress": "newspaper", "prsm_lockheed_2021_test": "newspaper", '
                          '"oreshnik_lao_dong": "newspaper", "typhon_defence_affairs": "defence trade site"}',
                          "in the first place"),
                         ('answer_q4 = {"dark_eagle_congress": "government documents", "prsm_lockheed_2021_test": '
                          '"manufacturer", "oreshnik_lao_dong": "defence trade site", '
                          '"typhon_defence_affairs": "newspaper"}', "defence trade site"),
                         ('answer_q4 = {"dark_eagle_congress": "congress", "prsm_lockheed_2021_test": "manufacturer", '
                          '"oreshnik_lao_dong": "newspaper", "typhon_defence_affairs": "defence trade site"}',
                          "only the four labels")]},
        "q5": {"right": ['answer_q5a = np.int64(16)\nanswer_q5b = "B"',
                         '_d = events.set_index("event_id")["date"]\n'
                         'answer_q5a = (_d["us_glcm_test"] - _d["us_withdraws_inf"]) / pd.Timedelta(days=1)\n'
                         'answer_q5b = np.str_("b")'],
               "wrong": [('_d = events.set_index("event_id")["date"]\n'
                          'answer_q5a = (_d["us_withdraws_inf"] - _d["us_glcm_test"]).days\nanswer_q5b = "b"',
                          "subtract the earlier date"),
                         ('_d = events.set_index("event_id")["date"]\n'
                          'answer_q5a = (_d["us_glcm_test"] - _d["us_withdrawal_notice"]).days\nanswer_q5b = "b"',
                          "withdrawal notice"),
                         ('answer_q5a = 16\nanswer_q5b = "c"', "no longer bound"),
                         ('answer_q5a = 16\nanswer_q5b = "a"', "when work began")]},
    },
    "06_synthesis": {
        "q1": {"right": ['answer_q1a = np.int64(1457 - 1373)\nanswer_q1b = "B"',
                         '_us = counts[(counts["party"] == "US") & (counts["as_of"] <= pd.Timestamp("2020-09-01"))]\n'
                         'answer_q1a = float(_us["deployed_warheads"].iloc[-1] - _us["deployed_warheads"].iloc[-2])\n'
                         'answer_q1b = np.str_(" b ")'],
               "wrong": [('answer_q1a = 1447 - 1326\nanswer_q1b = "b"', "russia's change"),
                         ('answer_q1a = 1373 - 1457\nanswer_q1b = "b"', "sign is the wrong way"),
                         ('answer_q1a = 1550 - 1457\nanswer_q1b = "b"', "margin under the limit"),
                         ('answer_q1a = 84\nanswer_q1b = "a"', "a rise under the limit is allowed"),
                         ('answer_q1a = 84\nanswer_q1b = "c"', "the count did change")]},
        "q2": {"right": ['answer_q2 = {"P1": "Outlet", "p2": " relayed", "p3": "QUOTED"}',
                         'answer_q2 = pd.Series(["outlet", "relayed", "quoted"], index=["p1", "p2", "p3"])'],
               "wrong": [('answer_q2 = {"p1": "relayed", "p2": "relayed", "p3": "quoted"}', "does the outlet state it itself"),
                         ('answer_q2 = {"p1": "outlet", "p2": "quoted", "p3": "quoted"}', "pointed out"),
                         ('answer_q2 = {"p1": "outlet", "p2": "relayed", "p3": "direct"}', "only the labels"),
                         ('answer_q2 = {"p1": "outlet", "p2": "relayed"}', "each once")]},
        "q3": {"right": ['answer_q3 = "A"', 'answer_q3 = np.str_("(a)")'],
               "wrong": [('answer_q3 = "b"', "which country suspended first"),
                         ('answer_q3 = "c"', "not about who suspended"), ('answer_q3 = "d"', "not a step by either")]},
        "q4": {"right": ['answer_q4 = claims[claims["system_id"] == "oreshnik"]["claim_id"]',
                         'answer_q4 = {"Oreshnik_Lao_Dong", "oreshnik_us_officials", "oreshnik_novaya_gazeta"}'],
               "wrong": [('answer_q4 = ["oreshnik_lao_dong"]', "upper edge"),
                         ('answer_q4 = list(claims[(claims["range_km"] >= 500) & (claims["range_km"] <= 5500)]["claim_id"])',
                          "Oreshnik's rows"),
                         ('answer_q4 = ["oreshnik_lao_dong", "oreshnik_us_officials"]', "exactly the upper edge")]},
    },
}


@functools.lru_cache(maxsize=None)
def solved(set_name: str) -> tuple[dict, dict]:
    """Return (namespace after running the solution, questions by id) for a set."""
    nb = ex.read_notebook(SETS[set_name])
    return key.run_solution(nb), {q.qid: q for q in key.questions(nb)}


def _fresh(namespace: dict) -> dict:
    """A copy of a namespace in which pandas tables can be changed without harm."""
    return {k: (v.copy() if type(v).__module__.startswith("pandas") and hasattr(v, "copy") else v)
            for k, v in namespace.items()}


def _numpy_or_pandas(value) -> bool:
    """True if a value is, holds or returns (for a function, called on a test case) numpy/pandas objects."""
    if callable(value) and not isinstance(value, type):
        try:
            value = value(750.0, "ground")
        except Exception:  # noqa: BLE001 - not a banned-style function
            return False
    items = value.values() if isinstance(value, dict) else (
        value if isinstance(value, (list, tuple, set)) else [value])
    return any(type(v).__module__.split(".")[0] in ("numpy", "pandas") for v in [value, *items])


def score(set_name: str, qid: str, answer: str | None, keep: bool = False,
          visible_only: bool = False):
    """Run ``answer`` (None: the solution's own) and the question's test cells.

    With ``visible_only`` each test cell runs only up to its hidden tests (what a student's
    "run the check" does). Returns (points scored, messages of the checks that failed), plus
    the namespace if ``keep``.
    """
    base, qs = solved(set_name)
    namespace = _fresh(base)
    if answer is not None:
        exec(compile(PRELUDE + answer, f"<{set_name} {qid} answer>", "exec"), namespace)
    points, messages = 0.0, []
    for test in qs[qid].tests:
        try:
            source = test.source.split(ex.BEGIN_HIDDEN_TESTS)[0] if visible_only else test.source
            exec(compile(source, f"<{test.grade_id}>", "exec"), namespace)
        except Exception as err:  # noqa: BLE001 - the grader scores any exception as a fail
            messages.append(f"{type(err).__name__}: {err}")
        else:
            points += test.points
    return (points, messages, namespace) if keep else (points, messages)


def distinctive_forms(value) -> list[str]:
    """Printed forms of an expected value that a hint must not contain.

    The rule (shared with tests/test_exercise_sets.py): numbers of magnitude 10 or more (whole
    numbers as written and with thousands separators; other numbers as written by Python and to
    one decimal place), text of 4 or
    more characters, dates (ISO form), and a list as a whole (its repr and its items joined by
    ", "; a single item may be named in a hint, as prompts name the items to order). True/False, small
    numbers and single letters are too common in any message to count.
    """
    import datetime

    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool) or value is None or callable(value):
        return []
    if isinstance(value, (int, float)):
        if abs(value) < 10:
            return []
        if isinstance(value, float) and not value.is_integer():
            return sorted({repr(value), f"{value:.1f}"})  # "23" for 22.9 would match any 23
        return sorted({str(round(value)), f"{round(value):,}"})
    if isinstance(value, str):
        return [value] if len(value) >= 4 else []
    if isinstance(value, datetime.date):
        return [value.isoformat()[:10]]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        items = [str(item.item() if hasattr(item, "item") else item) for item in value]
        return [repr(list(value)), ", ".join(items)] if items else []
    return []


def _params():
    for set_name in SETS:
        nb = ex.read_notebook(SETS[set_name])
        for q in key.questions(nb):
            if q.autograded:
                yield pytest.param(set_name, q.qid, id=f"{set_name[:2]}-{q.qid}")


@pytest.mark.parametrize("set_name, qid", list(_params()))
def test_solution_scores_full_points(set_name, qid):
    _, qs = solved(set_name)
    points, messages = score(set_name, qid, None)
    assert points == sum(t.points for t in qs[qid].tests), messages


@pytest.mark.parametrize("set_name, qid", list(_params()))
def test_other_correct_answers_score_full_points(set_name, qid):
    cases = CASES.get(set_name, {}).get(qid)
    assert cases, f"{set_name} {qid}: no alternative answers in CASES"
    assert len(cases["right"]) >= 2, "at least two alternative correct answers"
    _, qs = solved(set_name)
    full = sum(t.points for t in qs[qid].tests)
    typed = False
    for code in cases["right"]:
        points, messages, namespace = score(set_name, qid, code, keep=True)
        assert points == full, f"correct answer rejected:\n{code}\n{messages}"
        typed |= any(_numpy_or_pandas(namespace.get(name)) for name in qs[qid].answer_names)
    assert typed, "at least one alternative answer must use numpy/pandas types"


@pytest.mark.parametrize("set_name, qid", list(_params()))
def test_wrong_answers_fail_with_a_hint_not_the_answer(set_name, qid):
    cases = CASES.get(set_name, {}).get(qid)
    assert cases, f"{set_name} {qid}: no wrong answers in CASES"
    named = [w for w in cases["wrong"] if w[1]]
    assert len(named) >= 2, "at least two typical wrong answers, each with its hint"
    base, qs = solved(set_name)
    full = sum(t.points for t in qs[qid].tests)
    forbidden = [form for name in qs[qid].answer_names for form in distinctive_forms(base[name])]
    for code, hint in cases["wrong"]:
        points, messages = score(set_name, qid, code)
        assert points < full, f"wrong answer scored full points:\n{code}"
        text = "\n".join(messages)
        assert hint.casefold() in text.casefold(), f"hint {hint!r} missing for:\n{code}\n{text}"
        for form in forbidden:
            assert form not in text, f"the feedback gives the answer ({form!r}):\n{text}"
