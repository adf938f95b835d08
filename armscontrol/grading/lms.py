"""Step 5, for the learning platform: match submissions to the class list, write Canvas or Moodle imports.

* **Roster** (``--roster roster.csv``): the class list, one student a row, with any of the
  columns ``name``, ``email``, ``id`` (the LMS or SIS id) and ``submission`` (the name the
  student's notebooks carry in the submissions folder, when it is none of the others). A
  submission's student (its folder or file-name prefix) matches the one roster row whose name,
  email, email user part, id or submission equals it, ignoring case, spaces and punctuation.
  ``roster_check.csv`` lists every submission that matched no row (or several) and every row
  with no submission for an exercise graded.
* **Canvas** (``--lms canvas --lms-export FILE``): Canvas imports grades from a CSV shaped like
  its own gradebook export (Grades > Export). The grader fills that file: every column and row
  is kept as it was, an exercise's column is updated if its name (without Canvas's
  `` (id)`` suffix) is the exercise's name, or added at the end with its points possible in the
  ``Points Possible`` row, and a student's cell gets the autograded total. Students are found by
  ``SIS Login ID``, ``SIS User ID``, ``ID`` (against the roster's email or id) or by name.
* **Moodle** (``--lms moodle``): Moodle's "Import > CSV file" maps one column to identify users
  (email address, ID number or username) and any other column to a grade item. The grader
  writes ``Email address``, ``ID number``, ``Full name`` and one column per exercise, one row per
  roster student (blank where nothing was handed in).

The score sent is the autograded total; points for written answers are marked by hand and
added afterwards. When a student handed in several notebooks for one exercise, the highest
total counts (the gradebook keeps a row for each).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from armscontrol.grading.report import _atomic_write, fmt

#: Header names accepted for each roster field (compared in lower case).
ROSTER_FIELDS = {
    "name": ("name", "student", "full name", "student name"),
    "email": ("email", "e-mail", "email address", "mail"),
    "id": ("id", "lms id", "lms_id", "sis id", "sis_id", "sis user id", "id number",
           "student id", "student_id", "login", "username"),
    "submission": ("submission", "submission name", "folder"),
}
#: The first columns of a Canvas gradebook export (Canvas needs them back on import).
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
#: The columns of the Moodle import file before the exercises.
MOODLE_ID_COLUMNS = ["Email address", "ID number", "Full name"]
_CANVAS_SUFFIX = re.compile(r"\s*\(\d+\)\s*$")


class RosterError(ValueError):
    """The roster or the Canvas export cannot be used (the message says why)."""


@dataclass
class Student:
    """One row of the class list."""
    name: str = ""
    email: str = ""
    id: str = ""
    submission: str = ""

    @property
    def label(self) -> str:
        """How to name this student in messages."""
        return self.name or self.email or self.id or self.submission


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _read_csv(path: Path | str) -> list[list[str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise RosterError(f"{path}: cannot read it ({err})") from err
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def read_roster(path: Path | str) -> list[Student]:
    """Read the class list; raises RosterError naming the file and what is wrong."""
    rows = _read_csv(path)
    if not rows:
        raise RosterError(f"{path}: the roster is empty")
    header = [h.strip().casefold() for h in rows[0]]
    where = {}
    for field, names in ROSTER_FIELDS.items():
        for i, h in enumerate(header):
            if h in names and field not in where:
                where[field] = i
    if not where.keys() & {"name", "email", "id"}:
        raise RosterError(f"{path}: the first row must name the columns, with at least one of "
                          f"name, email, id (found: {', '.join(rows[0])})")
    students = []
    for number, row in enumerate(rows[1:], start=2):
        values = {f: (row[i].strip() if i < len(row) else "") for f, i in where.items()}
        student = Student(**values)
        if not (student.name or student.email or student.id):
            raise RosterError(f"{path}, line {number}: no name, email or id")
        students.append(student)
    return students


def _keys_of(student: Student) -> set[str]:
    keys = {student.name, student.email, student.email.split("@")[0], student.id, student.submission}
    if "," in student.name:  # "Last, First" as Canvas writes it
        last, first = student.name.split(",", 1)
        keys.add(f"{first} {last}")
    return {_key(k) for k in keys if k and _key(k)}


def match_roster(results: list[dict], roster: list[Student]) -> tuple[dict[str, Student], list[tuple[str, str]]]:
    """Match each submission's student to a roster row.

    Returns ({submission student: roster Student}, [(submission student, reason it matched
    none)]), every student of ``results`` in exactly one of the two.
    """
    by_key: dict[str, list[int]] = {}
    for i, student in enumerate(roster):
        for key in _keys_of(student):
            by_key.setdefault(key, []).append(i)
    matched, unmatched = {}, []
    for name in dict.fromkeys(r["student"] for r in results):
        hits = sorted(set(by_key.get(_key(name), [])))
        if len(hits) == 1:
            matched[name] = roster[hits[0]]
        elif hits:
            unmatched.append((name, "matches several roster rows: "
                              + ", ".join(roster[i].label for i in hits)))
        else:
            unmatched.append((name, "matches no roster row"))
    return matched, unmatched


def best_totals(results: list[dict], matched: dict[str, Student]) -> dict[tuple[int, str], float]:
    """{(id of the roster Student, exercise): highest autograded total} over the matched rows."""
    best: dict[tuple[int, str], float] = {}
    for r in results:
        student = matched.get(r["student"])
        if student is None or not r["exercise"] or r["max"] is None:
            continue
        key = (id(student), r["exercise"])
        best[key] = max(best.get(key, 0.0), r["total"] or 0.0)
    return best


def roster_check_rows(results: list[dict], roster: list[Student], matched: dict[str, Student],
                      unmatched: list[tuple[str, str]]) -> list[list[str]]:
    """The table of ``roster_check.csv`` (header first): what could not be matched or is missing."""
    rows = [["problem", "student", "name", "email", "id", "exercise", "detail"]]
    for name, reason in unmatched:
        files = [r["file"] for r in results if r["student"] == name]
        rows.append(["unmatched-submission", name, "", "", "", "", f"{reason}; files: {', '.join(files)}"])
    handed_in = {(id(matched[r["student"]]), r["exercise"]) for r in results if r["student"] in matched}
    exercises = sorted({r["exercise"] for r in results if r["exercise"] and r["max"] is not None})
    for student in roster:
        for exercise in exercises:
            if (id(student), exercise) not in handed_in:
                rows.append(["no-submission", "", student.name, student.email, student.id, exercise,
                             "no notebook for this exercise matched this roster row"])
    return rows


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def moodle_rows(results: list[dict], roster: list[Student], matched: dict[str, Student],
                max_points: dict[str, float]) -> list[list[str]]:
    """The Moodle import table (header first): one row per roster student, a column per exercise."""
    best = best_totals(results, matched)
    exercises = sorted(max_points)
    rows = [MOODLE_ID_COLUMNS + exercises]
    for student in roster:
        rows.append([student.email, student.id, student.name]
                    + [fmt(best.get((id(student), e))) for e in exercises])
    return rows


def _find_canvas_row(row: list[str], col: dict[str, int], roster: list[Student]) -> Student | None:
    def cell(name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    ids = {_key(cell(c)) for c in ("ID", "SIS User ID", "SIS Login ID")} - {""}
    name = _key(cell("Student"))
    hits = [s for s in roster if ids & ({_key(s.id), _key(s.email), _key(s.email.split("@")[0])} - {""})]
    if not hits and name:
        hits = [s for s in roster if name in _keys_of(s) or _key(s.name) == name]
    return hits[0] if len(hits) == 1 else None


def canvas_rows(export_rows: list[list[str]], results: list[dict], roster: list[Student],
                matched: dict[str, Student], max_points: dict[str, float]) -> tuple[list[list[str]], list[str]]:
    """Fill a Canvas gradebook export with the exercises' totals.

    Returns (the table to import: every column and row of the export kept in order, exercise
    columns updated or added; the roster students found in no row of the export).
    """
    header = list(export_rows[0])
    missing = [c for c in ("Student", "ID") if c not in header]
    if missing:
        raise RosterError("this is not a Canvas gradebook export (no "
                          + " or ".join(f"'{c}'" for c in missing) + " column); export it from "
                          "Canvas: Grades > Export > Export Entire Gradebook")
    col = {name: i for i, name in enumerate(header)}
    rows = [list(r) + [""] * (len(header) - len(r)) for r in export_rows[1:]]
    target = {}
    for exercise in sorted(max_points):
        existing = [i for i, h in enumerate(header) if _CANVAS_SUFFIX.sub("", h).casefold() == exercise.casefold()]
        if existing:
            target[exercise] = existing[0]
        else:
            header.append(exercise)
            target[exercise] = len(header) - 1
            for r in rows:
                r.append("")
    best = best_totals(results, matched)
    found: set[int] = set()
    for r in rows:
        first = r[col["Student"]].strip()
        if first.casefold() == "points possible":
            for exercise, i in target.items():
                if not r[i].strip():
                    r[i] = fmt(max_points[exercise])
            continue
        if not first and not r[col["ID"]].strip():  # Canvas's "Manual Posting" and similar rows
            continue
        student = _find_canvas_row(r, col, roster)
        if student is None:
            continue
        found.add(id(student))
        for exercise, i in target.items():
            points = best.get((id(student), exercise))
            if points is not None:
                r[i] = fmt(points)
    not_found = [s.label for s in roster if id(s) not in found and any(k[0] == id(s) for k in best)]
    return [header] + rows, not_found


def write_lms(results: list[dict], out_dir: Path, roster_path: Path | str | None,
              lms: str | None, lms_export: Path | str | None) -> list[str]:
    """Write roster_check.csv and the LMS import file; returns lines for the summary.

    ``lms``: None, ``canvas`` (needs ``lms_export``) or ``moodle`` (needs ``roster_path``).
    """
    lines: list[str] = []
    if roster_path is None:
        return lines
    roster = read_roster(roster_path)
    matched, unmatched = match_roster(results, roster)
    check = roster_check_rows(results, roster, matched, unmatched)
    _atomic_write(out_dir / "roster_check.csv", _csv_text(check))
    absent = sum(1 for row in check[1:] if row[0] == "no-submission")
    lines.append(f"  roster: {len(matched)} submission name(s) matched, {len(unmatched)} unmatched, "
                 f"{absent} missing notebook(s); see {out_dir / 'roster_check.csv'}")
    for name, reason in unmatched[:10]:
        lines.append(f"    unmatched: {name} ({reason})")
    max_points = {r["exercise"]: r["max"] for r in results if r["exercise"] and r["max"] is not None}
    if lms == "moodle":
        _atomic_write(out_dir / "moodle_import.csv",
                      _csv_text(moodle_rows(results, roster, matched, max_points)))
        lines.append(f"  Moodle: {out_dir / 'moodle_import.csv'} (Grades > Import > CSV file; "
                     "identify users by Email address or ID number)")
    elif lms == "canvas":
        table, not_found = canvas_rows(_read_csv(lms_export), results, roster, matched, max_points)
        _atomic_write(out_dir / "canvas_import.csv", _csv_text(table))
        lines.append(f"  Canvas: {out_dir / 'canvas_import.csv'} (Grades > Import)")
        if not_found:
            lines.append("    not in the Canvas export (their grades are not in the file): "
                         + ", ".join(not_found[:10]))
    return lines


def check_options(roster: Path | str | None, lms: str | None, lms_export: Path | str | None) -> None:
    """Raise RosterError before grading when the LMS options cannot work together."""
    if lms not in (None, "canvas", "moodle"):
        raise RosterError(f"--lms {lms}: the choices are canvas and moodle")
    if lms and roster is None:
        raise RosterError(f"--lms {lms} needs --roster (the class list to match submissions to)")
    if lms == "canvas" and lms_export is None:
        raise RosterError("--lms canvas needs --lms-export FILE: the gradebook CSV exported from "
                          "Canvas (Grades > Export), which the grader fills in")
    if lms_export is not None and lms != "canvas":
        raise RosterError("--lms-export is the Canvas gradebook export: use it with --lms canvas")
    for path in (roster, lms_export):
        if path is not None and not Path(path).is_file():
            raise RosterError(f"{path}: no such file")
    if roster is not None:
        read_roster(roster)
