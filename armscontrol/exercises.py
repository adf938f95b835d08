"""Exercise notebooks: feedback helpers for students, and building ``exercises/`` from ``solutions/``.

Two audiences use this module.

**Students** (through the visible test cells of an exercise notebook)::

    from armscontrol.exercises import check, check_answered, check_type
    check_answered(longest, "longest")
    check_type(longest, str, "longest")
    check(longest in table["system"].values, "Pick one of the names in the `system` column.")

Each helper raises :class:`AssertionError` with a message that teaches (what is wrong and a
hint), never the answer. Test cells should call :func:`check_type` before comparing a value:
it looks at the exact type, so an object that claims to equal everything cannot pass.

**Maintainers** (through ``python -m armscontrol release``): :func:`release` turns every
nbgrader-format notebook in ``solutions/`` into the student version in ``exercises/``, and
:func:`release_student_copy` writes a copy of the whole module for a class with no solutions in it.

The grader (:mod:`armscontrol.grade`) runs a private copy of this file's source before every test
cell, so the helper names a test cell uses are always the real ones. Keep the module's top-level
imports to the standard library for that reason.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any, Iterable

from armscontrol import ROOT

#: The helper names a test cell may call; the grader re-binds exactly these before each test cell.
#: Each is a self-contained top-level function (the grader copies only these functions' source),
#: so they use no module-level names and import what they need inside their bodies.
FEEDBACK_HELPERS = ("check", "check_answered", "check_type", "as_number", "as_whole_number",
                    "as_bool", "as_text", "as_name", "as_date", "as_choice", "as_items",
                    "as_mapping", "same_name", "same_items", "close_to")

#: Default source of truth and output of :func:`release`.
SOLUTIONS_DIR: Path = ROOT / "solutions"
EXERCISES_DIR: Path = ROOT / "exercises"

# nbgrader's default delimiters. nbgrader finds them as substrings of a line (usually written
# "### BEGIN SOLUTION"); we do the same so a notebook means the same thing to both tools.
BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_HIDDEN_TESTS = "BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "END HIDDEN TESTS"

#: What a student sees in place of a code solution (followed by names assigned ``...``).
CODE_STUB_COMMENT = "# YOUR CODE HERE"
#: What a student sees in place of a written (Markdown) solution; nbgrader's text stub.
TEXT_STUB = "YOUR ANSWER HERE"
#: Left in a test cell whose checks were all hidden.
HIDDEN_ONLY_NOTE = "# This question is checked when your notebook is graded."
#: The tag that lets "Run All" continue past a failing test cell (nbclient, nbval, JupyterLab).
RAISES_TAG = "raises-exception"


# --------------------------------------------------------------------------------------------
# Feedback helpers (called from the visible test cells)
# --------------------------------------------------------------------------------------------

def check(condition: Any, hint: str) -> None:
    """Pass silently if ``condition`` is true; otherwise raise ``AssertionError(hint)``.

    ``hint`` should say what is wrong and where to look, never give the answer.
    Returns None.
    """
    if not condition:
        raise AssertionError(hint)


def check_answered(value: Any, name: str) -> None:
    """Raise ``AssertionError`` if ``value`` is still the ``...`` placeholder of an unanswered question.

    ``name`` is the variable the student should fill in. Returns None.
    """
    if value is ...:
        raise AssertionError(
            f"Not answered yet: replace the `...` in `{name} = ...` with your answer, "
            "run that cell, then run this one again."
        )


def check_type(value: Any, expected: type | tuple[type, ...], name: str) -> None:
    """Raise ``AssertionError`` unless ``type(value)`` is exactly ``expected`` (or one of them).

    The exact type is used, not ``isinstance``, so subclasses (``bool`` for ``int``, or an object
    built to compare equal to anything) do not pass. Returns None.
    """
    check_answered(value, name)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    if not any(type(value) is t for t in allowed):  # identity: a metaclass can fake ==
        wanted = " or ".join(f"`{t.__name__}`" for t in allowed)
        raise AssertionError(
            f"`{name}` should be a {wanted}, but it is a `{type(value).__name__}`. "
            "Check what your code puts into it."
        )


# Fair checking: every correct form of an answer is accepted. Each ``as_*`` helper checks an
# answer's *form*, raising AssertionError with a teaching hint when it is the wrong kind of thing,
# and returns it as a plain Python value (numpy/pandas scalars converted, names normalised), so
# the test cell can compare it with plain values. The returned value is rebuilt from the answer
# (``int.__int__``, ``str.__str__``, ``datetime.date(...)``), so an object built to compare equal
# to everything cannot pass a comparison.

def as_number(value: Any, name: str) -> float | int:
    """Return ``value`` as a plain ``int`` or ``float``; AssertionError if it is not a number.

    Accepts Python ``int``/``float`` and numpy/pandas numeric scalars (``int64``, ``float64``);
    rejects ``True``/``False``, strings and containers, and NaN. Returns the number unchanged in
    value (an ``int`` stays an ``int``).
    """
    import math

    check_answered(value, name)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        raise AssertionError(f"`{name}` is {value}, a yes/no value: it should be a number.")
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        number = float.__float__(value)
        if math.isnan(number):
            raise AssertionError(f"`{name}` is NaN (not a number): a step found no value. "
                                 "Check your filter keeps at least one row.")
        return number
    if isinstance(value, str):
        raise AssertionError(f"`{name}` is the text {value!r}: give a number without quotes.")
    raise AssertionError(f"`{name}` should be a number, but it is a `{type(value).__name__}`. "
                         "If it is a table or a column, pick the single value out of it.")


def as_whole_number(value: Any, name: str) -> int:
    """Return ``value`` as a plain ``int``; AssertionError unless it is a whole number.

    Accepts ``int``, numpy integers and floats with no fractional part (``7.0``). Returns an int.
    """
    number = as_number(value, name)
    if isinstance(number, float):
        if not number.is_integer():
            raise AssertionError(f"`{name}` has a fractional part: it should be a whole number "
                                 "(a count, or a value rounded with round(...)).")
        return int(number)
    return number


def as_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a plain ``bool``; accepts ``True``/``False`` and ``numpy.bool_``.

    Raises AssertionError for anything else (including the strings "True"/"False"). Returns a bool.
    """
    check_answered(value, name)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if type(value) is bool:
        return value is True
    if isinstance(value, str):
        raise AssertionError(f"`{name}` is the text {value!r}: use True or False without quotes.")
    raise AssertionError(f"`{name}` should be True or False, but it is a "
                         f"`{type(value).__name__}`. A comparison such as `a <= b` gives one.")


def as_text(value: Any, name: str) -> str:
    """Return ``value`` as a plain ``str`` (numpy/pandas strings accepted), spaces at the ends removed.

    Raises AssertionError if it is not text. Returns a str.
    """
    check_answered(value, name)
    if isinstance(value, str):
        return str.__str__(value).strip()
    if type(value).__module__.startswith("pandas") and hasattr(value, "__len__"):
        raise AssertionError(f"`{name}` is a pandas `{type(value).__name__}` (a column or "
                             "table): pick the single value out of it, e.g. with .iloc[0].")
    raise AssertionError(f"`{name}` should be text (a string in quotes), but it is a "
                         f"`{type(value).__name__}`.")


def as_name(value: Any, name: str) -> str:
    """Return a name in a form that ignores case and spacing: ``" Dmitry  PESKOV"`` → ``"dmitry peskov"``.

    Curly apostrophes count as straight ones. Raises AssertionError if it is not text. Returns a str.
    """
    text = as_text(value, name).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


def same_name(value: Any, expected: Any) -> bool:
    """True if two names are equal ignoring case and spacing (both must be text)."""
    return as_name(value, "your answer") == as_name(expected, "the expected name")


def as_date(value: Any, name: str) -> Any:
    """Return ``value`` as a ``datetime.date``.

    Accepts a pandas ``Timestamp``, ``datetime.date``/``datetime``, ``numpy.datetime64`` and text
    such as ``"2018-10-22"`` or ``"22 October 2018"``. Raises AssertionError otherwise.
    Returns a datetime.date (the day; any time of day is dropped).
    """
    import datetime

    check_answered(value, name)
    if type(value).__module__ == "numpy" and type(value).__name__ == "datetime64":
        value = str(value)[:10]
    if isinstance(value, str):
        text = str.__str__(value).strip()
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            pass
        try:
            import pandas

            stamp = pandas.Timestamp(text)
        except (ValueError, TypeError, ImportError):
            stamp = None
        if stamp is None or stamp != stamp:  # NaT is not equal to itself
            raise AssertionError(f"`{name}` is the text {text!r}, which is not a date pandas can "
                                 "read: write it as 'YYYY-MM-DD', or take it from a date column.")
        value = stamp
    if isinstance(value, datetime.date):
        if value != value:
            raise AssertionError(f"`{name}` is NaT (no date): a step found no row.")
        return datetime.date(int.__int__(value.year), int.__int__(value.month),
                             int.__int__(value.day))
    raise AssertionError(f"`{name}` should be a date (a pandas Timestamp, or text like "
                         f"'2019-08-02'), but it is a `{type(value).__name__}`.")


def as_choice(value: Any, options: str, name: str) -> str:
    """Return a multiple-choice answer as one lower-case letter from ``options`` (e.g. ``"abcd"``).

    Accepts ``"b"``, ``"B"``, ``" b "``, ``"(b)"`` or ``"b)"``. Raises AssertionError naming the
    options for anything else. Returns a one-letter str.
    """
    text = as_text(value, name).strip("()[]. ").casefold()
    if len(text) != 1 or text not in options:
        letters = ", ".join(f'"{o}"' for o in options)
        raise AssertionError(f"`{name}` should be one letter from the options: {letters}.")
    return text


def as_items(value: Any, name: str, ordered: bool = False) -> list:
    """Return the items of a list-like answer as a plain list, each item normalised.

    Accepts a list, tuple, set, pandas Series or Index, or numpy array. Text items are
    normalised with :func:`as_name`, numbers and yes/no values made plain, dates made
    ``datetime.date``. With ``ordered=False`` (order does not matter) the list is sorted, so two
    answers with the same items in any order give the same list. Raises AssertionError for a
    single value or a table. Returns a list.
    """
    import datetime

    check_answered(value, name)
    module = type(value).__module__
    if isinstance(value, (str, bytes)) or type(value).__name__ == "DataFrame":
        raise AssertionError(f"`{name}` should be a list of items (e.g. `[\"a\", \"b\"]`), "
                             f"but it is a `{type(value).__name__}`.")
    if (module.startswith("pandas") or module == "numpy") and hasattr(value, "tolist"):
        items = value.tolist()
    elif type(value) in (list, tuple, set, frozenset) or type(value).__name__ in ("dict_keys",
                                                                                  "dict_values"):
        items = list(value)
    else:
        raise AssertionError(f"`{name}` should be a list (or tuple, set, Series), but it is a "
                             f"`{type(value).__name__}`.")
    plain = []
    for number, item in enumerate(items, 1):
        label = f"item {number} of `{name}`"
        if isinstance(item, str):
            plain.append(as_name(item, label))
        elif isinstance(item, datetime.date) or type(item).__name__ == "datetime64":
            plain.append(as_date(item, label))
        elif isinstance(item, bool) or type(item).__name__ == "bool_":
            plain.append(as_bool(item, label))
        else:
            plain.append(as_number(item, label))
    if not ordered:
        plain.sort(key=lambda item: (type(item).__name__, item))
    return plain


def as_mapping(value: Any, name: str) -> dict:
    """Return a matching answer (each key matched to a value) as a plain dict of normalised text.

    Accepts a dict or a pandas Series (its index as keys). Keys and values must be text; both
    are normalised with :func:`as_name`, so case and spacing do not matter. Raises
    AssertionError otherwise. Returns a dict.
    """
    check_answered(value, name)
    if type(value).__module__.startswith("pandas") and hasattr(value, "to_dict") \
            and type(value).__name__ == "Series":
        value = value.to_dict()
    if type(value) is not dict:
        raise AssertionError(f"`{name}` should be a dict such as `{{\"x\": \"y\"}}`, matching each "
                             f"item to one answer, but it is a `{type(value).__name__}`.")
    return {as_name(k, f"a key of `{name}`"): as_name(v, f"the value for {k!r} in `{name}`")
            for k, v in dict.items(value)}


def same_items(value: Any, expected: Any, ordered: bool = False) -> bool:
    """True if two list-like answers hold the same items (see :func:`as_items`).

    Names are compared ignoring case and spacing; with ``ordered=False`` order does not matter
    (but how many times an item occurs does).
    """
    return as_items(value, "your answer", ordered) == as_items(expected, "the expected list",
                                                               ordered)


def close_to(value: Any, expected: float, tolerance: float) -> bool:
    """True if the number ``value`` is within ``tolerance`` of ``expected`` (same units)."""
    return abs(as_number(value, "your answer") - expected) <= tolerance


# --------------------------------------------------------------------------------------------
# Reading nbgrader metadata
# --------------------------------------------------------------------------------------------

class ReleaseError(ValueError):
    """A solutions notebook cannot be turned into an exercise (the message says where and why)."""


class LeakError(RuntimeError):
    """Solution or hidden-test text was found where students would see it."""


def nbgrader_meta(cell: dict) -> dict:
    """Return the cell's ``metadata.nbgrader`` dict, or an empty dict when it has none."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_answer_cell(cell: dict) -> bool:
    """True for a cell the student writes in (nbgrader ``solution: true``)."""
    return bool(nbgrader_meta(cell).get("solution", False))


def is_autograded_test(cell: dict) -> bool:
    """True for an autograded test cell: a code cell with ``grade: true`` and ``solution: false``."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_manually_graded(cell: dict) -> bool:
    """True for a graded cell a person marks: a graded answer cell, or an nbgrader task cell."""
    meta = nbgrader_meta(cell)
    return (bool(meta.get("grade")) and bool(meta.get("solution"))) or bool(meta.get("task"))


def cell_points(cell: dict) -> float:
    """Return the points of a graded cell (0.0 for ungraded cells)."""
    meta = nbgrader_meta(cell)
    if not (meta.get("grade") or meta.get("task")):
        return 0.0
    return float(meta.get("points", 0) or 0)


def source_text(cell: dict) -> str:
    """Return a cell's source as one string (nbformat allows a list of lines on disk)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _where(path: Path | str, index: int, cell: dict) -> str:
    grade_id = nbgrader_meta(cell).get("grade_id")
    label = f"cell {index + 1}" + (f" (grade_id {grade_id!r})" if grade_id else "")
    return f"{path}: {label}"


def _check_metadata(path: Path | str, index: int, cell: dict) -> None:
    """Raise ReleaseError when a cell's nbgrader metadata is incomplete (nbgrader schema 3)."""
    meta = nbgrader_meta(cell)
    if not meta:
        return
    where = _where(path, index, cell)
    missing = [key for key in ("schema_version", "grade", "locked", "solution") if key not in meta]
    if missing:
        raise ReleaseError(f"{where}: nbgrader metadata lacks {missing}; use the nbgrader "
                           "'Create Assignment' toolbar or copy a cell from an existing solution.")
    if meta["schema_version"] != 3:
        raise ReleaseError(f"{where}: nbgrader schema_version is {meta['schema_version']}, "
                           "expected 3 (nbgrader 0.9).")
    if (meta["grade"] or meta["solution"] or meta["locked"] or meta.get("task")) and not re.fullmatch(
            r"[A-Za-z0-9_\-]+", str(meta.get("grade_id", ""))):
        raise ReleaseError(f"{where}: needs a grade_id of letters, digits, '_' or '-'.")
    if (meta["grade"] or meta.get("task")) and not isinstance(meta.get("points"), (int, float)):
        raise ReleaseError(f"{where}: a graded cell needs numeric 'points'.")


# --------------------------------------------------------------------------------------------
# Regions and stubs
# --------------------------------------------------------------------------------------------

def split_regions(source: str, begin: str, end: str, where: str) -> list[tuple[bool, list[str]]]:
    """Split ``source`` into runs of lines outside and inside ``begin``/``end`` delimiter lines.

    Returns a list of ``(inside, lines)``; delimiter lines are dropped, but the indentation of
    each inside run's ``begin`` line is kept as the first item of ``lines`` prefixed by ``"\\0"``
    so callers can indent a stub. Raises ReleaseError for nested or unterminated regions.
    """
    runs: list[tuple[bool, list[str]]] = []
    current: list[str] = []
    inside = False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ReleaseError(f"{where}: '{begin}' inside another '{begin}' region; "
                                   f"close the first with '{end}'.")
            runs.append((False, current))
            current = ["\0" + re.match(r"\s*", line).group(0)]
            inside = True
        elif end in line:
            if not inside:
                raise ReleaseError(f"{where}: '{end}' without a '{begin}' before it.")
            runs.append((True, current))
            current = []
            inside = False
        else:
            current.append(line)
    if inside:
        raise ReleaseError(f"{where}: '{begin}' has no matching '{end}'.")
    runs.append((False, current))
    return [(is_in, lines) for is_in, lines in runs if is_in or lines]


def _assigned_names(statements: Iterable[ast.stmt]) -> list[ast.AST | str]:
    """Names a block assigns, in order: plain names as str, function/class definitions as nodes.

    Looks inside if/for/while/with/try blocks, but not inside function or class bodies,
    and ignores loop variables, imports and augmented assignments (``x += 1``).
    """
    found: list[ast.AST | str] = []

    def targets(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Name):
            return [node.id]
        if isinstance(node, (ast.Tuple, ast.List)):
            return [name for element in node.elts for name in targets(element)]
        if isinstance(node, ast.Starred):
            return targets(node.value)
        return []

    for stmt in statements:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(stmt)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                found.extend(targets(target))
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            found.extend(targets(stmt.target))
        else:
            for field in ("body", "orelse", "finalbody"):
                found.extend(_assigned_names(getattr(stmt, field, []) or []))
            for handler in getattr(stmt, "handlers", []) or []:
                found.extend(_assigned_names(handler.body))
    return found


def code_stub(solution: str, indent: str = "") -> list[str]:
    """Return the lines that replace a code solution so the cell still runs.

    ``# YOUR CODE HERE``, then for each name the solution assigns ``name = ...``, for each
    function it defines ``def name(same arguments):`` with a ``...`` body (so it returns None),
    for each class ``class Name:`` with ``pass``; ``pass`` when it assigns nothing (or does not
    parse on its own). Every line starts with ``indent``.
    """
    lines = [indent + CODE_STUB_COMMENT]
    try:
        tree = ast.parse(textwrap.dedent(solution))
    except SyntaxError:
        return lines + [indent + "pass"]
    seen: set[str] = set()
    for item in _assigned_names(tree.body):
        name = item if isinstance(item, str) else item.name
        if name in seen:
            continue
        seen.add(name)
        if isinstance(item, str):
            lines.append(f"{indent}{name} = ...")
        elif isinstance(item, ast.ClassDef):
            lines += [f"{indent}class {name}:", f"{indent}    pass"]
        else:
            keyword = "async def" if isinstance(item, ast.AsyncFunctionDef) else "def"
            returns = f" -> {ast.unparse(item.returns)}" if item.returns else ""
            lines += [f"{indent}{keyword} {name}({ast.unparse(item.args)}){returns}:",
                      f"{indent}    ..."]
    if len(lines) == 1:
        lines.append(indent + "pass")
    return lines


def _strip_trailing_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _replace_solutions(source: str, cell_type: str, where: str) -> tuple[str, bool]:
    """Return (source with each solution region replaced by its stub, whether any region existed)."""
    runs = split_regions(source, BEGIN_SOLUTION, END_SOLUTION, where)
    if not any(inside for inside, _ in runs):
        return source, False
    out: list[str] = []
    for inside, lines in runs:
        if not inside:
            out += lines
            continue
        indent, body = lines[0][1:], lines[1:]
        if cell_type == "code":
            out += code_stub("\n".join(body), indent)
        else:
            out.append(indent + TEXT_STUB)
    return "\n".join(out), True


def remove_hidden_tests(source: str, where: str = "cell") -> tuple[str, bool]:
    """Return (source without its hidden-test regions and their delimiter lines, whether any existed)."""
    runs = split_regions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, where)
    if not any(inside for inside, _ in runs):
        return source, False
    kept = [line for inside, lines in runs if not inside for line in lines]
    return "\n".join(_strip_trailing_blank(kept)), True


# --------------------------------------------------------------------------------------------
# Notebooks in and out, deterministically
# --------------------------------------------------------------------------------------------

def ensure_cell_ids(nb: dict) -> None:
    """Give every cell an id (nbformat 4.5), deterministically: ``cell-NNN`` from its position.

    Cells that have ids keep them. Upgrades a 4.0–4.4 notebook's minor version to 5. Returns None.
    """
    if nb.get("nbformat") != 4:
        return
    nb["nbformat_minor"] = max(int(nb.get("nbformat_minor", 0)), 5)
    used = {cell.get("id") for cell in nb["cells"] if cell.get("id")}
    for index, cell in enumerate(nb["cells"]):
        if not cell.get("id"):
            candidate, n = f"cell-{index:03d}", 0
            while candidate in used:
                n += 1
                candidate = f"cell-{index:03d}-{n}"
            cell["id"] = candidate
            used.add(candidate)


def read_notebook(path: Path | str) -> Any:
    """Read a notebook file as an nbformat v4 ``NotebookNode`` with deterministic cell ids.

    Raises ReleaseError naming the file if it is not JSON or not a notebook.
    """
    import nbformat  # imported here: the grader executes this module's source in student kernels

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ReleaseError(f"{path}: not a readable notebook ({err}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ReleaseError(f"{path}: JSON but not a notebook (no 'cells' list).")
    if data.get("nbformat") != 4:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    else:  # not nbformat.reads: it would give id-less cells random ids, and we want stable ones
        from nbformat.v4.rwbase import rejoin_lines

        nb = rejoin_lines(nbformat.from_dict(data))
    ensure_cell_ids(nb)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        raise ReleaseError(f"{path}: not a valid notebook: {err.message}") from None
    return nb


def notebook_bytes(nb: Any) -> bytes:
    """Return the notebook serialised the way Jupyter writes it (sorted keys, indent 1) + newline.

    Byte-stable: the same notebook always gives the same bytes.
    """
    import nbformat

    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless the file already holds exactly that.

    Returns True if the file was written.
    """
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


# --------------------------------------------------------------------------------------------
# Release: solutions -> exercises
# --------------------------------------------------------------------------------------------

def release_notebook(nb: Any, where: str = "notebook") -> Any:
    """Return the student version of an nbgrader-format solutions notebook (the input is not changed).

    Solution regions become stubs that run (code) or ``YOUR ANSWER HERE`` (text); a solution
    cell without delimiters is replaced whole. Hidden tests are removed; test cells get the
    ``raises-exception`` tag; outputs, execution counts and timing metadata are cleared;
    nbgrader metadata is kept. Raises ReleaseError for malformed markers or metadata.
    """
    import copy

    nb = copy.deepcopy(nb)
    ensure_cell_ids(nb)
    for index, cell in enumerate(nb.cells):
        here = _where(where, index, cell)
        _check_metadata(where, index, cell)
        source = source_text(cell)
        source, had_solution = _replace_solutions(source, cell.cell_type, here)
        if had_solution and not is_answer_cell(cell):
            raise ReleaseError(f"{here}: has a solution region but is not an answer cell; mark it "
                               "'solution: true' in its nbgrader metadata or remove the delimiters.")
        if is_answer_cell(cell) and not had_solution:
            source = ("\n".join(code_stub(source)) if cell.cell_type == "code" else TEXT_STUB)
        source, had_hidden = remove_hidden_tests(source, here)
        if had_hidden and not is_autograded_test(cell):
            raise ReleaseError(f"{here}: has hidden tests but is not an autograded test cell "
                               "(code, 'grade: true', 'solution: false').")
        if is_autograded_test(cell):
            if not source.strip():
                source = HIDDEN_ONLY_NOTE
            tags = list(cell.metadata.get("tags", []))
            if RAISES_TAG not in tags:
                tags.append(RAISES_TAG)
            cell.metadata["tags"] = tags
        cell.source = source
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("celltoolbar", None)
    return nb


def solution_notebooks(solutions_dir: Path | str) -> list[Path]:
    """Return the ``*.ipynb`` files directly in ``solutions_dir``, sorted by name."""
    return sorted(p for p in Path(solutions_dir).glob("*.ipynb") if not p.name.startswith("."))


def release(solutions_dir: Path | str = SOLUTIONS_DIR,
            exercises_dir: Path | str = EXERCISES_DIR) -> list[Path]:
    """Build ``exercises_dir`` from ``solutions_dir``: one student notebook per solutions notebook.

    Files are rewritten only when their bytes change; ``*.ipynb`` files in ``exercises_dir``
    with no solutions notebook are deleted (exercises/ is generated, never edited by hand).
    Then scans the result for leaked solution text (raises LeakError).
    Returns the paths of the exercise notebooks, sorted.
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    if not solutions_dir.is_dir():
        raise ReleaseError(f"{solutions_dir}: no such folder (the nbgrader-format solutions).")
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in solution_notebooks(solutions_dir):
        student = release_notebook(read_notebook(path), where=str(path))
        target = exercises_dir / path.name
        write_if_changed(target, notebook_bytes(student))
        written.append(target)
    keep = {p.name for p in written}
    for stale in exercises_dir.glob("*.ipynb"):
        if stale.name not in keep:
            stale.unlink()
    leaks = find_leaks(exercises_dir, solutions_dir)
    if leaks:
        raise LeakError("solution text reached exercises/:\n  " + "\n  ".join(leaks))
    return written


# --------------------------------------------------------------------------------------------
# Leak scanning
# --------------------------------------------------------------------------------------------

#: Every page of the teachers' answer key (armscontrol.key) carries this line; students never should.
KEY_MARKER = "Answer key for teachers (armscontrol): not for students"

#: Shorter secret lines (``x = 5``, ``else:``) are too common to count as evidence of a leak.
MIN_SECRET_LINE = 12

_MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS)


def secret_and_public_lines(nb: Any) -> tuple[set[str], set[str]]:
    """Return (secret, public) stripped lines of a solutions notebook.

    Public: every line of the released (student) version. Secret: lines inside solution regions
    (or of whole answer cells without regions) and inside hidden-test regions that are not
    public and have at least ``MIN_SECRET_LINE`` characters.
    """
    public = {line.strip() for cell in release_notebook(nb).cells
              for line in source_text(cell).split("\n")}
    secret: set[str] = set()
    for cell in nb.cells:
        source = source_text(cell)
        runs = split_regions(source, BEGIN_SOLUTION, END_SOLUTION, "scan")
        runs += split_regions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, "scan")
        if is_answer_cell(cell) and not any(inside for inside, _ in runs):
            runs = [(True, ["\0"] + source.split("\n"))]
        for inside, lines in runs:
            if inside:
                secret.update(line.strip() for line in lines[1:])
    secret = {line for line in secret - public
              if len(line) >= MIN_SECRET_LINE and not any(m in line for m in _MARKERS)}
    return secret, public


def _text_lines(path: Path) -> list[str] | None:
    """Lines of a text file (a notebook: its cells' source lines), or None for binary files."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
            return [line for cell in cells for line in source_text(cell).split("\n")]
        except (json.JSONDecodeError, AttributeError):
            return text.split("\n")
    return text.split("\n")


def find_leaks(folder: Path | str, solutions_dir: Path | str = SOLUTIONS_DIR,
               lessons_dir: Path | str | None = None) -> list[str]:
    """Scan every file under ``folder`` for solution or hidden-test text; return what was found.

    Flags: a ``solutions`` folder; a page of the answer key (:data:`KEY_MARKER` in any file but
    Python source, which defines it); nbgrader
    delimiters in any notebook; any secret line (see
    :func:`secret_and_public_lines`, at least ``MIN_SECRET_LINE`` characters) in any text file.
    Lines that also appear in the lessons (``lessons_dir``) are public by definition.
    Returns a sorted list of ``"path: what"`` strings (empty when clean).
    """
    folder = Path(folder)
    secret: dict[str, str] = {}
    for path in solution_notebooks(solutions_dir):
        lines, _ = secret_and_public_lines(read_notebook(path))
        for line in lines:
            secret.setdefault(line, path.name)
    if lessons_dir is not None:
        for lesson in sorted(Path(lessons_dir).glob("*.ipynb")):
            for line in _text_lines(lesson) or []:
                secret.pop(line.strip(), None)
    leaks = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_dir():
            if path.name == "solutions":
                leaks.append(f"{rel}: a solutions folder")
            continue
        lines = _text_lines(path)
        if lines is None:
            continue
        if path.suffix != ".py" and any(KEY_MARKER in line for line in lines):
            leaks.append(f"{rel}: a page of the teachers' answer key")
        for number, line in enumerate(lines, 1):
            if path.suffix == ".ipynb" and any(marker in line for marker in _MARKERS):
                leaks.append(f"{rel}: line {number}: nbgrader delimiter {line.strip()!r}")
            elif line.strip() in secret:
                leaks.append(f"{rel}: line {number}: text from the solution of "
                             f"{secret[line.strip()]}: {line.strip()!r}")
    return leaks


# --------------------------------------------------------------------------------------------
# A student copy of the whole module
# --------------------------------------------------------------------------------------------

#: Folders copied into a student copy (when present).
STUDENT_DIRS = ("notebooks", "data", "armscontrol", "scripts", "binder", ".binder")
#: Top-level files copied into a student copy (when present); glob patterns.
STUDENT_FILES = ("README.md", "requirements.txt", "requirements-dev.txt", "runtime.txt",
                 "pyproject.toml", "apt.txt", "postBuild", "environment.yml", "LICENSE*",
                 "start*", "test.sh")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache",
                                 "*.egg-info")


def release_student_copy(dest: Path | str, root: Path | str = ROOT) -> Path:
    """Write a copy of the module for a class to ``dest``: lessons, exercises, data, package, README.

    ``exercises/`` is rebuilt from ``root/solutions`` (copied as is when there are no solutions).
    Nothing from ``solutions/``, ``tests/`` or ``docs/`` is copied, and the result is scanned
    with :func:`find_leaks`; on any finding the copy is deleted and LeakError raised.
    ``dest`` must not exist or be empty, and must be outside the copied folders.
    Returns ``dest`` as an absolute path.
    """
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"{dest}: exists and is not an empty folder; choose a new folder.")
    for name in STUDENT_DIRS + ("exercises", "solutions"):
        if dest == root or (root / name) in (dest, *dest.parents):
            raise ValueError(f"{dest}: is inside the module ({root / name}); choose a folder "
                             "outside it.")
    partial = dest.parent / f".{dest.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for name in STUDENT_DIRS:
            if (root / name).is_dir():
                shutil.copytree(root / name, partial / name, ignore=_IGNORE)
        for pattern in STUDENT_FILES:
            for path in sorted(root.glob(pattern)):
                if path.is_file():
                    shutil.copy2(path, partial / path.name)
        solutions = root / "solutions"
        if solution_notebooks(solutions):
            release(solutions, partial / "exercises")
        elif (root / "exercises").is_dir():
            shutil.copytree(root / "exercises", partial / "exercises", ignore=_IGNORE)
        leaks = find_leaks(partial, solutions, lessons_dir=root / "notebooks")
        if leaks:
            raise LeakError("the student copy would contain solution text; nothing was written:\n  "
                            + "\n  ".join(leaks))
        if dest.exists():
            dest.rmdir()
        os.replace(partial, dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return dest
