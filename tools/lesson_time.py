"""Estimate each lesson's class time by the rule in docs/timing.md, and keep its "Time" line current.

    python tools/lesson_time.py [FILES]          print the breakdown of each lesson
    python tools/lesson_time.py --write FILES    rewrite the "**Time:** " line in each lesson's first cell
    python tools/lesson_time.py --check [FILES]  exit 1 listing lessons whose line is missing or stale

Without FILES the lessons notebooks/01_*.ipynb … 06_*.ipynb and the primer
notebooks/00b_python_primer.ipynb (if present) are used.

The rule (docs/timing.md explains where each figure comes from):

* prose: every word in the markdown cells (navigation cells and the Time line itself left out),
  read at ``WORDS_PER_MINUTE``;
* each code cell: ``MINUTES_PER_CODE_CELL`` (read the code, run it, read its output);
* each ``### Try it`` heading: ``MINUTES_PER_TRY_IT`` of hands-on work, on top of reading it;
* each ``### Challenge`` heading (the primer's exercises): ``MINUTES_PER_CHALLENGE`` to write the
  code, on top of its code cell;
* each discussion prompt: ``MINUTES_PER_PROMPT``. A prompt is a numbered item (``1. ...``) under
  a ``### Discussion`` heading; a discussion heading with no numbered items counts as one prompt.

Sections are split at level-2 headings. A numbered heading ``## N. Title (core)`` opens a core
section and ``## N. Title (extension)`` an extension section; an unnumbered heading (Objectives,
Key points, Perspectives …) is core unless it ends with `` (extension)``; whatever comes before the
first level-2 heading (the title cell) is core. A numbered heading with neither marker counts as
core and is reported by ``--check``. Totals are rounded to the nearest 5 minutes.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

WORDS_PER_MINUTE = 150
MINUTES_PER_CODE_CELL = 1.5
MINUTES_PER_TRY_IT = 5
MINUTES_PER_PROMPT = 3
MINUTES_PER_CHALLENGE = 3
ROUND_TO = 5

TIME_PREFIX = "**Time:** "
RULE_LINK = "[docs/timing.md](../docs/timing.md)"
NAV_TAG = "navigation"

SECTION = re.compile(r"^##\s+(?!#)(.*?)\s*$")
NUMBERED = re.compile(r"^\d+\.\s")
TRY_IT = re.compile(r"^###\s+Try it\b", re.IGNORECASE)
CHALLENGE = re.compile(r"^###\s+Challenge\b", re.IGNORECASE)
DISCUSSION = re.compile(r"^###\s+Discussion\b", re.IGNORECASE)
HEADING = re.compile(r"^#{1,6}\s")
PROMPT = re.compile(r"^\d+\.\s")
WORD = re.compile(r"\d[\d,.]*\d|\w+(?:['’-]\w+)*")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")


@dataclass
class Section:
    """One level-2 section of a lesson: its heading, kind ("core"/"extension") and what it holds."""

    heading: str
    kind: str
    marked: bool = True
    words: int = 0
    code_cells: int = 0
    try_its: int = 0
    prompts: int = 0
    challenges: int = 0

    @property
    def minutes(self) -> float:
        """Estimated minutes for this section by the rule (unrounded)."""
        return (self.words / WORDS_PER_MINUTE + self.code_cells * MINUTES_PER_CODE_CELL
                + self.try_its * MINUTES_PER_TRY_IT + self.prompts * MINUTES_PER_PROMPT
                + self.challenges * MINUTES_PER_CHALLENGE)


@dataclass
class LessonTime:
    """A lesson's sections and its core and full times in minutes (unrounded and rounded)."""

    sections: list[Section] = field(default_factory=list)

    @property
    def core_minutes(self) -> float:
        """Minutes for the core sections (unrounded)."""
        return sum(s.minutes for s in self.sections if s.kind == "core")

    @property
    def full_minutes(self) -> float:
        """Minutes for every section, core and extension (unrounded)."""
        return sum(s.minutes for s in self.sections)

    @property
    def core(self) -> int:
        """Core minutes rounded to the nearest ``ROUND_TO`` (at least ``ROUND_TO``)."""
        return rounded(self.core_minutes)

    @property
    def full(self) -> int:
        """Full minutes rounded to the nearest ``ROUND_TO`` (at least ``ROUND_TO``)."""
        return rounded(self.full_minutes)

    @property
    def has_extensions(self) -> bool:
        """True if any section is marked as an extension."""
        return any(s.kind == "extension" for s in self.sections)

    @property
    def unmarked(self) -> list[str]:
        """Headings of numbered sections that carry neither ``(core)`` nor ``(extension)``."""
        return [s.heading for s in self.sections if not s.marked]

    def totals(self, attribute: str, kind: str | None = None) -> int:
        """Sum of ``attribute`` (words, code_cells, try_its, prompts, challenges) over the
        sections of ``kind`` (all sections if None)."""
        return sum(getattr(s, attribute) for s in self.sections if kind in (None, s.kind))


def rounded(minutes: float) -> int:
    """Return ``minutes`` rounded to the nearest ``ROUND_TO`` (halves up), never below ``ROUND_TO``."""
    return max(ROUND_TO, int(minutes / ROUND_TO + 0.5) * ROUND_TO)


def count_words(markdown: str) -> int:
    """Return the number of words a reader reads in ``markdown`` (link targets and HTML tags left out)."""
    text = HTML_TAG.sub(" ", LINK_TARGET.sub("]", markdown))
    return len(WORD.findall(text))


def classify(heading: str) -> tuple[str, bool]:
    """Return (kind, marked) for a level-2 heading's text (without the ``## ``)."""
    if heading.endswith("(extension)"):
        return "extension", True
    if heading.endswith("(core)"):
        return "core", True
    return "core", not NUMBERED.match(heading)


def is_navigation(cell: nbformat.NotebookNode) -> bool:
    """True for the navigation cells that tools/nav.py writes (not counted)."""
    return NAV_TAG in cell.get("metadata", {}).get("tags", [])


def lesson_time(nb: nbformat.NotebookNode) -> LessonTime:
    """Return the sections of ``nb`` with their words, code cells, Try-its and prompts counted."""
    current = Section("(before the first section)", "core")
    result = LessonTime([current])
    for cell in nb.cells:
        if is_navigation(cell):
            continue
        if cell.cell_type == "code":
            current.code_cells += 1
            continue
        if cell.cell_type != "markdown":
            continue
        in_discussion = False
        discussion_prompts = 0
        prose: list[str] = []

        def close_discussion() -> None:
            nonlocal in_discussion, discussion_prompts
            if in_discussion:
                current.prompts += max(1, discussion_prompts)
            in_discussion, discussion_prompts = False, 0

        for line in cell.source.splitlines():
            if line.startswith(TIME_PREFIX):
                continue
            match = SECTION.match(line)
            if match or HEADING.match(line):
                close_discussion()
            if match:
                current.words += count_words("\n".join(prose))
                prose = []
                kind, marked = classify(match.group(1))
                current = Section(match.group(1), kind, marked)
                result.sections.append(current)
            elif TRY_IT.match(line):
                current.try_its += 1
            elif CHALLENGE.match(line):
                current.challenges += 1
            elif DISCUSSION.match(line):
                in_discussion = True
            elif in_discussion and PROMPT.match(line):
                discussion_prompts += 1
            prose.append(line)
        close_discussion()
        current.words += count_words("\n".join(prose))
    # A discussion's prompts are counted inside the cell that holds its heading: the lessons put
    # each discussion's numbered prompts in one cell.
    return result


def time_line(timing: LessonTime) -> str:
    """Return the ``**Time:** ...`` line for a lesson with these times."""
    if timing.has_extensions:
        span = (f"about {timing.core} minutes for the core sections "
                f"({timing.full} with the extensions)")
    else:
        span = f"about {timing.full} minutes"
    return f"{TIME_PREFIX}{span}, by the rule in {RULE_LINK}."


def with_time_line(source: str, line: str) -> str:
    """Return the first cell's ``source`` with its Time line replaced by ``line`` (or inserted).

    A missing line goes after the first bold line (the lesson's question), or after the title
    heading if there is no bold line, as a paragraph of its own.
    """
    lines = source.splitlines()
    for number, text in enumerate(lines):
        if text.startswith(TIME_PREFIX):
            lines[number] = line
            return "\n".join(lines)
    anchor = next((n for n, t in enumerate(lines) if t.startswith("**")), None)
    if anchor is None:
        anchor = next((n for n, t in enumerate(lines) if t.startswith("# ")), -1)
    # the paragraph that holds the anchor ends at the next blank line
    end = anchor + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    new = lines[:end] + ["", line] + ([""] if end < len(lines) else []) + lines[end:]
    # collapse a double blank line left by inserting before an existing blank line
    text = "\n".join(new)
    return re.sub(r"\n{3,}", "\n\n", text)


def current_line(nb: nbformat.NotebookNode) -> str | None:
    """Return the ``**Time:**`` line of ``nb``'s first cell, or None if it has none."""
    if not nb.cells:
        return None
    return next((t for t in nb.cells[0].source.splitlines() if t.startswith(TIME_PREFIX)), None)


def default_files() -> list[Path]:
    """Return lessons 01–06 and the primer notebook, those that exist."""
    notebooks = ROOT / "notebooks"
    files = sorted(notebooks.glob("0[1-6]_*.ipynb"))
    primer = notebooks / "00b_python_primer.ipynb"
    return ([primer] if primer.exists() else []) + files


def describe(path: Path, timing: LessonTime) -> str:
    """Return a readable breakdown of one lesson's time."""
    rows = [f"{path.name}: core {timing.core_minutes:.1f} min -> {timing.core}, "
            f"full {timing.full_minutes:.1f} min -> {timing.full}"]
    for s in timing.sections:
        flag = "" if s.marked else "  [no (core)/(extension) marker]"
        rows.append(f"  {s.kind:9} {s.minutes:5.1f} min  {s.words:4} words {s.code_cells:2} code "
                    f"{s.try_its} try-it {s.prompts} prompts {s.challenges} challenges  "
                    f"{s.heading}{flag}")
    return "\n".join(rows)


def display(path: Path) -> str:
    """Return ``path`` relative to the repository if it lies inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the Time line of each file")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 if a file's Time line is missing or out of date")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or default_files()
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        timing = lesson_time(nb)
        wanted = time_line(timing)
        have = current_line(nb)
        if args.write:
            for heading in timing.unmarked:
                print(f"warning: {path.name}: '## {heading}' has no (core)/(extension) marker "
                      "(counted as core)")
            if have != wanted:
                nb.cells[0].source = with_time_line(nb.cells[0].source, wanted)
                path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
                print(f"updated {path.name}: {wanted}")
        elif args.check:
            for heading in timing.unmarked:
                problems.append(f"{path.name}: section '## {heading}' has no (core)/(extension) "
                                "marker")
            if have is None:
                problems.append(f"{path.name}: no '{TIME_PREFIX}' line in the first cell "
                                f"(wanted: {wanted})")
            elif have != wanted:
                problems.append(f"{path.name}: Time line out of date\n  have:   {have}\n"
                                f"  wanted: {wanted}")
        else:
            print(describe(path, timing))
    if problems:
        print("\n".join(problems))
        if args.check:
            first = ("mark each numbered section, then " if any("marker" in p for p in problems)
                     else "")
            print(f"{first}run: python tools/lesson_time.py --write "
                  + " ".join(display(p) for p in files))
    return 1 if (problems and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
