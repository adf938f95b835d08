"""Run every benchmark in one go and print their figures, then a summary table.

    python benchmarks/run.py            (about 10–15 minutes on 2 cores)
    python benchmarks/run.py --quick    (skips the install-size benchmark, which downloads)

Each benchmark measures its own floor in the same run (see each script's docstring), so ratios
compare like with like on whatever machine runs them. The README's "Performance" section quotes
the latest output of this script.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    # Three runs of each lesson and floor (medians): one run moves by tenths of a second.
    ("lessons", "bench_lessons.py --repeat 3",
     "Run All of each lesson against its import-only floor (median of 3)"),
    ("install", "bench_install_size.py", "runtime install size against a bare install"),
    ("range slider", "bench_range_slider.py",
     "range explorer controls (slider, INF toggle, claims) to redrawn circle, in Chromium"),
    ("timeline filter", "bench_timeline_filter.py", "timeline filter change to redraw, in Chromium"),
    ("grading", "bench_grading.py", "grading 30 submissions against sequential nbconvert"),
]


def run(script: str) -> str:
    """Run one benchmark script (its file name, then any arguments); return what it printed
    (stdout and stderr)."""
    name, *arguments = script.split()
    result = subprocess.run([sys.executable, str(HERE / name), *arguments], capture_output=True,
                            text=True)
    out = result.stdout + (f"\n[exit {result.returncode}]\n" + result.stderr[-2000:]
                           if result.returncode else "")
    return out.strip()


def summary_lines(name: str, out: str) -> list[str]:
    """Pick the headline figures out of one benchmark's output."""
    keep = {
        "lessons": r"^\d\d_|^targets",
        "install": r"^runtime|^floor|^ratio",
        "range slider": r"median|p95|full redraws",
        "timeline filter": r"^(floor|kernel|browser)",
        "grading": r"^grader|^floor|^ratio",
    }[name]
    return [l for l in out.splitlines() if re.search(keep, l.strip())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the install-size benchmark")
    args = parser.parse_args()
    outputs = {}
    for name, script, what in BENCHMARKS:
        if args.quick and name == "install":
            continue
        print(f"\n## {name}: {what}\n", flush=True)
        outputs[name] = run(script)
        print(outputs[name], flush=True)
    print("\n## Summary\n")
    for name, out in outputs.items():
        print(f"[{name}]")
        for line in summary_lines(name, out):
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
