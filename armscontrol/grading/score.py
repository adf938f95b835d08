"""Step 4: score a run: points per test cell, status flags and the reasons behind them."""
from __future__ import annotations

import json
import signal

from armscontrol.grading.assemble import Plan
from armscontrol.grading.collect import Submission
from armscontrol.grading.solutions import Exercise
from armscontrol.grading.statuses import SEVERITY

#: Builtins ipykernel itself replaces for every cell it runs (so their ids always change).
_PER_CELL_BUILTINS = {"input"}


def empty_result(sub: Submission, exercise: str | None) -> dict:
    return {"student": sub.student, "file": sub.rel, "exercise": exercise or "", "scores": {},
            "total": 0.0, "max": None, "manual_max": None, "flags": [], "reasons": [],
            "questions": [], "written": [], "seconds": 0.0, "mode": ""}


def finish_zero(result: dict, exercise: Exercise | None, flag: str, reason: str) -> dict:
    result["flags"], result["reasons"] = [flag], [reason]
    if exercise is not None:
        result["scores"] = {q.grade_id: (0.0 if q.kind == "auto" else None) for q in exercise.questions}
        result["max"], result["manual_max"] = exercise.max_auto, exercise.max_manual
    return result



def _state_diff(before: dict, after: dict) -> list[str]:
    notes = []
    if after.get("trace") and not before.get("trace"):
        notes.append("a trace or profile function was installed (sys.settrace)")
    if after.get("custom_exceptions", 0) > before.get("custom_exceptions", 0):
        notes.append("an IPython exception handler was installed (set_custom_exc)")
    if after.get("input_transformers") != before.get("input_transformers") or \
            after.get("ast_transformers") != before.get("ast_transformers"):
        notes.append("IPython input or AST transformers were changed")
    old, new = before.get("builtins", {}), after.get("builtins", {})
    changed = sorted(k for k in old if k in new and old[k] != new[k] and k not in _PER_CELL_BUILTINS)
    removed = sorted(k for k in old if k not in new)
    if changed or removed:
        notes.append("builtins were replaced or removed: " + ", ".join((changed + removed)[:8]))
    return notes


def _read_state(lines: list[str], token: str) -> dict | None:
    for line in lines:
        if token in line:
            try:
                return json.loads(line.split(token, 1)[1])
            except json.JSONDecodeError:
                return None
    return None


def score(result: dict, exercise: Exercise, plan: Plan, ran: dict, timeout: float,
           max_output_bytes: int) -> None:
    """Fill ``result`` with points, flags, reasons and feedback from an execution record."""
    cells, flags, missing, reasons = plan.cells, list(plan.flags), plan.missing, list(plan.reasons)
    stopped_at = ran.get("stopped_at", len(cells)) if ran["stopped"] else len(cells)
    index_of = {(c.role, c.grade_id): i for i, c in enumerate(cells) if c.grade_id}
    answer_error = {}
    for i, cell in enumerate(cells):
        error = ran["errors"].get(i)
        if error and cell.grade_id and cell.role in ("answer", "manual"):
            answer_error[cell.grade_id] = error
        if error and cell.role in ("answer", "extra", "plain", "setup", "manual") \
                and not error.startswith("Timeout:"):
            flags.append("cell-errors")
            where = f"{cell.label}" if cell.role != "plain" else f"{cell.label} of the notebook"
            reasons.append(f"{where} raised {error}")
    for i in ran["timeouts"]:
        flags.append("timeout")
        reasons.append(f"{cells[i].label} ran longer than {timeout:g} s and was interrupted "
                       "(an endless loop?)")
    exit_status = ran.get("exit")
    if ran["stopped"] == "died" and exit_status in (128 + signal.SIGXCPU, -signal.SIGXCPU):
        flags.append("cpu-limit")
        reasons.append(f"the kernel used up its {ran.get('cpu_seconds')} s of CPU time while running "
                       f"{cells[stopped_at].label} and was stopped: later questions score 0")
    elif ran["stopped"] == "died":
        flags.append("kernel-died")
        why = "(os._exit, a crash or too much memory?)"
        if exit_status in (128 + signal.SIGKILL, -signal.SIGKILL):
            why = ("(it was killed: the hard stop of the CPU-time limit, or the machine ran out of "
                   "memory)")
        reasons.append(f"the Python kernel died while running {cells[stopped_at].label} "
                       f"{why}: later questions score 0")
    elif ran["stopped"] in ("killed", "unresponsive"):
        flags.append("timeout")
        reasons.append("the kernel did not stop when interrupted and was killed: later questions score 0")
    if ran["capped_at"] is not None:
        flags.append("output-capped")
        reasons.append(f"output beyond {max_output_bytes:,} bytes was dropped, "
                       f"starting at {cells[ran['capped_at']].label}")
    if ran["files"]:
        flags.append("files-changed")
        shown = ", ".join(ran["files"][:5]) + (" ..." if len(ran["files"]) > 5 else "")
        reasons.append(f"files were changed in the notebook's throwaway folders (deleted after "
                       f"grading): {shown}")

    tokens_seen = ran["seen"]
    first, last = 0, len(cells) - 1
    before = _read_state(tokens_seen.get(first, []), cells[first].tokens[0])
    after = _read_state(tokens_seen.get(last, []), cells[last].tokens[0]) if last < stopped_at else None
    tamper = []
    for i, cell in enumerate(cells):
        if cell.role == "test":
            marker = cell.tokens[1] + "-tamper:"
            tamper += [line.split(marker, 1)[1] for line in tokens_seen.get(i, []) if marker in line]
    if before is not None and after is not None:
        tamper += _state_diff(before, after)
    elif before is not None and last < stopped_at:
        tamper.append("the grader's final check did not report (its output was suppressed)")
    stray = (after or {}).get("processes") or []
    if stray:
        flags.append("stray-processes")
        shown = ", ".join(f"`{p or '(exited)'}`" for p in stray[:3]) + (" ..." if len(stray) > 3 else "")
        reasons.append(f"the notebook left {len(stray)} process(es) running ({shown}); they were "
                       "killed with its sandbox")
    if tamper:
        flags.append("tampering")
        reasons.append("the checking machinery was changed: " + "; ".join(dict.fromkeys(tamper))
                       + " (tests ran with the grader's own helpers and count only if they finish)")

    total = 0.0
    for q in exercise.questions:
        item = {"grade_id": q.grade_id, "kind": q.kind, "points": q.points, "earned": None,
                "message": ""}
        if q.kind == "manual":
            i = index_of.get(("manual", q.grade_id))
            text = cells[i].text if i is not None else ""
            if q.grade_id in missing:
                text = ""
            item["message"] = "marked by your teacher"
            result["scores"][q.grade_id] = None
            result["written"].append({"question": q.grade_id, "points": q.points,
                                      "text": text.strip()})
            result["questions"].append(item)
            continue
        i = index_of[("test", q.grade_id)]
        cell = cells[i]
        lost = [a for a in q.answer_ids if a in missing]
        seen = tokens_seen.get(i, [])
        passed_all = any(line.endswith(cell.tokens[1]) for line in seen)
        passed_visible = any(line.endswith(cell.tokens[0]) for line in seen)
        error = ran["errors"].get(i)
        if lost:
            earned, message = 0.0, f"your answer cell `{lost[0]}` is missing, so this scores 0"
        elif i >= stopped_at:
            earned, message = 0.0, "not run: the notebook stopped before this test"
        elif passed_all and not error:
            earned, message = q.points, "passed"
        elif q.answer_ids and all(a in plan.unanswered for a in q.answer_ids):
            earned, message = 0.0, "not answered: your answer cell still holds the starting code"
        elif error and error.startswith("Timeout:"):
            earned, message = 0.0, f"the test ran longer than {timeout:g} s (does your answer loop forever?)"
        elif passed_visible:
            # A hidden check's message stays secret (it may name the hidden cases), unless the
            # question marks its hidden messages as hints for students: choice questions keep
            # their per-letter hints there, as visible ones would give the answer away.
            hint = (error if error and q.hint_after_grading
                    else "test your answer on more cases, including the edges")
            earned, message = 0.0, ("passed the checks you can see, but not the hidden checks run at "
                                    f"grading: {hint}")
        elif error:
            earned, message = 0.0, error
        else:
            earned, message = 0.0, "the test did not finish (its output was suppressed)"
        for a in q.answer_ids:
            if a in answer_error and earned == 0.0 and not lost:
                message += f" (your answer cell `{a}` raised {answer_error[a]})"
        item["earned"], item["message"] = earned, message
        result["scores"][q.grade_id] = earned
        result["questions"].append(item)
        total += earned
    if missing:
        flags.append("answer-missing")
    result["total"] = total
    result["max"], result["manual_max"] = exercise.max_auto, exercise.max_manual
    result["flags"] = sorted(set(flags), key=SEVERITY.index)
    result["reasons"] = list(dict.fromkeys(reasons))

