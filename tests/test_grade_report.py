"""The class report (report.html) of a graded fixture class: what each section shows, that it is
self-contained and offline, escaped, accessible in its structure, and the same on every run.

The class is tests/fixtures/report_class.py, graded once for the module. Its totals for
01_fixture are 7 (correct), 7 (the student with an HTML name), 5 (edited_test), 2 (partial),
2 (kernel_death: q1 only), 0 (unanswered, wrong_a, wrong_b); not_json and wrong_exercise are
not graded.
tests/browser/test_report_browser.py opens the page in Chromium.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from armscontrol.grading import class_report, solutions
from armscontrol.grading.statuses import STATUSES

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import report_class  # noqa: E402
import sandboxing  # noqa: E402

SANDBOX = sandboxing.use_sandbox()

HINT = "AssertionError: A 1,000 km range lies inside the band."
HIDDEN = "passed the checks you can see, but not the hidden checks"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results, out = report_class.grade_class(tmp_path_factory.mktemp("report"), SANDBOX)
    text = (out / "report.html").read_text(encoding="utf-8")
    return {"results": results, "out": out, "html": text,
            "soup": BeautifulSoup(text, "html.parser"),
            "exercises": solutions.load_exercises(report_class.SOLUTIONS)}


def _section(soup, section_id: str):
    return soup.find(id=section_id).find_parent("section")


def _table_rows(table) -> list[list[str]]:
    return [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def _wide_table(table) -> dict[int, int]:
    """A distribution's data table (points across, notebooks below) as {points: notebooks}."""
    header, row = table.find("thead").find("tr"), table.find("tbody").find("tr")
    assert header.find("th").get_text() == "points" and row.find("th").get_text() == "notebooks"
    points = [int(th.get_text()) for th in header.find_all("th")[1:]]
    return dict(zip(points, (int(td.get_text()) for td in row.find_all("td")), strict=True))


def test_grade_writes_the_report(graded):
    assert (graded["out"] / "report.html").is_file()
    assert graded["html"] == class_report.class_report_html(
        graded["results"], graded["exercises"], "sandbox" if SANDBOX else "no-sandbox")


def test_score_distribution_per_exercise(graded):
    section = _section(graded["soup"], "dist")
    tables = section.find_all("table")
    assert [t.caption.get_text() for t in tables] == ["01_fixture: the data of the chart",
                                                     "02_other: the data of the chart"]
    assert _wide_table(tables[0]) == {0: 3, 1: 0, 2: 2, 3: 0, 4: 0, 5: 1, 6: 0, 7: 2}
    assert _wide_table(tables[1]) == {0: 0, 1: 1}
    assert "8 notebook(s); mean 2.88 of 7 points." in section.get_text()
    # The chart draws the same counts: bar heights proportional to them (tallest = 3).
    svg = section.find("svg", id="dist-01-fixture")
    heights = [float(r["height"]) for r in svg.find_all("rect", class_="bar")]
    assert len(heights) == 8 and heights[0] == max(heights) > 0
    assert heights[7] == heights[2] == pytest.approx(heights[0] * 2 / 3, abs=0.1)
    assert heights[1] == 0


def test_success_rate_per_question(graded):
    section = _section(graded["soup"], "questions")
    rows = _table_rows(section.find("table"))
    assert [r[0] for r in rows] == ["q1_test", "q2_test", "q3_test"]  # not the written q4
    keys = ["question", "points", "graded", "full", "some", "none", "unanswered", "not_run",
            "rate", "mean"]
    q1 = dict(zip(keys, rows[0], strict=True))
    assert q1 == {"question": "q1_test", "points": "2", "graded": "8", "full": "4", "some": "0",
                  "none": "4", "unanswered": "1", "not_run": "0", "rate": "50%", "mean": "1.00"}
    q3 = dict(zip(keys, rows[2], strict=True))  # partial and unanswered left q3 as it was;
    assert (q3["none"], q3["unanswered"], q3["not_run"]) == ("5", "2", "1")  # kernel_death died
    svg = section.find("svg", id="rate-01-fixture")
    widths = [float(r["width"]) for r in svg.find_all("rect", class_="bar")]
    assert len(widths) == 3 and all(w > 0 for w in widths)
    other = section.find("svg", id="rate-02-other")
    assert [t.get_text() for t in other.find_all("text")][-1] == "100%"


def test_most_failed_checks_with_their_hints(graded):
    rows = _table_rows(_section(graded["soup"], "failed").find("table"))
    first = rows[0]
    assert first[:3] == ["01_fixture", "q1_test", "3"] and first[3].startswith(HIDDEN)
    assert ["01_fixture", "q2_test", "2", HINT] in rows  # the check's own hint, both wrong students
    assert not [r for r in rows if r[3].startswith(("not answered", "not run"))]  # per question
    counts = [int(r[2]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert len(rows) <= class_report.TOP_FAILURES


def test_flagged_notebooks_with_their_status_explained(graded):
    rows = _table_rows(_section(graded["soup"], "flagged").find("table"))
    assert [r[0] for r in rows] == ["edited_test", "kernel_death", "not_json", "wrong_exercise"]
    by_student = {r[0]: r for r in rows}
    assert by_student["not_json"][3] == f"unreadable: {STATUSES['unreadable']}"
    assert by_student["edited_test"][3] == f"tests-edited: {STATUSES['tests-edited']}"
    assert "q1_test" in by_student["edited_test"][4]  # the grader's reason, not only the flag
    assert "02_other" in by_student["wrong_exercise"][4]
    assert by_student["kernel_death"][3] == f"kernel-died: {STATUSES['kernel-died']}"


def test_written_answers_to_mark(graded):
    rows = _table_rows(_section(graded["soup"], "written").find("table"))
    assert len(rows) == 8  # every 01_fixture notebook that ran; 02_other has no written answer
    by_student = {r[0]: r for r in rows}
    assert by_student["unanswered"][4] == "(no answer)"  # "YOUR ANSWER HERE" is not an answer
    assert by_student["correct"][2:4] == ["q4_written", "2"]
    assert by_student["correct"][4].startswith("Ranges depend on the payload")
    assert "1 of them left empty" in _section(graded["soup"], "written").get_text()


def test_student_text_is_escaped(graded):
    text, soup = graded["html"], graded["soup"]
    assert "<script" not in text and "<img" not in text and "<i " not in text
    assert soup.find(string=report_class.HOSTILE_ANSWER) is not None  # shown as text
    assert soup.find(string=report_class.HOSTILE_NAME) is not None


def test_self_contained_and_offline(graded):
    text, soup = graded["html"], graded["soup"]
    assert not soup.find_all(["script", "link", "img", "iframe", "object", "embed"])
    attributes = [(tag.name, k, v) for tag in soup.find_all(True) for k, v in tag.attrs.items()
                  if "//" in str(v)]
    assert attributes == [("svg", "xmlns", "http://www.w3.org/2000/svg")] * 4  # never fetched
    assert "url(" not in soup.style.get_text() and "@import" not in soup.style.get_text()
    assert not [a["href"] for a in soup.find_all("a") if not a["href"].startswith("#")]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert str(graded["out"]) not in text  # no local paths


def test_charts_have_text_alternatives_and_tables(graded):
    soup = graded["soup"]
    charts = soup.find_all("svg")
    assert len(charts) == 4  # two distributions, two success-rate charts
    for svg in charts:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert soup.find(id=title_id).name == "title" and soup.find(id=title_id).get_text()
        desc = soup.find(id=desc_id)
        assert desc.name == "desc" and re.search(r"\d", desc.get_text())
        figure = svg.find_parent("figure")
        assert figure.find("figcaption").get_text()
        assert figure.find_next_sibling("table") is not None, "every chart has its data table"
    assert soup.html["lang"] == "en" and soup.title.get_text()
    for table in soup.find_all("table"):
        scopes = [th.get("scope") for th in table.find_all("th")]
        assert scopes and set(scopes) <= {"col", "row"}


def test_same_class_same_report(graded):
    again = class_report.class_report_html(graded["results"], graded["exercises"],
                                           "sandbox" if SANDBOX else "no-sandbox")
    assert again == graded["html"]


def test_report_of_a_class_with_nothing_graded():
    page = class_report.class_report_html([], solutions.load_exercises(report_class.SOLUTIONS))
    soup = BeautifulSoup(page, "html.parser")
    assert "No notebook was graded." in soup.get_text()
    assert "Every notebook has the status" in soup.get_text()
    assert not soup.find_all("svg")


def test_score_bins():
    assert class_report.score_bins([0, 2.5, 3, 3], 3) == [("0", 1), ("1", 0), ("2", 1), ("3", 2)]
    bins = class_report.score_bins([0, 49.5, 100], 100)
    assert len(bins) == 10 and bins[0] == ("0–10", 1) and bins[4] == ("40–50", 1)
    assert bins[9] == ("90–100", 1)  # the top score is in the last bin, not an eleventh
