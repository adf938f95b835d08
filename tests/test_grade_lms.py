"""Grades for the learning platform: the roster match, the Canvas and Moodle import files.

The formats, as their documentation describes them:

* Canvas imports a CSV shaped like its gradebook export (Grades > Export): the columns
  ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section`` identify the student,
  one column per assignment (``Name (id)``; a new name makes a new assignment), a
  ``Points Possible`` row under the header
  (https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades,
  "Import CSV File for Carmen Grades").
* Moodle's CSV import maps one column to identify users ("Email address" to useremail, or
  "ID number" to useridnumber; email addresses are case sensitive) and other columns to grade
  items (https://docs.moodle.org/311/en/Grade_import, "Grade import").
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol.grading import lms

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import sandboxing  # noqa: E402
import make_fixture  # noqa: E402

ROSTER = """\
name,email,id
"Garcia, Ana",Ana.Garcia@example.edu,S-11
Ben Okafor,ben@example.edu,S-12
Cy Lee,cy@example.edu,S-13
Dee Park,dee@example.edu,S-14
"""

CANVAS_EXPORT = """\
Student,ID,SIS User ID,SIS Login ID,Section,Essay 1 (1001),01_fixture (1002),Current Score,Final Score
    Points Possible,,,,,10,7,(read only),(read only)
"Garcia, Ana",11,S-11,Ana.Garcia@example.edu,Section A,8,,80.00,80.00
"Okafor, Ben",12,S-12,ben@example.edu,Section A,9,,90.00,90.00
"Lee, Cy",13,S-13,cy@example.edu,Section B,,5,50.00,50.00
"Park, Dee",14,S-14,dee@example.edu,Section B,7,,70.00,70.00
"Student, Test",99,,,Section A,,,0.00,0.00
"""


def _result(student: str, exercise: str, total: float, maximum: float | None = 7.0,
            file: str = "") -> dict:
    return {"student": student, "exercise": exercise, "total": total, "max": maximum,
            "file": file or f"{student}/{exercise}.ipynb", "flags": [], "reasons": []}


RESULTS = [
    _result("ana_garcia", "01_fixture", 7),       # matches "Garcia, Ana" (name in either order)
    _result("ben", "01_fixture", 2),              # matches ben@example.edu's user part
    _result("ben", "01_fixture", 5, file="ben/01_fixture (1).ipynb"),  # best of two counts
    _result("S-13", "02_other", 1, maximum=1.0),  # matches the id
    _result("zed", "01_fixture", 3),              # on no roster
    _result("ana_garcia", "02_other", 0, maximum=None),  # unreadable: no score to send
]


def _table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture()
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return lms.read_roster(path)


def test_roster_match_and_check(roster):
    matched, unmatched = lms.match_roster(RESULTS, roster)
    assert {k: v.label for k, v in matched.items()} == {
        "ana_garcia": "Garcia, Ana", "ben": "Ben Okafor", "S-13": "Cy Lee"}
    assert unmatched == [("zed", "matches no roster row")]
    rows = lms.roster_check_rows(RESULTS, roster, matched, unmatched)
    assert rows[0] == ["problem", "student", "name", "email", "id", "exercise", "detail"]
    problems = {(r[0], r[1] or r[2], r[5]) for r in rows[1:]}
    assert ("unmatched-submission", "zed", "") in problems
    # everyone on the roster without a notebook for each graded exercise is listed
    assert ("no-submission", "Dee Park", "01_fixture") in problems
    assert ("no-submission", "Dee Park", "02_other") in problems
    assert ("no-submission", "Cy Lee", "01_fixture") in problems
    assert ("no-submission", "Ben Okafor", "02_other") in problems
    assert not any(r[2] == "Garcia, Ana" for r in rows[1:])  # she handed in both


def test_ambiguous_names_are_not_guessed(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("name,email\nAna Garcia,ana1@example.edu\nAna Garcia,ana2@example.edu\n")
    matched, unmatched = lms.match_roster([_result("ana garcia", "01_fixture", 7)], lms.read_roster(path))
    assert matched == {} and "several" in unmatched[0][1]


def test_moodle_file(roster):
    matched, _ = lms.match_roster(RESULTS, roster)
    rows = lms.moodle_rows(RESULTS, roster, matched, {"01_fixture": 7.0, "02_other": 1.0})
    header = rows[0]
    # Moodle identifies users by the columns its own export names "Email address" / "ID number"
    assert header[:2] == ["Email address", "ID number"] and header[3:] == ["01_fixture", "02_other"]
    assert len(rows) == 1 + len(roster)  # one row per roster student, none dropped
    by_email = {r[0]: r for r in rows[1:]}
    assert by_email["Ana.Garcia@example.edu"][3:] == ["7", ""]  # email kept as written (case)
    assert by_email["ben@example.edu"][3:] == ["5", ""]  # the better of two notebooks
    assert by_email["cy@example.edu"][3:] == ["", "1"]
    assert by_email["dee@example.edu"][3:] == ["", ""]


def test_canvas_file_keeps_every_column_and_row(roster):
    export = _table(CANVAS_EXPORT)
    matched, _ = lms.match_roster(RESULTS, roster)
    table, not_found = lms.canvas_rows(export, RESULTS, roster, matched,
                                       {"01_fixture": 7.0, "02_other": 1.0})
    header = table[0]
    assert header[: len(export[0])] == export[0]  # every column kept, in order
    assert header[:5] == lms.CANVAS_ID_COLUMNS
    assert header[len(export[0]):] == ["02_other"]  # a new assignment column at the end
    assert len(table) == len(export)  # every row kept
    rows = {r[0]: dict(zip(header, r)) for r in table[1:]}
    assert rows["    Points Possible"]["02_other"] == "1"
    assert rows["    Points Possible"]["01_fixture (1002)"] == "7"
    assert rows["Garcia, Ana"]["01_fixture (1002)"] == "7" and rows["Garcia, Ana"]["Essay 1 (1001)"] == "8"
    assert rows["Okafor, Ben"]["01_fixture (1002)"] == "5"
    assert rows["Lee, Cy"]["01_fixture (1002)"] == "5"  # nothing handed in: Canvas's grade stays
    assert rows["Lee, Cy"]["02_other"] == "1"
    assert rows["Park, Dee"]["01_fixture (1002)"] == ""
    assert rows["Student, Test"]["Current Score"] == "0.00"
    updated = {"Garcia, Ana", "Okafor, Ben"}  # the only cells of the export that may change
    for original in export[1:]:  # no other cell was lost, changed or moved
        row = rows[original[0]]
        for name, value in zip(export[0], original):
            if not (name == "01_fixture (1002)" and original[0] in updated):
                assert row[name] == value, (original[0], name)
    assert not_found == []


def test_canvas_export_must_look_like_one(roster):
    with pytest.raises(lms.RosterError, match="not a Canvas gradebook export"):
        lms.canvas_rows([["name", "score"], ["a", "1"]], RESULTS, roster, {}, {"01_fixture": 7.0})


@pytest.mark.parametrize("kwargs, words", [
    (dict(roster=None, lms="moodle", lms_export=None), "needs --roster"),
    (dict(roster="ROSTER", lms="canvas", lms_export=None), "needs --lms-export"),
    (dict(roster="ROSTER", lms="moodle", lms_export="ROSTER"), "use it with --lms canvas"),
    (dict(roster="missing.csv", lms=None, lms_export=None), "no such file"),
])
def test_option_errors_come_before_grading(tmp_path, kwargs, words):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    kwargs = {k: (str(path) if v == "ROSTER" else v) for k, v in kwargs.items()}
    with pytest.raises(lms.RosterError, match=words):
        lms.check_options(**kwargs)


def test_bad_roster_says_what_is_wrong(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("first,last\nAna,Garcia\n")
    with pytest.raises(lms.RosterError, match="at least one of name, email, id"):
        lms.read_roster(path)


def test_command_line_writes_both_imports(tmp_path):
    """A graded fixture class gives a Canvas and a Moodle import file, nothing dropped."""
    subs = tmp_path / "subs"
    make_fixture.write_submission(subs, "ana_garcia", "correct")
    make_fixture.write_submission(subs, "ben", "partial")
    make_fixture.write_submission(subs, "zed", "not_json")
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "export.csv").write_text(CANVAS_EXPORT)
    base = [sys.executable, "-m", "armscontrol", "grade", str(subs),
            "--solutions", str(FIXTURES / "solutions"), "--timeout", "5",
            "--roster", str(tmp_path / "roster.csv")]
    if not sandboxing.use_sandbox():
        base.append("--no-sandbox")
    canvas = subprocess.run(base + ["--out", str(tmp_path / "c"), "--lms", "canvas",
                                    "--lms-export", str(tmp_path / "export.csv")],
                            capture_output=True, text=True, timeout=300)
    assert canvas.returncode == 0, canvas.stderr
    assert "unmatched: zed" in canvas.stderr
    table = _table((tmp_path / "c" / "canvas_import.csv").read_text())
    rows = {r[0]: dict(zip(table[0], r)) for r in table[1:]}
    assert rows["Garcia, Ana"]["01_fixture (1002)"] == "7"
    assert rows["Okafor, Ben"]["01_fixture (1002)"] == "2"
    check = _table((tmp_path / "c" / "roster_check.csv").read_text())
    assert ["unmatched-submission", "zed"] == check[1][:2]
    moodle = subprocess.run(base + ["--out", str(tmp_path / "m"), "--lms", "moodle"],
                            capture_output=True, text=True, timeout=300)
    assert moodle.returncode == 0, moodle.stderr
    table = _table((tmp_path / "m" / "moodle_import.csv").read_text())
    assert table[0] == ["Email address", "ID number", "Full name", "01_fixture"]
    assert [r[0] for r in table[1:]] == ["Ana.Garcia@example.edu", "ben@example.edu",
                                         "cy@example.edu", "dee@example.edu"]
    assert [r[3] for r in table[1:]] == ["7", "2", "", ""]
    bad = subprocess.run(base + ["--out", str(tmp_path / "x"), "--lms", "canvas"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "needs --lms-export" in bad.stderr
    assert not (tmp_path / "x").exists()
