"""What the exercise sets ask, measured: answers not printed by their lesson, the share of points on
reasoning with sources, objectives and time estimates, and the teachers' answer key.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol import ROOT
from armscontrol import exercises as ex
from armscontrol import key
from test_exercise_answers import SETS, distinctive_forms, solved

#: Autograded answers that may appear in their lesson's outputs, each with the reason.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def lesson_text(set_name: str) -> str:
    """All text outputs (stdout, text/plain, text/html) of the lesson that goes with a set.

    A table's integer row labels (a number at the start of a text line, ``<th>N</th>`` in HTML)
    are removed: they are positions, not values the lesson shows.
    """
    (lesson,) = sorted((ROOT / "notebooks").glob(set_name[:3] + "*.ipynb"))
    parts = []
    for cell in json.loads(lesson.read_text(encoding="utf-8"))["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            for mime in ("text/plain", "text/html"):
                text = out.get("data", {}).get(mime)
                if text:
                    parts.append("".join(text))
    text = "\n".join(parts)
    return re.sub(r"<th>\d+</th>", "<th></th>", re.sub(r"(?m)^\d+(?=\s)", "", text))


def appears(form: str, text: str) -> bool:
    """True if ``form`` is printed in ``text``; a number only as a whole number, not inside another."""
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", form):
        return re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|\.\d)", text) is not None
    return form in text


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_no_autograded_answer_is_printed_by_its_lesson(set_name):
    """The rule for what counts is :func:`test_exercise_answers.distinctive_forms`."""
    text = lesson_text(set_name)
    namespace, qs = solved(set_name)
    found = []
    for q in qs.values():
        if not q.autograded:
            continue
        for name in q.answer_names:
            if (set_name, name) in EXCEPTIONS:
                continue
            found += [f"{name} = {form!r}" for form in distinctive_forms(namespace[name])
                      if appears(form, text)]
    assert not found, f"{set_name}: answers printed in the lesson's outputs: {found}"


def test_appears_matches_whole_numbers_only():
    assert appears("1550", "limit 1550 warheads") and not appears("155", "limit 1550")
    assert appears("2,350", "a range of 2,350 km") and not appears("350", "2,350 km")
    # the check can fail: lesson 2 prints the US total of eliminated missiles
    assert appears("846", lesson_text("02_inf_treaty_1987"))


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_sources_share_edges_objectives_and_time(set_name):
    nb = ex.read_notebook(SETS[set_name])
    qs = key.questions(nb)
    graded = [t for q in qs for t in q.tests + ([q.written] if q.written else [])]
    assert all(t.kind in ("sources", "data") and t.objective for t in graded), \
        "every graded cell is tagged sources/data and names its objective (metadata.armscontrol)"
    total = sum(t.points for t in graded)
    share = sum(t.points for t in graded if t.kind == "sources") / total
    assert share >= 0.4, f"{set_name}: only {share:.0%} of the points on reasoning with sources"
    edges = [q.qid for q in qs if any(t.topic in ("inf-edges", "conversion") for t in q.tests)]
    assert len(edges) <= 1, f"{set_name}: several questions on the INF edges or miles: {edges}"
    assert any(q.written for q in qs), "at least one written answer"
    opening = ex.source_text(nb.cells[0])
    assert "**Objectives assessed:**" in opening and re.search(r"\*\*Time:\*\* about \d+ minutes", opening)
    stated = re.search(r"\*\*Points:\*\* (\d+)", opening)
    assert stated and int(stated.group(1)) == total, "the opening states the set's total points"
    for q in qs:
        assert f"({q.points:g} point" in q.title, f"{q.qid}: its heading states its points"


def test_the_module_uses_several_answer_formats():
    codes = "\n".join(q.answer_code for name in SETS for q in solved(name)[1].values())
    assert re.search(r'answer_q\w+ = "[a-d]"', codes), "a choice question"
    assert "ordered=True" in "\n".join(t.source for name in SETS for q in solved(name)[1].values()
                                       for t in q.tests), "an ordering question"


def test_key_command_writes_pages_that_the_leak_scan_flags(tmp_path):
    out = tmp_path / "key"
    result = subprocess.run([sys.executable, "-m", "armscontrol", "key", "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in SETS:
        md = (out / f"{name}.md").read_text(encoding="utf-8")
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert key.KEY_MARKER in md and key.KEY_MARKER in page
        assert "<script" not in page and "http" not in page.split("<body>")[0]
        namespace, qs = solved(name)
        for q in qs.values():
            assert q.title in md and f"**Points:** {q.points:g}" in md
            for t in q.tests:
                assert t.objective in md
            assert q.prompt.split("\n")[2][:40] in md  # the question itself
            for answer in q.answer_names:
                assert f"`{answer}` = " in md
                option = key.choice_text(q.prompt, namespace[answer])
                assert option in md  # a choice's letter comes with its option's text
            if q.written:
                assert "Rubric" in q.model_answer or "Marking" in q.model_answer
                assert q.model_answer.split("\n")[2][:40] in md
    student = tmp_path / "class"
    (student / "exercises").mkdir(parents=True)
    (student / "exercises" / "key.md").write_text((out / f"{sorted(SETS)[0]}.md").read_text())
    leaks = ex.find_leaks(student, ex.SOLUTIONS_DIR)
    assert any("answer key" in leak for leak in leaks), leaks


def test_key_refuses_to_write_into_exercises():
    with pytest.raises(ValueError, match="students see"):
        key.write_key(ex.EXERCISES_DIR / "key")
