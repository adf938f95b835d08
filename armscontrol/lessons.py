"""The map of lessons: one list that the start notebook, the navigation cells and the README use."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its number, file stem, title, class time (minutes) and question."""

    number: int
    stem: str
    title: str
    minutes: int
    question: str

    @property
    def notebook(self) -> str:
        """File name of the lesson in ``notebooks/``."""
        return f"{self.stem}.ipynb"

    @property
    def exercise(self) -> str | None:
        """File name of the lesson's exercise notebook in ``exercises/`` (None for lesson 0)."""
        return f"{self.stem}.ipynb" if self.number > 0 else None


LESSONS: list[Lesson] = [
    Lesson(0, "00_start_here", "Start here", 15,
           "How does this module work, and what are our two sources?"),
    Lesson(0, "00b_python_primer", "Python primer", 70,
           "How do you read, change and write the few lines of Python that the lessons and "
           "exercises use?"),
    Lesson(1, "01_reading_the_sources", "Reading the sources", 45,
           "What are these two articles, when were they written, and how do they frame events?"),
    Lesson(2, "02_inf_treaty_1987", "The INF Treaty, 1987", 45,
           "What did the INF Treaty ban, and why did it matter in Europe?"),
    Lesson(3, "03_inf_collapse", "The INF Treaty's collapse, 2014–2019", 45,
           "Why did the treaty end, and what did each side claim?"),
    Lesson(4, "04_new_start", "New START, 2010–2026", 45,
           "What did New START limit, how was it verified, and how did it end?"),
    Lesson(5, "05_after_inf", "After INF", 45,
           "What does a world without the INF Treaty look like on the map?"),
    Lesson(6, "06_synthesis", "Synthesis: claims and evidence", 45,
           "Which claims in the two sources does the evidence support?"),
]


def lessons_table() -> pd.DataFrame:
    """Return the lessons as a DataFrame: number, title, minutes, question, notebook, exercise."""
    return pd.DataFrame([{
        "lesson": l.number, "title": l.title, "minutes": l.minutes, "question": l.question,
        "notebook": l.notebook, "exercise": l.exercise or "",
    } for l in LESSONS]).set_index("lesson")


def lesson(number: int) -> Lesson:
    """Return lesson ``number`` (0–6); raise ``KeyError`` listing the valid numbers otherwise."""
    for item in LESSONS:
        if item.number == number:
            return item
    raise KeyError(f"no lesson {number}; lessons are numbered 0 to {len(LESSONS) - 1}")
