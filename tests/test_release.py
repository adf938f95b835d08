"""Building exercises/ from solutions/, and a student copy of the module with no solutions in it.

Uses the fixture solutions (tests/fixtures/make_fixture.py); the last tests run over the real
solutions/ once it holds notebooks.
"""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from armscontrol import ROOT
from armscontrol import exercises as ex

FIXTURES = Path(__file__).parent / "fixtures"
SOLUTIONS = FIXTURES / "solutions"
sys.path.insert(0, str(FIXTURES))
import make_fixture  # noqa: E402


def _by_id(nb) -> dict:
    return {ex.nbgrader_meta(c).get("grade_id") or c.id: c for c in nb.cells}


@pytest.fixture()
def released(tmp_path):
    ex.release(SOLUTIONS, tmp_path / "exercises")
    return tmp_path / "exercises"


def test_fixture_file_is_what_the_script_makes(tmp_path):
    make_fixture.write_solutions(tmp_path)
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (SOLUTIONS / path.name).read_bytes(), \
            f"{path.name}: run python tests/fixtures/make_fixture.py"


def test_release_stubs_and_tags(released):
    nb = nbformat.read(released / "01_fixture.ipynb", as_version=4)
    cells = _by_id(nb)
    assert cells["q1_answer"].source == "# YOUR CODE HERE\nlongest = ..."
    assert cells["q2_answer"].source == "def in_band(range_km):\n    # YOUR CODE HERE\n    pass"
    assert cells["q3_answer"].source == "# YOUR CODE HERE\ncount_in_band = ..."
    assert cells["q4_written"].source == ex.TEXT_STUB
    assert cells["q3_test"].source == ex.HIDDEN_ONLY_NOTE  # all its checks were hidden
    assert "HIDDEN" not in cells["q1_test"].source and "Delta" not in cells["q1_test"].source
    assert cells["q1_test"].source.startswith('check_type(longest, str, "longest")')
    for grade_id in ("q1_test", "q2_test", "q3_test"):
        assert cells[grade_id].metadata.tags == [ex.RAISES_TAG]
        assert cells[grade_id].metadata.nbgrader == {
            "grade": True, "grade_id": grade_id, "locked": True, "schema_version": 3,
            "solution": False, "points": {"q1_test": 2, "q2_test": 3, "q3_test": 2}[grade_id]}
    assert "tags" not in cells["q1_answer"].metadata
    assert cells["setup"].source == _by_id(ex.read_notebook(SOLUTIONS / "01_fixture.ipynb"))["setup"].source
    assert [c.id for c in nb.cells] == [c.id for c in ex.read_notebook(SOLUTIONS / "01_fixture.ipynb").cells]


def test_release_clears_outputs_and_is_byte_stable(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nb = ex.read_notebook(SOLUTIONS / "01_fixture.ipynb")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = 7
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Delta\n")]
            cell.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00Z"}
    nb.metadata["widgets"] = {"state": {}}
    (solutions / "01_fixture.ipynb").write_bytes(ex.notebook_bytes(nb))
    first = ex.release(solutions, tmp_path / "a")
    ex.release(solutions, tmp_path / "b")
    data = first[0].read_bytes()
    assert data == (tmp_path / "b" / "01_fixture.ipynb").read_bytes()
    student = nbformat.reads(data.decode(), as_version=4)
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        assert "execution" not in cell.metadata
    assert "widgets" not in student.metadata
    assert b'"text": "Delta' not in data
    # a second release into the same folder leaves the file alone
    mtime = first[0].stat().st_mtime_ns
    ex.release(solutions, tmp_path / "a")
    assert first[0].stat().st_mtime_ns == mtime


def test_release_removes_stale_exercises(tmp_path):
    out = tmp_path / "exercises"
    out.mkdir()
    (out / "99_gone.ipynb").write_text("{}")
    ex.release(SOLUTIONS, out)
    assert sorted(p.name for p in out.iterdir()) == ["01_fixture.ipynb", "02_other.ipynb"]


def test_released_exercise_runs_to_the_end_unanswered(released):
    nb = nbformat.read(released / "01_fixture.ipynb", as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(released)}}).execute()
    errors = {ex.nbgrader_meta(c).get("grade_id"): o.evalue for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"}
    # every question with visible checks reports itself, and nothing else fails
    assert set(errors) == {"q1_test", "q2_test"}
    assert "Not answered yet" in errors["q1_test"]
    assert "`in_band(1000)` should be a `bool`" in errors["q2_test"]


def test_solution_runs_clean():
    nb = ex.read_notebook(SOLUTIONS / "01_fixture.ipynb")
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error"]


def test_no_solution_text_in_released(released):
    assert ex.find_leaks(released, SOLUTIONS) == []
    text = (released / "01_fixture.ipynb").read_text()
    for secret in ("idxmax", "500 <= range_km <= 5500", "Delta\"", "payload", "doubled == 42",
                   "2 * 21", "BEGIN", "END SOLUTION"):
        assert secret not in text + (released / "02_other.ipynb").read_text(), secret


def test_leak_scan_finds_leaks(tmp_path):
    shutil.copy(SOLUTIONS / "01_fixture.ipynb", tmp_path / "01_fixture.ipynb")
    (tmp_path / "notes.md").write_text('check(count_in_band == 2, "Count the rows where in_band is True.")\n')
    leaks = ex.find_leaks(tmp_path, SOLUTIONS)
    assert any("01_fixture.ipynb" in leak and "BEGIN SOLUTION" in leak for leak in leaks)
    assert any(leak.startswith("notes.md: line 1: text from the solution of 01_fixture") for leak in leaks)


@pytest.mark.parametrize("source, cell_meta, message", [
    ("### BEGIN SOLUTION\nx = 1", dict(solution=True), "has no matching"),
    ("x = 1\n### END SOLUTION", dict(solution=True), "without a"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", dict(solution=True), "inside another"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", dict(), "not an answer cell"),
    ("### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS", dict(locked=True), "not an autograded test"),
])
def test_release_errors_say_where(source, cell_meta, message):
    meta = {"grade": False, "locked": False, "solution": False, "schema_version": 3,
            "grade_id": "broken_cell", **cell_meta}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})])
    with pytest.raises(ex.ReleaseError, match=message) as err:
        ex.release_notebook(nb, where="solutions/09_x.ipynb")
    assert "solutions/09_x.ipynb: cell 1 (grade_id 'broken_cell')" in str(err.value)


def test_incomplete_nbgrader_metadata_is_rejected():
    cell = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": True, "solution": False,
                                                                      "locked": True, "schema_version": 3,
                                                                      "grade_id": "t"}})
    with pytest.raises(ex.ReleaseError, match="numeric 'points'"):
        ex.release_notebook(nbformat.v4.new_notebook(cells=[cell]))


@pytest.mark.parametrize("solution, stub", [
    ("answer = df.x.max()", ["# YOUR CODE HERE", "answer = ..."]),
    ("a, (b, *c) = 1, (2, 3)\nd: int = 4", ["# YOUR CODE HERE", "a = ...", "b = ...", "c = ...", "d = ..."]),
    ("total = 0\nfor x in xs:\n    total += x", ["# YOUR CODE HERE", "total = ..."]),
    ("def f(x, y=2) -> int:\n    '''doc'''\n    return x", ["# YOUR CODE HERE", "def f(x, y=2) -> int:", "    ..."]),
    ("print(42)", ["# YOUR CODE HERE", "pass"]),
    ("%timeit 1", ["# YOUR CODE HERE", "pass"]),
])
def test_code_stub(solution, stub):
    assert ex.code_stub(solution) == stub
    compile("\n".join(stub), "stub", "exec")  # the stub always runs


def test_feedback_helpers():
    ex.check(True, "unused")
    with pytest.raises(AssertionError, match="^Look again$"):
        ex.check(1 > 2, "Look again")
    with pytest.raises(AssertionError, match="Not answered yet.*`x = ...`"):
        ex.check_answered(..., "x")
    ex.check_type(3, (int, float), "n")
    with pytest.raises(AssertionError, match="should be a `int`, but it is a `bool`"):
        ex.check_type(True, int, "n")

    class Sneaky(str):
        def __eq__(self, other):
            return True
        __hash__ = str.__hash__

    with pytest.raises(AssertionError, match="it is a `Sneaky`"):
        ex.check_type(Sneaky("x"), str, "name")


# ---- the student copy -----------------------------------------------------------------------

def _fake_module(root: Path) -> Path:
    """A small module tree: the real package, a lesson, the fixture solutions, tests, docs."""
    shutil.copytree(ROOT / "armscontrol", root / "armscontrol",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SOLUTIONS, root / "solutions")
    (root / "exercises").mkdir()
    (root / "notebooks").mkdir()
    lesson = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'longest = systems.loc[systems["range_km"].idxmax(), "system"]  # shown in the lesson')])
    nbformat.write(lesson, root / "notebooks" / "01_lesson.ipynb")
    (root / "data").mkdir()
    (root / "data" / "table.csv").write_text("a,b\n1,2\n")
    for name in ("README.md", "requirements.txt", "runtime.txt", "start.sh", "test.sh", "pyproject.toml"):
        (root / name).write_text(f"{name}\n")
    for name in ("tests", "docs", "tools"):
        (root / name).mkdir()
        (root / name / "secret.md").write_text("teacher only\n")
    return root


def test_student_copy(tmp_path):
    root = _fake_module(tmp_path / "module")
    dest = ex.release_student_copy(tmp_path / "class", root=root)
    top = sorted(p.name for p in dest.iterdir())
    assert top == ["README.md", "armscontrol", "data", "exercises", "notebooks", "pyproject.toml",
                   "requirements.txt", "runtime.txt", "start.sh", "test.sh"]
    assert sorted(p.name for p in (dest / "exercises").iterdir()) == ["01_fixture.ipynb", "02_other.ipynb"]
    assert ex.find_leaks(dest, SOLUTIONS) == []
    everything = "".join(p.read_text(errors="replace") for p in dest.rglob("*") if p.is_file())
    for secret in ("500 <= range_km <= 5500", "Look for the largest value", "doubled == 42", "payload"):
        assert secret not in everything
    assert not list(dest.rglob("__pycache__"))
    assert not (tmp_path / ".class.partial").exists()


def test_student_copy_refuses_bad_destinations(tmp_path):
    root = _fake_module(tmp_path / "module")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    with pytest.raises(FileExistsError, match="not an empty folder"):
        ex.release_student_copy(tmp_path / "full", root=root)
    with pytest.raises(ValueError, match="inside the module"):
        ex.release_student_copy(root / "notebooks" / "copy", root=root)


def test_student_copy_with_a_leak_writes_nothing(tmp_path):
    root = _fake_module(tmp_path / "module")
    (root / "data" / "notes.txt").write_text('check(count_in_band == 2, "Count the rows where in_band is True.")\n')
    with pytest.raises(ex.LeakError, match="data/notes.txt"):
        ex.release_student_copy(tmp_path / "class", root=root)
    assert not (tmp_path / "class").exists() and not (tmp_path / ".class.partial").exists()


def test_cli_release(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "armscontrol", "release", "--solutions", str(SOLUTIONS),
         "--exercises", str(tmp_path / "ex")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Released 2 exercise notebook(s)" in result.stdout
    assert (tmp_path / "ex" / "01_fixture.ipynb").read_bytes() == ex.notebook_bytes(
        make_fixture.released())
    bad = subprocess.run([sys.executable, "-m", "armscontrol", "release", "--solutions",
                          str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "no such folder" in bad.stderr


# ---- the real solutions/ ----------------------------------------------------------------------

REAL = ex.solution_notebooks(ROOT / "solutions")


@pytest.mark.skipif(not REAL, reason="solutions/ holds no notebooks yet")
def test_exercises_folder_is_the_release_of_solutions(tmp_path):
    built = ex.release(ROOT / "solutions", tmp_path / "exercises")
    assert sorted(p.name for p in built) == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")), \
        "exercises/ and solutions/ hold different notebooks: run python -m armscontrol release"
    for path in built:
        assert path.read_bytes() == (ROOT / "exercises" / path.name).read_bytes(), \
            f"exercises/{path.name} is not the release of solutions/{path.name}: " \
            "run python -m armscontrol release (never edit exercises/ by hand)"


@pytest.mark.skipif(not REAL, reason="solutions/ holds no notebooks yet")
def test_no_solution_text_reaches_exercises_or_a_student_copy(tmp_path):
    assert ex.find_leaks(ROOT / "exercises", ROOT / "solutions") == []
    dest = ex.release_student_copy(tmp_path / "class")
    assert not (dest / "solutions").exists()
    assert ex.find_leaks(dest, ROOT / "solutions", lessons_dir=ROOT / "notebooks") == []


def test_each_exercise_release_is_deterministic_in_memory():
    nb = ex.read_notebook(SOLUTIONS / "01_fixture.ipynb")
    before = copy.deepcopy(nb)
    assert ex.notebook_bytes(ex.release_notebook(nb)) == ex.notebook_bytes(ex.release_notebook(nb))
    assert nb == before  # the solutions notebook is not modified


def test_answer_key_pages_are_leaks_wherever_they_are(tmp_path):
    from armscontrol import key

    page = key.markdown_to_html(f"<!-- {ex.KEY_MARKER} -->\n\n# Answer key", "key")
    for rel in ("exercises/key.html", "notebooks/answers.md", "anywhere/else.txt"):
        target = tmp_path / "copy" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page)
    leaks = ex.find_leaks(tmp_path / "copy", SOLUTIONS)
    assert sorted(l.split(":")[0] for l in leaks if "answer key" in l) == [
        "anywhere/else.txt", "exercises/key.html", "notebooks/answers.md"]


@pytest.mark.skipif(not REAL, reason="solutions/ holds no notebooks yet")
def test_student_copy_holds_no_answer_key(tmp_path):
    dest = ex.release_student_copy(tmp_path / "class")
    for path in dest.rglob("*"):
        if path.is_file() and path.suffix != ".py":
            assert ex.KEY_MARKER not in path.read_text(errors="ignore"), path
