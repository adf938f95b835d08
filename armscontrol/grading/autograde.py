"""The whole pipeline: collect -> assemble -> execute (sandboxed) -> score -> report, for a folder.

Each submission is graded in a worker process (``workers`` at once), so one notebook that
crashes its grader never loses another's row.
"""
from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from armscontrol import ROOT
from armscontrol import exercises as ex
from armscontrol.grading import class_report, collect, lms as lms_files, report as reports
from armscontrol.grading.assemble import build_graded_cells, helpers_source, match_exercise
from armscontrol.grading.execute import run_graded_cells
from armscontrol.grading.collect import Refused, Submission
from armscontrol.grading.sandbox import Limits, Sandbox, check
from armscontrol.grading.score import empty_result, finish_zero, score
from armscontrol.grading.solutions import Exercise, load_exercises, solution_pair
from armscontrol.grading.statuses import MAX_FILE_BYTES, MAX_OUTPUT_BYTES

@dataclass(frozen=True)
class Settings:
    """How every submission of one grading run is graded (sent to each worker process).

    ``timeout``: seconds per cell. ``sandbox``: the bubblewrap sandbox, or None to run student
    code unsandboxed (``--no-sandbox``). ``base``: the submissions folder (files must lie
    inside it). ``forbidden``: (device, inode) of the solutions notebooks (hard links to them
    are refused). ``root``: the module folder whose ``armscontrol/`` and ``data/`` the kernel gets.
    """
    timeout: float = 30
    max_output_bytes: int = MAX_OUTPUT_BYTES
    sandbox: Sandbox | None = None
    base: str = "."
    forbidden: frozenset = field(default_factory=frozenset)
    root: str = str(ROOT)

    @property
    def mode(self) -> str:
        """What the gradebook's ``mode`` column says: ``sandbox`` or ``no-sandbox``."""
        return "sandbox" if self.sandbox is not None else "no-sandbox"


def grade_submission(sub: Submission, exercises: dict[str, Exercise], settings: Settings) -> dict:
    """Grade one handed-in notebook; never raises (a grader failure becomes a ``grader-error`` row).

    Returns a dict: student, file, exercise, mode, scores {grade_id: points or None for
    hand-marked}, total, max, manual_max, flags, reasons, questions (feedback items), written
    (answers), seconds.
    """
    start = time.monotonic()
    result = empty_result(sub, sub.named_as)
    result["mode"] = settings.mode
    named = exercises.get(sub.named_as) if sub.named_as else None
    try:
        try:
            raw = collect.read_submission(sub, settings.base, MAX_FILE_BYTES, settings.forbidden)
        except Refused as err:
            return finish_zero(result, named, "refused", f"not graded: {err}")
        except ValueError as err:
            return finish_zero(result, named, "too-large", str(err))
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            return finish_zero(result, named, "unreadable",
                               f"not a notebook: the file is not valid JSON ({err}); "
                               "was it saved from Jupyter as .ipynb?")
        cells = collect.parse_student(data)
        if isinstance(cells, str):
            return finish_zero(result, named, "not-a-notebook", f"not a notebook: {cells}")
        name, flag = match_exercise(cells, sub.named_as, exercises)
        result["exercise"] = name or ""
        if flag == "unknown-exercise":
            return finish_zero(result, None, flag, "no exercise is named like this file, and none "
                               f"has its cells; the exercises are: {', '.join(sorted(exercises))}")
        exercise = exercises[name]
        if flag == "wrong-exercise":
            ids = {ex.nbgrader_meta(c).get("grade_id") for c in cells}
            other = max(exercises, key=lambda n: (len(ids & set(exercises[n].grade_ids)), n))
            return finish_zero(result, exercise, flag, f"the file is named as `{name}` but holds the "
                               f"cells of `{other}`; it was not graded (hand in the right notebook)")
        solution_nb, released_nb = solution_pair(exercise.path)
        plan = build_graded_cells(solution_nb, released_nb, cells, exercise, helpers_source())
        ran = run_graded_cells(plan.cells, settings.timeout, settings.max_output_bytes,
                               Path(settings.root), settings.sandbox)
        score(result, exercise, plan, ran, settings.timeout, settings.max_output_bytes)
    except Exception as err:  # noqa: BLE001 - one bad file must never stop the others
        result["flags"] = ["grader-error"]
        result["reasons"] = [f"the grader failed on this file: {type(err).__name__}: {err}",
                             traceback.format_exc(limit=3).strip().splitlines()[-1]]
    finally:
        result["seconds"] = round(time.monotonic() - start, 2)
    return result


def _run_pool(subs: list[Submission], exercises: dict[str, Exercise], settings: Settings,
              workers: int, report) -> list[dict]:
    """Grade ``subs`` in a process pool; a pool broken by a dying worker is restarted once."""
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, dict] = {}
    pending = list(range(len(subs)))
    attempts = {i: 0 for i in pending}
    while pending:
        retry = []
        # forkserver, not fork: the grader may be called from a process with threads (a kernel)
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, workers),
                                                    mp_context=context) as pool:
            futures = {pool.submit(grade_submission, subs[i], exercises, settings): i for i in pending}
            for future in concurrent.futures.as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    attempts[i] += 1
                    if attempts[i] < 2:
                        retry.append(i)
                        continue
                    results[i] = finish_zero(empty_result(subs[i], subs[i].named_as), None,
                                             "grader-error", "the grading process died twice on this file")
                    results[i]["mode"] = settings.mode
                report(results[i])
        pending = sorted(retry)
    return [results[i] for i in range(len(subs))]


def grade(submissions_dir: Path | str, out_dir: Path | str, solutions_dir: Path | str = ex.SOLUTIONS_DIR,
          timeout: float = 30, workers: int = 2, progress: bool = True,
          max_output_bytes: int = MAX_OUTPUT_BYTES, root: Path | str = ROOT,
          sandbox: bool = True, limits: Limits = Limits(), roster: Path | str | None = None,
          lms: str | None = None, lms_export: Path | str | None = None) -> list[dict]:
    """Grade every notebook under ``submissions_dir`` and write the results to ``out_dir``.

    ``timeout``: seconds per cell. ``workers``: notebooks graded at once (one process and one
    kernel each). ``root``: the module folder whose ``armscontrol/`` and ``data/`` the kernel
    gets (bound read-only in the sandbox, copied without it). ``sandbox``: run each kernel under
    bubblewrap with ``limits`` (raises :class:`SandboxUnavailable`, saying how to get one, when
    this machine cannot); False runs student code as the calling user. Writes
    ``gradebook.csv``, ``written_answers.csv`` and ``feedback/``; with ``roster`` (the class
    list) also ``roster_check.csv``, and with ``lms`` (``canvas``, filling the Canvas export
    ``lms_export``, or ``moodle``) the import file (see :mod:`armscontrol.grading.lms`). Prints
    progress and a summary to stderr when ``progress``. Returns the per-notebook results (dicts, see
    :func:`grade_submission`) in gradebook order.
    """
    out_dir, root = Path(out_dir), Path(root)
    lms_files.check_options(roster, lms, lms_export)
    exercises = load_exercises(solutions_dir)
    if not exercises:
        raise FileNotFoundError(f"{solutions_dir}: no solutions notebooks to grade against.")
    box = check(str(root), limits) if sandbox else None
    subs, ignored = collect.find_submissions(submissions_dir, list(exercises), skip=out_dir)
    settings = Settings(timeout, max_output_bytes, box, str(Path(submissions_dir).resolve()),
                        frozenset(collect.file_ids(solutions_dir)), str(root))
    start = time.monotonic()
    done = [0]

    def report(r: dict) -> None:
        done[0] += 1
        if progress:
            points = f"{reports.fmt(r['total'])}/{reports.fmt(r['max'])}" if r["max"] is not None else "-"
            print(f"[{done[0]:>3}/{len(subs)}] {r['student']} {r['exercise'] or '?'}: {points} "
                  f"{','.join(r['flags']) or 'ok'} ({r['seconds']:.1f} s)", file=sys.stderr, flush=True)

    if progress and box is None:
        print("warning: grading WITHOUT a sandbox (--no-sandbox): student code runs as you, with "
              "your files, environment and network.", file=sys.stderr)
    results = _run_pool(subs, exercises, settings, workers, report)
    reports.write_outputs(results, exercises, out_dir)
    class_report.write_class_report(results, exercises, out_dir, settings.mode)
    lines = lms_files.write_lms(results, out_dir, roster, lms, lms_export)
    if progress:
        print(reports.summary(results, ignored, out_dir, time.monotonic() - start, workers,
                              settings.mode), file=sys.stderr)
        if lines:
            print("\n".join(lines), file=sys.stderr)
    return results
