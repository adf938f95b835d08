"""Step 5: write what grading found: gradebook.csv, feedback/STUDENT.md, written_answers.csv, a summary."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path
from typing import Any

from armscontrol.grading.solutions import Exercise
from armscontrol.grading.statuses import SEVERITY

def fmt(points: float | None) -> str:
    """Points as the gradebook writes them: ``7``, ``2.5``, or blank for None."""
    return "" if points is None else f"{points:g}"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def gradebook_rows(results: list[dict], exercises: dict[str, Exercise]) -> list[list[str]]:
    """The gradebook table (header first): student, exercise, file, one column per question
    (``exercise:grade_id``; blank for hand-marked questions), total, max, manual_max, mode
    (``sandbox`` or ``no-sandbox``: how the row's notebook was run), status, reason."""
    used = sorted({r["exercise"] for r in results if r["exercise"] in exercises})
    columns = [(name, q.grade_id) for name in used for q in exercises[name].questions]
    header = ["student", "exercise", "file"] + [f"{n}:{g}" for n, g in columns] + \
             ["total", "max", "manual_max", "mode", "status", "reason"]
    rows = [header]
    for r in results:
        cells = [fmt(r["scores"].get(g)) if r["exercise"] == n else "" for n, g in columns]
        rows.append([r["student"], r["exercise"], r["file"], *cells, fmt(r["total"]),
                     fmt(r["max"]), fmt(r["manual_max"]), r.get("mode", ""),
                     ",".join(r["flags"]) or "ok",
                     "; ".join(r["reasons"])])
    return rows


def feedback_markdown(student: str, results: list[dict]) -> str:
    """One student's feedback file: per exercise, points, what passed, what failed and why."""
    lines = [f"# Feedback for {student}", ""]
    for r in results:
        title = r["exercise"] or "(unrecognised notebook)"
        if r["max"] is not None:
            score = f"{fmt(r['total'])} / {fmt(r['max'])} points"
            if r["manual_max"]:
                score += f", plus up to {fmt(r['manual_max'])} marked by your teacher"
        else:
            score = "not graded"
        lines += [f"## {title}: {score}", "", f"File: `{r['file']}`", ""]
        if r["flags"]:
            lines.append("**Problems found:** " + ", ".join(r["flags"]))
            lines += [f"- {reason}" for reason in r["reasons"]] + [""]
        elif r["reasons"]:
            lines += ["Notes:"] + [f"- {reason}" for reason in r["reasons"]] + [""]
        if r["questions"]:
            lines += ["| question | points | result |", "| --- | --- | --- |"]
            for q in r["questions"]:
                earned = "to be marked" if q["earned"] is None else fmt(q["earned"])
                mark = "" if q["earned"] is None else ("✓ " if q["earned"] == q["points"] else "✗ ")
                message = q["message"].replace("|", "\\|").replace("\n", " ")
                lines.append(f"| `{q['grade_id']}` | {earned} / {fmt(q['points'])} | {mark}{message} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _safe_name(student: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"


def write_outputs(results: list[dict], exercises: dict[str, Exercise], out_dir: Path) -> None:
    """Write gradebook.csv, written_answers.csv and feedback/STUDENT.md, each file atomically.

    The feedback folder is rebuilt beside the old one and swapped in, so no stale file survives.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(out_dir / "gradebook.csv", _csv(gradebook_rows(results, exercises)))
    written = [["student", "exercise", "question", "points", "text"]]
    for r in results:
        for w in r["written"]:
            written.append([r["student"], r["exercise"], w["question"], fmt(w["points"]),
                            w["text"] or "(no answer)"])
    _atomic_write(out_dir / "written_answers.csv", _csv(written))
    fresh = out_dir / ".feedback.partial"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    by_student: dict[str, list[dict]] = {}
    for r in results:
        by_student.setdefault(r["student"], []).append(r)
    used: dict[str, str] = {}
    for student, items in by_student.items():
        name = _safe_name(student)
        if name in used and used[name] != student:
            name = f"{name}-{len(used)}"
        used[name] = student
        (fresh / f"{name}.md").write_text(feedback_markdown(student, items), encoding="utf-8")
    target, old = out_dir / "feedback", out_dir / ".feedback.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)



def summary(results: list[dict], ignored: list[str], out_dir: Path, seconds: float, workers: int,
            mode: str = "sandbox") -> str:
    """A few lines for the teacher: counts by status, mean score per exercise, files written."""
    students = {r["student"] for r in results}
    how = "each in a sandbox" if mode == "sandbox" else "WITHOUT a sandbox"
    lines = [f"Graded {len(results)} notebook(s) from {len(students)} student(s) in {seconds:.1f} s "
             f"({workers} workers, {how})."]
    counts: dict[str, int] = {}
    for r in results:
        for flag in r["flags"] or ["ok"]:
            counts[flag] = counts.get(flag, 0) + 1
    order = ["ok"] + SEVERITY
    lines.append("  status: " + ", ".join(f"{k} {counts[k]}" for k in order if k in counts))
    for name in sorted({r["exercise"] for r in results if r["max"] is not None}):
        rows = [r for r in results if r["exercise"] == name]
        mean = sum(r["total"] for r in rows) / len(rows)
        lines.append(f"  {name}: mean {mean:.2f} / {fmt(rows[0]['max'])} autograded points "
                     f"over {len(rows)} notebook(s)")
    seen = {}
    for r in results:
        key = (r["student"], r["exercise"])
        seen[key] = seen.get(key, 0) + 1
    for (student, name), n in sorted(seen.items()):
        if n > 1 and name:
            lines.append(f"  note: {student} handed in {n} notebooks for {name} (each has a row)")
    to_mark = sum(len(r["written"]) for r in results)
    if ignored:
        lines.append(f"  ignored {len(ignored)} file(s) that are not .ipynb: "
                     + ", ".join(ignored[:5]) + (" ..." if len(ignored) > 5 else ""))
    lines.append(f"Wrote {out_dir / 'gradebook.csv'}, {out_dir / 'feedback'}/ "
                 f"({len(students)} files), {out_dir / 'written_answers.csv'} "
                 f"({to_mark} answer(s) to mark) and the class report {out_dir / 'report.html'}.")
    return "\n".join(lines)

