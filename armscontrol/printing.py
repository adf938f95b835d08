"""Printable PDFs of the lessons, the exercise sets and the primary sources (a teacher's tool).

:func:`print_all` writes one PDF per lesson notebook (with its stored outputs), per exercise set
(the student version in exercises/, unanswered) and per primary source (its article body with
numbered paragraphs, wide margins for notes, and its provenance from data/sources.csv on the
first page).

How a notebook becomes paper: nbconvert turns it into HTML, and Debian's Chromium, driven by
Playwright, prints that HTML with ``page.pdf``. Figures print from the PNG stored beside each
plotly figure; an interactive widget prints as its stored static picture when the cell has one,
otherwise as a short note saying what the control does in the notebook. Nothing is fetched from
the network while printing (every request that is not a local file is refused).

Needs the teachers' tools (requirements-dev.txt: nbconvert, playwright) and Debian's
``chromium``; students never need it.
"""
from __future__ import annotations

import concurrent.futures
import copy
import csv
import html
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from armscontrol import DATA_DIR, ROOT, data_tables, sources

#: Debian's Chromium (never a browser downloaded by Playwright).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: Page margins in millimetres (top, right, bottom, left). Sources get a wide right margin for
#: annotation and a wide left one for the paragraph numbers.
NOTEBOOK_MARGINS_MM = (18, 18, 20, 18)
#: (The paragraph numbers sit in a 14 mm column inside the left margin's page box: Chromium
#: does not print content placed outside the page box.)
SOURCE_MARGINS_MM = (25, 50, 25, 18)

_WIDGET = "application/vnd.jupyter.widget-view+json"
_PLOTLY = "application/vnd.plotly.v1+json"
#: How a figure's collapsed data table (armscontrol.data_tables) begins.
_DATA_TABLE = f'<details class="{data_tables.DETAILS_CLASS}"'

#: What each interactive control does, for the note printed in its place (class name -> text).
WIDGET_NOTES = {
    "RangeExplorer": "Interactive range map. In the notebook, menus choose the missile system, "
                     "the base and the map view; a \"What if (km)\" slider draws a ring of any "
                     "range, a button shows or hides the INF Treaty's 500–5,500 km band, and one "
                     "button per range claim highlights that claim's ring; under the map, the "
                     "places within reach.",
    "TimelineExplorer": "Interactive timeline. In the notebook, a slider chooses the dates, check "
                        "boxes the treaties and actors, and a search box filters the events; "
                        "clicking an event shows its details and its source.",
    "ParagraphSearch": "Interactive search. In the notebook, type words to list the paragraphs of "
                       "the sources that contain them; check boxes choose the sources.",
}
DEFAULT_WIDGET_NOTE = "Interactive control: run the notebook to use it."

_CSS_COMMON = """
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.4;
       color: #111; background: #fff; margin: 0; }
h1, h2, h3, h4 { font-family: "DejaVu Sans", Arial, sans-serif; break-after: avoid-page; }
img, svg, table, pre { break-inside: avoid-page; }
img { max-width: 100%; height: auto; }
a { color: #0645ad; text-decoration: none; }
"""

NOTEBOOK_CSS = _CSS_COMMON + """
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser { display: none !important; }
body.jp-Notebook, .jp-Notebook { padding: 0 !important; overflow: visible !important; }
.jp-Cell { padding: 2px 0 !important; }
.jp-InputArea-editor, .jp-OutputArea-output pre { font-size: 8.5pt !important; }
.jp-InputArea-editor pre, .jp-OutputArea-output pre { white-space: pre-wrap !important;
       word-break: break-word; }
.jp-RenderedHTMLCommon table { font-size: 8pt; }
.jp-RenderedHTMLCommon { font-size: 10.5pt; padding-right: 0 !important; }
.print-widget-note { border: 1px dashed #888; padding: 6px 10px; font-style: italic;
       font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #333; }
"""

SOURCE_CSS = _CSS_COMMON + """
h1 { font-size: 16pt; margin: 0 0 4pt 0; }
.subtitle { font-family: "DejaVu Sans", Arial, sans-serif; color: #444; margin-bottom: 10pt; }
table.provenance { border-collapse: collapse; font-family: "DejaVu Sans", Arial, sans-serif;
       font-size: 8.5pt; width: 100%; margin-bottom: 14pt; }
table.provenance th { text-align: left; vertical-align: top; width: 24%; padding: 3pt 6pt 3pt 0;
       color: #333; }
table.provenance td { vertical-align: top; padding: 3pt 0; word-break: break-word; }
table.provenance tr { border-top: 0.5pt solid #bbb; }
h2 { font-size: 12pt; margin: 12pt 0 6pt 0; }
p.para { position: relative; margin: 0 0 8pt 0; padding-left: 14mm; text-align: left; }
p.para .pn { position: absolute; left: 0; width: 10mm; text-align: right;
       font-family: "DejaVu Sans", Arial, sans-serif; font-weight: bold; color: #333; }
.note { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: #444; }
"""

_FOOTER = ('<div style="font-size:7.5pt;width:100%;padding:0 12mm;color:#555;'
           'font-family:DejaVu Sans,Arial,sans-serif;display:flex;justify-content:space-between">'
           '<span class="title"></span><span><span class="pageNumber"></span> / '
           '<span class="totalPages"></span></span></div>')


class PrintError(RuntimeError):
    """Printing is not possible here (no Chromium, no Playwright) or a document failed."""


@dataclass(frozen=True)
class Document:
    """One document to print: its HTML, the PDF's file name and its page margins (mm)."""

    name: str
    title: str
    html: str
    margins_mm: tuple[int, int, int, int]


# ---- numbered paragraphs of a primary source --------------------------------------------------

def numbered_paragraphs(source_id: str) -> list[tuple[int, str]]:
    """Return the source's paragraphs as ``(number, text)``, numbered from 1.

    The paragraphs are :func:`armscontrol.sources.paragraphs` in order, numbered from 1, without
    page furniture (photo captions inside the text, :func:`armscontrol.sources.page_furniture`);
    a stray backslash opening a line is dropped, as :func:`armscontrol.sources.clean_text` does,
    and so are blank lines inside a paragraph. Each line is otherwise verbatim.
    """
    furniture = {(p.start, p.end) for _, p in sources.page_furniture(source_id)}
    kept = [p for p in sources.paragraphs(source_id) if (p.start, p.end) not in furniture]
    out = []
    for number, para in enumerate(kept, 1):
        lines = (line.lstrip("\\").strip() for line in para.text.split("\n"))
        out.append((number, "\n".join(line for line in lines if line)))
    return out


def source_rows(csv_path: Path | str = DATA_DIR / "sources.csv") -> list[dict[str, str]]:
    """Return the rows of data/sources.csv as dicts (column name -> text), in file order."""
    with open(csv_path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _label(column: str) -> str:
    return {"source_id": "Source id", "sha256": "SHA-256 of the raw file", "file": "Raw file",
            "source_url": "Checked against (URL)", "source_title": "Checked against (title)",
            "date_evidence": "How it is dated", "date_precision": "Date precision",
            "date_status": "Date status"}.get(column, column.replace("_", " ").capitalize())


def source_html(row: dict[str, str]) -> Document:
    """Return the printable HTML of one primary source (a row of data/sources.csv)."""
    source_id = row["source_id"]
    paragraphs = numbered_paragraphs(source_id)
    cells = "".join(f"<tr><th>{html.escape(_label(k))}</th><td>{_linkify(v)}</td></tr>"
                    for k, v in row.items() if v)
    body = "".join(f'<p class="para"><span class="pn">¶{n}</span>{_lines(text)}</p>'
                   for n, text in paragraphs)
    name = row.get("short_name") or source_id
    title = f"Primary source: {name}"
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{SOURCE_CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
<div class="subtitle">{html.escape(row.get("kind", ""))} · {html.escape(row.get("date", ""))}</div>
<table class="provenance">{cells}</table>
<h2>Text, paragraphs ¶1–¶{len(paragraphs)}</h2>
<p class="note">The article body as in the raw file, page furniture removed
(armscontrol.sources). Cite a passage as "{html.escape(name)} ¶N".</p>
{body}
</body></html>"""
    return Document(f"source_{source_id}.pdf", title, page, SOURCE_MARGINS_MM)


def _lines(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _linkify(value: str) -> str:
    escaped = html.escape(value)
    if re.fullmatch(r"https?://\S+", value):
        return f'<a href="{escaped}">{escaped}</a>'
    return escaped


# ---- notebooks --------------------------------------------------------------------------------

def _widget_note(output: dict) -> str:
    plain = output.get("data", {}).get("text/plain", "")
    plain = "".join(plain) if isinstance(plain, list) else plain
    name = re.match(r"\s*([A-Za-z_]\w*)", plain)
    note = WIDGET_NOTES.get(name.group(1) if name else "", DEFAULT_WIDGET_NOTE)
    # A repr such as RangeExplorer(system='ss20', base='postavy_ss20') says what was shown.
    shown = f" Shown here: {html.escape(plain.strip())}." \
        if re.fullmatch(r"\w+\([^()]*\)", plain.strip()) else ""
    return f'<div class="print-widget-note">{html.escape(note)}{shown}</div>'


def printable_notebook(nb: Any) -> Any:
    """Return a copy of ``nb`` ready to print: static figures, widgets replaced.

    A plotly figure keeps only its stored PNG; a widget output is dropped when its cell also
    holds a stored picture (an ``image/png`` output) and otherwise becomes a short note
    (:data:`WIDGET_NOTES`). A figure's collapsed data table (armscontrol.data_tables) is
    opened. The notebook's stored widget state is removed.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        has_picture = any("image/png" in o.get("data", {}) for o in cell.outputs)
        outputs = []
        for output in cell.outputs:
            data = output.get("data", {})
            if _WIDGET in data:
                if "image/png" in data:
                    output["data"] = {"image/png": data["image/png"]}
                elif has_picture:
                    continue
                else:
                    output["data"] = {"text/html": _widget_note(output)}
                output.pop("metadata", None)
                output["metadata"] = {}
            elif "text/html" in data and _DATA_TABLE in "".join(data["text/html"]):
                # A data table under a figure is collapsed on screen; on paper nobody can open
                # it, so it prints open.
                markup = "".join(data["text/html"])
                output["data"] = dict(data, **{"text/html": markup.replace(
                    _DATA_TABLE, _DATA_TABLE + " open")})
            elif _PLOTLY in data:
                if "image/png" in data:
                    output["data"] = {"image/png": data["image/png"]}
                else:
                    output["data"] = {"text/html": '<div class="print-widget-note">A figure '
                                      "(run the notebook to see it).</div>"}
            outputs.append(output)
        cell.outputs = outputs
    return nb


def notebook_title(nb: Any, fallback: str) -> str:
    """Return the text of the notebook's first Markdown heading, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+?)\s*#*$", cell.source, re.MULTILINE)
            if match:
                return re.sub(r"[*_`]", "", match.group(1))
    return fallback


def notebook_html(path: Path | str, prefix: str = "") -> Document:
    """Return the printable HTML of a notebook (nbconvert's lab template, print style added)."""
    import nbformat
    from nbconvert import HTMLExporter

    path = Path(path)
    nb = printable_notebook(nbformat.read(path, as_version=4))
    title = notebook_title(nb, path.stem)
    exporter = HTMLExporter(template_name="lab", exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace("</head>", f"<style>{NOTEBOOK_CSS}</style></head>", 1)
    return Document(f"{prefix}{path.stem}.pdf", title, body, NOTEBOOK_MARGINS_MM)


# ---- rendering --------------------------------------------------------------------------------

def documents(root: Path | str = ROOT) -> list[Document]:
    """Return every document :func:`print_all` prints: lessons, exercise sets, primary sources."""
    root = Path(root)
    docs = [notebook_html(p, "lesson_") for p in sorted((root / "notebooks").glob("*.ipynb"))]
    docs += [notebook_html(p, "exercises_") for p in sorted((root / "exercises").glob("*.ipynb"))]
    docs += [source_html(row) for row in source_rows(root / "data" / "sources.csv")]
    return docs


def render(docs: Iterable[Document], out: Path | str, chromium: str = CHROMIUM) -> list[Path]:
    """Print each document to ``out/NAME.pdf`` (A4) with Chromium; return the PDF paths.

    Raises PrintError when Playwright or Chromium is missing. Every request that is not a local
    file or inline data is refused, so printing works, and stays the same, offline.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise PrintError("printing needs Playwright: pip install -r requirements-dev.txt "
                         f"({err})") from err
    if not Path(chromium).exists():
        raise PrintError(f"printing needs Chromium at {chromium} (Debian: apt-get install "
                         "chromium); Playwright's own browsers are not used.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API refuses to start in a thread whose asyncio loop is running (a Jupyter
    # kernel's, or another Playwright session's): print from a thread of our own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_render, sync_playwright, list(docs), out, chromium).result()


def _render(sync_playwright: Any, docs: list[Document], out: Path, chromium: str) -> list[Path]:
    """The body of :func:`render`, run in a thread with no asyncio loop."""
    written = []
    with tempfile.TemporaryDirectory(prefix="armscontrol-print-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:", "about:"))
                       else route.abort())
            for doc in docs:
                page_file = Path(tmp) / (Path(doc.name).stem + ".html")
                page_file.write_text(doc.html, encoding="utf-8")
                page.goto(page_file.as_uri(), wait_until="load")
                top, right, bottom, left = (f"{m}mm" for m in doc.margins_mm)
                target = out / doc.name
                page.pdf(path=str(target), format="A4", print_background=True,
                         display_header_footer=True, header_template="<div></div>",
                         footer_template=_FOOTER,
                         margin={"top": top, "right": right, "bottom": bottom, "left": left})
                written.append(target)
        finally:
            browser.close()
    return written


def print_all(out: Path | str, root: Path | str = ROOT) -> list[Path]:
    """Write one PDF per lesson, exercise set and primary source of ``root`` into ``out``.

    Returns the PDF paths, in the order lessons, exercise sets, sources.
    """
    return render(documents(root), out)
