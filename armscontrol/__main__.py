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
  key       write the teachers' answer key (Markdown and HTML, one page per set)

Run `python -m armscontrol COMMAND --help` for the options of each command.
Teachers' guide to grading: docs/grading.md.
"""


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
                    "Each notebook runs in a fresh kernel in a temporary folder; the test cells "
                    "(with hidden tests) come from solutions/, not from the student's copy. "
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
    grade.add_argument("--quiet", action="store_true", help="print no progress or summary")

    key = commands.add_parser(
        "key", help="write the teachers' answer key",
        description="Run every solutions notebook and write one answer-key page per exercise "
                    "set into DIR, as Markdown and as a self-contained HTML file: each question, "
                    "its points, the objective it assesses, the expected value computed from the "
                    "solution, the model written answer and its rubric. For teachers only: never "
                    "put it in exercises/ or a student copy.")
    key.add_argument("--out", metavar="DIR", type=Path, required=True,
                     help="folder for the answer key (created)")
    key.add_argument("--solutions", metavar="DIR", type=Path, default=ROOT / "solutions",
                     help="nbgrader-format solutions notebooks (default: %(default)s)")

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
            from armscontrol import grade

            results = grade.grade(args.submissions, args.out, solutions_dir=args.solutions,
                                  timeout=args.timeout, workers=args.workers,
                                  progress=not args.quiet)
            if args.quiet:
                print(f"Graded {len(results)} notebook(s); see {args.out / 'gradebook.csv'}.")
        elif args.command == "key":
            from armscontrol import key

            written = key.write_key(args.out, args.solutions)
            print(f"Wrote the answer key ({len(written) // 2} set(s), Markdown and HTML) "
                  f"to {args.out}.")
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
