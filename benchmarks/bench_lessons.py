"""Lesson run time against a floor notebook, and notebook file sizes.

    python benchmarks/bench_lessons.py [--repeat N]

Each lesson runs top to bottom in a fresh kernel (nbclient, as nbval and the grader do), and so
does a *floor* notebook that only imports pandas, plotly, ipywidgets and armscontrol, in the same
run, so the ratio does not depend on how fast or busy the machine is. Targets: ratio <= 1.5 per
lesson, each stored notebook <= 1 MB. Prints one line per lesson.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from armscontrol.lessons import LESSONS  # noqa: E402

RATIO_TARGET, SIZE_TARGET = 1.5, 1_000_000
FLOOR_SOURCE = "import pandas, plotly, ipywidgets\nimport armscontrol"
# A second floor that also loads plotly's notebook renderers, as any notebook showing a figure
# must: they import nbformat, which imports jsonschema (with jsonschema 4.25+, that built
# rfc3987-syntax's grammar at import, about 2 s here; requirements.txt pins 4.24.1), and
# Pillow (and kaleido where it is installed, as in the development environment). plotly 7
# imports plotly.io's parts lazily, so ``import plotly.io`` alone loads none of this: the floor
# asks for ``pio.renderers``. Reported beside the first so that cost stays visible.
RENDER_FLOOR_SOURCE = FLOOR_SOURCE + "\nimport plotly.io as pio\npio.renderers"


def run_seconds(nb: nbformat.NotebookNode, folder: Path) -> float:
    """Execute ``nb`` in a fresh kernel with ``folder`` as working directory; return seconds."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def measure(repeat: int = 1) -> list[dict]:
    """Return one dict per lesson: name, seconds, floor seconds, ratio, size in bytes."""
    folder = ROOT / "notebooks"
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    rows = []
    for lesson in LESSONS:
        path = folder / lesson.notebook
        lesson_times, floor_times, render_times = [], [], []
        for _ in range(repeat):  # alternate, so all see the same machine load
            floor_times.append(run_seconds(nbformat.v4.new_notebook(cells=floor_nb.cells), folder))
            render_times.append(run_seconds(nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(RENDER_FLOOR_SOURCE)]), folder))
            lesson_times.append(run_seconds(nbformat.read(path, as_version=4), folder))
        seconds, floor = statistics.median(lesson_times), statistics.median(floor_times)
        render = statistics.median(render_times)
        rows.append({"lesson": lesson.notebook, "seconds": seconds, "floor": floor,
                     "ratio": seconds / floor, "render_floor": render,
                     "render_ratio": seconds / render, "bytes": path.stat().st_size})
    return rows


def report(rows: list[dict]) -> str:
    lines = [f"{'lesson':32} {'run s':>7} {'floor s':>8} {'ratio':>6} {'floor+io s':>10} "
             f"{'ratio':>6} {'size KB':>8}", "-" * 84]
    for r in rows:
        flag = "" if r["ratio"] <= RATIO_TARGET else "  over ratio target"
        flag += "" if r["bytes"] <= SIZE_TARGET else "  over size target"
        lines.append(f"{r['lesson']:32} {r['seconds']:7.1f} {r['floor']:8.1f} {r['ratio']:6.2f} "
                     f"{r['render_floor']:10.1f} {r['render_ratio']:6.2f} "
                     f"{r['bytes'] / 1000:8.0f}{flag}")
    lines.append(f"targets: ratio <= {RATIO_TARGET} (against the import-only floor), "
                 f"size <= {SIZE_TARGET // 1000} KB; floor+io also loads plotly.io's renderers")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (median)")
    args = parser.parse_args()
    print(report(measure(args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
