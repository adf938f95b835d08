"""The primary sources: raw text, cleaning, numbered paragraphs, and finding passages and quotes.

The raw files in ``data/sources/`` are never edited. Everything a reader needs to separate the
text from the page around it is done here, in code, so that each step can be shown to students.

The two **articles** the lessons are built on:

* ``cnn_2018`` is a CNN web page scraped as text. Before the line that starts ``(CNN) —`` it holds
  *page furniture*: photo captions, photo credits and a "Now playing" list of videos from a later
  date. :func:`article_body` returns the article without them and :func:`page_furniture` lists them.
* ``statemedia_2020`` is several short reports from a Russian state-media outlet stitched together.
  Each sub-headline begins another piece; :func:`reports` splits the file there. Two photo
  captions sit inside the text, and one paragraph starts with a stray backslash; :func:`clean_text`
  removes both.

The **period documents** (:data:`DOCUMENTS`): two Reagan addresses of 1987 and the INF Treaty's
opening articles, the State Department's account of the US suspension of the treaty in February
2019, the Russian statement on the INF Treaty of 26 October 2020 in two official English
versions, and a US and a Russian New START data fact sheet. Each file is an excerpt of a
web page exactly as the maintainers' look-up tool returned it (see ``extent`` in
``data/sources.csv``); :data:`LAYOUTS` records, for each, which lines are titles, headings,
datelines or page furniture, so that the same functions work on every source.

**Paragraphs** are numbered for citation ("CNN ¶7"): see :func:`paragraph_table`,
:func:`paragraph_number` and :func:`cite`. A paragraph is a block of the body separated from the
next by a blank line (by a line break in sources whose layout says ``paragraph_break="line"``);
titles, sub-headlines, datelines, labels and page furniture are not paragraphs and are not
counted. Numbering runs from 1 through the whole source (a compilation is not renumbered per
report). data/README.md gives the rule for each source.

All offsets are character offsets into the raw file decoded as UTF-8 (Python string indices,
end exclusive), so ``raw_text(source_id)[start:end]`` is always the passage itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from armscontrol import SOURCES_DIR

#: Source id -> raw file name in ``data/sources/`` (also recorded, with checksums, in sources.csv).
SOURCE_FILES: dict[str, str] = {
    "cnn_2018": "000_ba21c5809a8d4e30.txt",
    "statemedia_2020": "004_65a832ffe820ca47.txt",
    "reagan_nna_1987": "reagan_nna_1987.txt",
    "inf_treaty_text": "inf_treaty_text.txt",
    "reagan_radio_1987": "reagan_radio_1987.txt",
    "shareamerica_inf_2019": "shareamerica_inf_2019.txt",
    "putin_inf_2020": "putin_inf_2020.txt",
    "putin_inf_2020_uk": "putin_inf_2020_uk.txt",
    "state_new_start_2020": "state_new_start_2020.txt",
    "mid_new_start_2022": "mid_new_start_2022.txt",
}

#: The two articles the lessons are built on.
ARTICLES: tuple[str, ...] = ("cnn_2018", "statemedia_2020")
#: The period documents stored beside them (official texts), oldest first.
DOCUMENTS: tuple[str, ...] = tuple(s for s in SOURCE_FILES if s not in ARTICLES)

#: The CNN article body begins at this marker; everything before it is page furniture.
CNN_BODY_MARKER = "(CNN) —"

#: Photo captions printed inside the state-media text. No rule tells a caption such as
#: "Russian President Vladimir Putin" from a sub-headline such as "The US Exit From INF" (both are
#: short lines in title case without a full stop), so these were identified by reading the text and
#: are listed here, where a reader can check the decision. Each entry is the start of the line.
CAPTION_LINES: dict[str, tuple[str, ...]] = {
    "statemedia_2020": (
        "Anatoly Antonov, Russian ambassador to the U.S. gestures while speaking",
        "Russian President Vladimir Putin\n",
    ),
}

_END_PUNCTUATION = '.!?"”:,'


@dataclass(frozen=True)
class Layout:
    """How one source's raw text is laid out, decided by reading it (checked by the tests).

    Every entry naming a line is the start of that line (or of that block), so that a reader can
    find it in the raw file.

    * ``body_marker``: the body starts at the first occurrence of this text ("" = at the start);
      the lines before it are page furniture.
    * ``furniture``: ``(kind, line start)`` pairs of furniture inside or before the body (photo
      captions, a website's posting stamp, a site's section label).
    * ``inline_furniture``: ``(kind, text)`` pairs of furniture printed at the start of a line of
      the text, run into it without a break (an image caption glued to a paragraph).
    * ``title``: the document's own headline line at the top of the body ("" = none).
    * ``headings``: section headings inside the body; ``None`` means "find sub-headlines by rule"
      (the two articles, see :func:`subheadings`).
    * ``unnumbered``: ``(kind, block start)`` pairs of blocks that belong to the text but are not
      paragraphs: datelines, labels such as "Official translation", credit lines.
    * ``paragraph_break``: ``"blank line"`` or ``"line"`` (sources printed without blank lines).
    * ``table_cell_end``: lines ending with this are cells of a table, and a run of them is one
      paragraph (the Foreign Ministry page prints its table one cell a line, each ending ``|``).
    * ``joined_breaks``: a block ending in a hyphen continues in the next block (a word broken
      across a blank line by the page's markup), so the two form one paragraph.
    """

    body_marker: str = ""
    furniture: tuple[tuple[str, str], ...] = ()
    inline_furniture: tuple[tuple[str, str], ...] = ()
    title: str = ""
    headings: tuple[str, ...] | None = None
    unnumbered: tuple[tuple[str, str], ...] = ()
    paragraph_break: str = "blank line"
    table_cell_end: str = ""
    joined_breaks: bool = False


#: Source id -> its layout. Read data/README.md ("Numbered paragraphs") for the reasons.
LAYOUTS: dict[str, Layout] = {
    "cnn_2018": Layout(body_marker=CNN_BODY_MARKER,
                       unnumbered=(("dateline", CNN_BODY_MARKER),
                                   ("credit line", "CNN’s Claudia Rebaza contributed"))),
    "statemedia_2020": Layout(furniture=tuple(("caption", c) for c in
                                              CAPTION_LINES["statemedia_2020"])),
    "inf_treaty_text": Layout(
        title="TREATY BETWEEN THE UNITED STATES OF AMERICA AND THE UNION OF SOVIET SOCIALIST "
              "REPUBLICS ON THE ELIMINATION OF THEIR INTERMEDIATE-RANGE AND SHORTER-RANGE MISSILES",
        headings=("Article I", "Article II"), joined_breaks=True),
    "reagan_nna_1987": Layout(
        body_marker="Remarks at a White House Briefing",
        title="Remarks at a White House Briefing for Members of the National Newspaper Association",
        headings=(), unnumbered=(("dateline", "March 5, 1987"),)),
    "reagan_radio_1987": Layout(
        body_marker="Radio Address to the Nation",
        furniture=(("image", "Ronald Reagan picture"),),
        title="Radio Address to the Nation Following the Soviet-United States Summit Meeting",
        headings=(), unnumbered=(("dateline", "December 12, 1987"),)),
    "shareamerica_inf_2019": Layout(
        body_marker="Secretary of State Mike Pompeo says the United States",
        furniture=(("image", "Mike Pompeo speaking at lectern"),
                   ("caption", "Secretary of State Mike Pompeo says Russia's violation")),
        inline_furniture=(("caption", "Brief history of INF Treaty and Russian violations "
                                      "(State Dept.; Photo: © Shutterstock)"),),
        headings=()),
    "putin_inf_2020": Layout(
        furniture=(("posting stamp", "Submitted on Mon, 10/26/2020 - 12:57"),),
        title="Statement by Russian President Vladimir Putin on additional steps to de-escalate "
              "the situation in Europe in the wake of the termination of the Intermediate-Range "
              "Nuclear Forces Treaty (INF Treaty)",
        headings=()),
    "putin_inf_2020_uk": Layout(
        title="Statement by Vladimir Putin on additional steps to de-escalate the situation in "
              "Europe in the wake of the termination of the Intermediate-Range Nuclear Forces "
              "Treaty (INF Treaty)",
        headings=(), unnumbered=(("label", "Official translation"),), paragraph_break="line"),
    "state_new_start_2020": Layout(
        body_marker="New START Treaty Aggregate Numbers",
        furniture=(("site section", "Weapons of Mass Destruction (WMD)"),),
        title="New START Treaty Aggregate Numbers of Strategic Offensive Arms",
        headings=("United States of America Data",),
        unnumbered=(("issuer and date", "Fact Sheet\nBureau of Arms Control"),)),
    "mid_new_start_2022": Layout(
        title="New START Treaty Aggregate Numbers of Strategic Offensive Arms as of March 1, 2022",
        headings=(), paragraph_break="line", table_cell_end=" |"),
}


@dataclass(frozen=True)
class Passage:
    """A stretch of a raw source file: ``raw_text(source_id)[start:end] == text``."""

    source_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Report:
    """One of the reports a compilation is stitched from.

    ``headline`` is the sub-headline that opens it ("" for the untitled first report);
    ``passage`` covers the report's body in the raw file, without the headline line.
    """

    number: int
    headline: str
    passage: Passage


@dataclass(frozen=True)
class Block:
    """One block of a source's body: a paragraph, a title, a heading or an unnumbered line.

    ``kind`` is ``paragraph``, ``title``, ``heading`` or the layout's name for an unnumbered block
    (``dateline``, ``label``, ...); ``paragraph`` is its number (paragraphs only, else ``None``);
    ``section`` is the heading above it ("" when none).
    """

    kind: str
    paragraph: int | None
    section: str
    passage: Passage


def _check_source_id(source_id: str) -> None:
    if source_id not in SOURCE_FILES:
        valid = ", ".join(sorted(SOURCE_FILES))
        raise KeyError(f"unknown source {source_id!r}; valid source ids are: {valid}")


def source_path(source_id: str, sources_dir: Path | None = None) -> Path:
    """Return the path of a source's raw text file."""
    _check_source_id(source_id)
    return Path(sources_dir or SOURCES_DIR) / SOURCE_FILES[source_id]


@lru_cache(maxsize=None)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def raw_text(source_id: str, sources_dir: Path | None = None) -> str:
    """Return the raw text of a source exactly as supplied (a ``str``; offsets index into it)."""
    return _read(source_path(source_id, sources_dir))


def _lines(text: str, start: int = 0, end: int | None = None) -> list[Passage]:
    """Split ``text[start:end]`` into its lines, each as a passage with raw offsets."""
    end = len(text) if end is None else end
    out, pos = [], start
    for line in text[start:end].split("\n"):
        out.append(Passage("", pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def body_start(source_id: str) -> int:
    """Return the offset where the text proper begins (0 when there is no page furniture)."""
    text = raw_text(source_id)
    marker = LAYOUTS[source_id].body_marker
    if not marker:
        return 0
    offset = text.find(marker)
    if offset < 0:
        raise ValueError(f"{source_id}: the body marker {marker!r} is missing")
    return offset


def article_body(source_id: str) -> Passage:
    """Return the text without the page furniture before it, as a passage of the raw file."""
    text = raw_text(source_id)
    start = body_start(source_id)
    end = len(text.rstrip())
    return Passage(source_id, start, end, text[start:end])


def page_furniture(source_id: str) -> list[tuple[str, Passage]]:
    """Return the page furniture of a source as ``(kind, passage)`` pairs, in page order.

    For ``cnn_2018`` the kinds are ``photo credit`` (a line starting ``PHOTO:``), ``now playing``
    (the label), ``duration`` (a video length such as ``02:36``), ``video title`` (the line after a
    duration) and ``caption`` (any other line: photo captions). For ``statemedia_2020`` the two
    captions inside the text have kind ``caption``. For the period documents the kinds are the
    layout's (``image``, ``posting stamp``, ``site section``); any other line before the body is
    ``page furniture``.
    """
    text = raw_text(source_id)
    items: list[tuple[str, Passage]] = []
    if source_id == "cnn_2018":
        previous = ""
        for line in _lines(text, 0, body_start(source_id)):
            stripped = line.text.strip()
            if not stripped:
                continue
            if stripped.startswith("PHOTO:"):
                kind = "photo credit"
            elif stripped == "Now playing":
                kind = "now playing"
            elif re.fullmatch(r"\d{1,2}:\d{2}", stripped):
                kind = "duration"
            elif previous == "duration":
                kind = "video title"
            else:
                kind = "caption"
            items.append((kind, Passage(source_id, line.start, line.end, line.text)))
            previous = kind
        return items
    start = body_start(source_id)
    for line in _lines(text):
        kind = _furniture_kind(source_id, text, line)
        if kind is None and line.end <= start and line.text.strip():
            kind = "page furniture"
        if kind is not None:
            items.append((kind, Passage(source_id, line.start, line.end, line.text)))
        for inline_kind, inline in LAYOUTS[source_id].inline_furniture:
            if line.text.startswith(inline):
                items.append((inline_kind, Passage(source_id, line.start,
                                                   line.start + len(inline), inline)))
    return items


def _furniture_kind(source_id: str, text: str, line: Passage) -> str | None:
    """Return the layout's furniture kind for ``line``, or ``None`` if it is not furniture."""
    line_with_newline = text[line.start:line.end + 1]
    for kind, begins in LAYOUTS[source_id].furniture:
        if line_with_newline.startswith(begins):
            return kind
    return None


def _is_caption(source_id: str, text: str, line: Passage) -> bool:
    return _furniture_kind(source_id, text, line) is not None


def subheadings(source_id: str) -> list[Passage]:
    """Return the sub-headline (section heading) lines inside the body.

    For the two articles a sub-headline is found by rule: a non-empty line of under 110
    characters that does not end in sentence punctuation and is not a known photo caption (see
    :data:`CAPTION_LINES`) or the CNN dateline. For the period documents the headings are those
    listed in :data:`LAYOUTS` (the document's title is not a sub-headline).
    """
    text = raw_text(source_id)
    body = article_body(source_id)
    layout = LAYOUTS[source_id]
    found = []
    for line in _lines(text, body.start, body.end):
        stripped = line.text.strip()
        if layout.headings is not None:
            if stripped and stripped in layout.headings:
                found.append(Passage(source_id, line.start, line.end, line.text))
            continue
        if (not stripped or len(stripped) >= 110 or stripped[-1] in _END_PUNCTUATION
                or stripped.startswith(CNN_BODY_MARKER) or _is_caption(source_id, text, line)):
            continue
        found.append(Passage(source_id, line.start, line.end, line.text))
    return found


def reports(source_id: str = "statemedia_2020") -> list[Report]:
    """Split a stitched compilation into its reports at each sub-headline.

    Returns one :class:`Report` per piece, numbered from 1; the first piece has no headline.
    """
    text = raw_text(source_id)
    body = article_body(source_id)
    heads = subheadings(source_id)
    starts = [body.start] + [h.end + 1 for h in heads]
    ends = [h.start for h in heads] + [body.end]
    titles = [""] + [h.text.strip() for h in heads]
    out = []
    for number, (start, end, title) in enumerate(zip(starts, ends, titles), start=1):
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(text[start:end].rstrip())
        out.append(Report(number, title, Passage(source_id, start, end, text[start:end])))
    return out


def clean_text(source_id: str) -> str:
    """Return the text for reading: no page furniture, no captions, no stray backslashes.

    In the INF Treaty text a word broken across a blank line ("transporter-" / "erector-launcher")
    is joined again. Offsets into this text do not match the raw file; use :func:`find_passage`
    (raw offsets) to cite a passage.
    """
    text = raw_text(source_id)
    body = article_body(source_id)
    kept = []
    for line in _lines(text, body.start, body.end):
        if _is_caption(source_id, text, line):
            continue
        words = line.text
        for _, inline in LAYOUTS[source_id].inline_furniture:
            words = words.removeprefix(inline)
        # The state-media file has one paragraph opening with "\On 22 October": a stray backslash
        # left by whatever produced the text, not part of the report.
        kept.append(words.lstrip("\\").rstrip())
    cleaned = "\n".join(kept)
    if LAYOUTS[source_id].joined_breaks:
        cleaned = re.sub(r"(\w-)\n\n(?=\w)", r"\1", cleaned)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


def _raw_blocks(source_id: str) -> list[Passage]:
    """Split the body into blocks at blank lines (or at every line break), with raw offsets."""
    text = raw_text(source_id)
    body = article_body(source_id)
    layout = LAYOUTS[source_id]
    pattern = (r"[^\n]+" if layout.paragraph_break == "line"
               else r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
    out = []
    for match in re.finditer(pattern, text[body.start:body.end]):
        chunk = match.group(0)
        if not chunk.strip():
            continue
        start = body.start + match.start()
        for _, inline in layout.inline_furniture:
            if chunk.startswith(inline):
                chunk, start = chunk[len(inline):], start + len(inline)
        out.append(Passage(source_id, start, start + len(chunk), chunk))
    return out


def _merge(source_id: str, first: Passage, second: Passage) -> Passage:
    text = raw_text(source_id)
    return Passage(source_id, first.start, second.end, text[first.start:second.end])


@lru_cache(maxsize=None)
def _blocks_cached(source_id: str) -> tuple[Block, ...]:
    layout = LAYOUTS[source_id]
    text = raw_text(source_id)
    heading_starts = {h.start for h in subheadings(source_id)}
    merged: list[Passage] = []
    for block in _raw_blocks(source_id):
        previous = merged[-1] if merged else None
        if previous and layout.joined_breaks and re.search(r"\w-$", previous.text):
            merged[-1] = _merge(source_id, previous, block)
        elif (previous and layout.table_cell_end and previous.text.endswith(layout.table_cell_end)
              and block.text.endswith(layout.table_cell_end)):
            merged[-1] = _merge(source_id, previous, block)
        else:
            merged.append(block)
    out: list[Block] = []
    number, section = 0, ""
    for block in merged:
        line = Passage(source_id, block.start, block.end, block.text)
        unnumbered = [kind for kind, begins in layout.unnumbered if block.text.startswith(begins)]
        if _is_caption(source_id, text, line):
            continue
        if layout.title and block.text.strip() == layout.title:
            out.append(Block("title", None, "", block))
        elif block.start in heading_starts:
            section = block.text.strip()
            out.append(Block("heading", None, section, block))
        elif unnumbered:
            out.append(Block(unnumbered[0], None, section, block))
        else:
            number += 1
            out.append(Block("paragraph", number, section, block))
    return tuple(out)


def blocks(source_id: str) -> list[Block]:
    """Return every block of the body in order: paragraphs (numbered), title, headings, datelines.

    Page furniture and captions are left out. Use this to print a source with its headings;
    use :func:`paragraph_table` for the numbered paragraphs alone.
    """
    _check_source_id(source_id)
    return list(_blocks_cached(source_id))


def paragraphs(source_id: str) -> list[Passage]:
    """Return the numbered paragraphs of the body, in order: paragraph ``n`` is item ``n - 1``.

    Titles, sub-headlines, datelines, labels, captions and page furniture are left out (see
    :func:`blocks` for them). Offsets are raw-file offsets.
    """
    return [b.passage for b in blocks(source_id) if b.kind == "paragraph"]


def paragraph_table(source_id: str) -> pd.DataFrame:
    """Return the numbered paragraphs as a DataFrame, one row each.

    Columns: ``paragraph`` (its number, from 1), ``section`` (the heading above it: a report's
    sub-headline, a treaty article; "" when none), ``start`` and ``end`` (raw-file character
    offsets, ``end`` exclusive) and ``text`` (``raw_text(source_id)[start:end]``).
    """
    rows = [{"paragraph": b.paragraph, "section": b.section, "start": b.passage.start,
             "end": b.passage.end, "text": b.passage.text}
            for b in blocks(source_id) if b.kind == "paragraph"]
    return pd.DataFrame(rows, columns=["paragraph", "section", "start", "end", "text"]).astype(
        {"paragraph": "int64", "start": "int64", "end": "int64"})


def paragraph_number(source_id: str, offset: int) -> int:
    """Return the number of the paragraph holding raw character ``offset``.

    Raises ``ValueError`` when the offset is outside every numbered paragraph (in a title, a
    heading, a dateline, page furniture or the blank lines between paragraphs), saying where it is.
    """
    text = raw_text(source_id)
    if not 0 <= offset < len(text):
        raise ValueError(f"{source_id}: offset {offset} is outside the text (0:{len(text)})")
    for block in blocks(source_id):
        if block.passage.start <= offset < block.passage.end:
            if block.paragraph is None:
                raise ValueError(f"{source_id}: offset {offset} is in the {block.kind} "
                                 f"{block.passage.text.strip()[:50]!r}, not a numbered paragraph")
            return block.paragraph
    raise ValueError(f"{source_id}: offset {offset} is not inside a numbered paragraph (it is in "
                     "page furniture, a caption or the space between paragraphs)")


def short_name(source_id: str) -> str:
    """Return the short name a citation uses for a source (``sources.csv``, ``short_name``)."""
    from armscontrol import data
    _check_source_id(source_id)
    return str(data.load_sources().set_index("source_id").loc[source_id, "short_name"])


def citation(source_id: str, offset: int) -> str:
    """Return a short citation of the paragraph holding ``offset``, e.g. ``"CNN ¶7"``."""
    return f"{short_name(source_id)} ¶{paragraph_number(source_id, offset)}"


def cite(quote_id: str) -> str:
    """Return the short citation of a quote in ``quotes.csv``: ``cite("cnn_q04") == "CNN ¶7"``."""
    from armscontrol import data
    quotes = data.load_quotes().set_index("quote_id")
    if quote_id not in quotes.index:
        raise KeyError(f"unknown quote id {quote_id!r}; quote ids are listed in data/quotes.csv")
    row = quotes.loc[quote_id]
    return citation(str(row["source_id"]), int(row["start"]))


def find_passage(source_id: str, needle: str, occurrence: int = 1) -> Passage:
    """Return the ``occurrence``-th appearance of ``needle`` in the raw text, with its offsets.

    The match is exact (case, punctuation and curly quotes included). Raises ``ValueError`` saying
    how often the text occurs when there is no such occurrence.
    """
    text = raw_text(source_id)
    if not needle:
        raise ValueError("find_passage needs some text to look for, got an empty string")
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    if len(starts) < occurrence:
        raise ValueError(
            f"{needle[:60]!r} occurs {len(starts)} time(s) in {source_id}, so occurrence "
            f"{occurrence} does not exist. Check spelling and quote marks (CNN uses curly “ ” ’).")
    start = starts[occurrence - 1]
    return Passage(source_id, start, start + len(needle), needle)


def find_all(source_id: str, needle: str) -> list[Passage]:
    """Return every appearance of ``needle`` in the raw text (possibly none), in order."""
    text = raw_text(source_id)
    return [Passage(source_id, m.start(), m.end(), m.group(0))
            for m in re.finditer(re.escape(needle), text)] if needle else []


def paragraph_around(source_id: str, start: int, end: int) -> tuple[str, int, int]:
    """Return the paragraph holding ``raw[start:end]`` and the span's offsets inside it.

    Returns ``(paragraph_text, start_in_paragraph, end_in_paragraph)``. A span inside one block
    of the body (a numbered paragraph, a heading, a dateline) gets that block, as in
    :func:`blocks`; any other span gets the raw text between the blank lines around it (the line
    breaks, for sources printed without blank lines), so a span crossing a paragraph break gets
    the paragraphs it touches together.
    """
    text = raw_text(source_id)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{source_id}: span {start}:{end} is outside the text (0:{len(text)})")
    for block in blocks(source_id):
        if block.passage.start <= start and end <= block.passage.end:
            return block.passage.text, start - block.passage.start, end - block.passage.start
    gap = "\n" if LAYOUTS[source_id].paragraph_break == "line" else "\n\n"
    para_start = text.rfind(gap, 0, start)
    para_start = 0 if para_start < 0 else para_start + len(gap)
    para_end = text.find(gap, end)
    para_end = len(text) if para_end < 0 else para_end
    return text[para_start:para_end].strip("\n"), start - para_start, end - para_start
