"""Command line: ``python -m armscontrol release|grade|check`` (see ``--help`` of each)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from armscontrol import ROOT

DESCRIPTION = """\
Arms Control Notebooks: tools for teachers and maintainers.

  release   build exercises/ from solutions/ (and, with --student DIR, a copy of the
            module for a class, with no solutions in it)
  grade     grade a folder of handed-in exercise notebooks: gradebook.csv, a feedback
            file per student, written_answers.csv
  check     validate every data table in data/

Run `python -m armscontrol COMMAND --help` for the options of each command.
Teachers' guide to grading: docs/grading.md.
"""


def _size(text: str) -> int:
    """Parse a size such as ``2G``, ``512M``, ``1.5GiB`` or ``1000000`` into bytes."""
    units = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = cleaned[-1:] if cleaned[-1:] in units else ""
    try:
        value = float(cleaned[: len(cleaned) - len(unit)])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (try 2G or 512M)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the size must be positive")
    return int(value * units[unit])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m armscontrol", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    release = commands.add_parser(
        "release", help="build exercises/ from solutions/ (and a student copy with --student)",
        description="Build the student exercise notebooks in exercises/ from the nbgrader-format "
                    "notebooks in solutions/: solutions become stubs that run, hidden tests are "
                    "removed, outputs cleared. Files change only when their content does.")
    release.add_argument("--student", metavar="DIR", type=Path,
                         help="also write a copy of the whole module for a class into DIR (a new "
                              "or empty folder): lessons, exercises, data, package, README, with "
                              "no solutions and no hidden tests (checked by a scan)")
    release.add_argument("--solutions", metavar="DIR", type=Path, default=ROOT / "solutions",
                         help="nbgrader-format solutions notebooks (default: %(default)s)")
    release.add_argument("--exercises", metavar="DIR", type=Path, default=ROOT / "exercises",
                         help="where the student notebooks go (default: %(default)s)")

    grade = commands.add_parser(
        "grade", help="grade a folder of handed-in notebooks",
        description="Grade every .ipynb under SUBMISSIONS against solutions/. Layout: "
                    "SUBMISSIONS/STUDENT/NN_name.ipynb, or flat SUBMISSIONS/STUDENT_NN_name.ipynb. "
                    "Each notebook runs in a fresh kernel in a bubblewrap sandbox (no network, no "
                    "view of the module folder or your home, memory and CPU limits); the test "
                    "cells (with hidden tests) come from solutions/, not from the student's copy. "
                    "Writes OUT/gradebook.csv, OUT/feedback/STUDENT.md and "
                    "OUT/written_answers.csv. See docs/grading.md.")
    grade.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                       help="folder of handed-in notebooks")
    grade.add_argument("--out", metavar="DIR", type=Path, required=True,
                       help="folder for the gradebook, feedback and written answers (created)")
    grade.add_argument("--solutions", metavar="DIR", type=Path, default=ROOT / "solutions",
                       help="nbgrader-format solutions notebooks (default: %(default)s)")
    grade.add_argument("--timeout", metavar="SECONDS", type=float, default=30,
                       help="time limit per cell (default: %(default)s)")
    grade.add_argument("--workers", metavar="N", type=int, default=2,
                       help="notebooks graded at once, one kernel each (default: %(default)s)")
    grade.add_argument("--memory", metavar="SIZE", type=_size, default="2G",
                       help="memory cap per kernel process, e.g. 2G or 512M (default: 2G)")
    grade.add_argument("--cpu-seconds", metavar="SECONDS", type=int, default=None,
                       help="CPU-time cap per kernel process (default: the per-cell timeout "
                            "times the number of cells, plus 30)")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run student code WITHOUT a sandbox, as you, with your files, "
                            "environment and network (only for notebooks you trust; the "
                            "gradebook's mode column says no-sandbox)")
    grade.add_argument("--roster", metavar="CSV", type=Path,
                       help="the class list (columns name, email, id and/or submission): matches "
                            "submissions to students and writes OUT/roster_check.csv listing "
                            "unmatched submissions and students with nothing handed in")
    grade.add_argument("--lms", choices=["canvas", "moodle"],
                       help="also write a grade import file for Canvas (OUT/canvas_import.csv, "
                            "needs --lms-export) or Moodle (OUT/moodle_import.csv); needs --roster")
    grade.add_argument("--lms-export", metavar="CSV", type=Path,
                       help="the gradebook CSV exported from Canvas (Grades > Export); the "
                            "grader fills in a copy, keeping all its columns and rows")
    grade.add_argument("--quiet", action="store_true", help="print no progress or summary")

    commands.add_parser("check", help="validate every data table",
                        description="Validate every table in data/ (schema, dates, units, sources).")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status (0 on success)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "release":
            from armscontrol import exercises

            written = exercises.release(args.solutions, args.exercises)
            print(f"Released {len(written)} exercise notebook(s) from {args.solutions} "
                  f"into {args.exercises}.")
            if args.student:
                dest = exercises.release_student_copy(args.student)
                print(f"Wrote a student copy of the module to {dest} (no solutions; scanned).")
        elif args.command == "grade":
            from armscontrol import grading

            limits = grading.Limits(memory_bytes=args.memory, cpu_seconds=args.cpu_seconds)
            results = grading.grade(args.submissions, args.out, solutions_dir=args.solutions,
                                    timeout=args.timeout, workers=args.workers,
                                    progress=not args.quiet, sandbox=not args.no_sandbox,
                                    limits=limits, roster=args.roster, lms=args.lms,
                                    lms_export=args.lms_export)
            if args.quiet:
                print(f"Graded {len(results)} notebook(s); see {args.out / 'gradebook.csv'}.")
        elif args.command == "check":
            try:
                from armscontrol import data
            except ImportError as err:
                print(f"Data validation is not available (armscontrol.data: {err}).")
                return 1
            validate_all = getattr(data, "validate_all", None)
            if validate_all is None:
                print("Data validation is not available yet (armscontrol.data has no validate_all).")
                return 1
            try:
                counts = validate_all()
            except Exception as err:  # noqa: BLE001 - DataError names the file, line and column
                print(f"Data check failed: {err}", file=sys.stderr)
                return 1
            if isinstance(counts, dict):
                for table, rows in counts.items():
                    print(f"  {table}: {rows} rows")
            print("All data tables are valid.")
    except (OSError, ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
