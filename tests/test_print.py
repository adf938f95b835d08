"""`print`: one PDF per lesson, exercise set and primary source, checked with poppler's tools."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from armscontrol import ROOT, printing, sources
from armscontrol.__main__ import main

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo", "pdfimages")


def _require_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not Path(printing.CHROMIUM).exists():
        missing.append(printing.CHROMIUM)
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if missing:
        message = (f"printing tests need {', '.join(missing)} (Debian: apt-get install chromium "
                   "poppler-utils; pip install -r requirements-dev.txt)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    _require_tools()
    out = tmp_path_factory.mktemp("print")
    assert main(["print", "--out", str(out)]) == 0
    return {p.name: p for p in out.glob("*.pdf")}


def _text(pdf: Path, first: int | None = None, last: int | None = None,
          layout: bool = True) -> str:
    """The PDF's text, spaces collapsed. ``layout``: in page order, so a paragraph number stays
    on its line; without it (raw), a table cell's text stays together."""
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    mode = ["-layout"] if layout else ["-raw"]  # -raw: a line-end hyphen is kept
    out = subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", *pages, str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def _plain(markdown: str) -> str:
    """A heading as it prints: links, code and emphasis marks gone, spaces collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _unhyphen(text: str) -> str:
    return re.sub(r"[-\u00ad\u2010]\s*", "", text)


def _headings(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [_plain(m.group(1)) for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"^#{1,4}\s+(.+?)\s*#*$", c.source, re.MULTILINE)]


def _notebooks(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.ipynb"))


def test_every_pdf_is_produced(pdfs):
    expected = ({f"lesson_{p.stem}.pdf" for p in _notebooks("notebooks")}
                | {f"exercises_{p.stem}.pdf" for p in _notebooks("exercises")}
                | {f"source_{row['source_id']}.pdf" for row in printing.source_rows()})
    assert len(expected) >= 9 + 6 + 2
    assert set(pdfs) == expected
    for pdf in pdfs.values():
        assert pdf.read_bytes()[:5] == b"%PDF-"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
        assert pages >= 1
        assert "A4" in info.stdout or "595.2" in info.stdout  # A4 is 595.28 x 841.89 pt


@pytest.mark.parametrize("folder, prefix", [("notebooks", "lesson_"), ("exercises", "exercises_")])
def test_notebook_pdfs_hold_every_heading(pdfs, folder, prefix):
    for path in _notebooks(folder):
        text = _text(pdfs[f"{prefix}{path.stem}.pdf"])
        headings = _headings(path)
        assert headings, path.name
        for heading in headings:
            # pdftotext joins a word hyphenated at a line end, dropping its hyphen.
            assert _unhyphen(heading) in _unhyphen(text), f"{path.name}: {heading!r} not in the PDF"


def test_exercise_pdfs_are_the_student_version(pdfs):
    for path in _notebooks("exercises"):
        text = _text(pdfs[f"exercises_{path.stem}.pdf"])
        assert "YOUR ANSWER HERE" in text or "YOUR CODE HERE" in text, path.name
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_source_pdfs_number_every_paragraph_and_show_provenance(pdfs):
    for row in printing.source_rows():
        pdf = pdfs[f"source_{row['source_id']}.pdf"]
        paragraphs = printing.numbered_paragraphs(row["source_id"])
        assert paragraphs
        text = _text(pdf)
        text = text[text.index("Cite a passage"):]  # after the heading "paragraphs ¶1–¶N"
        positions = [text.find(f" ¶{n} ") for n, _ in paragraphs]
        assert -1 not in positions, [n for (n, _), p in zip(paragraphs, positions) if p < 0]
        assert positions == sorted(positions)  # in order
        assert f" ¶{len(paragraphs) + 1} " not in text
        for n, para in paragraphs:  # the start of each paragraph follows its number
            words = " ".join(para.split()[:4])
            assert words in text, (n, words)
        first = _text(pdf, 1, 1, layout=False)
        assert f"Primary source: {row.get('short_name') or row['source_id']}" in first
        for column in ("source_id", "date", "kind"):
            assert row[column] in first, column
        squeezed = first.replace(" ", "")  # long values wrap inside their table cell
        assert row["source_url"] in squeezed and row["sha256"] in squeezed
        assert " ".join(row["outlet"].split()[:6]) in first


def test_numbered_paragraphs_leave_out_page_furniture():
    for source_id in (row["source_id"] for row in printing.source_rows()):
        paragraphs = printing.numbered_paragraphs(source_id)
        assert [n for n, _ in paragraphs] == list(range(1, len(paragraphs) + 1))
        raw = sources.raw_text(source_id)
        furniture = {p.text.strip() for _, p in sources.page_furniture(source_id)}
        for _, text in paragraphs:
            assert text not in furniture
            for line in text.split("\n"):
                assert line in raw  # verbatim, line by line
        assert not any(t.startswith("\\") for _, t in paragraphs)
    captions = [p.text for k, p in sources.page_furniture("statemedia_2020") if k == "caption"]
    assert captions
    body = " ".join(t for _, t in printing.numbered_paragraphs("statemedia_2020"))
    assert captions[0].strip() not in body


def test_printed_numbers_match_the_quotes_table():
    """A quote cited as "source ¶N" (quotes.csv's paragraph column) is in printed paragraph N."""
    import csv
    with open(ROOT / "data" / "quotes.csv", newline="", encoding="utf-8") as handle:
        quotes = list(csv.DictReader(handle))
    if "paragraph" not in quotes[0]:
        pytest.skip("quotes.csv has no paragraph column yet (issue 16 item 1)")
    checked = 0
    for row in quotes:
        if not row["paragraph"]:
            continue
        printed = dict(printing.numbered_paragraphs(row["source_id"]))
        text = " ".join(printed[int(row["paragraph"])].split())
        assert " ".join(row["quote"].split()) in text, (row["quote_id"], row["paragraph"])
        checked += 1
    assert checked > 10


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(match.group(1)), int(match.group(2))
    return width, height, data[match.end():match.end() + width * height]


def test_first_pages_are_not_blank(pdfs, tmp_path):
    for name, pdf in sorted(pdfs.items()):
        stem = tmp_path / Path(name).stem
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(stem)], check=True)
        width, height, pixels = _pgm(stem.with_suffix(".pgm"))
        mean = sum(pixels) / len(pixels)
        variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
        inked = sum(p < 200 for p in pixels) / len(pixels)
        assert variance > 100 and inked > 0.01, f"{name}: first page looks blank ({variance=:.0f})"


def test_blank_page_fails_the_check(tmp_path):
    """The pixel check above can fail: a blank page has no variance."""
    _require_tools()
    doc = printing.Document("blank.pdf", "blank", "<html><body></body></html>", (20, 20, 20, 20))
    pdf = printing.render([doc], tmp_path)[0]
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-singlefile", str(pdf),
                    str(tmp_path / "blank")], check=True)
    _, _, pixels = _pgm(tmp_path / "blank.pgm")
    assert sum(p < 200 for p in pixels) / len(pixels) < 0.01


def test_lesson_figures_print_as_their_stored_pictures(pdfs):
    for path in _notebooks("notebooks"):
        nb = nbformat.read(path, as_version=4)
        pictures = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                       for o in c.outputs)
        listing = subprocess.run(["pdfimages", "-list", str(pdfs[f"lesson_{path.stem}.pdf"])],
                                 capture_output=True, text=True, check=True).stdout
        images = len(listing.strip().split("\n")[2:])
        assert images >= pictures, f"{path.name}: {images} images for {pictures} stored PNGs"


def test_widgets_print_as_a_picture_or_a_note(pdfs):
    for path in _notebooks("notebooks"):
        text = _text(pdfs[f"lesson_{path.stem}.pdf"])
        assert "run the notebook to use it)" not in text  # a widget's repr, not a note
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            widgets = [o for o in cell.outputs
                       if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
            pictured = any("image/png" in o.get("data", {}) for o in cell.outputs)
            for output in widgets:
                kind = re.match(r"\w+", "".join(output["data"]["text/plain"])).group(0)
                if not pictured:
                    note = printing.WIDGET_NOTES.get(kind, printing.DEFAULT_WIDGET_NOTE)
                    assert " ".join(note.split()[:6]) in text, (path.name, kind)


def _cell(*outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_printable_notebook_replaces_widgets_and_interactive_figures():
    widget = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
              "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m"},
                       "text/plain": "RangeExplorer(system='ss20', base='x', view='europe')"}}
    picture = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    plotly = {"output_type": "display_data", "metadata": {},
              "data": {"application/vnd.plotly.v1+json": {"data": []}, "image/png": "iVBOR"}}
    nb = nbformat.v4.new_notebook(cells=[_cell(widget), _cell(picture, widget), _cell(plotly)])
    nb.metadata["widgets"] = {"state": {}}
    out = printing.printable_notebook(nb)
    assert "widgets" not in out.metadata and "widgets" in nb.metadata  # a copy
    note = out.cells[0].outputs[0]["data"]
    assert list(note) == ["text/html"]
    assert "Interactive range map" in note["text/html"] and "system=&#x27;ss20" in note["text/html"]
    assert [list(o["data"]) for o in out.cells[1].outputs] == [["image/png"]]
    assert [dict(o["data"]) for o in out.cells[2].outputs] == [{"image/png": "iVBOR"}]


def test_print_needs_chromium(tmp_path):
    doc = printing.Document("x.pdf", "x", "<p>x</p>", (20, 20, 20, 20))
    with pytest.raises(printing.PrintError, match="Chromium"):
        printing.render([doc], tmp_path, chromium=str(tmp_path / "no-chromium"))


def test_printable_notebook_opens_figure_data_tables():
    from armscontrol.data_tables import DETAILS_CLASS

    table = {"output_type": "display_data", "metadata": {},
             "data": {"text/html": f'<div><details class="{DETAILS_CLASS}"><summary>s</summary>'
                                   "<table></table></details></div>", "text/plain": "x"}}
    other = {"output_type": "display_data", "metadata": {},
             "data": {"text/html": "<details><summary>t</summary></details>"}}
    out = printing.printable_notebook(nbformat.v4.new_notebook(cells=[_cell(table, other)]))
    opened, untouched = (o["data"]["text/html"] for o in out.cells[0].outputs)
    assert f'<details class="{DETAILS_CLASS}" open>' in opened
    assert untouched == other["data"]["text/html"]


def test_lesson_data_tables_print_open(pdfs):
    """The New START chart's table prints: its header and a row only the table holds."""
    text = _text(pdfs["lesson_04_new_start.pdf"], layout=False)
    assert "Deployed warheads (limit" in text
    assert "1 September 2011" in text
