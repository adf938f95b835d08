"""The exercises, as the solutions notebooks describe them: questions, points, answer cells.

Like nbgrader's gradebook of a source assignment: every autograded test cell is a question
worth its ``points`` (partial credit comes from splitting a question's checks over several
test cells, each with its own points); every graded answer cell a person marks is a question
too. Nothing here runs student code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armscontrol import exercises as ex


@dataclass
class Question:
    """One graded cell of an exercise: an autograded test, or an answer a person marks."""
    grade_id: str
    kind: str  # "auto" or "manual"
    points: float
    answer_ids: list[str] = field(default_factory=list)  # answer cells it depends on
    # The test cell's metadata says ``"armscontrol": {"hint_after_grading": true}``: its hidden
    # checks' messages are hints written for students (a choice question's per-letter hints),
    # shown in the feedback. Otherwise a hidden check's message stays secret.
    hint_after_grading: bool = False


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
                own = cell.metadata.get("armscontrol", {})
                questions.append(Question(meta["grade_id"], "auto", ex.cell_points(cell), list(answers),
                                          bool(own.get("hint_after_grading", False))))
                last_was_test = True
            elif ex.is_manually_graded(cell):
                questions.append(Question(meta["grade_id"], "manual", ex.cell_points(cell),
                                          [meta["grade_id"]] if ex.is_answer_cell(cell) else []))
        found[path.stem] = Exercise(path.stem, str(path), grade_ids, questions)
    return found


_CACHE: dict[str, Any] = {}


def solution_pair(path: str) -> tuple[Any, Any]:
    """Return (solutions notebook, its released student version), read once per process."""
    if path not in _CACHE:
        nb = ex.read_notebook(path)
        _CACHE[path] = (nb, ex.release_notebook(nb, where=path))
    return _CACHE[path]

