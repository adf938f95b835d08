"""Grade a folder of handed-in exercise notebooks: a gradebook, a feedback file per student, written answers.

Where submissions go (``SUBMISSIONS`` is the folder given to ``python -m armscontrol grade``):

* one folder per student: ``SUBMISSIONS/STUDENT/NN_name.ipynb`` (deeper folders are fine, as in
  nbgrader's ``submitted/STUDENT/ASSIGNMENT/NN_name.ipynb``: the first folder is the student), or
* flat files: ``SUBMISSIONS/STUDENT_NN_name.ipynb`` (also ``STUDENT-NN_name`` or
  ``STUDENT__NN_name``), where ``NN_name`` is the name of a notebook in ``solutions/``.

File names may carry the suffixes browsers and Jupyter add (``NN_name (1).ipynb``,
``NN_name-Copy1.ipynb``). A notebook whose name matches no exercise is matched by its nbgrader
cell ids instead. Hidden files, ``.ipynb_checkpoints`` and non-``.ipynb`` files are skipped.

How one submission is graded (in a worker process; ``workers`` of them run at once):

1. The file must be JSON and a notebook; it is matched to its exercise (name, then cell ids).
2. A *graded notebook* is built from the **solutions** notebook: every answer cell (nbgrader
   ``solution: true``) gets the student's text for that ``grade_id``; test cells and read-only
   cells come from solutions/ with their hidden tests, whatever the student did to their copy;
   ungraded cells take the student's version (matched by cell id); cells the student added run
   where they put them. A deleted answer cell runs nothing in its place, and the questions
   that depend on it score 0.
3. It runs with nbclient in a fresh kernel whose working folder is a new temporary folder
   holding copies of ``armscontrol/`` and ``data/`` (so paths relative to the notebook, and the
   package's own ``DATA_DIR``, point into the copy), with a per-cell timeout; an interrupted
   endless loop lets the rest run, a kernel that ignores the interrupt is killed.
4. Each test cell is preceded by code that re-creates the checking helpers
   (:data:`armscontrol.exercises.FEEDBACK_HELPERS`) from the grader's own copy of their source,
   and it scores only if it prints a random token placed after its last check. A grader cell
   before and after the student's code compares the interpreter's hooks and builtins.

What this protects against, and what it does not: a student who redefines ``check``, patches
``armscontrol.exercises``, shadows ``AssertionError``, installs an IPython exception handler or
input transformer, or edits/deletes test cells gains nothing, and the gradebook says so. The
student's code still runs in the same interpreter as the tests, as in nbgrader and otter: code
written to find and forge the token (for instance an input transformer that reads each test
cell) can defeat any in-process check; the hook comparison flags the usual ways of doing that
as ``tampering``, but it is a tripwire, not a sandbox. Nor is the kernel sandboxed from the
file system: it runs as your user and could read or write absolute paths. Grade untrusted
notebooks in a container or a throwaway account.
"""
from __future__ import annotations

import ast
import concurrent.futures
import csv
import functools
import io
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armscontrol import ROOT
from armscontrol import exercises as ex

#: Status flags, most serious first; a row's status lists its flags in this order ("ok" if none).
STATUSES = {
    "unreadable": "the file is not JSON, so not a notebook",
    "not-a-notebook": "the file is JSON but not a Jupyter notebook",
    "too-large": "the file is larger than the grader accepts",
    "unknown-exercise": "no exercise has this name or these cells",
    "wrong-exercise": "named as one exercise, holds the cells of another",
    "kernel-died": "the Python kernel died while running the notebook",
    "timeout": "a cell ran longer than the time limit",
    "tampering": "the notebook changed the grader's checking machinery",
    "output-capped": "the notebook printed more than the output limit",
    "answer-missing": "an answer cell was deleted (or its metadata removed)",
    "tests-edited": "a test or read-only cell was edited or deleted (the original was used)",
    "cell-errors": "a cell the student wrote (or the setup) raised an error",
    "files-changed": "the notebook wrote, changed or deleted files in its working folder",
    "grader-error": "the grader itself failed on this file",
}
#: Files larger than this are not graded (a notebook with a few plots is well under 10 MB).
MAX_FILE_BYTES = 50_000_000
#: Output kept per notebook before the rest is dropped (and the row flagged output-capped).
MAX_OUTPUT_BYTES = 2_000_000
_SEVERITY = list(STATUSES)
#: Builtins ipykernel itself replaces for every cell it runs (so their ids always change).
_PER_CELL_BUILTINS = {"input"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|[-_ ]copy\d*|-checkpoint)+$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# The exercises (from solutions/)
# --------------------------------------------------------------------------------------------

@dataclass
class Question:
    """One graded cell of an exercise: an autograded test, or an answer a person marks."""
    grade_id: str
    kind: str  # "auto" or "manual"
    points: float
    answer_ids: list[str] = field(default_factory=list)  # answer cells it depends on


@dataclass
class Exercise:
    """A solutions notebook, described for matching and scoring."""
    name: str
    path: str
    grade_ids: list[str]
    questions: list[Question]

    @property
    def max_auto(self) -> float:
        """Autograded points available."""
        return sum(q.points for q in self.questions if q.kind == "auto")

    @property
    def max_manual(self) -> float:
        """Points a person marks by hand."""
        return sum(q.points for q in self.questions if q.kind == "manual")


def load_exercises(solutions_dir: Path | str) -> dict[str, Exercise]:
    """Describe every notebook in ``solutions_dir``; returns {name without .ipynb: Exercise}.

    A test cell depends on the answer cells between the previous test cell and itself (a run of
    test cells after one answer all depend on it). Raises ReleaseError for unreadable notebooks.
    """
    found = {}
    for path in ex.solution_notebooks(solutions_dir):
        nb = ex.read_notebook(path)
        questions, answers, grade_ids, last_was_test = [], [], [], False
        for cell in nb.cells:
            meta = ex.nbgrader_meta(cell)
            if meta.get("grade_id"):
                grade_ids.append(meta["grade_id"])
            if ex.is_answer_cell(cell):
                if last_was_test:
                    answers = []
                answers.append(meta["grade_id"])
                last_was_test = False
            if ex.is_autograded_test(cell):
                questions.append(Question(meta["grade_id"], "auto", ex.cell_points(cell), list(answers)))
                last_was_test = True
            elif ex.is_manually_graded(cell):
                questions.append(Question(meta["grade_id"], "manual", ex.cell_points(cell),
                                          [meta["grade_id"]] if ex.is_answer_cell(cell) else []))
        found[path.stem] = Exercise(path.stem, str(path), grade_ids, questions)
    return found


# --------------------------------------------------------------------------------------------
# Finding submissions
# --------------------------------------------------------------------------------------------

@dataclass
class Submission:
    """A notebook file handed in by a student; ``named_as`` is the exercise its name points to."""
    student: str
    path: str
    rel: str
    named_as: str | None


def _normal_stem(name: str) -> str:
    return _COPY_SUFFIX.sub("", Path(name).stem).strip().lower()


def split_name(filename: str, exercise_names: list[str]) -> tuple[str | None, str | None]:
    """Split a file name into (student prefix or None, exercise name or None).

    ``02_x.ipynb`` -> (None, "02_x"); ``ana_02_x (1).ipynb`` -> ("ana", "02_x"), also with ``-``,
    ``__`` or a space before the exercise name; no exercise at the end -> (None, None).
    """
    stem, original = _normal_stem(filename), Path(filename).stem
    for name in sorted(exercise_names, key=len, reverse=True):
        low = name.lower()
        if stem == low:
            return None, name
        for sep in ("__", "_", "-", " "):
            if stem.endswith(sep + low) and len(stem) > len(sep + low):
                return original[: len(stem) - len(sep + low)].strip(), name
    return None, None


def find_submissions(submissions_dir: Path | str, exercise_names: list[str],
                     skip: Path | str | None = None) -> tuple[list[Submission], list[str]]:
    """List the ``.ipynb`` files under ``submissions_dir`` (see the module docstring for the layout).

    ``skip``: a folder not to look in (the output folder, when it is inside). Returns
    (submissions sorted by student and path, relative paths of other files that were ignored).
    """
    base = Path(submissions_dir)
    if not base.is_dir():
        raise NotADirectoryError(f"{base}: no such folder of submissions.")
    skip_path = Path(skip).resolve() if skip else None
    found, ignored = [], []
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__MACOSX"))
                             and (skip_path is None or (here / d).resolve() != skip_path))
        for filename in sorted(filenames):
            path = here / filename
            rel = path.relative_to(base).as_posix()
            if filename.startswith("."):
                continue
            if not filename.lower().endswith(".ipynb"):
                ignored.append(rel)
                continue
            prefix, named_as = split_name(filename, exercise_names)
            parts = Path(rel).parts
            if len(parts) > 1:  # one folder per student
                student = parts[0]
            else:  # flat: the student is the prefix (or the whole name, if no exercise matched)
                student = prefix or (Path(filename).stem if named_as is None else "(no name)")
            found.append(Submission(student, str(path), rel, named_as))
    found.sort(key=lambda s: (s.student.lower(), s.rel))
    return found, ignored


# --------------------------------------------------------------------------------------------
# What runs inside the student's kernel (grader cells)
# --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def helpers_source() -> str:
    """Return the source of the feedback helpers, cut from armscontrol/exercises.py with ``ast``."""
    text = Path(ex.__file__).read_text(encoding="utf-8")
    tree = ast.parse(text)
    parts = ["from __future__ import annotations"]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in ex.FEEDBACK_HELPERS:
            parts.append(ast.get_source_segment(text, node))
    return "\n\n".join(parts) + "\n"


_STATE_CODE = '''\
def _armscontrol_state():
    import builtins, sys
    ip = get_ipython()
    return {
        "trace": sys.gettrace() is not None or sys.getprofile() is not None,
        "custom_exceptions": len(ip.custom_exceptions),
        "input_transformers": [len(ip.input_transformers_cleanup), len(ip.input_transformers_post)],
        "ast_transformers": len(ip.ast_transformers),
        "builtins": {k: id(v) for k, v in vars(builtins).items()},
    }
'''


def _state_cell(token: str) -> str:
    """Code for a grader cell that prints ``token`` + a JSON description of the interpreter hooks."""
    # Minimal tracebacks: the grader only reads the error's name and message, and IPython's
    # verbose tracebacks take a few tenths of a second each to build.
    return (f"{_STATE_CODE}import json as _armscontrol_json\n"
            "get_ipython().InteractiveTB.set_mode(mode='Minimal')\n"
            f"print({token!r} + _armscontrol_json.dumps(_armscontrol_state()))\n"
            "del _armscontrol_state, _armscontrol_json\n")


_GUARD = '''\
def _armscontrol_guard(token, source, names):
    import builtins, sys
    fresh = {"__name__": "armscontrol._grader_helpers"}
    exec(compile(source, "armscontrol/exercises.py (grader copy)", "exec"), fresh)
    def sig(code):  # a function's code without line numbers or file names
        return (code.co_code, code.co_names, tuple(sig(c) if hasattr(c, "co_code") else c for c in code.co_consts))
    def same(a, b):
        a, b = getattr(a, "__code__", None), getattr(b, "__code__", None)
        return a is not None and b is not None and sig(a) == sig(b)
    user, notes = globals(), []
    module = sys.modules.get("armscontrol.exercises")
    for name in names:
        if name in user and not same(user[name], fresh[name]):
            notes.append("`" + name + "` was redefined in the notebook")
        user[name] = fresh[name]
        if module is not None:
            if not same(getattr(module, name, None), fresh[name]):
                notes.append("`armscontrol.exercises." + name + "` was replaced")
            setattr(module, name, fresh[name])
    for name in ("AssertionError", "Exception", "BaseException"):
        if name in user and user[name] is not getattr(builtins, name, None):
            notes.append("`" + name + "` was redefined in the notebook")
            del user[name]
    if notes:
        print(token + "-tamper:" + "; ".join(notes))
'''


def _wrap_test(source: str, tokens: tuple[str, str], helpers: str) -> str:
    """Return a test cell's code with the guard before it and a pass token after its last check.

    ``tokens`` = (visible, final): the visible token is printed where the hidden tests begin,
    the final one after everything. Delimiter lines are removed.
    """
    visible, final = tokens
    lines = []
    for line in source.split("\n"):
        if ex.BEGIN_HIDDEN_TESTS in line:
            lines.append(re.match(r"\s*", line).group(0) + f"print({visible!r})")
        elif ex.END_HIDDEN_TESTS in line:
            continue
        else:
            lines.append(line)
    guard = (f"{_GUARD}_armscontrol_guard({final!r}, {helpers!r}, {list(ex.FEEDBACK_HELPERS)!r})\n"
             "del _armscontrol_guard\n")
    return guard + "\n".join(lines) + f"\nprint({final!r})\n"


# --------------------------------------------------------------------------------------------
# Building the graded notebook
# --------------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


@dataclass
class _Cell:
    """One cell of the graded notebook and what it is for."""
    role: str  # baseline, audit, setup, answer, test, manual, plain, extra
    source: str
    grade_id: str | None = None
    tokens: tuple[str, str] | None = None
    label: str = ""
    text: str = ""  # a hand-marked answer's text, for written_answers.csv


def parse_student(data: Any) -> list[dict] | str:
    """Return the cells of a notebook-shaped JSON value, or a reason it is not a notebook."""
    if not isinstance(data, dict):
        return f"the JSON holds a {type(data).__name__}, not a notebook (an object with 'cells')"
    if "cells" not in data:
        if "worksheets" in data:  # nbformat 3
            cells = [c for ws in data.get("worksheets", []) if isinstance(ws, dict)
                     for c in ws.get("cells", []) if isinstance(c, dict)]
            for cell in cells:
                cell.setdefault("source", cell.get("input", ""))
            return cells
        keys = ", ".join(sorted(map(str, data))[:5]) or "none"
        return f"the JSON object has no 'cells' (its keys: {keys}), so it is not a notebook"
    if not isinstance(data["cells"], list):
        return "'cells' is not a list"
    cells = [c for c in data["cells"] if isinstance(c, dict) and "cell_type" in c]
    if len(cells) != len(data["cells"]):
        return "some entries of 'cells' are not notebook cells"
    return cells


def match_exercise(cells: list[dict], named_as: str | None,
                   exercises: dict[str, Exercise]) -> tuple[str | None, str | None]:
    """Decide which exercise a notebook is. Returns (exercise name or None, status flag or None).

    The name wins when some of the notebook's grade_ids belong to that exercise (or it has
    none at all); a name that points to one exercise while the cells belong to another gives
    ``wrong-exercise``; no name and no matching cells gives ``unknown-exercise``.
    """
    ids = {ex.nbgrader_meta(c).get("grade_id") for c in cells} - {None}
    overlap = {name: len(ids & set(e.grade_ids)) for name, e in exercises.items()}
    best = max(overlap, key=lambda n: (overlap[n], n), default=None)
    if named_as:
        if overlap.get(named_as, 0) > 0 or not ids or not best or overlap[best] == 0:
            return named_as, None
        return named_as, "wrong-exercise"
    if best and overlap[best] > 0:
        return best, None
    return None, "unknown-exercise"


@dataclass
class _Plan:
    """The graded notebook to run, and what merging the student's cells found."""
    cells: list[_Cell]
    flags: list[str]
    missing: set[str]     # answer grade_ids not in the student's notebook
    unanswered: set[str]  # answer grade_ids still holding the released stub
    reasons: list[str]


def build_graded_cells(solution_nb: Any, released_nb: Any, cells: list[dict],
                       exercise: Exercise, helpers: str) -> _Plan:
    """Merge a student's cells into the solutions notebook (see the module docstring, step 2).

    Returns a _Plan: the cells to run, status flags, missing and unanswered answer cells, reasons.
    """
    released_source = {c.get("id"): ex.source_text(c) for c in released_nb.cells}
    by_grade_id: dict[str, dict] = {}
    by_cell_id: dict[str, dict] = {}
    known_ids = {c.get("id") for c in solution_nb.cells}
    known_gids = set(exercise.grade_ids)
    extras: dict[str | None, list[dict]] = {}
    anchor = None
    for cell in cells:
        gid = ex.nbgrader_meta(cell).get("grade_id")
        if gid in known_gids:
            if gid in by_grade_id:  # a copy of the cell: the earlier one runs as an extra cell
                extras.setdefault(anchor, []).append(by_grade_id[gid])
            by_grade_id[gid] = cell
            anchor = gid
        elif cell.get("id") in known_ids and not ex.nbgrader_meta(cell):
            by_cell_id[cell["id"]] = cell
            anchor = cell["id"]
        elif cell.get("cell_type") == "code":
            extras.setdefault(anchor, []).append(cell)

    flags, reasons, missing, unanswered = [], [], set(), set()
    out = [_Cell("baseline", "", label="grader check (before)")]
    for cell in extras.get(None, []):
        out.append(_Cell("extra", ex.source_text(cell), label="a cell you added"))
    for index, sol in enumerate(solution_nb.cells):
        meta = ex.nbgrader_meta(sol)
        gid = meta.get("grade_id")
        key = gid if gid else sol.get("id")
        student = by_grade_id.get(gid) if gid else by_cell_id.get(sol.get("id"))
        if ex.is_answer_cell(sol):
            role = "manual" if ex.is_manually_graded(sol) else "answer"
            if student is None:  # nothing runs in its place; a cell the student added may
                missing.add(gid)
                reasons.append(f"answer cell `{gid}` is missing (deleted, or its nbgrader metadata "
                               "removed): its questions score 0")
                source = ""
            else:
                source = ex.source_text(student)
                if _norm(source) == _norm(released_source.get(sol.get("id"), "")):
                    unanswered.add(gid)
                if student.get("cell_type") != sol.cell_type:
                    reasons.append(f"answer cell `{gid}` was changed from {sol.cell_type} to "
                                   f"{student.get('cell_type')}; it was used as {sol.cell_type}")
            if sol.cell_type == "code" or role == "manual":
                out.append(_Cell(role, source if sol.cell_type == "code" else "", gid,
                                 label=f"your answer `{gid}`", text=source))
        elif ex.is_autograded_test(sol):
            if student is None:
                flags.append("tests-edited")
                reasons.append(f"test cell `{gid}` was deleted; the original was run")
            elif _norm(ex.source_text(student)) != _norm(released_source.get(sol.get("id"), "")):
                flags.append("tests-edited")
                reasons.append(f"test cell `{gid}` was edited; the original was run")
            tokens = (secrets.token_hex(16), secrets.token_hex(16))
            out.append(_Cell("test", _wrap_test(ex.source_text(sol), tokens, helpers), gid, tokens,
                             label=f"test `{gid}`"))
        elif gid and meta.get("locked"):  # read-only cells (prompts, setup): always the original
            if student is not None and _norm(ex.source_text(student)) != _norm(ex.source_text(sol)):
                flags.append("tests-edited")
                reasons.append(f"read-only cell `{gid}` was edited; the original was used")
            if sol.cell_type == "code":
                out.append(_Cell("setup", ex.source_text(sol), gid, label=f"read-only cell `{gid}`"))
        elif sol.cell_type == "code":
            source = ex.source_text(student) if student is not None else ex.source_text(sol)
            out.append(_Cell("plain", source, label=f"cell {index + 1}"))
        for cell in extras.get(key, []):
            out.append(_Cell("extra", ex.source_text(cell), label="a cell you added"))
    out.append(_Cell("audit", "", label="grader check (after)"))
    return _Plan(out, sorted(set(flags), key=_SEVERITY.index), missing, unanswered, reasons)


# --------------------------------------------------------------------------------------------
# Running it
# --------------------------------------------------------------------------------------------

def _make_client_class():
    """Define the nbclient subclass lazily so importing this module stays light."""
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """An nbclient that watches grader cells' stdout for tokens and caps the output it keeps."""

        def __init__(self, nb, *, tokens_by_cell, max_output_bytes, **kwargs):
            super().__init__(nb, on_cell_executed=self._record_reply, **kwargs)
            self.tokens_by_cell = tokens_by_cell  # {cell index: [token, ...]}
            self.seen: dict[int, list[str]] = {}  # cell index -> stdout lines holding a token
            self._carry: dict[int, str] = {}      # cell index -> unfinished last line
            self.replies: dict[int, dict] = {}    # cell index -> execute_reply content
            self.max_output_bytes = max_output_bytes
            self.output_bytes = 0
            self.capped_at: int | None = None

        def _record_reply(self, cell, cell_index, execute_reply):
            self.replies[cell_index] = (execute_reply or {}).get("content", {})

        def _watch(self, cell_index: int, text: str) -> None:
            tokens = self.tokens_by_cell[cell_index]
            lines = (self._carry.get(cell_index, "") + text).split("\n")
            self._carry[cell_index] = lines.pop()[-200_000:]
            found = self.seen.setdefault(cell_index, [])
            for line in lines:
                if len(found) < 100 and any(token in line for token in tokens):
                    found.append(line)

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            kind = msg.get("msg_type")
            if kind == "stream":
                text = content.get("text", "")
                if cell_index in self.tokens_by_cell:
                    self._watch(cell_index, text)
                    return None  # grader cells keep no stream output
                size = len(text)
            elif kind == "error":
                content["traceback"] = [str(line)[:2_000] for line in content.get("traceback", [])[-30:]]
                content["evalue"] = str(content.get("evalue", ""))[:10_000]
                return super().output(outs, msg, display_id, cell_index)
            else:
                data = content.get("data", {})
                size = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())
            self.output_bytes += size
            if self.output_bytes > self.max_output_bytes:
                if self.capped_at is None:
                    self.capped_at = cell_index
                return None
            return super().output(outs, msg, display_id, cell_index)

        def token_lines(self) -> dict[int, list[str]]:
            """Lines holding a token, per grader cell (including an unfinished last line)."""
            for index, rest in self._carry.items():
                if rest and any(token in rest for token in self.tokens_by_cell[index]):
                    self.seen.setdefault(index, []).append(rest)
            return self.seen

    return CappedClient


def _snapshot(folder: Path, skip: str) -> dict[str, tuple[int, int]]:
    """{relative path: (size, mtime_ns)} of the files under ``folder``, except its subfolder ``skip``."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        if Path(dirpath) == folder:
            dirnames[:] = [d for d in dirnames if d != skip]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                stat = path.lstat()
            except OSError:
                continue
            files[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def _kill_group(pgid: int | None) -> None:
    """Kill a kernel's process group (the kernel and anything it started); never our own group."""
    if pgid and pgid != os.getpgid(0):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _error_text(output: dict) -> str:
    """'Name: message' of an error output, without colour codes, at most 300 characters."""
    text = f"{output.get('ename', 'Error')}: {_ANSI.sub('', str(output.get('evalue', '')))}".strip()
    return text if len(text) <= 300 else text[:297] + "..."


def run_graded_cells(cells: list[_Cell], timeout: float, max_output_bytes: int,
                     root: Path = ROOT) -> dict:
    """Execute the graded cells in a fresh kernel inside a new temporary folder.

    The folder holds copies of ``root/armscontrol`` and ``root/data``; the kernel's working folder
    is its ``exercises/`` and its ``PYTHONPATH`` the copy. ``timeout`` is seconds per cell.
    Returns {"errors": {cell index: error text}, "seen": {cell index: token lines},
    "ran": number of cells run, "stopped": reason or None, "timeouts": [cell index],
    "capped_at": cell index or None, "files": list of changed paths}.
    """
    import nbformat
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import DeadKernelError

    tokens_by_cell: dict[int, list[str]] = {}
    baseline_token, audit_token = secrets.token_hex(16), secrets.token_hex(16)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(cells):
        if cell.role == "baseline":
            cell.source, cell.tokens = _state_cell(baseline_token), (baseline_token, baseline_token)
        elif cell.role == "audit":
            cell.source, cell.tokens = _state_cell(audit_token), (audit_token, audit_token)
        if cell.tokens:
            tokens_by_cell[index] = list(cell.tokens)
        nb.cells.append(nbformat.v4.new_code_cell(cell.source))

    sandbox = Path(tempfile.mkdtemp(prefix="armscontrol-grade-"))
    result: dict[str, Any] = {"errors": {}, "seen": {}, "ran": 0, "stopped": None, "timeouts": [],
                              "capped_at": None, "files": []}
    try:
        shutil.copytree(root / "armscontrol", sandbox / "armscontrol",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if (root / "data").is_dir():
            shutil.copytree(root / "data", sandbox / "data")
        workdir = sandbox / "exercises"
        home = sandbox / "home"
        workdir.mkdir()
        home.mkdir()
        before = _snapshot(sandbox, "home")
        env = dict(os.environ)
        env.update(PYTHONPATH=str(sandbox), HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
                   MPLCONFIGDIR=str(home / ".matplotlib"), MPLBACKEND="Agg",
                   PYTHONDONTWRITEBYTECODE="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
        client = _make_client_class()(
            nb, tokens_by_cell=tokens_by_cell, max_output_bytes=max_output_bytes,
            timeout=timeout, interrupt_on_timeout=True, allow_errors=True,
            error_on_timeout={"ename": "Timeout", "evalue": f"the cell ran longer than {timeout:g} s",
                              "traceback": []},
            kernel_name="python3", shutdown_kernel="immediate", iopub_timeout=2,
            resources={"metadata": {"path": str(workdir)}})
        killed = threading.Event()
        pgid = None

        def kill() -> None:
            killed.set()
            _kill_group(pgid)

        # A last resort if interrupts and the probe below both fail to stop a runaway kernel.
        watchdog = threading.Timer(timeout * (len(cells) + 2) + 30, kill)
        try:
            with client.setup_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
                pgid = getattr(client.km.provisioner, "pgid", None)
                watchdog.start()
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(cell, index)
                    except DeadKernelError:
                        result["stopped"] = "killed" if killed.is_set() else "died"
                        result["stopped_at"] = index
                        break
                    result["ran"] = index + 1
                    reply = client.replies.get(index, {})
                    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                    if reply.get("status") == "error" or errors:
                        source = reply if reply.get("ename") else errors[0] if errors else {}
                        result["errors"][index] = _error_text(source)
                    if reply.get("ename") == "Timeout":
                        result["timeouts"].append(index)
                        try:  # is the kernel back after the interrupt?
                            run_sync(client.kc.execute_interactive)(
                                "pass", timeout=min(10.0, timeout), store_history=False,
                                output_hook=lambda msg: None)
                        except Exception:
                            result["stopped"] = "unresponsive"
                            result["stopped_at"] = index + 1
                            kill()
                            break
        finally:
            watchdog.cancel()
            _kill_group(pgid)
        result["seen"] = client.token_lines()
        result["capped_at"] = client.capped_at
        after = _snapshot(sandbox, "home")
        result["files"] = _describe_changes(before, after)
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
    return result


def _describe_changes(before: dict, after: dict) -> list[str]:
    """Describe file changes as the notebook saw them (paths relative to its working folder).

    Files in the working folder are listed one by one; elsewhere (``../data``, ``../armscontrol``)
    they are counted per folder. Returns phrases like ``"wrote notes.txt"``, sorted.
    """
    phrases, counts = [], {}
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) == after.get(rel):
            continue
        action = "deleted" if rel not in after else "wrote" if rel not in before else "changed"
        if rel.startswith("exercises/"):
            phrases.append(f"{action} {rel[len('exercises/'):]}")
        else:
            key = (action, "../" + rel.split("/", 1)[0])
            counts[key] = counts.get(key, 0) + 1
    phrases += [f"{action} {n} file(s) in {folder}" for (action, folder), n in sorted(counts.items())]
    return phrases


# --------------------------------------------------------------------------------------------
# Grading one submission (runs in a worker process)
# --------------------------------------------------------------------------------------------

_CACHE: dict[str, Any] = {}


def _solution(path: str) -> tuple[Any, Any]:
    if path not in _CACHE:
        nb = ex.read_notebook(path)
        _CACHE[path] = (nb, ex.release_notebook(nb, where=path))
    return _CACHE[path]


def _empty_result(sub: Submission, exercise: str | None) -> dict:
    return {"student": sub.student, "file": sub.rel, "exercise": exercise or "", "scores": {},
            "total": 0.0, "max": None, "manual_max": None, "flags": [], "reasons": [],
            "questions": [], "written": [], "seconds": 0.0}


def _finish_zero(result: dict, exercise: Exercise | None, flag: str, reason: str) -> dict:
    result["flags"], result["reasons"] = [flag], [reason]
    if exercise is not None:
        result["scores"] = {q.grade_id: (0.0 if q.kind == "auto" else None) for q in exercise.questions}
        result["max"], result["manual_max"] = exercise.max_auto, exercise.max_manual
    return result


def grade_submission(sub: Submission, exercises: dict[str, Exercise], timeout: float,
                     max_output_bytes: int = MAX_OUTPUT_BYTES, root: str = str(ROOT)) -> dict:
    """Grade one handed-in notebook; never raises (a grader failure becomes a ``grader-error`` row).

    Returns a dict: student, file, exercise, scores {grade_id: points or None for hand-marked},
    total, max, manual_max, flags, reasons, questions (feedback items), written (answers),
    seconds.
    """
    start = time.monotonic()
    result = _empty_result(sub, sub.named_as)
    named = exercises.get(sub.named_as) if sub.named_as else None
    try:
        size = os.path.getsize(sub.path)
        if size > MAX_FILE_BYTES:
            return _finish_zero(result, named, "too-large",
                                f"the file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
        raw = Path(sub.path).read_bytes()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            return _finish_zero(result, named, "unreadable",
                                f"not a notebook: the file is not valid JSON ({err}); "
                                "was it saved from Jupyter as .ipynb?")
        cells = parse_student(data)
        if isinstance(cells, str):
            return _finish_zero(result, named, "not-a-notebook", f"not a notebook: {cells}")
        name, flag = match_exercise(cells, sub.named_as, exercises)
        result["exercise"] = name or ""
        if flag == "unknown-exercise":
            return _finish_zero(result, None, flag, "no exercise is named like this file, and none "
                                f"has its cells; the exercises are: {', '.join(sorted(exercises))}")
        exercise = exercises[name]
        if flag == "wrong-exercise":
            ids = {ex.nbgrader_meta(c).get("grade_id") for c in cells}
            other = max(exercises, key=lambda n: (len(ids & set(exercises[n].grade_ids)), n))
            return _finish_zero(result, exercise, flag, f"the file is named as `{name}` but holds the "
                                f"cells of `{other}`; it was not graded (hand in the right notebook)")
        solution_nb, released_nb = _solution(exercise.path)
        plan = build_graded_cells(solution_nb, released_nb, cells, exercise, helpers_source())
        ran = run_graded_cells(plan.cells, timeout, max_output_bytes, Path(root))
        _score(result, exercise, plan, ran, timeout, max_output_bytes)
    except Exception as err:  # noqa: BLE001 - one bad file must never stop the others
        result["flags"] = ["grader-error"]
        result["reasons"] = [f"the grader failed on this file: {type(err).__name__}: {err}",
                             traceback.format_exc(limit=3).strip().splitlines()[-1]]
    finally:
        result["seconds"] = round(time.monotonic() - start, 2)
    return result


def _state_diff(before: dict, after: dict) -> list[str]:
    notes = []
    if after.get("trace") and not before.get("trace"):
        notes.append("a trace or profile function was installed (sys.settrace)")
    if after.get("custom_exceptions", 0) > before.get("custom_exceptions", 0):
        notes.append("an IPython exception handler was installed (set_custom_exc)")
    if after.get("input_transformers") != before.get("input_transformers") or \
            after.get("ast_transformers") != before.get("ast_transformers"):
        notes.append("IPython input or AST transformers were changed")
    old, new = before.get("builtins", {}), after.get("builtins", {})
    changed = sorted(k for k in old if k in new and old[k] != new[k] and k not in _PER_CELL_BUILTINS)
    removed = sorted(k for k in old if k not in new)
    if changed or removed:
        notes.append("builtins were replaced or removed: " + ", ".join((changed + removed)[:8]))
    return notes


def _read_state(lines: list[str], token: str) -> dict | None:
    for line in lines:
        if token in line:
            try:
                return json.loads(line.split(token, 1)[1])
            except json.JSONDecodeError:
                return None
    return None


def _score(result: dict, exercise: Exercise, plan: _Plan, ran: dict, timeout: float,
           max_output_bytes: int) -> None:
    """Fill ``result`` with points, flags, reasons and feedback from an execution record."""
    cells, flags, missing, reasons = plan.cells, list(plan.flags), plan.missing, list(plan.reasons)
    stopped_at = ran.get("stopped_at", len(cells)) if ran["stopped"] else len(cells)
    index_of = {(c.role, c.grade_id): i for i, c in enumerate(cells) if c.grade_id}
    answer_error = {}
    for i, cell in enumerate(cells):
        error = ran["errors"].get(i)
        if error and cell.grade_id and cell.role in ("answer", "manual"):
            answer_error[cell.grade_id] = error
        if error and cell.role in ("answer", "extra", "plain", "setup", "manual") \
                and not error.startswith("Timeout:"):
            flags.append("cell-errors")
            where = f"{cell.label}" if cell.role != "plain" else f"{cell.label} of the notebook"
            reasons.append(f"{where} raised {error}")
    for i in ran["timeouts"]:
        flags.append("timeout")
        reasons.append(f"{cells[i].label} ran longer than {timeout:g} s and was interrupted "
                       "(an endless loop?)")
    if ran["stopped"] == "died":
        flags.append("kernel-died")
        reasons.append(f"the Python kernel died while running {cells[stopped_at].label} "
                       "(os._exit, a crash or too much memory?): later questions score 0")
    elif ran["stopped"] in ("killed", "unresponsive"):
        flags.append("timeout")
        reasons.append("the kernel did not stop when interrupted and was killed: later questions score 0")
    if ran["capped_at"] is not None:
        flags.append("output-capped")
        reasons.append(f"output beyond {max_output_bytes:,} bytes was dropped, "
                       f"starting at {cells[ran['capped_at']].label}")
    if ran["files"]:
        flags.append("files-changed")
        shown = ", ".join(ran["files"][:5]) + (" ..." if len(ran["files"]) > 5 else "")
        reasons.append(f"files were changed in the notebook's working folder (thrown away after "
                       f"grading): {shown}")

    tokens_seen = ran["seen"]
    first, last = 0, len(cells) - 1
    before = _read_state(tokens_seen.get(first, []), cells[first].tokens[0])
    after = _read_state(tokens_seen.get(last, []), cells[last].tokens[0]) if last < stopped_at else None
    tamper = []
    for i, cell in enumerate(cells):
        if cell.role == "test":
            marker = cell.tokens[1] + "-tamper:"
            tamper += [line.split(marker, 1)[1] for line in tokens_seen.get(i, []) if marker in line]
    if before is not None and after is not None:
        tamper += _state_diff(before, after)
    elif before is not None and last < stopped_at:
        tamper.append("the grader's final check did not report (its output was suppressed)")
    if tamper:
        flags.append("tampering")
        reasons.append("the checking machinery was changed: " + "; ".join(dict.fromkeys(tamper))
                       + " (tests ran with the grader's own helpers and count only if they finish)")

    total = 0.0
    for q in exercise.questions:
        item = {"grade_id": q.grade_id, "kind": q.kind, "points": q.points, "earned": None,
                "message": ""}
        if q.kind == "manual":
            i = index_of.get(("manual", q.grade_id))
            text = cells[i].text if i is not None else ""
            if q.grade_id in missing:
                text = ""
            item["message"] = "marked by your teacher"
            result["scores"][q.grade_id] = None
            result["written"].append({"question": q.grade_id, "points": q.points,
                                      "text": text.strip()})
            result["questions"].append(item)
            continue
        i = index_of[("test", q.grade_id)]
        cell = cells[i]
        lost = [a for a in q.answer_ids if a in missing]
        seen = tokens_seen.get(i, [])
        passed_all = any(line.endswith(cell.tokens[1]) for line in seen)
        passed_visible = any(line.endswith(cell.tokens[0]) for line in seen)
        error = ran["errors"].get(i)
        if lost:
            earned, message = 0.0, f"your answer cell `{lost[0]}` is missing, so this scores 0"
        elif i >= stopped_at:
            earned, message = 0.0, "not run: the notebook stopped before this test"
        elif passed_all and not error:
            earned, message = q.points, "passed"
        elif q.answer_ids and all(a in plan.unanswered for a in q.answer_ids):
            earned, message = 0.0, "not answered: your answer cell still holds the starting code"
        elif error and error.startswith("Timeout:"):
            earned, message = 0.0, f"the test ran longer than {timeout:g} s (does your answer loop forever?)"
        elif passed_visible:
            earned, message = 0.0, ("passed the checks you can see, but not the hidden checks run at "
                                    "grading: test your answer on more cases, including the edges")
        elif error:
            earned, message = 0.0, error
        else:
            earned, message = 0.0, "the test did not finish (its output was suppressed)"
        for a in q.answer_ids:
            if a in answer_error and earned == 0.0 and not lost:
                message += f" (your answer cell `{a}` raised {answer_error[a]})"
        item["earned"], item["message"] = earned, message
        result["scores"][q.grade_id] = earned
        result["questions"].append(item)
        total += earned
    if missing:
        flags.append("answer-missing")
    result["total"] = total
    result["max"], result["manual_max"] = exercise.max_auto, exercise.max_manual
    result["flags"] = sorted(set(flags), key=_SEVERITY.index)
    result["reasons"] = list(dict.fromkeys(reasons))


# --------------------------------------------------------------------------------------------
# The whole folder
# --------------------------------------------------------------------------------------------

def _fmt(points: float | None) -> str:
    return "" if points is None else f"{points:g}"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def gradebook_rows(results: list[dict], exercises: dict[str, Exercise]) -> list[list[str]]:
    """The gradebook table (header first): student, exercise, file, one column per question
    (``exercise:grade_id``; blank for hand-marked questions), total, max, manual_max, status, reason."""
    used = sorted({r["exercise"] for r in results if r["exercise"] in exercises})
    columns = [(name, q.grade_id) for name in used for q in exercises[name].questions]
    header = ["student", "exercise", "file"] + [f"{n}:{g}" for n, g in columns] + \
             ["total", "max", "manual_max", "status", "reason"]
    rows = [header]
    for r in results:
        cells = [_fmt(r["scores"].get(g)) if r["exercise"] == n else "" for n, g in columns]
        rows.append([r["student"], r["exercise"], r["file"], *cells, _fmt(r["total"]),
                     _fmt(r["max"]), _fmt(r["manual_max"]), ",".join(r["flags"]) or "ok",
                     "; ".join(r["reasons"])])
    return rows


def feedback_markdown(student: str, results: list[dict]) -> str:
    """One student's feedback file: per exercise, points, what passed, what failed and why."""
    lines = [f"# Feedback for {student}", ""]
    for r in results:
        title = r["exercise"] or "(unrecognised notebook)"
        if r["max"] is not None:
            score = f"{_fmt(r['total'])} / {_fmt(r['max'])} points"
            if r["manual_max"]:
                score += f", plus up to {_fmt(r['manual_max'])} marked by your teacher"
        else:
            score = "not graded"
        lines += [f"## {title}: {score}", "", f"File: `{r['file']}`", ""]
        if r["flags"]:
            lines.append("**Problems found:** " + ", ".join(r["flags"]))
            lines += [f"- {reason}" for reason in r["reasons"]] + [""]
        elif r["reasons"]:
            lines += ["Notes:"] + [f"- {reason}" for reason in r["reasons"]] + [""]
        if r["questions"]:
            lines += ["| question | points | result |", "| --- | --- | --- |"]
            for q in r["questions"]:
                earned = "to be marked" if q["earned"] is None else _fmt(q["earned"])
                mark = "" if q["earned"] is None else ("✓ " if q["earned"] == q["points"] else "✗ ")
                message = q["message"].replace("|", "\\|").replace("\n", " ")
                lines.append(f"| `{q['grade_id']}` | {earned} / {_fmt(q['points'])} | {mark}{message} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _safe_name(student: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"


def write_outputs(results: list[dict], exercises: dict[str, Exercise], out_dir: Path) -> None:
    """Write gradebook.csv, written_answers.csv and feedback/STUDENT.md, each file atomically.

    The feedback folder is rebuilt beside the old one and swapped in, so no stale file survives.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(out_dir / "gradebook.csv", _csv(gradebook_rows(results, exercises)))
    written = [["student", "exercise", "question", "points", "text"]]
    for r in results:
        for w in r["written"]:
            written.append([r["student"], r["exercise"], w["question"], _fmt(w["points"]),
                            w["text"] or "(no answer)"])
    _atomic_write(out_dir / "written_answers.csv", _csv(written))
    fresh = out_dir / ".feedback.partial"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    by_student: dict[str, list[dict]] = {}
    for r in results:
        by_student.setdefault(r["student"], []).append(r)
    used: dict[str, str] = {}
    for student, items in by_student.items():
        name = _safe_name(student)
        if name in used and used[name] != student:
            name = f"{name}-{len(used)}"
        used[name] = student
        (fresh / f"{name}.md").write_text(feedback_markdown(student, items), encoding="utf-8")
    target, old = out_dir / "feedback", out_dir / ".feedback.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)


def _run_pool(subs: list[Submission], exercises: dict[str, Exercise], timeout: float,
              workers: int, max_output_bytes: int, root: Path, report) -> list[dict]:
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
            futures = {pool.submit(grade_submission, subs[i], exercises, timeout,
                                   max_output_bytes, str(root)): i for i in pending}
            for future in concurrent.futures.as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    attempts[i] += 1
                    if attempts[i] < 2:
                        retry.append(i)
                        continue
                    results[i] = _finish_zero(_empty_result(subs[i], subs[i].named_as), None,
                                              "grader-error", "the grading process died twice on this file")
                report(results[i])
        pending = sorted(retry)
    return [results[i] for i in range(len(subs))]


def grade(submissions_dir: Path | str, out_dir: Path | str, solutions_dir: Path | str = ex.SOLUTIONS_DIR,
          timeout: float = 30, workers: int = 2, progress: bool = True,
          max_output_bytes: int = MAX_OUTPUT_BYTES, root: Path | str = ROOT) -> list[dict]:
    """Grade every notebook under ``submissions_dir`` and write the results to ``out_dir``.

    ``timeout``: seconds per cell. ``workers``: notebooks graded at once (one process and one
    kernel each). ``root``: the module folder whose ``armscontrol/`` and ``data/`` are copied
    beside each notebook. Writes ``gradebook.csv``, ``written_answers.csv`` and ``feedback/``;
    prints progress and a summary to stderr when ``progress``. Returns the per-notebook results
    (dicts, see :func:`grade_submission`) in gradebook order.
    """
    out_dir, root = Path(out_dir), Path(root)
    exercises = load_exercises(solutions_dir)
    if not exercises:
        raise FileNotFoundError(f"{solutions_dir}: no solutions notebooks to grade against.")
    subs, ignored = find_submissions(submissions_dir, list(exercises), skip=out_dir)
    start = time.monotonic()
    done = [0]

    def report(r: dict) -> None:
        done[0] += 1
        if progress:
            score = f"{_fmt(r['total'])}/{_fmt(r['max'])}" if r["max"] is not None else "-"
            print(f"[{done[0]:>3}/{len(subs)}] {r['student']} {r['exercise'] or '?'}: {score} "
                  f"{','.join(r['flags']) or 'ok'} ({r['seconds']:.1f} s)", file=sys.stderr, flush=True)

    results = _run_pool(subs, exercises, timeout, workers, max_output_bytes, root, report)
    write_outputs(results, exercises, out_dir)
    if progress:
        print(summary(results, ignored, out_dir, time.monotonic() - start, workers), file=sys.stderr)
    return results


def summary(results: list[dict], ignored: list[str], out_dir: Path, seconds: float, workers: int) -> str:
    """A few lines for the teacher: counts by status, mean score per exercise, files written."""
    students = {r["student"] for r in results}
    lines = [f"Graded {len(results)} notebook(s) from {len(students)} student(s) in {seconds:.1f} s "
             f"({workers} workers)."]
    counts: dict[str, int] = {}
    for r in results:
        for flag in r["flags"] or ["ok"]:
            counts[flag] = counts.get(flag, 0) + 1
    order = ["ok"] + _SEVERITY
    lines.append("  status: " + ", ".join(f"{k} {counts[k]}" for k in order if k in counts))
    for name in sorted({r["exercise"] for r in results if r["max"] is not None}):
        rows = [r for r in results if r["exercise"] == name]
        mean = sum(r["total"] for r in rows) / len(rows)
        lines.append(f"  {name}: mean {mean:.2f} / {_fmt(rows[0]['max'])} autograded points "
                     f"over {len(rows)} notebook(s)")
    seen = {}
    for r in results:
        key = (r["student"], r["exercise"])
        seen[key] = seen.get(key, 0) + 1
    for (student, name), n in sorted(seen.items()):
        if n > 1 and name:
            lines.append(f"  note: {student} handed in {n} notebooks for {name} (each has a row)")
    to_mark = sum(len(r["written"]) for r in results)
    if ignored:
        lines.append(f"  ignored {len(ignored)} file(s) that are not .ipynb: "
                     + ", ".join(ignored[:5]) + (" ..." if len(ignored) > 5 else ""))
    lines.append(f"Wrote {out_dir / 'gradebook.csv'}, {out_dir / 'feedback'}/ "
                 f"({len(students)} files) and {out_dir / 'written_answers.csv'} "
                 f"({to_mark} answer(s) to mark).")
    return "\n".join(lines)
