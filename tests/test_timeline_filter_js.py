"""The browser's timeline filter (armscontrol/timeline_filter.js) gives filter_events's answer.

Node runs the shipped ES module on the real events, exported by the Python side exactly as the
widget gets them (``explorer.browser_filter.events``), for many filter combinations: random date
windows of the slider, every treaty subset, every actor subset, month- and year-precision events
at the edges of the window, and searches; the event ids must equal
``armscontrol.timeline.filter_events``'s, in order. The trace columns and the slider's date window
are checked against the Python code that draws them when the kernel draws.

Skipped only when node (/usr/bin/node or on PATH) is missing, and then failed under CI=true.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from armscontrol import data
from armscontrol import timeline as tl
from armscontrol.timeline_filter import ESM_PATH

NODE = shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)

RUNNER = """
import { readFileSync } from "node:fs";
const m = await import(process.argv[1]);
const job = JSON.parse(readFileSync(0, "utf8"));
const out = {
  ids: job.filters.map((f) => m.filterEvents(job.rows, f).map((r) => r.id)),
  columns: job.subsets.map((ids) => m.traceColumns(job.rows.filter((r) => ids.includes(r.id)))),
  windows: job.indexes.map((index) => m.dateWindow(job.months, index)),
  zooms: (job.zooms || []).map((range) => m.sliderIndex(job.months, range)),
};
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def explorer():
    return tl.timeline_explorer()


def _node(job: dict) -> dict:
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing: the browser's timeline filter cannot be checked")
        pytest.skip("node is missing (install nodejs to check the browser's timeline filter)")
    result = subprocess.run([NODE, "--input-type=module", "-e", RUNNER, ESM_PATH.as_uri()],
                            input=json.dumps(job), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _day(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%d")


def _cases(explorer) -> list[dict]:
    """Filter combinations, each as keyword arguments of filter_events with days as text."""
    events = explorer.events
    months = [m for _, m in explorer.date_range.options]
    rng = random.Random(15)
    cases: list[dict] = [{}]
    for _ in range(150):  # random slider windows (month granularity, as the slider gives)
        lo = rng.randrange(len(months))
        hi = rng.randrange(lo, len(months))
        end = months[hi] + pd.offsets.MonthEnd(0)
        cases.append({"start": _day(months[lo]), "end": _day(end)})
    # Month- and year-precision events at the window's edges: a window starting on, just after,
    # ending on and just before the first day they stand for.
    vague = events[events["date_precision"] != "day"]
    assert {"month", "year"} <= set(vague["date_precision"]), "no month or year event to test"
    for date in vague["date"]:
        for start, end in [(date, None), (date + pd.Timedelta(days=1), None),
                           (None, date), (None, date - pd.Timedelta(days=1)),
                           (date, date + pd.offsets.MonthEnd(0))]:
            case = {}
            if start is not None:
                case["start"] = _day(start)
            if end is not None:
                case["end"] = _day(end)
            cases.append(case)
    lanes = list(tl.LANES)
    for n in range(len(lanes) + 1):
        cases += [{"treaties": list(s)} for s in itertools.combinations(lanes, n)]
    actors = list(explorer.actor_boxes)
    for n in range(len(actors) + 1):
        cases += [{"actors": list(s)} for s in itertools.combinations(actors, n)]
    words = ["trump", "INF", "  New   START ", "russia missile", "ssc-8", "novator 9m729",
             "Gorbachev", "no such words", "İstanbul", "ΣΑΣ", "tab\tseparated",
             "trump\x1frussia", "inf\ufefftreaty"]  # Python splits on U+001F, not on U+FEFF
    cases += [{"text": w} for w in words]
    for _ in range(150):  # everything at once
        lo = rng.randrange(len(months))
        hi = rng.randrange(lo, len(months))
        cases.append({"start": _day(months[lo]), "end": _day(months[hi] + pd.offsets.MonthEnd(0)),
                      "treaties": rng.sample(lanes, rng.randrange(len(lanes) + 1)),
                      "actors": rng.sample(actors, rng.randrange(len(actors) + 1)),
                      "text": rng.choice(["", "", "treaty", "us", "missile test"])})
    return cases


def test_the_browser_filter_gives_filter_events_answer(explorer):
    cases = _cases(explorer)
    indexes = [[0, 0], [0, len(explorer.date_range.options) - 1], [3, 17], [120, 130]]
    subsets = [list(explorer.events["event_id"][explorer.events["primary_actor"] == actor])
               for actor in ("US", "Russia", "USSR")]
    months = explorer.browser_filter.months
    out = _node({"rows": explorer.browser_filter.events, "filters": cases, "subsets": subsets,
                 "indexes": indexes, "months": months})

    assert len(out["ids"]) == len(cases) > 300
    sizes = set()
    for case, got in zip(cases, out["ids"]):
        expected = list(tl.filter_events(explorer.events, **case)["event_id"])
        assert got == expected, f"filter {case}"
        sizes.add(len(expected))
    assert 0 in sizes and len(explorer.events) in sizes and len(sizes) > 20  # cases that differ

    for ids, got in zip(subsets, out["columns"]):
        part = explorer.events[explorer.events["event_id"].isin(ids)]
        assert got == tl._marker_columns(part) and len(ids) > 0

    for index, got in zip(indexes, out["windows"]):
        explorer.date_range.index = tuple(index)
        start, end = explorer.date_window()
        assert got == {"start": _day(start), "end": _day(end),
                       "view": [_day(start), _day(end + pd.Timedelta(days=1))]}


def test_the_browser_gets_every_event_once_with_what_the_filter_reads(explorer):
    rows = explorer.browser_filter.events
    assert [r["id"] for r in rows] == list(explorer.events["event_id"])
    assert len(rows) == len(data.load_events())
    assert {r["lane"] for r in rows} == set(tl.LANES)
    # A month- or year-precision event: its span covers the period its date stands for.
    vague = next(r for r in rows if r["span"] is not None)
    assert vague["span"][0] == vague["date"] and vague["span"][0] < vague["x"] < vague["span"][1]
    json.dumps(rows)  # plain JSON: what the widget sends


def test_a_zoom_moves_the_slider_in_the_browser_as_the_kernel_would(explorer):
    # Once the browser draws, a zoom (a drag or a preset button) moves the date slider in the
    # page (sliderIndex), not in the kernel. Same answer as the kernel's _on_zoom: drags land
    # anywhere in a day, presets on month starts, and ranges beyond the slider are clamped.
    months = explorer.browser_filter.months
    zooms = [["2018-10-01", "2018-11-01"], ["2018-10-01 00:00:00", "2018-11-01 00:00:00"],
             ["1987-12-08 13:45:10.5", "1988-06-01 06:00"], ["1960-01-01", "2040-01-01"],
             ["2019-08-02", "2019-08-02 12:00"], [months[0], months[-1]],
             ["2026-02-05", "2030-01-01"], ["1970-01-01", "1977-02-01"]]
    out = _node({"rows": [], "filters": [], "subsets": [], "indexes": [], "months": months,
                 "zooms": zooms})
    assert len(out["zooms"]) == len(zooms)
    for zoom, got in zip(zooms, out["zooms"]):
        explorer.date_range.index = (5, 6)  # anything the zoom moves away from
        explorer._on_zoom(explorer.figure.layout, zoom)
        assert tuple(got) == tuple(explorer.date_range.index), f"zoom {zoom}"
