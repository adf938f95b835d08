"""The map of lessons: one list that the start notebook, the navigation cells and the README use."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_TIME_LINE = re.compile(r"\*\*Time:\*\* about (\d+) minutes"
                        r"(?: for the core sections \((\d+) with the extensions\))?")


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its number, file stem, title and question.

    Its class time is not stored here: :meth:`class_time` reads it from the ``**Time:**`` line
    that ``tools/lesson_time.py`` computes and writes into the notebook's first cell.
    """

    number: int
    stem: str
    title: str
    question: str

    @property
    def notebook(self) -> str:
        """File name of the lesson in ``notebooks/``."""
        return f"{self.stem}.ipynb"

    @property
    def exercise(self) -> str | None:
        """File name of the lesson's exercise notebook in ``exercises/`` (None for lesson 0)."""
        return f"{self.stem}.ipynb" if self.number > 0 else None

    def class_time(self, notebooks: Path = NOTEBOOKS) -> tuple[int, int]:
        """Return ``(core, full)``: minutes for the core sections and for the whole lesson.

        Read from the notebook's ``**Time:**`` line (equal when the lesson has no extensions).
        Raises ``ValueError`` naming the notebook if its first cell has no such line.
        """
        path = notebooks / self.notebook
        first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
        match = _TIME_LINE.search("".join(first))
        if match is None:
            raise ValueError(f"{path.name}: no '**Time:** about N minutes' line in the first cell;"
                             " run python tools/lesson_time.py --write")
        core = int(match.group(1))
        return core, int(match.group(2) or core)


LESSONS: list[Lesson] = [
    Lesson(0, "00_start_here", "Start here",
           "How does this module work, and what are our two sources?"),
    Lesson(0, "00b_python_primer", "Python primer",
           "How do you read, change and write the few lines of Python that the lessons and "
           "exercises use?"),
    Lesson(1, "01_reading_the_sources", "Reading the sources",
           "What are these two articles, when were they written, and how do they frame events?"),
    Lesson(2, "02_inf_treaty_1987", "The INF Treaty, 1987",
           "What did the INF Treaty ban, and why did it matter in Europe?"),
    Lesson(3, "03_inf_collapse", "The INF Treaty's collapse, 2014–2019",
           "Why did the treaty end, and what did each side claim?"),
    Lesson(4, "04_new_start", "New START, 2010–2026",
           "What did New START limit, how was it verified, and how did it end?"),
    Lesson(5, "05_after_inf", "After INF",
           "What does a world without the INF Treaty look like on the map?"),
    Lesson(6, "06_synthesis", "Synthesis: claims and evidence",
           "Which claims in the two sources does the evidence support?"),
]


def lessons_table() -> pd.DataFrame:
    """Return the lessons as a DataFrame indexed by number (0 twice: the start notebook and the
    primer): title, core_minutes, full_minutes
    (class time of the core sections and of the whole lesson, from each Time line), question,
    notebook, exercise."""
    rows = []
    for l in LESSONS:
        core, full = l.class_time()
        rows.append({"lesson": l.number, "title": l.title, "core_minutes": core,
                     "full_minutes": full, "question": l.question, "notebook": l.notebook,
                     "exercise": l.exercise or ""})
    return pd.DataFrame(rows).set_index("lesson")


def lesson(number: int) -> Lesson:
    """Return lesson ``number`` (0–6); raise ``KeyError`` listing the valid numbers otherwise."""
    for item in LESSONS:
        if item.number == number:
            return item
    raise KeyError(f"no lesson {number}; lessons are numbered 0 to {len(LESSONS) - 1}")
