"""Benchmark: grading 30 submissions in the sandbox, without it, and with `jupyter nbconvert --execute`.

    python benchmarks/bench_grading.py [--timeout SECONDS] [--workers N] [--repeat N]

Builds 30 handed-in notebooks from the test fixture (tests/fixtures/make_fixture.py): correct,
partial, unanswered and broken ones (endless loop, dying kernel, huge output, import error,
edited tests, a deleted answer, not JSON, tampering). Then, in the same run:

* **sandboxed grader**: ``armscontrol.grading.grade`` on the folder, every kernel under
  bubblewrap (both cores, one fresh kernel per notebook, solutions' tests with hidden tests,
  gradebook and feedback written);
* **unsandboxed grader**: the same with ``sandbox=False`` (``--no-sandbox``): the sandbox's cost
  is the ratio of the two (target: at most 1.2);
* **floor**: ``jupyter nbconvert --to notebook --execute --allow-errors`` on each notebook, one
  after another, with the same per-cell timeout: just running the students' notebooks
  (target: the sandboxed grader takes at most 0.6 of it).

The two grader runs alternate ``--repeat`` times (default 2) and the fastest of each counts, so
a burst of load on a shared machine does not land on one side only.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import make_fixture  # noqa: E402

from armscontrol.grading import grade  # noqa: E402

#: How many of each kind make up the 30 submissions.
MIX = {"correct": 10, "partial": 7, "unanswered": 3, "endless_loop": 1, "kernel_death": 1,
       "huge_output": 1, "import_error": 1, "edited_test": 1, "deleted_answer": 1,
       "not_json": 1, "tamper_check": 1, "tamper_ipython": 1, "evil_eq": 1}
TARGET = 0.6
#: The sandboxed grader may take at most this multiple of the unsandboxed grader's time.
SANDBOX_TARGET = 1.2


def build(folder: Path) -> list[Path]:
    """Write the 30 submissions (one folder per student); returns their paths."""
    paths = []
    for kind, count in MIX.items():
        for n in range(count):
            paths.append(make_fixture.write_submission(folder, f"{kind}_{n + 1:02d}", kind))
    return paths


def floor(paths: list[Path], timeout: float, work: Path) -> tuple[float, int]:
    """Run nbconvert --execute on each path in turn; returns (seconds, how many exited non-zero)."""
    jupyter = Path(sys.executable).parent / "jupyter"
    env = dict(os.environ, PATH=os.pathsep.join([str(jupyter.parent), os.environ.get("PATH", "")]))
    failures = 0
    start = time.perf_counter()
    for i, path in enumerate(paths):
        out = work / f"run{i:02d}"
        out.mkdir(parents=True)
        done = subprocess.run(
            [str(jupyter), "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
             f"--ExecutePreprocessor.timeout={timeout:g}", "--output-dir", str(out), str(path)],
            cwd=out, env=env, capture_output=True, text=True)
        failures += done.returncode != 0
    return time.perf_counter() - start, failures


def _grade(folder: Path, out: Path, timeout: float, workers: int, sandbox: bool) -> tuple[float, dict]:
    """Grade ``folder`` once; returns (seconds, {status: count})."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    results = grade(folder, out, solutions_dir=ROOT / "tests" / "fixtures" / "solutions",
                    timeout=timeout, workers=workers, progress=False, sandbox=sandbox)
    seconds = time.perf_counter() - start
    statuses: dict[str, int] = {}
    for r in results:
        key = ",".join(r["flags"]) or "ok"
        statuses[key] = statuses.get(key, 0) + 1
    return seconds, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=5, help="seconds per cell (all runs)")
    parser.add_argument("--workers", type=int, default=2, help="grader worker processes")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each grader (fastest counts)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        paths = build(work / "submissions")
        print(f"{len(paths)} submissions: " + ", ".join(f"{k} {v}" for k, v in MIX.items()))
        boxed, bare = [], []
        for _ in range(max(1, args.repeat)):
            boxed.append(_grade(work / "submissions", work / "out", args.timeout, args.workers, True))
            bare.append(_grade(work / "submissions", work / "out", args.timeout, args.workers, False))
        (boxed_time, boxed_status), (bare_time, bare_status) = min(boxed), min(bare)
        floor_time, failures = floor(paths, args.timeout, work / "floor")

        def counts(statuses: dict) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))

        print(f"grader, sandboxed   ({args.workers} workers, hidden tests, gradebook + feedback): "
              f"{boxed_time:6.1f} s (runs: {', '.join(f'{t:.1f}' for t, _ in boxed)}; {counts(boxed_status)})")
        print(f"grader, no sandbox  (same):                                     "
              f"{bare_time:6.1f} s (runs: {', '.join(f'{t:.1f}' for t, _ in bare)}; {counts(bare_status)})")
        print(f"floor   (nbconvert --execute, one after another):               {floor_time:6.1f} s "
              f"({failures} exited non-zero)")
        cost = boxed_time / bare_time
        print(f"ratio sandboxed/unsandboxed: {cost:.2f} "
              f"({'meets' if cost <= SANDBOX_TARGET else 'MISSES'} the target of <= {SANDBOX_TARGET})")
        ratio = boxed_time / floor_time
        print(f"ratio sandboxed grader/floor: {ratio:.2f} "
              f"({'meets' if ratio <= TARGET else 'MISSES'} the target of <= {TARGET})")
        if boxed_status != bare_status:
            print("note: the statuses differ between the runs (the sandbox changed an outcome)")
        print(f"cores: {os.cpu_count()}, per-cell timeout: {args.timeout:g} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
