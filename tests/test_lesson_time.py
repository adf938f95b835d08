"""The lesson timing tool (tools/lesson_time.py): its counts, the core/extension split, the
Time line it writes, and that every lesson's Time line is current."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "lesson_time.py"
LESSONS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))
PRIMER = ROOT / "notebooks" / "00b_python_primer.ipynb"

spec = importlib.util.spec_from_file_location("lesson_time", TOOL)
lesson_time = importlib.util.module_from_spec(spec)
sys.modules["lesson_time"] = lesson_time
spec.loader.exec_module(lesson_time)


def words(n: int, word: str = "word") -> str:
    """Return ``n`` words of prose in lines of ten."""
    items = [word] * n
    return "\n".join(" ".join(items[i:i + 10]) for i in range(0, n, 10))


def synthetic() -> nbformat.NotebookNode:
    """A small lesson: sections of 10, 20, 300, 156 and 15 words, 3 code cells, 1 Try it, 3 prompts."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nav = md("[← 00 Start](00_start_here.ipynb) | [Contents](00_start_here.ipynb)")
    nav.metadata["tags"] = ["navigation"]
    return nbformat.v4.new_notebook(cells=[
        md("# Lesson 9: Test\n\n**Why?**\n\n" + words(6)),                # 3 + 1 + 6 = 10 words
        nav,                                                                  # not counted
        md("## Objectives\n\n" + words(19)),                                  # 1 + 19 = 20
        md("## 1. First part (core)\n\n" + words(289)),                      # 4 + 289 = 293
        code("x = 1"),
        md("### Try it: a map\n\n[See the map](https://example.org/a/b/c)"),  # 4 + 3 = 7, and a Try it
        code("x"),
        md("## 2. Second part (extension)\n\n" + words(140)),               # 4 + 140 = 144
        code("y = 2"),
        md("### Discussion\n\n1. one\n2. two\n   more\n"),                   # 1 + 2 + 2 + 1 = 6, 2 prompts
        md("### Discussion: again\n\nNo numbered prompt here."),           # 2 + 4 = 6, 1 prompt
        md("## Key points\n\n" + words(13)),                                  # 2 + 13 = 15
    ])


def test_counts_and_split() -> None:
    timing = lesson_time.lesson_time(synthetic())
    headings = [s.heading for s in timing.sections]
    assert headings == ["(before the first section)", "Objectives", "1. First part (core)",
                        "2. Second part (extension)", "Key points"]
    by = {s.heading: s for s in timing.sections}
    assert by["(before the first section)"].words == 10        # the navigation cell is left out
    assert by["Objectives"].words == 20
    first = by["1. First part (core)"]
    # "1." is one word ("1"), the link text counts, its address does not
    assert (first.words, first.code_cells, first.try_its, first.prompts) == (293 + 7, 2, 1, 0)
    second = by["2. Second part (extension)"]
    # 2 numbered prompts, plus 1 for a discussion heading without numbered items
    assert (second.code_cells, second.try_its, second.prompts) == (1, 0, 3)
    assert second.words == 144 + 6 + 6
    assert second.kind == "extension" and first.kind == "core" and by["Key points"].kind == "core"

    core_words = 10 + 20 + 300 + 15
    core = core_words / 150 + 2 * 1.5 + 1 * 5
    full = core + 156 / 150 + 1 * 1.5 + 3 * 3
    assert timing.core_minutes == pytest.approx(core)
    assert timing.full_minutes == pytest.approx(full)
    assert (timing.core, timing.full) == (10, 20)            # 10.3 → 10, 21.8 → 20
    assert timing.unmarked == []


def test_challenges_count_on_top_of_their_code_cell() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T\n\n## 1. Lists (core)\n\n### Challenge 1: a list"),
        nbformat.v4.new_code_cell("answer = ..."),
        nbformat.v4.new_markdown_cell("### Challenge 2: another")])
    section = lesson_time.lesson_time(nb).sections[1]
    assert (section.challenges, section.code_cells, section.try_its) == (2, 1, 0)
    assert section.minutes == pytest.approx(section.words / 150 + 1.5 + 2 * 3)


def test_rounding() -> None:
    assert [lesson_time.rounded(m) for m in (0, 2.4, 7.4, 7.5, 12.49, 62.5)] == [5, 5, 5, 10, 10, 65]


def test_unmarked_numbered_section_is_core_and_reported() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T\n\n## 1. No marker\n\ntext\n\n## Perspectives\n\ntext")])
    timing = lesson_time.lesson_time(nb)
    assert timing.unmarked == ["1. No marker"]
    assert {s.kind for s in timing.sections} == {"core"}
    assert not timing.has_extensions


def test_time_line_wording() -> None:
    timing = lesson_time.lesson_time(synthetic())
    assert lesson_time.time_line(timing) == (
        "**Time:** about 10 minutes for the core sections (20 with the extensions), "
        "by the rule in [docs/timing.md](../docs/timing.md).")
    only_core = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n" + words(900))])
    assert lesson_time.time_line(lesson_time.lesson_time(only_core)) == (
        "**Time:** about 5 minutes, by the rule in [docs/timing.md](../docs/timing.md).")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_write_inserts_after_question_then_check_passes(tmp_path: Path) -> None:
    path = tmp_path / "09_test.ipynb"
    nbformat.write(synthetic(), path)
    result = run("--check", str(path))
    assert result.returncode == 1 and "no '**Time:** ' line" in result.stdout

    assert run("--write", str(path)).returncode == 0
    first = nbformat.read(path, as_version=4).cells[0].source
    assert first.splitlines()[:6] == [
        "# Lesson 9: Test", "", "**Why?**", "",
        "**Time:** about 10 minutes for the core sections (20 with the extensions), "
        "by the rule in [docs/timing.md](../docs/timing.md).", ""]
    assert run("--check", str(path)).returncode == 0, "the line just written must pass --check"
    before = path.read_text()
    run("--write", str(path))
    assert path.read_text() == before, "--write must be idempotent"

    # the time line's own words are not counted, so it is stable; adding prose changes it
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## 3. More (core)\n\n" + words(1500)))
    nbformat.write(nb, path)
    result = run("--check", str(path))
    assert result.returncode == 1 and "out of date" in result.stdout
    run("--write", str(path))
    lines = nbformat.read(path, as_version=4).cells[0].source.splitlines()
    assert sum(l.startswith("**Time:** ") for l in lines) == 1
    assert "about 20 minutes for the core sections (30 with the extensions)" in lines[4]


def test_check_reports_unmarked_sections(tmp_path: Path) -> None:
    path = tmp_path / "09_test.ipynb"
    nb = synthetic()
    nb.cells.append(nbformat.v4.new_markdown_cell("## 3. Forgotten\n\ntext"))
    nbformat.write(nb, path)
    run("--write", str(path))
    result = run("--check", str(path))
    assert result.returncode == 1
    assert "'## 3. Forgotten' has no (core)/(extension) marker" in result.stdout


def test_docs_state_the_rule_the_tool_uses() -> None:
    text = (ROOT / "docs" / "timing.md").read_text(encoding="utf-8")
    assert f"**{lesson_time.WORDS_PER_MINUTE} words a minute**" in text
    assert f"**{lesson_time.MINUTES_PER_CODE_CELL:g} minutes** (read the code" in text
    assert f"**{lesson_time.MINUTES_PER_TRY_IT} minutes** of hands-on work" in text
    assert f"**{lesson_time.MINUTES_PER_PROMPT} minutes**" in text
    assert f"**{lesson_time.MINUTES_PER_CHALLENGE} minutes** to write the code" in text
    assert f"nearest {lesson_time.ROUND_TO} minutes" in text


def has_marker(path: Path) -> bool:
    """True if any numbered level-2 heading of the lesson ends with (core) or (extension)."""
    nb = nbformat.read(path, as_version=4)
    return any(re.match(r"^## \d+\..*\((core|extension)\)\s*$", line)
               for cell in nb.cells if cell.cell_type == "markdown"
               for line in cell.source.splitlines())


def test_lessons_time_lines_are_current() -> None:
    assert LESSONS, "no lessons found in notebooks/"
    if not any(has_marker(path) for path in LESSONS):
        pytest.skip("no lesson marks its sections (core)/(extension) yet, so there is no core "
                    "path to time: mark them and run python tools/lesson_time.py --write")
    result = run("--check", *map(str, LESSONS))
    assert result.returncode == 0, result.stdout


def test_primer_time_line_is_current() -> None:
    if not PRIMER.exists():
        pytest.skip("the primer notebook is not written yet")
    result = run("--check", str(PRIMER))
    assert result.returncode == 0, result.stdout
