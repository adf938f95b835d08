"""The Python primer (notebooks/00b_python_primer.ipynb) and its challenge checks
(armscontrol.primer): every hidden solution passes its check, the unanswered notebook says so,
typical wrong answers get a hint that does not give the answer away, and the notebook has the
parts a lesson has."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

from armscontrol import data, primer
from armscontrol.geo import KM_PER_MILE

ROOT = Path(__file__).resolve().parent.parent
PRIMER = ROOT / "notebooks" / "00b_python_primer.ipynb"
CHECK_CALL = re.compile(r'primer\.check\("(\w+)", (\w+)\)')


def cells() -> list:
    return nbformat.read(PRIMER, as_version=4).cells


def challenges() -> list[tuple[int, str, str, str]]:
    """Return (cell number, challenge name, answer cell source, solution source) per challenge."""
    found = []
    nb = cells()
    for number, cell in enumerate(nb):
        if cell.cell_type == "code" and CHECK_CALL.search(cell.source):
            name = CHECK_CALL.search(cell.source).group(1)
            details = nb[number + 1].source
            assert details.startswith("<details>"), f"cell {number + 1} should hide the solution"
            solution = re.search(r"```python\n(.*?)```", details, flags=re.S).group(1)
            found.append((number, name, cell.source, solution))
    return found


def run_notebook(solved: bool) -> dict[str, str]:
    """Execute the primer's code cells in order (solutions swapped in if ``solved``); return
    {challenge name: the line its check printed}."""
    namespace: dict = {}
    swap = {number: solution for number, _, _, solution in challenges()}
    printed: dict[str, str] = {}
    for number, cell in enumerate(cells()):
        if cell.cell_type != "code":
            continue
        source = swap[number] if (solved and number in swap) else cell.source
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(source, f"cell {number}", "exec"), namespace)
        match = CHECK_CALL.search(source)
        if match:
            printed[match.group(1)] = output.getvalue().strip()
    return printed


def test_every_challenge_is_in_the_notebook_once_with_a_hidden_solution() -> None:
    names = [name for _, name, _, _ in challenges()]
    assert sorted(names) == sorted(primer.CHALLENGES), "each challenge appears exactly once"
    for number, name, stub, solution in challenges():
        variable = primer.CHALLENGES[name].variable
        assert "..." in stub, f"challenge {name}: the answer cell should start unanswered"
        assert variable in stub and variable in solution, f"challenge {name}: uses {variable}"
        assert "..." not in solution.replace("...)", ""), f"challenge {name}: solution unfinished"


def test_each_hidden_solution_passes_its_check() -> None:
    printed = run_notebook(solved=True)
    for name, line in printed.items():
        assert line.startswith(primer.RIGHT), f"challenge {name}: {line}"


def test_the_stored_notebook_shows_every_challenge_unanswered() -> None:
    printed = run_notebook(solved=False)
    assert set(printed) == set(primer.CHALLENGES)
    for name, line in printed.items():
        if name == "shorter_range":  # an empty function body returns None
            assert "returns nothing yet" in line, line
        else:
            assert line.startswith(primer.UNANSWERED), f"challenge {name}: {line}"
    stored = {CHECK_CALL.search(c.source).group(1): "".join(o.get("text", "") for o in c.outputs)
              for c in cells() if c.cell_type == "code" and CHECK_CALL.search(c.source)}
    assert stored == {name: line + "\n" for name, line in printed.items()}, \
        "run tools/refresh_outputs.py on the primer"


low, middle, high = data.inf_band_km()
WRONG = {
    "miles": [round(450 / KM_PER_MILE), 450 * KM_PER_MILE, 724.0, "724"],
    "shorter_range": [lambda km: low < km <= middle, lambda km: low <= km < middle,
                      lambda km: low <= km <= high, lambda km: None,
                      lambda km: int(low <= km <= middle), lambda km: km.upper()],
    "ground_cruise": [int((data.load_missiles()["kind"] == "cruise").sum()),
                      int((data.load_missiles()["basing"] == "ground").sum()), 0, 3.0],
    "most_eliminated": ["US", "Soviet Union", 1846],
    "days_to_end": [-181, 180, 6],
}


def right_answer(name: str):
    """The right answer to each challenge, computed independently of armscontrol.primer."""
    if name == "miles":
        return round(450 * KM_PER_MILE)
    if name == "shorter_range":
        return lambda km: low <= km <= middle
    if name == "ground_cruise":
        m = data.load_missiles()
        return int(((m["basing"] == "ground") & (m["kind"] == "cruise")).sum())
    if name == "most_eliminated":
        e = data.load_inf_eliminations()
        return e.groupby("party")["missiles_eliminated"].sum().idxmax()
    if name == "days_to_end":
        t = data.load_treaties().set_index("treaty_id")
        e = data.load_events().set_index("event_id")
        return (t.loc["INF", "ended"] - e.loc["us_withdrawal_notice", "date"]).days
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_right_answers_pass_and_typical_wrong_ones_get_a_hint(name: str) -> None:
    assert primer.feedback(name, right_answer(name)).startswith(primer.RIGHT)
    assert primer.feedback(name, ...).startswith(primer.UNANSWERED)
    answer = right_answer(name)
    for wrong in WRONG[name]:
        line = primer.feedback(name, wrong)
        assert line.startswith(primer.NOT_YET), f"{name}: {wrong!r} was accepted: {line}"
        if not callable(answer):
            hint = line[len(primer.NOT_YET):].replace(",", "")
            token = re.escape(str(answer).replace(",", ""))
            assert not re.search(rf"(?<![\w.]){token}(?![\w.])", hint), \
                f"{name}: the hint gives the answer away: {line}"


def test_the_praise_shows_the_answer_only_when_it_is_right() -> None:
    assert "724" in primer.feedback("miles", right_answer("miles"))
    assert "724" not in primer.feedback("miles", 725)


def test_the_notebook_has_the_parts_of_a_lesson() -> None:
    nb = cells()
    first = nb[0].source
    assert first.startswith("# ") and re.search(r"^\*\*.+\?\*\*$", first, flags=re.M)
    assert re.search(r"^\*\*Time:\*\* ", first, flags=re.M), "run tools/lesson_time.py --write"
    text = "\n".join(c.source for c in nb if c.cell_type == "markdown")
    for part in ["## Objectives", "## Key points", "<summary>Show a solution</summary>",
                 "**Modify:**", "../docs/glossary.md#python-and-pandas",
                 "01_reading_the_sources.ipynb"]:
        assert part in text, f"the primer lacks {part!r}"
    numbered = re.findall(r"^## \d+\..*$", text, flags=re.M)
    assert numbered and all(h.endswith(("(core)", "(extension)")) for h in numbered)


def test_code_cells_are_short() -> None:
    for number, cell in enumerate(cells()):
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 8, f"cell {number} is long for a primer"
