"""Lesson run time against a floor notebook, and notebook file sizes.

    python benchmarks/bench_lessons.py [--repeat N] [--cells K]

Each lesson runs top to bottom in a fresh kernel (nbclient, as nbval and the grader do), and so,
in the same run, does its *import-only floor*: a notebook holding only the lesson's own import
statements (every ``import``/``from ... import`` line of its code cells, found with ``ast``), so
the ratio does not depend on how fast or busy the machine is. Targets: ratio <= 1.5 per lesson,
each stored notebook <= 1 MB. Two shared floors are printed beside it: ``base`` imports only
pandas, plotly, ipywidgets and armscontrol (the package's ``__init__``, which loads none of its
modules), and ``base+io`` also loads plotly.io's notebook renderers. Prints one line per lesson; with ``--cells K``, also each
lesson's K slowest cells (seconds from the kernel starting a cell to its reply, median of the
runs), to show where a lesson's time goes.

Two more notebooks run beside each lesson, to show what the lesson's time is made of (all in
the same run, so comparable):

- ``+cells``: the import-only floor plus one empty cell (``pass``) for each of the lesson's
  other code cells: what the kernel and nbclient spend per cell (an execute request, its
  reply, the busy/idle messages) with no work in it.
- ``no fig``: the lesson without the cells that show a figure or an explorer (found from the
  lesson's own stored outputs: a plotly figure or a widget view), i.e. its reading, pandas and
  printing work alone. If this already comes near 1.5 times the floor, the figures have
  almost nothing of the target left to spend.
- ``+widget`` (lessons that show figures): that notebook plus one cell showing an empty
  plotly ``go.FigureWidget``: the least any lesson with an explorer built on plotly's widget
  can take (plotly's import and first use in the kernel, its widget code sent once).

Beside the wall-clock seconds each line gives the kernel's CPU seconds (``time.process_time()``
in the kernel at the end of the run, from the kernel process's start) for the lesson and the
import-only floor. On a shared machine the wall clock moves by a second or more between runs;
the kernel's own CPU time moves much less, so it shows changes of a few tens of milliseconds that
the wall clock hides. The ratio target is on the wall clock.
"""
from __future__ import annotations

import argparse
import ast
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from armscontrol.lessons import LESSONS  # noqa: E402

RATIO_TARGET, SIZE_TARGET = 1.5, 1_000_000
FLOOR_SOURCE = "import pandas, plotly, ipywidgets\nimport armscontrol"


def import_floor_source(nb: nbformat.NotebookNode) -> str:
    """Return the import statements of ``nb``'s code cells (top-level ``import`` and ``from
    ... import`` lines, in order, as written), one per line: the lesson's import-only floor."""
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics: not Python, and not imports
            continue
        lines += [ast.unparse(node) for node in tree.body
                  if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(lines)
# A second floor that also loads plotly's notebook renderers, as any notebook showing a figure
# must: they import nbformat, which imports jsonschema (with jsonschema 4.25+, that built
# rfc3987-syntax's grammar at import, about 2 s here; requirements.txt pins 4.24.1), and
# Pillow (and kaleido where it is installed, as in the development environment). plotly 7
# imports plotly.io's parts lazily, so ``import plotly.io`` alone loads none of this: the floor
# asks for ``pio.renderers``. Reported beside the first so that cost stays visible.
RENDER_FLOOR_SOURCE = FLOOR_SOURCE + "\nimport plotly.io as pio\npio.renderers"


#: Output types that mark a cell as showing a figure or an explorer (plotly's figure, or a
#: widget view: the range and timeline explorers).
FIGURE_MIMES = ("application/vnd.plotly.v1+json", "application/vnd.jupyter.widget-view+json")


def shows_a_figure(cell: nbformat.NotebookNode) -> bool:
    """Return whether a stored code cell's outputs hold a plotly figure or a widget view."""
    return any(mime in output.get("data", {}) for output in cell.get("outputs", [])
               for mime in FIGURE_MIMES)


def empty_cells_source(nb: nbformat.NotebookNode) -> list[str]:
    """Return the ``+cells`` reference's cell sources: the import floor, then ``pass`` once
    for each other code cell of ``nb``."""
    code = sum(cell.cell_type == "code" for cell in nb.cells)
    return [import_floor_source(nb)] + ["pass"] * (code - 1)


def without_figures(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without the code cells that show a figure or an explorer."""
    return nbformat.v4.new_notebook(cells=[nbformat.from_dict(cell) for cell in nb.cells
                                           if not (cell.cell_type == "code"
                                                   and shows_a_figure(cell))])


#: The ``+widget`` reference's extra cell: an empty plotly figure widget, shown.
EMPTY_WIDGET_SOURCE = "import plotly.graph_objects as go\ngo.FigureWidget()"


def with_empty_widget(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return :func:`without_figures` of ``nb`` with one more cell showing an empty plotly
    FigureWidget (:data:`EMPTY_WIDGET_SOURCE`)."""
    out = without_figures(nb)
    out.cells.append(nbformat.v4.new_code_cell(EMPTY_WIDGET_SOURCE))
    return out


def run_seconds(nb: nbformat.NotebookNode, folder: Path) -> float:
    """Execute ``nb`` in a fresh kernel with ``folder`` as working directory; return seconds."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


#: Appended to each notebook run: prints the kernel's CPU seconds since it started.
CPU_CELL = "import time as _bench_time\nprint(_bench_time.process_time())"


def run_timed(nb: nbformat.NotebookNode, folder: Path) -> tuple[float, float]:
    """Execute ``nb`` as :func:`run_seconds` does, with :data:`CPU_CELL` appended (and removed
    again afterwards); return (wall seconds, the kernel's CPU seconds)."""
    nb.cells.append(nbformat.v4.new_code_cell(CPU_CELL))
    wall = run_seconds(nb, folder)
    cpu = float(nb.cells.pop().outputs[0]["text"])
    return wall, cpu


def cell_seconds(nb: nbformat.NotebookNode) -> list[float]:
    """Return each code cell's seconds in an executed ``nb``, from the timestamps nbclient
    records (``metadata.execution``: the kernel's execute_input to its execute_reply); 0 for a
    cell nbclient skipped (an empty one)."""
    def stamp(cell, key: str) -> datetime:
        return datetime.fromisoformat(cell.metadata["execution"][key].replace("Z", "+00:00"))
    return [(stamp(c, "shell.execute_reply") - stamp(c, "iopub.execute_input")).total_seconds()
            if "iopub.execute_input" in c.metadata.get("execution", {}) else 0.0
            for c in nb.cells if c.cell_type == "code"]


def measure(repeat: int = 1) -> list[dict]:
    """Return one dict per lesson: name, seconds, its import-only floor's seconds (``floor``)
    and the ratio, the base floor's and base+io floor's seconds and ratios (``base``,
    ``render_floor``), the +cells and no-figures references' seconds (``empty_cells``,
    ``no_figures``; ``figure_cells`` counts the cells left out; ``empty_widget``, None for a
    lesson without figures), the kernel CPU seconds of the
    lesson and of its floor (``cpu``,
    ``floor_cpu``), size in bytes, and ``cells``: (median seconds, source) per code cell."""
    folder = ROOT / "notebooks"
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    rows = []
    for lesson in LESSONS:
        path = folder / lesson.notebook
        own_floor = import_floor_source(nbformat.read(path, as_version=4))
        stored = nbformat.read(path, as_version=4)
        lesson_times, floor_times, base_times, render_times, cell_times = [], [], [], [], []
        empty_times, nofig_times, widget_times = [], [], []
        has_figures = any(shows_a_figure(c) for c in stored.cells)
        lesson_cpu, floor_cpu = [], []
        for _ in range(repeat):  # alternate, so all see the same machine load
            wall, cpu = run_timed(nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(own_floor)]), folder)
            floor_times.append(wall)
            floor_cpu.append(cpu)
            base_times.append(run_seconds(nbformat.v4.new_notebook(cells=list(floor_nb.cells)),
                                          folder))
            render_times.append(run_seconds(nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(RENDER_FLOOR_SOURCE)]), folder))
            empty_times.append(run_seconds(nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(c) for c in empty_cells_source(stored)]),
                folder))
            nofig_times.append(run_seconds(without_figures(stored), folder))
            if has_figures:
                widget_times.append(run_seconds(with_empty_widget(stored), folder))
            nb = nbformat.read(path, as_version=4)
            wall, cpu = run_timed(nb, folder)
            lesson_times.append(wall)
            lesson_cpu.append(cpu)
            cell_times.append(cell_seconds(nb))
        seconds, floor = statistics.median(lesson_times), statistics.median(floor_times)
        render, base = statistics.median(render_times), statistics.median(base_times)
        sources = [c.source for c in nbformat.read(path, as_version=4).cells
                   if c.cell_type == "code"]
        cells = [(statistics.median(run[i] for run in cell_times), source)
                 for i, source in enumerate(sources)]
        rows.append({"lesson": lesson.notebook, "seconds": seconds, "floor": floor,
                     "ratio": seconds / floor, "base": base, "base_ratio": seconds / base,
                     "render_floor": render,
                     "render_ratio": seconds / render,
                     "empty_cells": statistics.median(empty_times),
                     "no_figures": statistics.median(nofig_times),
                     "empty_widget": statistics.median(widget_times) if widget_times else None,
                     "figure_cells": sum(shows_a_figure(c) for c in stored.cells),
                     "cpu": statistics.median(lesson_cpu),
                     "floor_cpu": statistics.median(floor_cpu), "bytes": path.stat().st_size,
                     "cells": cells})
    return rows


def report(rows: list[dict]) -> str:
    lines = [f"{'lesson':30} {'run s':>6} {'floor s':>7} {'ratio':>6} {'+cells':>6} {'ratio':>6} "
             f"{'no fig':>6} {'ratio':>6} {'+widget':>7} {'ratio':>6} {'base s':>6} {'ratio':>6} "
             f"{'base+io s':>9} {'ratio':>6} {'cpu s':>6} {'floor cpu':>9} {'ratio':>6} "
             f"{'size KB':>7}", "-" * 156]
    for r in rows:
        flag = "" if r["ratio"] <= RATIO_TARGET else "  over ratio target"
        flag += "" if r["bytes"] <= SIZE_TARGET else "  over size target"
        widget = (f"{r['empty_widget']:7.2f} {r['empty_widget'] / r['floor']:6.2f}"
                  if r["empty_widget"] is not None else f"{'-':>7} {'-':>6}")
        lines.append(f"{r['lesson']:30} {r['seconds']:6.2f} {r['floor']:7.2f} {r['ratio']:6.2f} "
                     f"{r['empty_cells']:6.2f} {r['empty_cells'] / r['floor']:6.2f} "
                     f"{r['no_figures']:6.2f} {r['no_figures'] / r['floor']:6.2f} {widget} "
                     f"{r['base']:6.2f} {r['base_ratio']:6.2f} "
                     f"{r['render_floor']:9.2f} {r['render_ratio']:6.2f} "
                     f"{r['cpu']:6.2f} {r['floor_cpu']:9.2f} {r['cpu'] / r['floor_cpu']:6.2f} "
                     f"{r['bytes'] / 1000:7.0f}{flag}")
    lines.append(f"targets: ratio <= {RATIO_TARGET} against the lesson's import-only floor (its "
                 f"own import lines), size <= {SIZE_TARGET // 1000} KB; +cells: the floor with "
                 "an empty cell for each other code cell; no fig: the lesson without its cells "
                 "that show a figure or explorer; +widget: no fig plus one empty plotly "
                 "FigureWidget shown (lessons with figures); base: pandas, plotly, "
                 "ipywidgets and armscontrol only; base+io: also plotly.io's renderers; cpu: the "
                 "kernel's CPU seconds (lesson, its floor)")
    return "\n".join(lines)


def slowest_cells(rows: list[dict], count: int) -> str:
    """Return the ``count`` slowest cells of each lesson, with their seconds and first line."""
    lines = []
    for r in rows:
        cells = r["cells"]
        lines.append(f"{r['lesson']}: {sum(s for s, _ in cells):.2f} s in {len(cells)} code cells")
        for seconds, source in sorted(cells, key=lambda c: -c[0])[:count]:
            first = source.strip().splitlines()[0] if source.strip() else "(empty)"
            lines.append(f"  {seconds:6.2f} s  {first[:80]}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (median)")
    parser.add_argument("--cells", type=int, default=0, metavar="K",
                        help="also list each lesson's K slowest cells")
    args = parser.parse_args()
    rows = measure(args.repeat)
    print(report(rows))
    if args.cells:
        print(slowest_cells(rows, args.cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
