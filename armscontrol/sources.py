"""The two primary sources: raw text, cleaning, and finding passages and quotes.

The raw files in ``data/sources/`` are never edited. Everything a reader needs to separate the
article from the page around it is done here, in code, so that each step can be shown to
students:

* ``cnn_2018`` is a CNN web page scraped as text. Before the line that starts ``(CNN) —`` it holds
  *page furniture*: photo captions, photo credits and a "Now playing" list of videos from a later
  date. :func:`article_body` returns the article without them and :func:`page_furniture` lists them.
* ``statemedia_2020`` is several short reports from a Russian state-media outlet stitched together.
  Each sub-headline begins another piece; :func:`reports` splits the file there. Two photo
  captions sit inside the text, and one paragraph starts with a stray backslash; :func:`clean_text`
  removes both.

All offsets are character offsets into the raw file decoded as UTF-8 (Python string indices,
end exclusive), so ``raw_text(source_id)[start:end]`` is always the passage itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from armscontrol import SOURCES_DIR

#: Source id -> raw file name in ``data/sources/`` (also recorded, with checksums, in sources.csv).
SOURCE_FILES: dict[str, str] = {
    "cnn_2018": "000_ba21c5809a8d4e30.txt",
    "statemedia_2020": "004_65a832ffe820ca47.txt",
}

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
    """Return the offset where the article proper begins (0 when there is no page furniture)."""
    text = raw_text(source_id)
    if source_id == "cnn_2018":
        offset = text.find(CNN_BODY_MARKER)
        if offset < 0:
            raise ValueError(f"{source_id}: the body marker {CNN_BODY_MARKER!r} is missing")
        return offset
    return 0


def article_body(source_id: str) -> Passage:
    """Return the article without the page furniture before it, as a passage of the raw file."""
    text = raw_text(source_id)
    start = body_start(source_id)
    end = len(text.rstrip())
    return Passage(source_id, start, end, text[start:end])


def page_furniture(source_id: str) -> list[tuple[str, Passage]]:
    """Return the page furniture of a source as ``(kind, passage)`` pairs, in page order.

    Kinds: ``photo credit`` (a line starting ``PHOTO:``), ``now playing`` (the label), ``duration``
    (a video length such as ``02:36``), ``video title`` (the line after a duration), ``caption``
    (any other line: photo captions). For ``statemedia_2020`` the captions inside the text are
    returned with kind ``caption``.
    """
    text = raw_text(source_id)
    items: list[tuple[str, Passage]] = []
    if source_id == "statemedia_2020":
        for line in _lines(text):
            if _is_caption(source_id, text, line):
                items.append(("caption", Passage(source_id, line.start, line.end, line.text)))
        return items
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


def _is_caption(source_id: str, text: str, line: Passage) -> bool:
    line_with_newline = text[line.start:line.end + 1]
    return any(line_with_newline.startswith(c) for c in CAPTION_LINES.get(source_id, ()))


def subheadings(source_id: str) -> list[Passage]:
    """Return the sub-headline lines inside the article body.

    A sub-headline is a non-empty line of under 110 characters that does not end in sentence
    punctuation and is not a known photo caption (see :data:`CAPTION_LINES`).
    """
    text = raw_text(source_id)
    body = article_body(source_id)
    found = []
    for line in _lines(text, body.start, body.end):
        stripped = line.text.strip()
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
    """Return the article for reading: no page furniture, no captions, no stray backslashes.

    Offsets into this text do not match the raw file; use :func:`find_passage` (raw offsets) to
    cite a passage.
    """
    text = raw_text(source_id)
    body = article_body(source_id)
    kept = []
    for line in _lines(text, body.start, body.end):
        if _is_caption(source_id, text, line):
            continue
        # The state-media file has one paragraph opening with "\On 22 October": a stray backslash
        # left by whatever produced the text, not part of the report.
        kept.append(line.text.lstrip("\\").rstrip())
    cleaned = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


def paragraphs(source_id: str) -> list[Passage]:
    """Return the paragraphs of the article body (blocks between blank lines), with raw offsets."""
    text = raw_text(source_id)
    body = article_body(source_id)
    out = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text[body.start:body.end]):
        chunk = match.group(0)
        if not chunk.strip():
            continue
        start = body.start + match.start()
        out.append(Passage(source_id, start, start + len(chunk), chunk))
    return out


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

    Returns ``(paragraph_text, start_in_paragraph, end_in_paragraph)``. If the span crosses a
    paragraph break, the paragraphs it touches are returned together.
    """
    text = raw_text(source_id)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{source_id}: span {start}:{end} is outside the text (0:{len(text)})")
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    return text[para_start:para_end].strip("\n"), start - para_start, end - para_start
