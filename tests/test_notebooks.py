"""Lesson notebooks: structure, navigation, links, size, no saved widget state, no retyped quotes.

Whether each notebook runs and shows what it stored is checked by nbval (see test.sh); this file
checks what nbval does not.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from armscontrol import ROOT, data
from armscontrol.lessons import LESSONS

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STORED = NOTEBOOKS + sorted((ROOT / "solutions").glob("*.ipynb"))
LESSON_FILES = [ROOT / "notebooks" / l.notebook for l in LESSONS if l.number > 0]


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_every_lesson_in_the_map_exists():
    missing = [l.notebook for l in LESSONS if not (ROOT / "notebooks" / l.notebook).exists()]
    assert not missing, f"lessons listed in armscontrol/lessons.py but missing: {missing}"


def test_navigation_cells_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "nav.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + "\nrun: python tools/nav.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_point_to_existing_files(path):
    nb = nbformat.read(path, as_version=4)
    for target in re.findall(r"\]\(([^)#]+\.(?:ipynb|md|csv))(?:#[^)]*)?\)", markdown(nb)):
        if "://" in target:
            continue
        assert (path.parent / target).resolve().exists(), f"{path.name}: broken link {target}"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_lesson_has_the_standard_parts(path):
    text = markdown(nbformat.read(path, as_version=4)).lower()
    for part in ["objectives", "**time:** ", "sources used", "key points", "## perspectives",
                 "discussion", "try it", "../exercises/"]:
        assert part in text, f"{path.name} lacks '{part}'"
    first = nbformat.read(path, as_version=4).cells[0].source
    assert "**Time:** " in first, f"{path.name}: the Time line belongs in the first cell"
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("**time:** "))
    assert "time needed" not in prose and "45 minutes" not in prose, \
        f"{path.name} states a time outside its computed Time line"


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebook_is_small_and_has_no_widget_state(path):
    assert path.stat().st_size <= 1_000_000, f"{path.name} is over 1 MB"
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name}: strip widget state (tools/refresh_outputs.py)"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), f"{path.name} has unexecuted cells"


def _refresh_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location("refresh_outputs",
                                                  ROOT / "tools" / "refresh_outputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ALL_STORED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", ALL_STORED, ids=lambda p: p.name)
def test_stored_widget_ids_are_stable_not_random(path):
    refresh = _refresh_tool()
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells):
        for index, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(refresh.WIDGET_VIEW)
            if view is not None:
                # "" is a stored explorer's hidden view (armscontrol.figures: its picture shows)
                assert view["model_id"] in ("", refresh.stable_model_id(path.name, number, index)), (
                    f"{path.name}, cell {number}: random widget id; run tools/refresh_outputs.py")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_quotes_are_loaded_not_retyped(path):
    """Long quotations must come from data/quotes.csv through code, never typed into prose."""
    nb = nbformat.read(path, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    for quote in data.load_quotes()["quote"]:
        if len(quote) >= 40:
            assert quote[:40] not in sources, f"{path.name} retypes the quote {quote[:40]!r}"


def _map_times(text: str, prefix: str) -> dict[str, str]:
    """Return {"0", "0b", "1", ...: time cell} from a markdown map of lessons."""
    rows = re.findall(rf"^\| (\d+b?)[^|]*\| \[[^\]]+\]\({re.escape(prefix)}[^)]+\) \| ([^|]+) \|",
                      text, flags=re.M)
    return {n: t.strip() for n, t in rows}


def _expected_times() -> dict[str, str]:
    times = {}
    for lesson in LESSONS:
        core, full = lesson.class_time()
        key = lesson.stem.split("_")[0].lstrip("0") or "0"
        key = "0b" if key == "b" else key
        times[key] = f"{core} min" if core == full else f"{core} / {full} min"
    return times


def test_maps_of_lessons_show_the_computed_times():
    expected = _expected_times()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = markdown(nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4))
    assert _map_times(readme, "notebooks/") == expected, "README map of lessons: times out of date"
    assert _map_times(start, "") == expected, "start notebook's map of lessons: times out of date"
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    assert _map_times(guide, "instructor_guide/") == {n: t for n, t in expected.items()
                                                      if n not in {"0", "0b"}}, \
        "instructor guide: lesson times out of date"


def test_class_time_reads_the_time_line(tmp_path):
    lesson = LESSONS[1]
    cell = {"cell_type": "markdown", "metadata": {}, "source": [
        "# T\n", "\n", "**Time:** about 40 minutes for the core sections (90 with the extensions), x"]}
    (tmp_path / lesson.notebook).write_text('{"cells": [' + json.dumps(cell) + "]}")
    assert lesson.class_time(tmp_path) == (40, 90)
    cell["source"] = ["**Time:** about 15 minutes, by the rule"]
    (tmp_path / lesson.notebook).write_text('{"cells": [' + json.dumps(cell) + "]}")
    assert lesson.class_time(tmp_path) == (15, 15)
    cell["source"] = ["no time here"]
    (tmp_path / lesson.notebook).write_text('{"cells": [' + json.dumps(cell) + "]}")
    with pytest.raises(ValueError, match=lesson.notebook):
        lesson.class_time(tmp_path)


def _glossary_anchors() -> set[str]:
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#{1,6} (.+)$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glossary_links_point_to_terms_that_exist(path):
    anchors = _glossary_anchors()
    text = markdown(nbformat.read(path, as_version=4))
    targets = re.findall(r"\]\(\.\./docs/glossary\.md#([^)]+)\)", text)
    if path.stem[:2] in {f"{n:02d}" for n in range(1, 7)}:
        assert targets, f"{path.name} links no glossary term"
    missing = sorted(set(targets) - anchors)
    assert not missing, f"{path.name} links glossary anchors that do not exist: {missing}"


@pytest.mark.parametrize("lesson", [l for l in LESSONS if l.number > 0], ids=lambda l: l.stem)
def test_instructor_guide_timing_plan_matches_the_lesson(lesson):
    guide = (ROOT / "docs" / "instructor_guide" / f"{lesson.stem}.md").read_text(encoding="utf-8")
    core, full = lesson.class_time()
    heading = f"## Timing plan (core {core} minutes; {full} with the extensions)"
    assert heading in guide, f"{lesson.stem}.md: timing plan heading should read {heading!r}"


def test_lessons_explain_each_new_operation_where_it_first_appears():
    """Each Python/pandas operation a lesson's code uses for the first time in the module (not
    in the primer or an earlier lesson) is named in that lesson's text or in a code comment."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_primer_coverage as coverage  # the primer's parser of operations

    seen = coverage.taught_in(coverage.PRIMER)
    problems = []
    for path in sorted((ROOT / "notebooks").glob("0[0-6]_*.ipynb")):
        cells = coverage.notebook_cells(path)
        aliases = coverage.module_aliases(coverage.parsed(cells))
        explained = "\n".join(c["source"] for c in cells)  # prose and code comments
        ops: set[str] = set()
        for cell in cells:
            if cell["cell_type"] == "code":
                ops |= coverage.operations(coverage.code_of(cell), aliases)
        for op in sorted(ops - seen - coverage.TRIVIAL):
            if op.startswith(("armscontrol", "syntax: /")):
                continue
            name = op.split(": ")[-1].split(".")[-1].split(" ")[0]
            if name == "comprehension":
                name = "{key: value for"
            if name == "|":  # a table's column bars would match "|" itself
                name = '| means "or"'
            if name not in explained:
                problems.append(f"{path.name}: {op}")
        seen |= ops
    assert not problems, "operations used but never explained:\n" + "\n".join(problems)


QUOTING_LESSONS = ["01_reading_the_sources.ipynb", "03_inf_collapse.ipynb", "04_new_start.ipynb",
                   "06_synthesis.ipynb"]


def _lesson_text(nb) -> tuple[str, str]:
    """Return (markdown, stored code outputs) of a notebook as two strings."""
    outputs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            outputs.append(out.get("text", ""))
            for mime in ("text/plain", "text/html"):
                value = out.get("data", {}).get(mime, "")
                outputs.append("".join(value) if isinstance(value, list) else value)
    return markdown(nb), "\n".join(outputs)


@pytest.mark.parametrize("name", QUOTING_LESSONS)
def test_quoting_lessons_cite_passages_by_paragraph(name):
    """Each lesson that quotes a source cites a quotation by its paragraph ("CNN ¶9") in prose
    and in a computed table or print-out, and every such citation names a paragraph that
    quotes.csv records for that source; a citation beside a quote id is that quote's own."""
    from armscontrol import sources
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    prose, outputs = _lesson_text(nb)
    quotes = data.load_quotes()
    short = data.load_sources().set_index("source_id")["short_name"]
    recorded = {f"{short[r.source_id]} ¶{r.paragraph}" for r in quotes.itertuples()}
    names = "|".join(re.escape(s) for s in sorted(short, key=len, reverse=True))
    pattern = re.compile(rf"({names}) ¶(\d+)")
    in_prose = [m.group(0) for m in pattern.finditer(prose)]
    in_outputs = [m.group(0) for m in pattern.finditer(outputs)]
    assert in_prose, f"{name}: no paragraph citation (e.g. 'CNN ¶7') in the prose"
    assert in_outputs, f"{name}: no computed paragraph citation (sources.cite) in the outputs"
    wrong = sorted(set(in_prose + in_outputs) - recorded)
    assert not wrong, f"{name}: citations of paragraphs no quotation in quotes.csv stands in: {wrong}"
    for qid, cited in re.findall(rf"`([a-z0-9_]+_q\d+)`, ((?:{names}) ¶\d+)", prose):
        assert sources.cite(qid) == cited, f"{name}: {qid} is {sources.cite(qid)}, not {cited}"


def test_lesson_02_crowd_and_flight_times_are_the_cited_rows():
    """Lesson 02's Bonn crowd and its Pershing II flight times are the figures of the rows it
    cites (events.csv, flight_time_claims.csv), not numbers typed from a web page."""
    nb = nbformat.read(ROOT / "notebooks" / "02_inf_treaty_1987.ipynb", as_version=4)
    prose = " ".join(markdown(nb).split())
    bonn = data.load_events().set_index("event_id").loc["bonn_peace_demonstration"]
    low, high = re.search(r"([\d,]+)-([\d,]+) people", bonn["summary"]).groups()
    assert f"{low}–{high} people gathered in Bonn" in prose
    assert "`bonn_peace_demonstration`" in prose and "germanhistorydocs" not in prose
    minutes = data.load_flight_time_claims().set_index("claim_id")["minutes"]
    assert (f"flight time was {minutes['pershing2_soviet_6']} minutes" in prose
            and f"{minutes['pershing2_perle_12']} to {minutes['pershing2_perle_15']} minutes"
            in prose)
    for claim_id in minutes.index:
        assert f"`{claim_id}`" in prose, f"lesson 02 should cite the row {claim_id}"
    assert "content.time.com/time/subscriber/article/0,33009,923603" not in prose
