"""Step 5b: the class report, ``report.html``: one self-contained page for the teacher.

It shows, for the whole class: the score distribution of each exercise set, the success rate of
each autograded question (both plotted), the checks that failed most with the message students
saw (the check's hint), the notebooks whose row carries a status other than ``ok`` (with what
the status means), and the written answers still to mark.

The charts are small inline SVG drawn here, not plotly: plotly's JavaScript inlined would add
4.8 MB (plotly.min.js of plotly 7.1) to every report, while the twelve SVG charts of a class of
30 with six exercise sets weigh about 34 KB in all (the whole page about 110 KB, half of it the
written answers), need no script at all (the page forbids scripts and remote loads in its Content-Security-Policy), and
print and open offline in any browser. Every chart has a text alternative (its ``<title>`` and
``<desc>``) and the same numbers as a data table below it.

Everything a student wrote (names, file names, answers, error messages) is HTML-escaped.
The page holds no date or time, so grading the same folder again writes the same file.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from armscontrol.exercises import TEXT_STUB
from armscontrol.grading.report import _atomic_write
from armscontrol.grading.solutions import Exercise
from armscontrol.grading.statuses import STATUSES

#: How many of the most frequent failed checks the report lists.
TOP_FAILURES = 10
#: How score.py's messages begin for a question that was not tried (left as the starting code)
#: or whose test never ran (the notebook stopped first): no check failed, so these are counted
#: per question ("not answered", "not run") rather than listed among the failed checks.
NOT_ANSWERED, NOT_RUN = "not answered:", "not run:"
#: The report's sections in page order: element id -> heading (also the page's contents list).
SECTIONS = {"dist": "Score distribution per exercise set",
            "questions": "Success rate per question",
            "failed": "The checks that failed most",
            "flagged": "Notebooks to look at",
            "written": "Written answers to mark"}

_CSS = """
body { font-family: system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
caption { text-align: left; font-style: italic; }
td.num, th.num { text-align: right; }
figure { margin: 1rem 0 0.5rem; }
figcaption { font-weight: 600; margin-bottom: 0.25rem; }
svg text { fill: #1b1b1b; font-size: 12px; font-family: system-ui, sans-serif; }
.answer { white-space: pre-wrap; max-width: 36rem; }
.muted { color: #4a4a4a; }
code { background: #f3f3f3; padding: 0 0.2rem; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_BAR = "#1f5f8b"  # 7.2:1 against white


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pts(points: float | None) -> str:
    return "" if points is None else f"{points:g}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


@dataclass
class Bar:
    """One bar of a chart: its label, its value, and the text shown at its end."""
    label: str
    value: float
    text: str


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower())


def _svg_start(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    """Return the opening ``<svg>`` tag of a chart ``width`` x ``height`` px, and its ``<title>``
    and ``<desc>`` (the text alternative its ``aria-labelledby`` names)."""
    return [f'<svg id="{_e(chart_id)}" class="chart" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{_e(chart_id)}-t {_e(chart_id)}-d" '
            'xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{_e(chart_id)}-t">{_e(title)}</title>',
            f'<desc id="{_e(chart_id)}-d">{_e(desc)}</desc>']


def column_chart(chart_id: str, title: str, desc: str, bars: list[Bar], x_title: str,
                 y_title: str) -> str:
    """An SVG column chart (vertical bars, value written above each); returns the ``<svg>``.

    Heights are scaled to the tallest bar; a bar of value 0 is drawn 0 px high (its value "0"
    is still written). ``title`` and ``desc`` are the chart's text alternative.
    """
    width_per, left, top, bottom = max(28, min(60, 560 // max(len(bars), 1))), 48, 22, 44
    plot_h = 160
    width = left + width_per * len(bars) + 16
    height = top + plot_h + bottom
    peak = max((b.value for b in bars), default=0) or 1
    parts = [*_svg_start(chart_id, width, height, title, desc),
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
             'stroke="#1b1b1b"/>']
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / peak
        x = left + i * width_per + 4
        w = width_per - 8
        y = top + plot_h - h
        parts.append(f'<rect class="bar" x="{x}" y="{y:.1f}" width="{w}" height="{h:.1f}" '
                     f'fill="{_BAR}"><title>{_e(bar.label)}: {_e(bar.text)}</title></rect>')
        parts.append(f'<text x="{x + w / 2}" y="{y - 4:.1f}" text-anchor="middle">{_e(bar.text)}</text>')
        parts.append(f'<text x="{x + w / 2}" y="{top + plot_h + 16}" text-anchor="middle">'
                     f'{_e(bar.label)}</text>')
    parts.append(f'<text x="{left + (width - left) / 2}" y="{height - 6}" text-anchor="middle">'
                 f'{_e(x_title)}</text>')
    parts.append(f'<text transform="translate(14 {top + plot_h / 2}) rotate(-90)" '
                 f'text-anchor="middle">{_e(y_title)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(chart_id: str, title: str, desc: str, bars: list[Bar], scale: float) -> str:
    """An SVG horizontal bar chart (label left, value right of each bar); returns the ``<svg>``.

    ``scale`` is the value of a full-width bar (100 for percentages).
    """
    label_w, plot_w, row_h, top = 150, 360, 26, 8
    width, height = label_w + plot_w + 70, top + row_h * len(bars) + 8
    parts = [*_svg_start(chart_id, width, height, title, desc),
             f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 4}" stroke="#1b1b1b"/>']
    for i, bar in enumerate(bars):
        y = top + i * row_h
        w = plot_w * max(0.0, min(bar.value, scale)) / (scale or 1)
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_e(bar.label)}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                     f'fill="{_BAR}"><title>{_e(bar.label)}: {_e(bar.text)}</title></rect>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{_e(bar.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset(),
           caption: str = "") -> str:
    """An HTML table; cells are escaped here, ``numeric`` columns are right-aligned."""
    cls = {i: ' class="num"' for i in numeric}
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{_e(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col"{cls.get(i, "")}>{_e(h)}</th>'
                                       for i, h in enumerate(header)) + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td{cls.get(i, '')}>{_e(c)}</td>" for i, c in enumerate(row))
                   + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _wide_table(caption: str, header: list[str], row: list[str]) -> str:
    """A two-row HTML table (a chart's data, laid out like the chart): the first cell of each
    row is its header; cells are escaped here."""
    head = f'<th scope="row">{_e(header[0])}</th>' + "".join(
        f'<th scope="col" class="num">{_e(h)}</th>' for h in header[1:])
    body = f'<th scope="row">{_e(row[0])}</th>' + "".join(f'<td class="num">{_e(c)}</td>'
                                                         for c in row[1:])
    return (f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody><tr>{body}</tr></tbody></table>")


def _ran(results: list[dict], name: str) -> list[dict]:
    """The notebooks of exercise ``name`` that were graded (they have per-question results)."""
    return [r for r in results if r["exercise"] == name and r["questions"]]


def score_bins(totals: list[float], maximum: float) -> list[tuple[str, int]]:
    """Counts of ``totals`` per score: one bin per whole point from 0 to ``maximum`` (a half
    point counts in the bin below it), or ten equal bins when ``maximum`` is over 20.
    Returns [(bin label, number of notebooks)]."""
    top = int(maximum)
    if top <= 20:
        counts = Counter(min(int(t), top) for t in totals)
        return [(str(p), counts.get(p, 0)) for p in range(top + 1)]
    step = maximum / 10
    counts = Counter(min(int(t // step), 9) for t in totals)
    return [(f"{i * step:g}–{(i + 1) * step:g}", counts.get(i, 0)) for i in range(10)]


def question_rows(results: list[dict], exercise: Exercise) -> list[dict]:
    """Per autograded question of ``exercise``: notebooks graded, how many earned full points,
    some points, none (and of those, how many were not answered or not run); the success rate
    (full points, %) and the mean points."""
    ran = _ran(results, exercise.name)
    rows = []
    for q in exercise.questions:
        if q.kind != "auto":
            continue
        items = [item for r in ran for item in r["questions"]
                 if item["grade_id"] == q.grade_id and item["earned"] is not None]
        earned = [item["earned"] for item in items]
        full = sum(e >= q.points for e in earned)
        some = sum(0 < e < q.points for e in earned)
        rows.append({"question": q.grade_id, "points": q.points, "graded": len(earned),
                     "full": full, "some": some, "none": len(earned) - full - some,
                     "unanswered": sum(i["message"].startswith(NOT_ANSWERED) for i in items),
                     "not_run": sum(i["message"].startswith(NOT_RUN) for i in items),
                     "rate": 100 * full / len(earned) if earned else 0.0,
                     "mean": sum(earned) / len(earned) if earned else 0.0})
    return rows


def failed_checks(results: list[dict], limit: int = TOP_FAILURES) -> list[dict]:
    """The checks that failed most: (exercise, question, message students saw) with the number
    of notebooks, most frequent first (ties by exercise, question, message); at most ``limit``.
    Questions not answered or not run are left out (:func:`question_rows` counts them)."""
    counts: Counter = Counter()
    for r in results:
        for item in r["questions"]:
            if item["kind"] == "auto" and item["earned"] is not None \
                    and item["earned"] < item["points"] \
                    and not item["message"].startswith((NOT_ANSWERED, NOT_RUN)):
                counts[(r["exercise"], item["grade_id"], item["message"])] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{"exercise": e, "question": q, "message": m, "notebooks": n} for (e, q, m), n in ranked]


def flagged_rows(results: list[dict]) -> list[dict]:
    """Rows whose status is not ``ok``: student, exercise, file, each flag with its meaning,
    and the grader's reasons."""
    return [{"student": r["student"], "exercise": r["exercise"], "file": r["file"],
             "flags": list(r["flags"]),
             "meanings": [f"{f}: {STATUSES.get(f, '')}" for f in r["flags"]],
             "reasons": list(r["reasons"])}
            for r in results if r["flags"]]


def written_to_mark(results: list[dict]) -> list[dict]:
    """Every written answer, to mark by hand: student, exercise, question, points, text (the
    text is ``""`` when the student left it empty or left the starting ``YOUR ANSWER HERE``)."""
    out = []
    for r in results:
        for w in r["written"]:
            text = (w["text"] or "").strip()
            out.append({"student": r["student"], "exercise": r["exercise"],
                        "question": w["question"], "points": w["points"],
                        "text": "" if text in ("", TEXT_STUB) else text})
    return out


def _section(section_id: str, body: list[str]) -> list[str]:
    """Return the HTML lines of the section ``section_id``: its heading (from ``SECTIONS``),
    the lines of ``body``, and the closing tag."""
    return [f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">'
            f'{_e(SECTIONS[section_id])}</h2>', *body, "</section>"]


def _distribution_section(results: list[dict], exercises: dict[str, Exercise]) -> list[str]:
    out = ['<p>Autograded points of each notebook that was graded (written answers are not '
           'included until you mark them). Notebooks that could not be graded are listed under '
           '<a href="#flagged">Notebooks to look at</a>.</p>']
    names = [n for n in exercises if _ran(results, n)]
    if not names:
        out.append("<p>No notebook was graded.</p>")
    for name in names:
        ex = exercises[name]
        totals = [r["total"] for r in _ran(results, name)]
        bins = score_bins(totals, ex.max_auto)
        mean = sum(totals) / len(totals)
        desc = (f"{len(totals)} notebook(s), mean {mean:.2f} of {ex.max_auto:g} points. "
                + "; ".join(f"{label} points: {n}" for label, n in bins) + ".")
        chart_id = f"dist-{_slug(name)}"
        out.append(f'<figure><figcaption id="{chart_id}-cap">{_e(name)}: notebooks by autograded '
                   f'score (out of {_e(_pts(ex.max_auto))})</figcaption>')
        out.append(column_chart(chart_id, f"{name}: notebooks by autograded score", desc,
                                [Bar(label, n, str(n)) for label, n in bins],
                                "autograded points", "notebooks"))
        out.append("</figure>")
        out.append(f"<p>{len(totals)} notebook(s); mean {mean:.2f} of {_e(_pts(ex.max_auto))} "
                   "points.</p>")
        out.append(_wide_table(f"{name}: the data of the chart",
                               ["points", *(label for label, _ in bins)],
                               ["notebooks", *(str(n) for _, n in bins)]))
    return _section("dist", out)


def _questions_section(results: list[dict], exercises: dict[str, Exercise]) -> list[str]:
    out = ['<p>The share of graded notebooks that earned a question\'s full points.</p>']
    for name, ex in exercises.items():
        rows = question_rows(results, ex)
        if not _ran(results, name) or not rows:
            continue
        chart_id = f"rate-{_slug(name)}"
        desc = "; ".join(f"{r['question']}: {r['rate']:.0f}% of {r['graded']} notebook(s)"
                         for r in rows) + "."
        out.append(f'<figure><figcaption>{_e(name)}: notebooks with full points, per '
                   'question</figcaption>')
        out.append(bar_chart(chart_id, f"{name}: success rate per question", desc,
                             [Bar(r["question"], r["rate"], f"{r['rate']:.0f}%") for r in rows], 100))
        out.append("</figure>")
        out.append(_table(["question", "points", "graded", "full points", "some points", "no points",
                           "of which not answered", "of which not run", "success rate",
                           "mean points"],
                          [[r["question"], _pts(r["points"]), str(r["graded"]), str(r["full"]),
                            str(r["some"]), str(r["none"]), str(r["unanswered"]), str(r["not_run"]),
                            f"{r['rate']:.0f}%", f"{r['mean']:.2f}"]
                           for r in rows], set(range(1, 10)),
                          caption=f"{name}: the data of the chart"))
    return _section("questions", out)


def _failures_section(results: list[dict]) -> list[str]:
    fails = failed_checks(results)
    if not fails:
        return _section("failed", ["<p>No check failed (questions not answered are counted under "
                                   '<a href="#questions">Success rate per question</a>).</p>'])
    return _section("failed", [
        f"<p>Up to {TOP_FAILURES} (question, message) pairs, most frequent first. The "
        "message is what the student's feedback file says: the check's hint, or why the "
        "question was not scored. Questions left unanswered, or not run because the "
        'notebook stopped, are counted under <a href="#questions">Success rate per '
        "question</a>, not here.</p>",
        _table(["exercise", "question", "notebooks", "message (hint)"],
               [[f["exercise"], f["question"], str(f["notebooks"]), f["message"]] for f in fails],
               {2})])


def _flagged_section(results: list[dict]) -> list[str]:
    rows = flagged_rows(results)
    if not rows:
        return _section("flagged", ['<p>Every notebook has the status <code>ok</code>.</p>'])
    return _section("flagged", [
        f"<p>{len(rows)} notebook(s) whose gradebook row has a status other than "
        "<code>ok</code>. docs/grading.md explains each status and its effect on the score.</p>",
        _table(["student", "exercise", "file", "status: what it means", "what the grader found"],
               [[r["student"], r["exercise"] or "(unrecognised)", r["file"],
                 "; ".join(r["meanings"]), "; ".join(r["reasons"])] for r in rows])])


def _written_section(results: list[dict]) -> list[str]:
    items = written_to_mark(results)
    if not items:
        return _section("written", ["<p>No written answers were handed in.</p>"])
    empty = sum(not w["text"] for w in items)
    out = [f"<p>{len(items)} answer(s) to mark, {empty} of them left empty (also in "
           "<code>written_answers.csv</code>).</p>"]
    out.append("<table><thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in
               ("student", "exercise", "question", "points", "answer")) + "</tr></thead><tbody>")
    for w in items:
        text = (f'<td class="answer">{_e(w["text"])}</td>' if w["text"]
                else '<td class="muted">(no answer)</td>')
        out.append(f"<tr><td>{_e(w['student'])}</td><td>{_e(w['exercise'])}</td>"
                   f"<td>{_e(w['question'])}</td><td class=\"num\">{_e(_pts(w['points']))}</td>"
                   f"{text}</tr>")
    out.append("</tbody></table>")
    return _section("written", out)


def class_report_html(results: list[dict], exercises: dict[str, Exercise], mode: str = "sandbox") -> str:
    """The whole report page (a UTF-8 HTML string), from the results of a grade run."""
    students = sorted({r["student"] for r in results})
    how = "each in a sandbox" if mode == "sandbox" else "without a sandbox (--no-sandbox)"
    body = ["<h1>Class report</h1>",
            f"<p>{len(results)} notebook(s) from {len(students)} student(s), graded {_e(how)}. "
            "The numbers come from <code>gradebook.csv</code> in this folder; each student's "
            "details are in <code>feedback/</code>.</p>",
            '<nav aria-label="Sections"><ul>'
            + "".join(f'<li><a href="#{i}">{_e(title)}</a></li>' for i, title in SECTIONS.items())
            + "</ul></nav>"]
    body += _distribution_section(results, exercises)
    body += _questions_section(results, exercises)
    body += _failures_section(results)
    body += _flagged_section(results)
    body += _written_section(results)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report</title><style>{_CSS}</style></head>\n<body><main>\n"
            + "\n".join(body) + "\n</main></body></html>\n")


def write_class_report(results: list[dict], exercises: dict[str, Exercise], out_dir: Path,
                       mode: str = "sandbox") -> Path:
    """Write ``out_dir/report.html`` atomically; returns its path."""
    path = Path(out_dir) / "report.html"
    _atomic_write(path, class_report_html(results, exercises, mode))
    return path
