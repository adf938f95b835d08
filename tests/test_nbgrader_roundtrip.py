"""The solutions notebooks work in real nbgrader: generate_assignment, autograde and validate.

A temporary course folder gets the fixture solutions (always) and the real solutions/ (when it
holds notebooks). The solution must score full marks on every autograded question; nbgrader's
own student version, and ours from ``release``, must score zero on them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol import ROOT
from armscontrol import exercises as ex
from armscontrol.grade import load_exercises

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader is an instructor/test requirement")

FIXTURES = Path(__file__).parent / "fixtures" / "solutions"
REAL = ex.solution_notebooks(ROOT / "solutions")


def _env() -> dict:
    # nbgrader runs `alembic` from PATH: put this Python's bin folder (the venv's) first.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return dict(os.environ, PYTHONPATH=str(ROOT), PATH=path)


def _start(course: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nbgrader", *args], cwd=course, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(process: subprocess.Popen, timeout: int = 900) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def _course(tmp_path: Path, notebooks: list[Path]) -> Path:
    course = tmp_path / "course"
    source = course / "source" / "ps1"
    source.mkdir(parents=True)
    for path in notebooks:
        shutil.copy(path, source / path.name)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'armscontrol'\n"
        "c.ExecutePreprocessor.timeout = 300\n")
    return course


def _roundtrip(tmp_path: Path, notebooks: list[Path], students: tuple[str, ...]) -> None:
    """generate_assignment, then autograde the given students while validate runs beside it.

    Students: ``full`` hands in the solutions notebook, ``nbgrader_blank`` nbgrader's own
    student version, ``ours_blank`` ours from ``release``.
    """
    course = _course(tmp_path, notebooks)
    _finish(_start(course, "generate_assignment", "ps1", "--force"))
    submitted = course / "submitted"
    for student in students:
        target = submitted / student / "ps1"
        if student == "full":
            shutil.copytree(course / "source" / "ps1", target)
        elif student == "nbgrader_blank":
            shutil.copytree(course / "release" / "ps1", target)
        else:
            ex.release(course / "source" / "ps1", target)
    autograde = _start(course, "autograde", "ps1", "--force")
    validate = _start(course, "validate", *[str(course / "source" / "ps1" / p.name) for p in notebooks])
    _finish(autograde)
    validated = _finish(validate)
    assert validated.count("Success! Your notebook passes all the tests.") == len(notebooks), validated

    kinds = {q.grade_id: q.kind for path in notebooks
             for q in load_exercises(path.parent)[path.stem].questions}
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for path in notebooks:
            for student in students:
                nb = gradebook.find_submission_notebook(path.stem, "ps1", student)
                auto = [g for g in nb.grades if kinds.get(g.name) == "auto"]
                manual = [g for g in nb.grades if kinds.get(g.name) == "manual"]
                assert auto and manual, f"{path.name}: needs autograded and hand-marked questions"
                for grade in auto:
                    expected = grade.max_score if student == "full" else 0
                    assert grade.auto_score == expected, (path.name, student, grade.name)


def test_fixture_roundtrip(tmp_path):
    _roundtrip(tmp_path, [FIXTURES / "01_fixture.ipynb"], ("full", "nbgrader_blank", "ours_blank"))


def test_released_metadata_is_valid_nbgrader(tmp_path):
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator

    validator = MetadataValidator()
    for path in ex.release(FIXTURES, tmp_path / "exercises"):
        nb = nbformat.read(path, as_version=4)
        validator.validate_nb(nb)  # raises ValidationError on bad schema-3 metadata
        assert any(ex.nbgrader_meta(c).get("schema_version") == 3 for c in nb.cells)


@pytest.mark.skipif(not REAL, reason="solutions/ holds no notebooks yet")
def test_real_solutions_roundtrip(tmp_path):
    # nbgrader's own blank version is covered by the fixture; here: the solution and ours.
    _roundtrip(tmp_path, REAL, ("full", "ours_blank"))
