"""docs/glossary.md: one heading per term, links that resolve, and every fact's pointer into data/
naming rows that exist and hold the numbers the definition states."""
from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
DATA = ROOT / "data"

REQUIRED = [
    # arms control
    "GLCM", "IRBM", "MRBM", "SRBM", "MIRV", "ICBM", "SLBM", "Heavy bomber", "Dual track",
    "Zero option", "Double zero", "INF", "INF band", "INF Treaty", "New START", "Data exchange",
    "Deployed", "Non-deployed", "Warhead counting rule", "Telemetry", "SVC", "BCC",
    "On-site inspection", "Aegis Ashore", "Mk 41", "Typhon", "9M729 / SSC-8", "Oreshnik",
    "Pershing II", "SS-20",
    # Python and pandas
    "Variable", "Function", "DataFrame", "Series", "Index", "Column", "Boolean mask", "NaT", "NaN",
    "Timestamp", "Groupby", "Method", "Argument", "List", "Dict", "F-string",
]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def entries() -> dict[str, str]:
    """Return {term: body} for every ``### term`` of the glossary."""
    text = GLOSSARY.read_text(encoding="utf-8")
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def headings() -> list[str]:
    return re.findall(r"^#{1,6} (.+)$", GLOSSARY.read_text(encoding="utf-8"), flags=re.M)


def table_rows(name: str) -> dict[str, str]:
    """Return {row id: the row's text} for one CSV file of data/; the id is the table's key
    (its first column, or ``limit_id`` for treaty_limits.csv)."""
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    key = "limit_id" if name == "treaty_limits.csv" else None
    out = {}
    for row in rows:
        values = list(row.values())
        row_id = row[key] if key else values[0]
        out[row_id] = " ".join(values)
    return out


def pointers(body: str) -> list[tuple[str, list[str]]]:
    """Return [(file.csv, [row ids])] from an entry's **Data:** line."""
    match = re.search(r"\*\*Data:\*\*(.*?)(?:\n\*\*Source|\n\n|\Z)", body, flags=re.S)
    if not match:
        return []
    found = []
    for part in match.group(1).split(";"):
        named = re.search(r"`([\w]+\.csv)`", part)
        if named:
            after = part[named.end():]
            ids = [] if after.lstrip().startswith("(") else re.findall(r"`([^`]+)`", after)
            found.append((named.group(1), ids))
    return found


def test_required_terms_have_one_heading_each() -> None:
    terms = entries()
    missing = [t for t in REQUIRED if t not in terms]
    assert not missing, f"glossary lacks: {missing}"
    anchors = [slug(h) for h in headings()]
    duplicates = sorted({a for a in anchors if anchors.count(a) > 1})
    assert not duplicates, f"two headings share an anchor: {duplicates}"
    assert slug("9M729 / SSC-8") == "9m729--ssc-8" and slug(".loc") == "loc"


def test_every_definition_is_short_and_every_link_resolves() -> None:
    anchors = {slug(h) for h in headings()}
    text = GLOSSARY.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors, f"link to #{target}: no such heading"
    for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[^)]*)?\)", text):
        assert (GLOSSARY.parent / target).exists(), f"link to {target}: no such file"
    for term, body in entries().items():
        definition = body.split("**Data:**")[0].split("**Source:**")[0]
        sentences = re.findall(r"[.!?](?:\s|$)", re.sub(r"`[^`]*`", "x", definition))
        assert 1 <= len(sentences) <= 5, f"{term}: {len(sentences)} sentences (keep it short)"


def test_data_pointers_name_rows_that_exist() -> None:
    checked = 0
    for term, body in entries().items():
        for name, ids in pointers(body):
            assert (DATA / name).exists(), f"{term}: data/{name} does not exist"
            rows = table_rows(name)
            for row_id in ids:
                assert row_id in rows, f"{term}: {name} has no row '{row_id}'"
                checked += 1
    assert checked > 50, "the pointers were not parsed"


def numbers(text: str) -> set[str]:
    """Numbers written in prose (commas dropped), leaving out code, links and list markers."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return {n.replace(",", "") for n in re.findall(r"(?<![\w.-])\d[\d,]*(?![\w-])", text)}


def test_numbers_in_arms_control_definitions_are_in_the_rows_cited() -> None:
    """Every number an arms-control definition states appears in a row it cites (or the
    title of a reference it names): the glossary adds no number of its own."""
    text = GLOSSARY.read_text(encoding="utf-8")
    arms = text.split("## Python and pandas")[0]
    parts = re.split(r"^### (.+)$", arms, flags=re.M)
    unbacked = {}
    for term, body in zip(parts[1::2], parts[2::2]):
        definition = body.split("**Data:**")[0].split("**Source:**")[0]
        backing = " ".join(re.findall(r"\[([^\]]*)\]\(http", body))
        for name, ids in pointers(body):
            rows = table_rows(name)
            backing += " " + " ".join(rows[i] for i in ids if i in rows)
        backing = backing.replace(",", "")
        missing = sorted(n for n in numbers(definition) - numbers(term) if n not in backing)
        if missing:
            unbacked[term] = missing
    assert not unbacked, f"numbers not found in the rows cited: {unbacked}"


def test_named_armscontrol_functions_exist() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    for module, name in re.findall(r"`armscontrol\.(\w+)\.(\w+)`", text):
        assert hasattr(importlib.import_module(f"armscontrol.{module}"), name), \
            f"armscontrol.{module}.{name} is named in the glossary but does not exist"


@pytest.mark.parametrize("example, expected", [
    ('pd.Timestamp("2019-02-02") + pd.DateOffset(months=6)', "2019-08-02"),
])
def test_python_examples_in_the_glossary_are_right(example: str, expected: str) -> None:
    import pandas as pd
    assert example in GLOSSARY.read_text(encoding="utf-8")
    assert eval(example, {"pd": pd}) == pd.Timestamp(expected)


def glossary_links() -> list[tuple[str, str]]:
    """Return (where, anchor) for every link to glossary.md#anchor in the notebooks and docs."""
    found = []
    places = [(p, "\n".join(c.source for c in __import__("nbformat").read(p, as_version=4).cells
                            if c.cell_type == "markdown"))
              for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    places += [(p, p.read_text(encoding="utf-8"))
               for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]]
    for path, text in places:
        for anchor in re.findall(r"glossary\.md#([\w-]+)\)", text):
            found.append((str(path.relative_to(ROOT)), anchor))
    return found


def test_links_into_the_glossary_name_real_terms() -> None:
    anchors = {slug(h) for h in headings()}
    links = glossary_links()
    assert links, "nothing links to the glossary yet (the primer should)"
    broken = sorted({f"{where}: #{anchor}" for where, anchor in links if anchor not in anchors})
    assert not broken, "links to glossary terms that do not exist:\n" + "\n".join(broken)
