"""Grading handed-in notebooks: every kind of good and broken submission, outputs, determinism.

Built on the fixture exercises in tests/fixtures/solutions (see tests/fixtures/make_fixture.py),
so nothing here depends on the real solutions/.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol import ROOT
from armscontrol import exercises as ex
from armscontrol.grading import assemble, autograde, collect, report, solutions

FIXTURES = Path(__file__).parent / "fixtures"
SOLUTIONS = FIXTURES / "solutions"
sys.path.insert(0, str(FIXTURES))
import make_fixture  # noqa: E402
import sandboxing  # noqa: E402

TIMEOUT = 3  # seconds per cell: small, so the endless loop costs little

SANDBOX = sandboxing.use_sandbox()  # in bubblewrap, as teachers grade (unless unavailable)
NO_SANDBOX_ARG = [] if SANDBOX else ["--no-sandbox"]


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every kind of submission, one student each, graded once (plus a flat-layout file)."""
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    for kind in make_fixture.KINDS:
        make_fixture.write_submission(subs, kind, kind)
    make_fixture.write_submission(subs, "flat_student", "correct", flat=True)
    (subs / "correct" / ".ipynb_checkpoints").mkdir()
    (subs / "correct" / ".ipynb_checkpoints" / "01_fixture-checkpoint.ipynb").write_text("junk")
    (subs / "correct" / "notes.txt").write_text("not a notebook")
    out = subs / "results"  # inside the submissions folder: must not be graded itself
    results = autograde.grade(subs, out, solutions_dir=SOLUTIONS, timeout=TIMEOUT, sandbox=SANDBOX,
                      max_output_bytes=1_000_000, progress=False)
    return {"results": {r["student"]: r for r in results}, "out": out, "subs": subs}


@pytest.mark.parametrize("kind", list(make_fixture.KINDS))
def test_each_kind_scores_and_status(graded, kind):
    _, total, flags = make_fixture.KINDS[kind]
    result = graded["results"][kind]
    assert result["flags"] == flags, result["reasons"]
    assert result["total"] == total, result["questions"]
    row = next(r for r in _rows(graded["out"] / "gradebook.csv") if r["student"] == kind)
    assert row["status"] == (",".join(flags) or "ok")
    assert float(row["total"]) == total
    if flags:
        assert row["reason"], "a flagged row must say why"


def test_every_submission_has_exactly_one_row(graded):
    rows = _rows(graded["out"] / "gradebook.csv")
    students = sorted(r["student"] for r in rows)
    assert students == sorted(list(make_fixture.KINDS) + ["flat_student"])
    flat = next(r for r in rows if r["student"] == "flat_student")
    assert flat["exercise"] == "01_fixture" and flat["total"] == "7"


def test_gradebook_columns(graded):
    header = next(csv.reader(open(graded["out"] / "gradebook.csv", encoding="utf-8")))
    assert header[:3] == ["student", "exercise", "file"]
    assert header[-6:] == ["total", "max", "manual_max", "mode", "status", "reason"]
    assert "01_fixture:q1_test" in header and "01_fixture:q4_written" in header
    assert "02_other:double_test" in header
    correct = next(r for r in _rows(graded["out"] / "gradebook.csv") if r["student"] == "correct")
    assert (correct["01_fixture:q1_test"], correct["01_fixture:q2_test"],
            correct["01_fixture:q3_test"]) == ("2", "3", "2")
    assert correct["01_fixture:q4_written"] == ""  # marked by hand
    assert (correct["max"], correct["manual_max"]) == ("7", "2")
    mode = "sandbox" if SANDBOX else "no-sandbox"
    assert {r["mode"] for r in _rows(graded["out"] / "gradebook.csv")} == {mode}


def test_reasons_name_the_fault(graded):
    reasons = {k: " ".join(r["reasons"]) for k, r in graded["results"].items()}
    assert "not valid JSON" in reasons["not_json"]
    assert "not a notebook" in reasons["not_notebook"]
    assert "02_other" in reasons["wrong_exercise"]
    assert "q2_answer" in reasons["deleted_answer"] and "missing" in reasons["deleted_answer"]
    assert "q1_test" in reasons["edited_test"] and "edited" in reasons["edited_test"]
    assert "q1_test" in reasons["deleted_test"] and "deleted" in reasons["deleted_test"]
    assert "longer than 3 s" in reasons["endless_loop"]
    assert "kernel died" in reasons["kernel_death"] and "q2_answer" in reasons["kernel_death"]
    assert "1,000,000 bytes" in reasons["huge_output"]
    assert "a_module_that_does_not_exist" in reasons["import_error"]
    # In the sandbox ../data is read-only: the rmtree fails quietly and only notes.txt is new.
    assert "wrote notes.txt" in reasons["files"]
    assert ("../data" in reasons["files"]) is (not SANDBOX)
    assert "armscontrol.exercises.check" in reasons["tamper_check"]
    assert "AssertionError" in reasons["tamper_assert"]
    assert "set_custom_exc" in reasons["tamper_ipython"]
    assert "transformers" in reasons["tamper_transformer"]


def test_questions_after_a_fault_still_count(graded):
    loop = {q["grade_id"]: q for q in graded["results"]["endless_loop"]["questions"]}
    assert loop["q1_test"]["earned"] == 0 and loop["q2_test"]["earned"] == 3
    died = {q["grade_id"]: q for q in graded["results"]["kernel_death"]["questions"]}
    assert died["q1_test"]["earned"] == 2
    assert died["q3_test"]["message"].startswith("not run")


def test_student_cells_added_in_place_are_run(graded):
    # deleted_answer put q2's function in a new cell without metadata: q2 scores 0, but q3
    # (which calls the function) passes because the new cell ran where the student put it.
    questions = {q["grade_id"]: q["earned"] for q in graded["results"]["deleted_answer"]["questions"]}
    assert questions == {"q1_test": 2, "q2_test": 0, "q3_test": 2, "q4_written": None}


def test_grading_cannot_touch_the_project(graded):
    # The "files" submission deleted ../data and wrote notes.txt relative to its working folder.
    assert (ROOT / "data" / "README.md").is_file()
    assert (ROOT / "armscontrol" / "exercises.py").is_file()
    for folder in (ROOT, ROOT / "exercises", Path.cwd(), graded["subs"], graded["subs"] / "files"):
        assert not (folder / "notes.txt").exists()


def test_feedback_files(graded):
    folder = graded["out"] / "feedback"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{k}.md" for k in list(make_fixture.KINDS) + ["flat_student"])
    correct = (folder / "correct.md").read_text()
    assert "7 / 7 points" in correct and correct.count("✓ passed") == 3
    partial = (folder / "partial.md").read_text()
    assert "not the hidden checks" in partial and "not answered" in partial
    unanswered = (folder / "unanswered.md").read_text()
    assert unanswered.count("not answered") == 3
    for path in folder.iterdir():  # hidden tests' own hints never reach a student
        text = path.read_text()
        assert "Look for the largest value" not in text and "Both edges are inside" not in text


def test_written_answers(graded):
    rows = _rows(graded["out"] / "written_answers.csv")
    assert list(rows[0]) == ["student", "exercise", "question", "points", "text"]
    by_student = {r["student"]: r for r in rows}
    assert by_student["correct"]["text"] == make_fixture.ANSWERS["q4_written"]
    assert by_student["correct"]["points"] == "2"
    assert by_student["unanswered"]["text"] == ex.TEXT_STUB
    assert "not_json" not in by_student  # nothing to read from a broken file


def test_no_partial_files_left(graded):
    assert not [p for p in graded["out"].iterdir() if p.name.startswith(".")]


def test_regrading_gives_identical_files(tmp_path):
    subs = tmp_path / "subs"
    for kind in ("correct", "partial", "not_json"):
        make_fixture.write_submission(subs, kind, kind)
    first, second = tmp_path / "first", tmp_path / "second"
    results = autograde.grade(subs, first, solutions_dir=SOLUTIONS, timeout=TIMEOUT, progress=False,
                              sandbox=SANDBOX)
    cli = subprocess.run(
        [sys.executable, "-m", "armscontrol", "grade", str(subs), "--out", str(second),
         "--solutions", str(SOLUTIONS), "--timeout", str(TIMEOUT), *NO_SANDBOX_ARG],
        capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert "Graded 3 notebook(s) from 3 student(s)" in cli.stderr
    assert "[  3/3]" in cli.stderr  # progress lines
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 3 + 3  # gradebook, written answers, report.html; 3 feedback files
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    # Writing into the same folder again replaces the feedback folder (no stale files).
    (second / "feedback" / "someone_else.md").write_text("old")
    report.write_outputs(results, solutions.load_exercises(SOLUTIONS), second)
    assert not (second / "feedback" / "someone_else.md").exists()
    assert (first / "gradebook.csv").read_bytes() == (second / "gradebook.csv").read_bytes()


def test_no_sandbox_mode_copies_the_package_and_says_so(tmp_path):
    """--no-sandbox still grades (copies of armscontrol/ and data/), and every row says how."""
    subs = tmp_path / "subs"
    for kind in ("correct", "files"):
        make_fixture.write_submission(subs, kind, kind)
    results = autograde.grade(subs, tmp_path / "out", solutions_dir=SOLUTIONS, timeout=TIMEOUT,
                              progress=False, sandbox=False)
    by_student = {r["student"]: r for r in results}
    assert by_student["correct"]["total"] == 7 and by_student["correct"]["flags"] == []
    assert "file(s) in ../data" in " ".join(by_student["files"]["reasons"])  # the copy was hit
    assert (ROOT / "data" / "README.md").is_file()
    rows = _rows(tmp_path / "out" / "gradebook.csv")
    assert {r["mode"] for r in rows} == {"no-sandbox"}


def test_gradebook_write_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "gradebook.csv"
    target.write_text("old complete file\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken_replace)
    with pytest.raises(OSError):
        report._atomic_write(target, "new,content\n" * 1000)
    assert target.read_text() == "old complete file\n"


# ---- pieces, without kernels ------------------------------------------------------------------

def test_find_submissions_layouts(tmp_path):
    names = ["01_fixture", "02_other"]
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "01_fixture (1).ipynb").write_text("{}")
    (tmp_path / "ann" / "ps1").mkdir()
    (tmp_path / "ann" / "ps1" / "02_other-Copy1.ipynb").write_text("{}")
    (tmp_path / "bob_smith_02_other.ipynb").write_text("{}")
    (tmp_path / "carol-01_fixture.ipynb").write_text("{}")
    (tmp_path / "mystery.ipynb").write_text("{}")
    (tmp_path / "readme.txt").write_text("")
    (tmp_path / ".hidden.ipynb").write_text("{}")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x_01_fixture.ipynb").write_text("{}")
    found, ignored = collect.find_submissions(tmp_path, names, skip=tmp_path / "out")
    got = [(s.student, s.rel, s.named_as) for s in found]
    assert got == [
        ("ann", "ann/01_fixture (1).ipynb", "01_fixture"),
        ("ann", "ann/ps1/02_other-Copy1.ipynb", "02_other"),
        ("bob_smith", "bob_smith_02_other.ipynb", "02_other"),
        ("carol", "carol-01_fixture.ipynb", "01_fixture"),
        ("mystery", "mystery.ipynb", None),
    ]
    assert ignored == ["readme.txt"]


@pytest.mark.parametrize("filename, expected", [
    ("01_fixture.ipynb", (None, "01_fixture")),
    ("01_Fixture-Copy1.ipynb", (None, "01_fixture")),
    ("Ana Lopez_01_fixture (2).ipynb", ("Ana Lopez", "01_fixture")),
    ("ben__02_other.ipynb", ("ben", "02_other")),
    ("homework.ipynb", (None, None)),
])
def test_split_name(filename, expected):
    assert collect.split_name(filename, ["01_fixture", "02_other"]) == expected


def test_match_exercise_by_name_and_by_cells():
    exercises = solutions.load_exercises(SOLUTIONS)
    fixture_cells = list(make_fixture.released().cells)
    other_cells = list(make_fixture.released("02_other").cells)
    assert assemble.match_exercise(fixture_cells, None, exercises) == ("01_fixture", None)
    assert assemble.match_exercise(other_cells, "01_fixture", exercises) == ("01_fixture", "wrong-exercise")
    assert assemble.match_exercise(other_cells, "02_other", exercises) == ("02_other", None)
    plain = [{"cell_type": "code", "source": "x = 1", "metadata": {}}]
    assert assemble.match_exercise(plain, None, exercises) == (None, "unknown-exercise")
    assert assemble.match_exercise(plain, "02_other", exercises) == ("02_other", None)


def test_questions_know_their_answer_cells():
    questions = {q.grade_id: q for q in solutions.load_exercises(SOLUTIONS)["01_fixture"].questions}
    assert questions["q1_test"].answer_ids == ["q1_answer"]
    assert questions["q3_test"].answer_ids == ["q3_answer"]
    assert (questions["q4_written"].kind, questions["q4_written"].points) == ("manual", 2)
    assert [q.kind for q in questions.values()] == ["auto", "auto", "auto", "manual"]


def test_graded_notebook_uses_the_original_tests():
    solution = ex.read_notebook(SOLUTIONS / "01_fixture.ipynb")
    released = ex.release_notebook(solution)
    student = [dict(c) for c in released.cells]
    for cell in student:
        if ex.nbgrader_meta(cell).get("grade_id") == "q1_test":
            cell["source"] = "pass"
    exercise = solutions.load_exercises(SOLUTIONS)["01_fixture"]
    plan = assemble.build_graded_cells(solution, released, student, exercise, assemble.helpers_source())
    test = next(c for c in plan.cells if c.grade_id == "q1_test")
    assert 'check(longest == "Delta"' in test.source  # the hidden test, from solutions/
    assert test.tokens[0] in test.source and test.tokens[1] in test.source
    assert plan.flags == ["tests-edited"]
    assert plan.unanswered == {"q1_answer", "q2_answer", "q3_answer", "q4_written"}
    roles = [c.role for c in plan.cells]
    assert roles[0] == "baseline" and roles[-1] == "audit"


def test_helpers_source_defines_exactly_the_helpers():
    namespace: dict = {}
    exec(compile(assemble.helpers_source(), "helpers", "exec"), namespace)
    assert all(callable(namespace[name]) for name in ex.FEEDBACK_HELPERS)
    assert "release" not in namespace and "nbformat" not in assemble.helpers_source()


def test_missing_solutions_folder_is_a_clear_error(tmp_path):
    (tmp_path / "subs").mkdir()
    with pytest.raises(FileNotFoundError, match="no solutions notebooks"):
        autograde.grade(tmp_path / "subs", tmp_path / "out", solutions_dir=tmp_path / "empty",
                progress=False)


def test_class_report_is_written_with_every_flagged_row(graded):
    """The full fixture class's report.html lists every non-ok notebook (tests/test_grade_report.py
    tests the report's sections in detail)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((graded["out"] / "report.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find(id="flagged").find_parent("section").find("table")
    listed = [tr.find("td").get_text() for tr in table.find("tbody").find_all("tr")]
    flagged = sorted(k for k, (_, _, flags) in make_fixture.KINDS.items() if flags)
    assert sorted(listed) == flagged
