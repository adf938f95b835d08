"""The real grader agrees with the in-process harness: a handed-in notebook with the alternative
correct answers of tests/test_exercise_answers.py scores every autograded point, and one with
typical wrong answers loses points on every question, its feedback naming the misconception
wherever a check catches it: a visible check's message, or, where only a hidden check catches it
(choice questions keep their per-letter hints hidden), the hidden check's message, which the
grader adds to its "passed the checks you can see" notice.

One kernel per notebook (12 notebooks, two at a time): about a minute.
"""
from __future__ import annotations

import csv
import inspect

import nbformat
import pytest

from armscontrol import exercises as ex
from armscontrol import grade as g
from armscontrol import key
from test_exercise_answers import CASES, PRELUDE, SETS, score, solved


def visible_hint_case(set_name: str, qid: str) -> tuple[str, str | None]:
    """The first wrong answer of a question whose hint a *visible* check gives, with that hint;
    the first wrong answer and None when only hidden checks catch them (choice questions)."""
    _, qs = solved(set_name)
    cases = CASES[set_name][qid]["wrong"]
    for code, hint in cases:
        _, messages = score(set_name, qid, code, visible_only=True)
        if hint and hint.casefold() in " ".join(messages).casefold():
            return code, hint
    return cases[0][0], None


def _submission(set_name: str, pick) -> nbformat.NotebookNode:
    """The released notebook of a set with each answer cell filled by ``pick(question cases)``."""
    nb = ex.read_notebook(ex.EXERCISES_DIR / f"{set_name}.ipynb")
    for cell in nb.cells:
        grade_id = ex.nbgrader_meta(cell).get("grade_id", "")
        qid = key.question_id(grade_id)
        if grade_id.endswith("_answer") and qid in CASES[set_name]:
            cell.source = PRELUDE + pick(qid, CASES[set_name][qid])
    return nb


def _sandbox_option() -> dict:
    """Grade as teachers do: in the grader's sandbox when it has one and this machine supports it."""
    if "sandbox" not in inspect.signature(g.grade).parameters:
        return {}
    from armscontrol.grading import sandbox

    try:
        sandbox.check()
    except sandbox.SandboxUnavailable:
        return {"sandbox": False}
    return {"sandbox": True}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("exercise_grading")
    subs = base / "subs"
    for student in ("right", "wrong"):
        (subs / student).mkdir(parents=True)
        for set_name in SETS:
            if student == "right":
                pick = lambda qid, cases: cases["right"][-1]  # noqa: E731
            else:
                pick = lambda qid, cases, s=set_name: visible_hint_case(s, qid)[0]  # noqa: E731
            nbformat.write(_submission(set_name, pick), subs / student / f"{set_name}.ipynb")
    g.grade(subs, base / "out", solutions_dir=ex.SOLUTIONS_DIR, timeout=60, progress=False,
            **_sandbox_option())
    with open(base / "out" / "gradebook.csv", encoding="utf-8") as f:
        rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(f)}
    return rows, base / "out" / "feedback"


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_alternative_answers_get_full_points_from_the_grader(graded, set_name):
    rows, _ = graded
    row = rows[("right", set_name)]
    assert row["status"] == "ok", row["reason"]
    assert float(row["total"]) == float(row["max"]), row


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_wrong_answers_lose_points_and_get_their_hints_from_the_grader(graded, set_name):
    rows, feedback = graded
    row = rows[("wrong", set_name)]
    assert float(row["total"]) < float(row["max"]), row
    text = " ".join(p.read_text(encoding="utf-8") for p in feedback.glob("wrong*")).casefold()
    section = " ".join(text.split(f"## {set_name}", 1)[1].split("\n## ", 1)[0].split())
    _, qs = solved(set_name)
    for qid in CASES[set_name]:
        earned = sum(float(row[f"{set_name}:{t.grade_id}"] or 0) for t in qs[qid].tests)
        assert earned < sum(t.points for t in qs[qid].tests), f"{qid}: a wrong answer scored full points"
        code, hint = visible_hint_case(set_name, qid)
        if hint is None:  # caught by a hidden check only: its message reaches the feedback too
            hint = dict(CASES[set_name][qid]["wrong"])[code]
        if hint:
            assert " ".join(hint.casefold().split()) in section, f"{qid}: hint {hint!r} not in the feedback"
