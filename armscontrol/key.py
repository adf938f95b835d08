"""The teachers' answer key: one page per exercise set, computed by running the solutions.

    python -m armscontrol key --out DIR

writes ``DIR/NN_name.md`` and ``DIR/NN_name.html`` (self-contained: no scripts, no links to
fetch) for every notebook in ``solutions/``. Each page lists every question with its points,
the objective it assesses, whether it is reasoning with sources or arithmetic on tables, the
expected value (computed here by running the solution code, never typed), the solution code
and, for written answers, the model answer and its rubric.

The key is for teachers only: it is never written into ``exercises/`` or a student copy, and
:func:`armscontrol.exercises.find_leaks` flags any file carrying :data:`KEY_MARKER`.

:func:`run_solution` and :func:`questions` are also what the exercise tests use to run a set's
solution and read its questions.
"""
from __future__ import annotations

import ast
import contextlib
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armscontrol import exercises as ex

#: First line of every answer-key page; the leak scan looks for it.
KEY_MARKER = ex.KEY_MARKER

_QID = re.compile(r"^(q\d+)")


@dataclass
class TestCell:
    """One autograded test cell: its grade id, points, ``kind`` (sources/data) and objective."""
    grade_id: str
    points: float
    kind: str
    objective: str
    topic: str = ""
    source: str = ""


@dataclass
class Question:
    """One question of a set, as the key and the tests see it."""
    qid: str
    title: str = ""
    prompt: str = ""
    answer_code: str = ""
    answer_names: list[str] = field(default_factory=list)
    tests: list[TestCell] = field(default_factory=list)
    written: TestCell | None = None
    model_answer: str = ""

    @property
    def points(self) -> float:
        """Total points of the question (autograded parts plus a written answer)."""
        return sum(t.points for t in self.tests) + (self.written.points if self.written else 0.0)

    @property
    def autograded(self) -> bool:
        """True if the question has autograded test cells."""
        return bool(self.tests)


def question_id(grade_id: str) -> str | None:
    """Return the question a grade id belongs to (``"q3a_check"`` → ``"q3"``), or None."""
    match = _QID.match(grade_id or "")
    return match.group(1) if match else None


def _solution_body(source: str) -> str:
    runs = ex.split_regions(source, ex.BEGIN_SOLUTION, ex.END_SOLUTION, "key")
    inside = [line for is_in, lines in runs if is_in for line in lines[1:]]
    return "\n".join(inside) if inside else source


def questions(nb: Any) -> list[Question]:
    """Return the questions of a solutions notebook, in order, from its nbgrader metadata.

    Prompt cells are those with grade id ``qN_prompt``; answer cells ``qN_answer`` (code);
    autograded test cells and written-answer cells carry ``metadata.armscontrol`` with ``kind``
    and ``objective``.
    """
    found: dict[str, Question] = {}
    for cell in nb.cells:
        grade_id = ex.nbgrader_meta(cell).get("grade_id", "")
        qid = question_id(grade_id)
        if qid is None:
            continue
        q = found.setdefault(qid, Question(qid))
        extra = cell.get("metadata", {}).get("armscontrol", {}) or {}
        source = ex.source_text(cell)
        if grade_id.endswith("_prompt"):
            q.prompt = source
            q.title = source.split("\n", 1)[0].lstrip("# ").strip()
        elif ex.is_autograded_test(cell):
            q.tests.append(TestCell(grade_id, ex.cell_points(cell), extra.get("kind", ""),
                                    extra.get("objective", ""), extra.get("topic", ""), source))
        elif ex.is_answer_cell(cell) and cell.get("cell_type") == "code":
            body = _solution_body(source)
            q.answer_code = (q.answer_code + "\n" + body).strip("\n")
            for item in ex._assigned_names(ast.parse(body).body):
                name = item if isinstance(item, str) else item.name
                if name.startswith("answer_") or not isinstance(item, str):
                    q.answer_names.append(name)
        elif ex.is_manually_graded(cell):
            q.written = TestCell(grade_id, ex.cell_points(cell), extra.get("kind", ""),
                                 extra.get("objective", ""))
            q.model_answer = _solution_body(source)
    return list(found.values())


def run_solution(nb: Any) -> dict:
    """Run every code cell of a solutions notebook except its test cells, in one namespace.

    Runs in this process (the solutions are the teacher's own code); printed output is
    discarded. Returns the namespace (the answers are its ``answer_*`` names).
    """
    namespace: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.get("cell_type") != "code" or ex.is_autograded_test(cell):
                continue
            code = ex.source_text(cell)
            if code.lstrip().startswith(("%", "!")):
                continue
            exec(compile(code, f"<{ex.nbgrader_meta(cell).get('grade_id', 'cell')}>", "exec"),
                 namespace)
    return namespace


def choice_text(prompt: str, value: Any) -> str:
    """The text of option ``value`` (a letter) in a choice question's prompt, or ""."""
    if not isinstance(value, str) or len(value) != 1:
        return ""
    match = re.search(rf"^\* \*\*{re.escape(value)}\*\*: (.+)$", prompt, re.M)
    return match.group(1).strip() if match else ""


def show_value(value: Any) -> str:
    """Return how the key prints an expected value: functions by name, tables as text."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if callable(value) and hasattr(value, "__name__"):
        return f"a function `{value.__name__}` (see the solution code)"
    text = repr(value) if not hasattr(value, "to_string") else value.to_string()
    if type(value).__name__ == "Timestamp":
        text = str(value.date())
    return text


def set_markdown(path: Path, nb: Any) -> str:
    """Return the Markdown answer-key page of one solutions notebook (runs its solution)."""
    namespace = run_solution(nb)
    title = ex.source_text(nb.cells[0]).split("\n", 1)[0].lstrip("# ").strip()
    qs = questions(nb)
    total = sum(q.points for q in qs)
    auto = sum(t.points for q in qs for t in q.tests)
    sources_points = sum(t.points for q in qs for t in q.tests + ([q.written] if q.written else [])
                         if t.kind == "sources")
    lines = [f"<!-- {KEY_MARKER} -->", "", f"# Answer key: {title}", "",
             f"`{path.name}`: {total:g} points, {auto:g} checked automatically; "
             f"{sources_points:g} points ({sources_points / total:.0%}) on reasoning with sources.",
             ""]
    for q in qs:
        lines += [f"## {q.title or q.qid}", "", f"**Points:** {q.points:g}", ""]
        asked = q.prompt.split("\n", 1)[1].strip() if "\n" in q.prompt else ""
        if asked:
            lines += ["**The question:**", "", *(f"> {line}".rstrip() for line in asked.split("\n")), ""]
        for t in q.tests:
            lines.append(f"* `{t.grade_id}`: {t.points:g} point(s), {t.kind}; objective: "
                         f"{t.objective}")
        if q.written:
            lines.append(f"* `{q.written.grade_id}`: {q.written.points:g} point(s), marked by "
                         f"the teacher, {q.written.kind}; objective: {q.written.objective}")
        lines.append("")
        if q.answer_names:
            lines += ["**Expected answer** (computed by running the solution):", ""]
            for name in q.answer_names:
                value = namespace.get(name)
                shown = show_value(value)
                option = choice_text(q.prompt, value)
                if "\n" in shown:
                    lines += [f"* `{name}` =", "", "```", shown, "```", ""]
                else:
                    lines += [f"* `{name}` = `{shown}`" + (f": {option}" if option else ""), ""]
        if q.answer_code:
            lines += ["**Solution code:**", "", "```python", q.answer_code, "```", ""]
        if q.model_answer:
            lines += ["**Model answer and rubric:**", "", q.model_answer, ""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = ("body{font-family:Georgia,serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}code,pre{font-family:Menlo,Consolas,monospace;font-size:90%}"
        "pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}h2{border-top:1px solid #ccc;"
        "padding-top:1rem}")


def markdown_to_html(text: str, title: str) -> str:
    """Return a self-contained HTML page (inline CSS, no scripts) for a Markdown text."""
    import mistune

    body = mistune.html(text)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n"
            f"<body>\n{body}</body></html>\n")


def write_key(out_dir: Path | str, solutions_dir: Path | str = ex.SOLUTIONS_DIR) -> list[Path]:
    """Write the answer key for every solutions notebook into ``out_dir`` (created).

    Refuses an ``out_dir`` inside ``exercises/`` (students see that folder).
    Returns the written paths (a ``.md`` and an ``.html`` per set), sorted.
    """
    out_dir, solutions_dir = Path(out_dir).resolve(), Path(solutions_dir)
    exercises_dir = ex.EXERCISES_DIR.resolve()
    if out_dir == exercises_dir or exercises_dir in out_dir.parents:
        raise ValueError(f"{out_dir}: is inside exercises/, which students see; "
                         "write the answer key somewhere else.")
    paths = ex.solution_notebooks(solutions_dir)
    if not paths:
        raise ex.ReleaseError(f"{solutions_dir}: no solutions notebooks to build a key from.")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = ex.read_notebook(path)
        text = set_markdown(path, nb)
        md_path = out_dir / f"{path.stem}.md"
        html_path = out_dir / f"{path.stem}.html"
        ex.write_if_changed(md_path, text.encode("utf-8"))
        ex.write_if_changed(html_path, markdown_to_html(text, f"Answer key: {path.stem}")
                            .encode("utf-8"))
        written += [md_path, html_path]
    return sorted(written)
