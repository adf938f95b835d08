"""Load the CSV tables in ``data/`` as typed pandas DataFrames, checking every row.

Each ``load_*`` function reads one table, checks it against the rules written in
``data/README.md`` and returns a DataFrame with proper types: dates as ``datetime64``, counts as
integers, codes as categoricals. A broken row never slips through silently: loading raises
:class:`DataError`, whose message names the file, the line, the column and what is wrong, for
example::

    data/events.csv, line 12, column 'date': '2018-13-01' is not a date; write YYYY-MM-DD,
    YYYY-MM or YYYY

The checks are written out here by hand (rather than with a schema library) because most of them
are about this data set's meaning: that a quote sits at its offsets in the raw article, that an
event cites a quote that exists, that a missile's range is physically possible.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from armscontrol import DATA_DIR

#: Half the Earth's circumference along a meridian, km: no surface range can be longer.
MAX_RANGE_KM = 20_004
#: Longest plausible flight time of a missile over any surface range, minutes (an ICBM's is
#: about 30): a claim above this is a typing error.
MAX_FLIGHT_MINUTES = 60
PRECISIONS = ("day", "month", "year")
TREATY_CODES = ("INF", "New START", "other")
ACTORS = ("US", "USSR", "Russia", "NATO", "China", "other")
#: What kind of source a row rests on (the vocabulary of every table; data/README.md,
#: "Source kinds").
SOURCE_KINDS = ("official", "treaty text", "wire service", "news report",
                "research or think tank", "reference work", "other")
#: What a primary source is, as a document (sources.csv, ``kind``).
DOCUMENT_KINDS = ("news report", "state-media compilation", "treaty text", "remarks",
                  "radio address", "government article", "statement", "fact sheet")
#: The tables of facts checked against references, each row with a ``source_kind``.
FACT_TABLES = ("events", "treaties", "treaty_limits", "missiles", "missile_ranges",
               "flight_time_claims",
               "inf_eliminations", "sites", "new_start_counts")
EVENT_TYPES = (
    "deployment", "decision", "negotiation", "signature", "ratification", "entry into force",
    "implementation", "inspection", "data exchange", "accusation", "denial", "statement",
    "proposal", "suspension", "withdrawal", "extension", "expiry", "test",
)


class DataError(ValueError):
    """A row of a data table breaks a rule; the message says where and how to fix it."""

    def __init__(self, where: str, column: str | None, problem: str):
        self.where, self.column, self.problem = where, column, problem
        col = f", column {column!r}" if column else ""
        super().__init__(f"{where}{col}: {problem}")


@dataclass(frozen=True)
class Column:
    """One column's rule: its kind, whether it may be empty, allowed values or limits."""

    kind: str  # "text", "id", "int", "float", "date", "category", "list"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    refers_to: str | None = None  # "table.column" that must hold the value


@dataclass(frozen=True)
class Table:
    """A table's file, its columns in order, its key and whether rows must cite a source."""

    name: str
    columns: dict[str, Column]
    key: tuple[str, ...]
    cites_source: bool = True
    row_checks: tuple[Callable[[dict, Callable[[str, str], DataError]], None], ...] = field(
        default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


TEXT, OPTIONAL = Column("text"), Column("text", required=False)
#: A fact table's ``source_kind``: the kind of the reference in ``source_url``, or of the article
#: its ``source_quote`` comes from when it has no reference (data/README.md, "Source kinds").
SOURCE_KIND = Column("category", choices=SOURCE_KINDS)
SOURCE_COLUMNS = {
    "source_quote": Column("list", required=False, refers_to="quotes.quote_id"),
    "source_url": Column("text", required=False),
    "source_title": Column("text", required=False),
    "source_kind": SOURCE_KIND,
}
URL_ONLY = {"source_url": Column("text", required=False), "source_title": Column("text", required=False)}
CITED = {**URL_ONLY, "source_kind": SOURCE_KIND}


def _check_range_order(row: dict, fail: Callable[[str, str], DataError]) -> None:
    if row.get("deployed_launchers") and row.get("total_launchers"):
        if int(row["deployed_launchers"]) > int(row["total_launchers"]):
            raise fail("deployed_launchers", "deployed launchers exceed deployed and non-deployed "
                       "launchers together; check the two numbers against the fact sheet")


def _check_offsets(row: dict, fail: Callable[[str, str], DataError]) -> None:
    if int(row["end"]) <= int(row["start"]):
        raise fail("end", f"end ({row['end']}) must be greater than start ({row['start']})")


def _check_retrieved_from(row: dict, fail: Callable[[str, str], DataError]) -> None:
    url = (row.get("retrieved_from") or "").strip()
    if url and not re.match(r"https?://\S+$", url):
        raise fail("retrieved_from", f"{url!r} is not a web address")


TABLES: dict[str, Table] = {t.name: t for t in [
    Table("sources", {
        "source_id": Column("id"), "file": TEXT, "sha256": TEXT, "outlet": TEXT,
        "kind": Column("category", choices=DOCUMENT_KINDS),
        "headline": TEXT, "date": Column("date"),
        "date_precision": Column("category", choices=PRECISIONS),
        "date_status": Column("category", choices=("read from text", "inferred", "estimate")),
        "date_evidence": TEXT, "cleaning_notes": TEXT, **URL_ONLY,
        "short_name": TEXT, "source_kind": Column("category", choices=SOURCE_KINDS),
        "licence": TEXT, "retrieved_from": OPTIONAL, "extent": TEXT,
    }, key=("source_id",), row_checks=(_check_retrieved_from,)),
    Table("quotes", {
        "quote_id": Column("id"), "source_id": Column("text", refers_to="sources.source_id"),
        "speaker": TEXT, "role": TEXT, "quote": TEXT,
        "start": Column("int", minimum=0), "end": Column("int", minimum=1),
        "attribution": Column("category", choices=("direct", "relayed", "fragment", "document")),
        "evidence_of": TEXT, "paragraph": Column("int", minimum=1),
        "source_kind": Column("category", choices=SOURCE_KINDS),
    }, key=("quote_id",), cites_source=False, row_checks=(_check_offsets,)),
    Table("events", {
        "event_id": Column("id"), "date": Column("date"),
        "date_precision": Column("category", choices=PRECISIONS),
        "treaty": Column("category", choices=TREATY_CODES),
        "actors": Column("list", choices=ACTORS),
        "type": Column("category", choices=EVENT_TYPES),
        "title": TEXT, "summary": TEXT, **SOURCE_COLUMNS,
    }, key=("event_id",)),
    Table("treaties", {
        "treaty_id": Column("id"), "name": TEXT, "parties": TEXT, "signed": Column("date"),
        "entered_into_force": Column("date", required=False),
        "ended": Column("date", required=False), "end_reason": OPTIONAL, "scope": TEXT,
        **CITED,
    }, key=("treaty_id",)),
    Table("treaty_limits", {
        "treaty_id": Column("text", refers_to="treaties.treaty_id"), "limit_id": Column("id"),
        "item": TEXT, "value": Column("int", minimum=0), "unit": TEXT, **SOURCE_COLUMNS,
    }, key=("limit_id",)),
    Table("missiles", {
        "system_id": Column("id"), "name": TEXT, "nato_name": OPTIONAL,
        "us_designation": OPTIONAL, "russian_designation": OPTIONAL, "country": TEXT,
        "basing": Column("category", choices=("ground", "sea", "air")), "kind": TEXT,
        "inf_status": Column("category", choices=(
            "eliminated under INF", "disputed", "post-INF", "outside INF")),
        **CITED,
    }, key=("system_id",)),
    Table("missile_ranges", {
        "claim_id": Column("id"), "system_id": Column("text", refers_to="missiles.system_id"),
        "range_km": Column("int", minimum=1, maximum=MAX_RANGE_KM),
        "claim_type": Column("category", choices=("maximum", "more than")), "claimant": TEXT,
        **SOURCE_COLUMNS,
    }, key=("claim_id",)),
    Table("flight_time_claims", {
        "claim_id": Column("id"), "system_id": Column("text", refers_to="missiles.system_id"),
        "minutes": Column("int", minimum=1, maximum=MAX_FLIGHT_MINUTES),
        "claim_type": Column("category", choices=("stated", "lower bound", "upper bound")),
        "claimant": TEXT, "claimant_side": Column("category", choices=ACTORS),
        **SOURCE_COLUMNS,
    }, key=("claim_id",)),
    Table("inf_eliminations", {
        "system_id": Column("text", refers_to="missiles.system_id"),
        "party": Column("category", choices=("US", "USSR")),
        "missiles_eliminated": Column("int", minimum=0, maximum=10_000),
        "launchers_eliminated": Column("int", required=False, minimum=0, maximum=10_000),
        **CITED,
    }, key=("system_id", "party")),
    Table("sites", {
        "site_id": Column("id"), "name": TEXT, "kind": TEXT, "country": TEXT,
        "lat": Column("float", minimum=-90, maximum=90),
        "lon": Column("float", minimum=-180, maximum=180), "note": OPTIONAL, **CITED,
    }, key=("site_id",)),
    Table("new_start_counts", {
        "as_of": Column("date"), "party": Column("category", choices=("US", "Russia")),
        "deployed_launchers": Column("int", minimum=0, maximum=5_000),
        "deployed_warheads": Column("int", minimum=0, maximum=20_000),
        "total_launchers": Column("int", minimum=0, maximum=5_000), **CITED,
    }, key=("as_of", "party"), row_checks=(_check_range_order,)),
]}

_DATE_FORMATS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def _parse_date(text: str) -> tuple[pd.Timestamp, str] | None:
    """Return (timestamp, precision) for an ISO date of day, month or year precision, else None."""
    for precision, pattern in _DATE_FORMATS.items():
        if re.fullmatch(pattern, text):
            padded = text + {"day": "", "month": "-01", "year": "-01-01"}[precision]
            try:
                return pd.Timestamp(padded), precision
            except ValueError:
                return None
    return None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read a CSV file; return its header and ``(line number, row)`` pairs (line 1 = header)."""
    if not path.exists():
        raise DataError(_rel(path), None, "file not found; is the data/ folder complete?")
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(_rel(path), None, "the file is empty; it needs a header row") from None
        line = reader.line_num + 1
        for values in reader:
            if values:
                if len(values) != len(header):
                    raise DataError(f"{_rel(path)}, line {line}", None,
                                    f"{len(values)} fields but the header has {len(header)}; "
                                    "check for a missing or extra comma, or an unquoted comma")
                rows.append((line, dict(zip(header, values))))
            line = reader.line_num + 1
    return header, rows


def _check_header(table: Table, header: list[str], where: str) -> None:
    missing = [c for c in table.columns if c not in header]
    extra = [c for c in header if c not in table.columns]
    if missing:
        raise DataError(where, missing[0], f"column missing (expected columns: "
                        f"{', '.join(table.columns)}; see data/README.md)")
    if extra:
        raise DataError(where, extra[0], "unknown column; remove it or document it in "
                        "data/README.md and armscontrol/data.py")


def _check_rows(table: Table, rows: list[tuple[str, dict]],
                known: dict[str, set[str]]) -> None:
    """Check each row against the table's rules; ``rows`` pairs a place name with the row."""
    seen: dict[tuple, str] = {}
    for where, row in rows:
        def fail(column: str | None, problem: str, _where: str = where) -> DataError:
            return DataError(_where, column, problem)

        for name, col in table.columns.items():
            value = (row.get(name) or "").strip()
            if not value:
                if col.required:
                    raise fail(name, "empty, but this column is required")
                continue
            _check_value(name, col, value, known, fail)
        precision_col = row.get("date_precision")
        if precision_col and row.get("date"):
            parsed = _parse_date(row["date"].strip())
            if parsed and parsed[1] != precision_col.strip():
                raise fail("date_precision", f"{precision_col!r} does not match the date "
                           f"{row['date']!r}, which has {parsed[1]} precision")
        if table.cites_source:
            has_quote = bool((row.get("source_quote") or "").strip())
            has_url = bool((row.get("source_url") or "").strip())
            has_title = bool((row.get("source_title") or "").strip())
            if has_url != has_title:
                missing = "source_title" if has_url else "source_url"
                raise fail(missing, "a reference needs both source_url and source_title")
            if not (has_quote or has_url):
                raise fail("source_url", "this row names no source: give a reference "
                           "(source_url and source_title) or a quote id in source_quote")
            if has_url and not re.match(r"https?://\S+$", row["source_url"].strip()):
                raise fail("source_url", f"{row['source_url']!r} is not a web address")
        for check in table.row_checks:
            check(row, fail)
        key = tuple((row.get(k) or "").strip() for k in table.key)
        if key in seen:
            raise fail(table.key[0], f"duplicate {'/'.join(table.key)} {'/'.join(key)!r}, "
                       f"already used at {seen[key]}")
        seen[key] = where


def _check_value(name: str, col: Column, value: str, known: dict[str, set[str]],
                 fail: Callable[[str, str], DataError]) -> None:
    if col.kind == "id" and not re.fullmatch(r"[A-Za-z0-9_.\- ]+", value):
        raise fail(name, f"{value!r} is not a valid id (letters, digits, _ - . and spaces only)")
    if col.kind in ("int", "float"):
        try:
            number = int(value) if col.kind == "int" else float(value)
        except ValueError:
            what = "a whole number" if col.kind == "int" else "a number"
            raise fail(name, f"{value!r} is not {what}") from None
        if col.minimum is not None and number < col.minimum:
            raise fail(name, f"{value} is below the smallest plausible value, {col.minimum:g}")
        if col.maximum is not None and number > col.maximum:
            raise fail(name, f"{value} is above the largest plausible value, {col.maximum:g}")
    if col.kind == "date" and _parse_date(value) is None:
        raise fail(name, f"{value!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    if col.kind == "category" and value not in col.choices:
        raise fail(name, f"{value!r} is not one of: {', '.join(col.choices)}")
    if col.kind == "list":
        for item in (v.strip() for v in value.split(";")):
            if col.choices and item not in col.choices:
                raise fail(name, f"{item!r} is not one of: {', '.join(col.choices)} "
                           "(separate several with ';')")
            if col.refers_to and item not in known.get(col.refers_to, {item}):
                raise fail(name, f"{item!r} does not exist in {col.refers_to.replace('.', '.csv ')}")
    elif col.refers_to and value not in known.get(col.refers_to, {value}):
        table, column = col.refers_to.split(".")
        raise fail(name, f"{value!r} does not exist in {table}.csv (column {column})")


def _typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Convert checked text columns to their types."""
    out = frame.copy()
    for name, col in table.columns.items():
        text = out[name].astype("string").str.strip()
        if col.kind == "int":
            ints = pd.to_numeric(text.where(text != ""), errors="raise")
            out[name] = ints.astype("int64" if col.required else "Int64")
        elif col.kind == "float":
            out[name] = pd.to_numeric(text.where(text != ""), errors="raise").astype("float64")
        elif col.kind == "date":
            parsed = [(_parse_date(v) or (pd.NaT, ""))[0] if v else pd.NaT for v in text.fillna("")]
            out[name] = pd.to_datetime(pd.Series(parsed, index=out.index, dtype="object"))
        elif col.kind == "category":
            out[name] = pd.Categorical(text.where(text != ""), categories=list(col.choices))
        else:
            out[name] = text.fillna("")
    return out


def _known_ids(table: Table, data_dir: Path) -> dict[str, set[str]]:
    """Read the key columns that ``table`` refers to (quotes, sources, missiles, treaties)."""
    known: dict[str, set[str]] = {}
    for col in table.columns.values():
        if col.refers_to and col.refers_to not in known:
            other, column = col.refers_to.split(".")
            _, rows = _read_rows(Path(data_dir) / f"{other}.csv")
            known[col.refers_to] = {r.get(column, "").strip() for _, r in rows}
    return known


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load, check and type one table of ``data/`` by name (e.g. ``"events"``).

    Returns a DataFrame with one row per CSV row. Raises :class:`DataError` on the first broken
    row, naming the file, the line and the column.

    The checked table is kept in memory and each call returns a fresh copy of it (change the
    copy freely: the next call is unaffected). It is read and checked again whenever a file it
    rests on changes (its CSV, the tables it refers to, the raw sources): the cache is keyed on
    those files' modification times and sizes.
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are: {', '.join(TABLES)}")
    data_dir = Path(data_dir or DATA_DIR)
    return _load_checked(name, data_dir, _file_stamps(_input_files(TABLES[name], data_dir))
                         ).copy()


def _input_files(table: Table, data_dir: Path) -> list[Path]:
    """Return the files loading ``table`` reads: its CSV, the CSVs its ids refer to, and for
    ``sources`` and ``quotes`` the catalogue of sources and every raw source file."""
    files = [data_dir / table.file]
    files += [data_dir / f"{col.refers_to.split('.')[0]}.csv"
              for col in table.columns.values() if col.refers_to]
    if table.name in ("sources", "quotes"):
        raw = data_dir / "sources"
        files += [data_dir / "sources.csv"] + (sorted(raw.iterdir()) if raw.is_dir() else [])
    return files


def _file_stamps(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Return ``(path, mtime in ns, size in bytes)`` per file; ``(path, -1, -1)`` if missing."""
    stamps = []
    for path in files:
        try:
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((str(path), -1, -1))
    return tuple(stamps)


@functools.lru_cache(maxsize=64)
def _load_checked(name: str, data_dir: Path, stamps: tuple[tuple[str, int, int], ...]
                  ) -> pd.DataFrame:
    """Read, check and type one table (see :func:`load_table`, which returns copies of this
    cached frame). ``stamps`` (from :func:`_file_stamps`) only keys the cache; a failed load
    raises and is not cached."""
    del stamps
    table = TABLES[name]
    path = data_dir / table.file
    header, rows = _read_rows(path)
    _check_header(table, header, _rel(path))
    located = [(f"{_rel(path)}, line {line}", row) for line, row in rows]
    _check_rows(table, located, _known_ids(table, data_dir))
    frame = pd.DataFrame([row for _, row in rows], columns=list(table.columns), dtype="object")
    if name == "sources":
        _check_source_files(frame, rows, path)
    if name == "quotes":
        _check_quote_offsets(frame, rows, path, data_dir)
    return _typed(table, frame)


def _check_source_files(frame: pd.DataFrame, rows: list[tuple[int, dict]], path: Path) -> None:
    for (line, row) in rows:
        raw = path.parent / "sources" / row["file"]
        where = f"{_rel(path)}, line {line}"
        if not raw.exists():
            raise DataError(where, "file", f"{row['file']!r} is not in {_rel(raw.parent)}")
        digest = hashlib.sha256(raw.read_bytes()).hexdigest()
        if digest != row["sha256"].strip():
            raise DataError(where, "sha256", f"{row['file']} has SHA-256 {digest}, not the "
                            "recorded one: the raw source was edited. Restore the original file; "
                            "cleaning belongs in armscontrol/sources.py")


def _check_quote_offsets(frame: pd.DataFrame, rows: list[tuple[int, dict]], path: Path,
                         data_dir: Path) -> None:
    _, source_rows = _read_rows(data_dir / "sources.csv")
    files = {r["source_id"]: r["file"] for _, r in source_rows}
    kinds = {r["source_id"]: r.get("source_kind", "").strip() for _, r in source_rows}
    texts: dict[str, str] = {}
    for line, row in rows:
        sid = row["source_id"]
        if row["source_kind"].strip() != kinds[sid]:
            raise DataError(f"{_rel(path)}, line {line}", "source_kind",
                            f"{row['source_kind']!r} differs from the source_kind of {sid} in "
                            f"sources.csv ({kinds[sid]!r}); a quote has its source's kind")
        if sid not in texts:
            texts[sid] = (data_dir / "sources" / files[sid]).read_text(encoding="utf-8")
        start, end = int(row["start"]), int(row["end"])
        found = texts[sid][start:end]
        if found != row["quote"]:
            where = f"{_rel(path)}, line {line}"
            elsewhere = texts[sid].find(row["quote"])
            hint = (f"; the quote does occur at {elsewhere}:{elsewhere + len(row['quote'])}"
                    if elsewhere >= 0 else "; the quote does not occur verbatim anywhere in the "
                    "source (check curly quotes, apostrophes and spaces)")
            raise DataError(where, "quote", f"not found at offsets {start}:{end} of {sid} "
                            f"(the text there is {found[:40]!r}){hint}")


def validate_frame(name: str, frame: pd.DataFrame, data_dir: Path | None = None,
                   label: str = "your table") -> pd.DataFrame:
    """Check rows you built yourself (e.g. new events) with the same rules as the data set.

    ``frame`` may hold text or already-typed columns (Timestamps are written back as ISO dates
    at their stated precision); it may leave out ``source_kind``, which the data files must
    give. Returns the typed DataFrame; raises :class:`DataError` naming the row (counting from
    0, as pandas does) and the column.
    """
    table, data_dir = TABLES[name], Path(data_dir or DATA_DIR)
    if "source_kind" in table.columns:
        # Rows a student builds may leave source_kind out (the column or the value); a value
        # given is still checked against SOURCE_KINDS.
        if "source_kind" not in frame.columns:
            frame = frame.assign(source_kind="")
        table = replace(table, columns={**table.columns, "source_kind": replace(
            SOURCE_KIND, required=False)})
    missing = [c for c in table.columns if c not in frame.columns]
    if missing:
        raise DataError(label, missing[0], "column missing (expected columns: "
                        f"{', '.join(table.columns)})")
    records = []
    for index, row in frame[list(table.columns)].iterrows():
        text_row = {}
        for column, value in row.items():
            if isinstance(value, pd.Timestamp):
                precision = str(row.get("date_precision", "day"))
                value = value.strftime({"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
                                       .get(precision, "%Y-%m-%d"))
            text_row[column] = "" if value is None or (not isinstance(value, str)
                                                       and pd.isna(value)) else str(value)
        records.append((f"{label}, row {index}", text_row))
    _check_rows(table, records, _known_ids(table, data_dir))
    plain = pd.DataFrame([r for _, r in records], columns=list(table.columns),
                         index=frame.index, dtype="object")
    return _typed(table, plain)


def validate_events(frame: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    """Check events a student added (same rules as ``events.csv``); return them typed."""
    return validate_frame("events", frame, data_dir, label="your events")


def validate_all(data_dir: Path | None = None) -> dict[str, int]:
    """Load every table; return ``{table: row count}`` or raise the first :class:`DataError`."""
    return {name: len(load_table(name, data_dir)) for name in TABLES}


def rows_by_source_kind(kind: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Return every row of the fact tables (:data:`FACT_TABLES`) whose ``source_kind`` is ``kind``.

    One row per data row, with columns ``table`` (e.g. ``"events"``), ``row`` (the row's key,
    e.g. ``"inf_signed"``; several key columns joined with ``/``) and ``source_title``. Raises
    ``ValueError`` for a kind that is not one of :data:`SOURCE_KINDS`.
    """
    if kind not in SOURCE_KINDS:
        raise ValueError(f"{kind!r} is not a source kind; use one of: {', '.join(SOURCE_KINDS)}")
    found = []
    for name in FACT_TABLES:
        table, frame = TABLES[name], load_table(name, data_dir)
        for _, row in frame[frame["source_kind"] == kind].iterrows():
            key = "/".join(str(row[k].date()) if isinstance(row[k], pd.Timestamp) else str(row[k])
                           for k in table.key)
            found.append({"table": name, "row": key, "source_title": row["source_title"]})
    return pd.DataFrame(found, columns=["table", "row", "source_title"])


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell (actors, quote ids) into a list of stripped items."""
    return [v.strip() for v in str(value).split(";") if v.strip()]


def load_sources(data_dir: Path | None = None) -> pd.DataFrame:
    """The primary sources: one row per article or period document (data/README.md, sources.csv)."""
    return load_table("sources", data_dir)


def load_quotes(data_dir: Path | None = None) -> pd.DataFrame:
    """Quotes from every primary source, with raw-text offsets (start, end) and paragraph numbers."""
    return load_table("quotes", data_dir)


def load_events(data_dir: Path | None = None) -> pd.DataFrame:
    """The chronology, sorted by date; ``date`` is datetime64 with ``date_precision`` beside it."""
    return load_table("events", data_dir).sort_values(["date", "event_id"], kind="stable") \
        .reset_index(drop=True)


def load_treaties(data_dir: Path | None = None) -> pd.DataFrame:
    """The treaties: signed, in force and ended dates (datetime64), parties and scope."""
    return load_table("treaties", data_dir)


def load_treaty_limits(data_dir: Path | None = None) -> pd.DataFrame:
    """Each numeric limit of a treaty (``value`` in ``unit``: km, warheads, launchers ...)."""
    return load_table("treaty_limits", data_dir)


def load_missiles(data_dir: Path | None = None) -> pd.DataFrame:
    """Missile systems with their designations, basing, kind and status under INF."""
    return load_table("missiles", data_dir)


def load_missile_ranges(data_dir: Path | None = None) -> pd.DataFrame:
    """Range claims (``range_km``, kilometres), one row per system and claimant."""
    return load_table("missile_ranges", data_dir)


def load_flight_time_claims(data_dir: Path | None = None) -> pd.DataFrame:
    """Claimed flight times (``minutes``), one row per claim: who claimed it and for which side.

    A claimed interval ("between twelve and 15 minutes") is two rows, its ``lower bound`` and its
    ``upper bound``; a single figure is ``stated``. No row is a measurement.
    """
    return load_table("flight_time_claims", data_dir)


def load_inf_eliminations(data_dir: Path | None = None) -> pd.DataFrame:
    """Missiles and launchers eliminated under INF, by system and party (counts)."""
    return load_table("inf_eliminations", data_dir)


def load_sites(data_dir: Path | None = None) -> pd.DataFrame:
    """Places for the maps: ``lat``/``lon`` in degrees (WGS84), kind, country and note."""
    return load_table("sites", data_dir)


def load_new_start_counts(data_dir: Path | None = None) -> pd.DataFrame:
    """New START aggregate data exchanges, by date and party (counts of launchers, warheads)."""
    return load_table("new_start_counts", data_dir).sort_values(["as_of", "party"]) \
        .reset_index(drop=True)


def limit_value(limit_id: str, limits: pd.DataFrame | None = None) -> int:
    """Return one treaty limit's ``value`` from ``treaty_limits.csv`` (km, warheads, ...).

    ``limits`` defaults to :func:`load_treaty_limits`. Raises ``KeyError`` naming the missing id.
    """
    limits = load_treaty_limits() if limits is None else limits
    match = limits.loc[limits["limit_id"] == limit_id, "value"]
    if match.empty:
        raise KeyError(f"treaty_limits has no row with limit_id {limit_id!r}; "
                       "add it to data/treaty_limits.csv (see data/README.md)")
    return int(match.iloc[0])


def inf_band_km(limits: pd.DataFrame | None = None) -> tuple[int, int, int]:
    """Return the INF Treaty's range edges in km, from ``treaty_limits.csv``: (lowest banned,
    shorter/intermediate boundary, highest banned), i.e. 500, 1,000 and 5,500."""
    return (limit_value("inf_min_range", limits),
            limit_value("inf_shorter_intermediate_boundary", limits),
            limit_value("inf_max_range", limits))


def tables() -> Iterable[str]:
    """Return the names of all tables, in the order they are documented."""
    return list(TABLES)
