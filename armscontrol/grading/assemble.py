"""Step 2: assemble the notebook to run from the student's answer cells and the solution's tests.

A *graded notebook* is built from the **solutions** notebook: every answer cell (nbgrader
``solution: true``) gets the student's text for that ``grade_id``; test cells and read-only
cells come from solutions/ with their hidden tests, whatever the student did to their copy;
ungraded cells take the student's version (matched by cell id); cells the student added run
where they put them. A deleted answer cell runs nothing in its place, and the questions that
depend on it score 0.

Each test cell is preceded by code that re-creates the checking helpers
(:data:`armscontrol.exercises.FEEDBACK_HELPERS`) from the grader's own copy of their source,
and it scores only if it prints a random token placed after its last check. A grader cell
before and after the student's code describes the interpreter's hooks and builtins (and, in the
sandbox, the processes still running), so the score step can compare them.
"""
from __future__ import annotations

import ast
import functools
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armscontrol import exercises as ex
from armscontrol.grading.solutions import Exercise
from armscontrol.grading.statuses import SEVERITY

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

# In the sandbox the kernel has its own process namespace: every process but its init (pid 1)
# and the kernel itself was started by the notebook.
_PROCESSES_CODE = '''\
def _armscontrol_processes():
    import os
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (1, os.getpid()):
            try:
                with open(f"/proc/{name}/cmdline", "rb") as fh:
                    found.append(fh.read().replace(b"\\0", b" ").decode(errors="replace").strip()[:80])
            except OSError:
                pass
    return found
'''


def state_cell(token: str, sandboxed: bool = False) -> str:
    """Code for a grader cell that prints ``token`` + a JSON description of the interpreter hooks.

    ``sandboxed``: also list the processes running in the sandbox besides the kernel.
    """
    # Minimal tracebacks: the grader only reads the error's name and message, and IPython's
    # verbose tracebacks take a few tenths of a second each to build.
    processes = ("_armscontrol_s = _armscontrol_state()\n"
                 "_armscontrol_s['processes'] = _armscontrol_processes()\n" if sandboxed else
                 "_armscontrol_s = _armscontrol_state()\n")
    return (f"{_STATE_CODE}{_PROCESSES_CODE if sandboxed else ''}import json as _armscontrol_json\n"
            "get_ipython().InteractiveTB.set_mode(mode='Minimal')\n"
            f"{processes}"
            f"print({token!r} + _armscontrol_json.dumps(_armscontrol_s))\n"
            "del _armscontrol_state, _armscontrol_json, _armscontrol_s\n"
            + ("del _armscontrol_processes\n" if sandboxed else ""))


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



def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


@dataclass
class Cell:
    """One cell of the graded notebook and what it is for."""
    role: str  # baseline, audit, setup, answer, test, manual, plain, extra
    source: str
    grade_id: str | None = None
    tokens: tuple[str, str] | None = None
    label: str = ""
    text: str = ""  # a hand-marked answer's text, for written_answers.csv



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
class Plan:
    """The graded notebook to run, and what merging the student's cells found."""
    cells: list[Cell]
    flags: list[str]
    missing: set[str]     # answer grade_ids not in the student's notebook
    unanswered: set[str]  # answer grade_ids still holding the released stub
    reasons: list[str]


def build_graded_cells(solution_nb: Any, released_nb: Any, cells: list[dict],
                       exercise: Exercise, helpers: str) -> Plan:
    """Merge a student's cells into the solutions notebook (see the module docstring, step 2).

    Returns a Plan: the cells to run, status flags, missing and unanswered answer cells, reasons.
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
    out = [Cell("baseline", "", label="grader check (before)")]
    for cell in extras.get(None, []):
        out.append(Cell("extra", ex.source_text(cell), label="a cell you added"))
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
                out.append(Cell(role, source if sol.cell_type == "code" else "", gid,
                                 label=f"your answer `{gid}`", text=source))
        elif ex.is_autograded_test(sol):
            if student is None:
                flags.append("tests-edited")
                reasons.append(f"test cell `{gid}` was deleted; the original was run")
            elif _norm(ex.source_text(student)) != _norm(released_source.get(sol.get("id"), "")):
                flags.append("tests-edited")
                reasons.append(f"test cell `{gid}` was edited; the original was run")
            tokens = (secrets.token_hex(16), secrets.token_hex(16))
            out.append(Cell("test", _wrap_test(ex.source_text(sol), tokens, helpers), gid, tokens,
                             label=f"test `{gid}`"))
        elif gid and meta.get("locked"):  # read-only cells (prompts, setup): always the original
            if student is not None and _norm(ex.source_text(student)) != _norm(ex.source_text(sol)):
                flags.append("tests-edited")
                reasons.append(f"read-only cell `{gid}` was edited; the original was used")
            if sol.cell_type == "code":
                out.append(Cell("setup", ex.source_text(sol), gid, label=f"read-only cell `{gid}`"))
        elif sol.cell_type == "code":
            source = ex.source_text(student) if student is not None else ex.source_text(sol)
            out.append(Cell("plain", source, label=f"cell {index + 1}"))
        for cell in extras.get(key, []):
            out.append(Cell("extra", ex.source_text(cell), label="a cell you added"))
    out.append(Cell("audit", "", label="grader check (after)"))
    return Plan(out, sorted(set(flags), key=SEVERITY.index), missing, unanswered, reasons)

