"""The references benchmarks/bench_lessons.py runs beside each lesson are what they say."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_lessons  # noqa: E402


def lesson(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def test_no_figures_leaves_out_exactly_the_figure_and_explorer_cells():
    nb = lesson("02_inf_treaty_1987.ipynb")
    kept = bench_lessons.without_figures(nb)
    left_out = [c.source for c in nb.cells if c not in kept.cells]
    assert left_out and all(bench_lessons.shows_a_figure(c) for c in nb.cells
                            if c.source in left_out)
    # the two static range maps and the two explorers of lesson 02
    assert sum("figures.show(" in s for s in left_out) == 2
    assert sum("explorer" in s for s in left_out) == 2
    assert not any(bench_lessons.shows_a_figure(c) for c in kept.cells)
    assert len(kept.cells) == len(nb.cells) - len(left_out)


def test_a_lesson_without_figures_is_not_changed():
    nb = lesson("00_start_here.ipynb")
    assert len(bench_lessons.without_figures(nb).cells) == len(nb.cells)


def test_the_empty_cells_reference_has_one_cell_per_code_cell():
    nb = lesson("01_reading_the_sources.ipynb")
    sources = bench_lessons.empty_cells_source(nb)
    assert len(sources) == sum(c.cell_type == "code" for c in nb.cells)
    assert sources[0] == bench_lessons.import_floor_source(nb)
    assert sources[0].startswith("import pandas as pd")
    assert set(sources[1:]) == {"pass"}


def test_the_widget_reference_is_the_lesson_without_figures_and_one_empty_widget():
    nb = lesson("04_new_start.ipynb")
    out = bench_lessons.with_empty_widget(nb)
    assert out.cells[:-1] == bench_lessons.without_figures(nb).cells
    assert out.cells[-1].source == bench_lessons.EMPTY_WIDGET_SOURCE


def test_report_prints_a_dash_where_a_lesson_has_no_figures():
    row = {"lesson": "00_start_here.ipynb", "seconds": 1.2, "floor": 1.0, "ratio": 1.2,
           "empty_cells": 1.1, "no_figures": 1.2, "empty_widget": None, "base": 1.0,
           "base_ratio": 1.2, "render_floor": 1.1, "render_ratio": 1.1, "cpu": 0.8,
           "floor_cpu": 0.7, "bytes": 20_000}
    with_widget = dict(row, lesson="04_new_start.ipynb", empty_widget=1.6)
    lines = bench_lessons.report([row, with_widget]).splitlines()
    assert "   1.60   1.60 " in lines[3] and "      -      - " in lines[2]
    assert len(lines[2]) == len(lines[3])
