"""Source criticism for lessons 1 and 6: dating, wording, searching and testing claims.

The lessons on reading the two articles (lesson 1) and on weighing their claims against the
data (lesson 6) call these functions so that each notebook cell stays one to four lines long.
Everything here reads the articles through :mod:`armscontrol.sources` and the tables through
:mod:`armscontrol.data`; nothing is typed in from memory except the wording of each claim in
:func:`claims_table`, which is our paraphrase, and which points to the quote or passage it
paraphrases.

Dating
    :func:`weekday_table`, :func:`weekday_pairs`, :func:`week_before`, :func:`date_mentions`,
    :func:`keyword_in_context`
Reading
    :func:`reports_table`, :func:`report_number`, :func:`term_counts`, :func:`compare_wordings`,
    :func:`search_paragraphs`, :func:`paragraph_search` (a widget)
Claims and evidence
    :func:`range_claims` (the INF readings come from :mod:`armscontrol.inf`), :func:`miles_to_km`,
    :func:`new_start_headroom`, :func:`days_between`, :func:`claims_table`
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from armscontrol import data, geo, inf, sources
from armscontrol.geo import miles_to_km  # noqa: F401  (lesson 6 converts CNN's miles)

#: One international mile in kilometres (lesson 6 calls it ``an.MILE_KM``); defined, with its
#: source, in :mod:`armscontrol.geo`.
MILE_KM: float = geo.KM_PER_MILE

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday", "Sunday")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_NUMBER = {m.lower(): n for n, m in enumerate(_MONTHS, start=1)}
_MONTH_NUMBER.update({m[:3].lower(): n for n, m in enumerate(_MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9
# A month name: full ("February"), upper case ("FEBRUARY") or abbreviated ("Feb." / "Sept.").
# Case matters, so that the verb "may" is not read as the month May.
_MONTH_RE = "(?:" + "|".join(
    [m for m in _MONTHS] + [m.upper() for m in _MONTHS]
    + [m[:3] + r"\." for m in _MONTHS if len(m) > 3] + [r"Sept\."]) + ")"
_DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    # (regex, precision); tried in this order at each position, the longest form first.
    (rf"(?P<month>{_MONTH_RE}) (?P<day>\d{{1,2}}), (?P<year>(?:19|20)\d{{2}})", "day"),
    (rf"(?P<day>\d{{1,2}}) (?P<month>{_MONTH_RE}),? (?P<year>(?:19|20)\d{{2}})", "day"),
    (rf"(?P<month>{_MONTH_RE}) (?P<year>(?:19|20)\d{{2}})", "month"),
    (rf"(?P<day>\d{{1,2}}) (?P<month>{_MONTH_RE})\b", "day, no year"),
    (rf"(?P<month>{_MONTH_RE}) (?P<day>\d{{1,2}})\b(?!,? (?:19|20)\d{{2}})", "day, no year"),
    (r"\b(?P<year>(?:19|20)\d{2})\b", "year"),
    (rf"\b(?P<month>{_MONTH_RE})(?![\w.])", "month, no year"),
)
_DATE_RE = re.compile("|".join(f"(?:{p.replace('(?P<', f'(?P<p{i}_')})"
                               for i, (p, _) in enumerate(_DATE_PATTERNS)))

#: events.csv / new_start_counts.csv column -> treaty_limits.csv limit_id, for New START.
NEW_START_LIMITS: dict[str, str] = {
    "deployed_launchers": "ns_deployed_launchers",
    "deployed_warheads": "ns_deployed_warheads",
    "total_launchers": "ns_total_launchers",
}


# ---------------------------------------------------------------------------------------------
# Dating from internal evidence
# ---------------------------------------------------------------------------------------------

def _events_by_id(events: pd.DataFrame, event_ids: Sequence[str]) -> pd.DataFrame:
    indexed = events.set_index("event_id")
    unknown = [e for e in event_ids if e not in indexed.index]
    if unknown:
        raise KeyError(f"no event with id {unknown[0]!r} in the events table; see the event_id "
                       "column of data/events.csv for the ids")
    return indexed.loc[list(event_ids)]


def weekday_table(events: pd.DataFrame, event_ids: Sequence[str]) -> pd.DataFrame:
    """Return the date and weekday of each event named, in the order given.

    Columns: ``event_id`` (index), ``title``, ``date`` (Timestamp), ``date_precision`` and
    ``weekday`` (English day name; empty for an event dated only to a month or year, whose
    weekday is unknown). Raises ``KeyError`` naming an unknown event id.
    """
    rows = _events_by_id(events, event_ids)
    table = rows[["title", "date", "date_precision"]].copy()
    table["weekday"] = [d.day_name() if p == "day" else ""
                        for d, p in zip(table["date"], table["date_precision"])]
    return table


def _check_weekday(name: str) -> int:
    if name not in WEEKDAYS:
        raise ValueError(f"{name!r} is not a weekday; write one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(name)


def weekday_pairs(events: pd.DataFrame, first: str = "Saturday",
                  second: str = "Monday") -> pd.DataFrame:
    """Return every pair of events on a ``first`` weekday and the next ``second`` weekday.

    For the default, each row is an event on a Saturday and an event on the Monday two days
    later. Only events dated to the day are used. Columns: ``first_date``, ``first_event``,
    ``second_date``, ``second_event``, ``days_apart`` (1 to 7), sorted by date.
    """
    a, b = _check_weekday(first), _check_weekday(second)
    gap = (b - a) % 7 or 7
    dated = events[events["date_precision"] == "day"]
    on_first = dated[dated["date"].dt.day_of_week == a]
    on_second = dated[dated["date"].dt.day_of_week == b]
    left = pd.DataFrame({"first_date": on_first["date"], "first_event": on_first["event_id"],
                         "second_date": on_first["date"] + pd.Timedelta(days=gap)})
    right = pd.DataFrame({"second_date": on_second["date"],
                          "second_event": on_second["event_id"]})
    pairs = left.merge(right, on="second_date")
    pairs["days_apart"] = gap
    return (pairs[["first_date", "first_event", "second_date", "second_event", "days_apart"]]
            .sort_values(["first_date", "first_event", "second_event"]).reset_index(drop=True))


def week_before(date: str | pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the Monday and the Sunday of the calendar week before the week holding ``date``.

    That is what "last week" means to a writer on ``date`` (weeks run Monday to Sunday).
    """
    day = pd.Timestamp(date).normalize()
    this_monday = day - pd.Timedelta(days=day.day_of_week)
    return this_monday - pd.Timedelta(days=7), this_monday - pd.Timedelta(days=1)


def _part_of(source_id: str, offset: int) -> str:
    """Return 'page furniture', 'caption' or 'article' for a raw offset of a source."""
    if offset < sources.body_start(source_id):
        return "page furniture"
    for _, passage in sources.page_furniture(source_id):
        if passage.start <= offset < passage.end:
            return "caption"
    return "article"


def date_mentions(source_id: str) -> pd.DataFrame:
    """Return every date, month or year written in a source's raw text, in text order.

    Forms found: "February 18, 2021", "Feb. 20, 2021", "5 February 2021", "August 2019",
    "22 October", "(February 25)", "1987", and a month name alone ("in March").
    Columns: ``part`` (``page furniture`` before the article, ``caption`` for a photo caption
    inside it, else ``article``), ``start``, ``end`` (raw offsets), ``text`` (as written),
    ``year``, ``month``, ``day`` (integers, missing where the text does not give them),
    ``precision`` (``day``, ``month``, ``year``, ``day, no year``, ``month, no year``) and
    ``date`` (a Timestamp when the year is given, the first day of a month or year; else NaT).
    """
    text = sources.raw_text(source_id)
    rows = []
    for match in _DATE_RE.finditer(text):
        for i, (_, precision) in enumerate(_DATE_PATTERNS):
            groups = {k.split("_", 1)[1]: v for k, v in match.groupdict().items()
                      if k.startswith(f"p{i}_") and v is not None}
            if groups:
                break
        month_text = groups.get("month")
        month = _MONTH_NUMBER[month_text.rstrip(".").lower()] if month_text else None
        year = int(groups["year"]) if "year" in groups else None
        day = int(groups["day"]) if "day" in groups else None
        date = (pd.Timestamp(year=year, month=month or 1, day=day or 1) if year is not None
                else pd.NaT)
        rows.append({"part": _part_of(source_id, match.start()), "start": match.start(),
                     "end": match.end(), "text": match.group(0), "year": year,
                     "month": month, "day": day, "precision": precision, "date": date})
    table = pd.DataFrame(rows, columns=["part", "start", "end", "text", "year", "month", "day",
                                        "precision", "date"])
    for column in ("year", "month", "day"):
        table[column] = table[column].astype("Int64")
    table["date"] = pd.to_datetime(table["date"])
    return table


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the raw offsets of the sentence (or line) holding ``text[start:end]``.

    A sentence ends at a line break or at '.', '?' or '!' followed by a space. (Hand-written:
    the articles need no more than this, and abbreviations such as "U.S." only cut a sentence
    short.)
    """
    lefts = [text.rfind("\n", 0, start) + 1]
    lefts += [i + 2 for i in (text.rfind(p, 0, start) for p in (". ", "? ", "! ")) if i >= 0]
    rights = [i for i in (text.find("\n", end), *(text.find(p, end) + 1
                                                   for p in (". ", "? ", "! ")))
              if i > 0]
    return max(lefts), (min(rights) if rights else len(text))


def keyword_in_context(source_id: str, needles: str | Iterable[str]) -> pd.DataFrame:
    """Return each appearance of each needle in the article, with the sentence around it.

    ``needles``: exact text (case and punctuation matter), or several. Page furniture is left
    out. Columns: ``needle``, ``start`` (raw offset), ``report`` (the report number for the
    state-media compilation, else missing) and ``sentence`` (stripped of a stray leading
    backslash). Sorted by position in the text.
    """
    text = sources.raw_text(source_id)
    body = sources.article_body(source_id)
    items = [needles] if isinstance(needles, str) else list(needles)
    rows = []
    for needle in items:
        for passage in sources.find_all(source_id, needle):
            if passage.start < body.start:
                continue
            a, b = _sentence_bounds(text, passage.start, passage.end)
            rows.append({"needle": needle, "start": passage.start,
                         "report": report_number(source_id, passage.start),
                         "sentence": " ".join(text[a:b].split()).lstrip("\\")})
    table = pd.DataFrame(rows, columns=["needle", "start", "report", "sentence"])
    table["report"] = table["report"].astype("Int64")
    return table.sort_values("start").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Reading: reports, wording, search
# ---------------------------------------------------------------------------------------------

def report_number(source_id: str, offset: int) -> int | None:
    """Return the number of the report holding raw ``offset`` (state-media compilation only).

    Returns None for ``cnn_2018`` (a single article). Report 1 is the untitled opening piece;
    a sub-headline belongs to the report it opens.
    """
    if source_id != "statemedia_2020":
        sources.raw_text(source_id)  # raises KeyError for an unknown source id
        return None
    heads = sources.subheadings(source_id)
    return 1 + sum(1 for h in heads if h.start <= offset)


def reports_table(source_id: str = "statemedia_2020") -> pd.DataFrame:
    """Return one row per report of a compilation: ``report``, ``headline``, ``start``,
    ``end`` (raw offsets of the body), ``words`` (word count) and ``opening`` (first 90
    characters)."""
    rows = [{"report": r.number, "headline": r.headline or "(no headline: the opening report)",
             "start": r.passage.start, "end": r.passage.end,
             "words": len(r.passage.text.split()),
             "opening": " ".join(r.passage.text.split())[:90] + "…"}
            for r in sources.reports(source_id)]
    return pd.DataFrame(rows).set_index("report")


def term_counts(terms: Iterable[str], source_ids: Sequence[str] = ("cnn_2018", "statemedia_2020")
                ) -> pd.DataFrame:
    """Return how often each term occurs in each article's clean text (page furniture removed).

    Matching ignores case and finds a term inside longer words ("violat" counts "violation"
    and "violating"). Rows: terms; columns: source ids, then ``total``.
    """
    texts = {s: sources.clean_text(s).lower() for s in source_ids}
    terms = list(terms)
    if not terms or any(not t for t in terms):
        raise ValueError("term_counts needs a list of non-empty terms, e.g. ['alleged', 'violat']")
    table = pd.DataFrame({s: [texts[s].count(t.lower()) for t in terms] for s in source_ids},
                         index=pd.Index(terms, name="term"))
    table["total"] = table.sum(axis=1)
    return table


def compare_wordings(pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Locate each ``(source_id, wording)`` with :func:`armscontrol.sources.find_passage`.

    Returns one row per pair: ``source_id``, ``wording``, ``start``, ``end`` (raw offsets, so
    ``raw_text(source_id)[start:end] == wording``), ``report`` and ``sentence`` (the whole
    sentence around it). Raises ``ValueError`` (from ``find_passage``) for wording that is not
    in the article, so nothing can be misquoted.
    """
    rows = []
    for source_id, wording in pairs:
        passage = sources.find_passage(source_id, wording)
        text = sources.raw_text(source_id)
        a, b = _sentence_bounds(text, passage.start, passage.end)
        rows.append({"source_id": source_id, "wording": wording, "start": passage.start,
                     "end": passage.end, "report": report_number(source_id, passage.start),
                     "sentence": " ".join(text[a:b].split()).lstrip("\\")})
    table = pd.DataFrame(rows)
    table["report"] = table["report"].astype("Int64")
    return table


def search_paragraphs(words: str, source_ids: Sequence[str] = ("cnn_2018", "statemedia_2020")
                      ) -> pd.DataFrame:
    """Return the paragraphs of the articles that contain every word of ``words``.

    Matching ignores case and finds a word inside longer words. Page furniture and photo
    captions are left out. Columns: ``source_id``, ``paragraph`` (its number in the article,
    from 1), ``report`` (state-media report number, else missing), ``start``, ``end`` (raw
    offsets) and ``text``. An empty search returns no rows.
    """
    wanted = [w.lower() for w in words.split()]
    rows = []
    for source_id in source_ids:
        captions = {(p.start, p.end) for kind, p in sources.page_furniture(source_id)
                    if kind == "caption"}
        number = 0
        for passage in sources.paragraphs(source_id):
            if (passage.start, passage.end) in captions:
                continue
            number += 1
            lowered = passage.text.lower()
            if wanted and all(w in lowered for w in wanted):
                rows.append({"source_id": source_id, "paragraph": number,
                             "report": report_number(source_id, passage.start),
                             "start": passage.start, "end": passage.end,
                             "text": passage.text.strip().lstrip("\\")})
    table = pd.DataFrame(rows, columns=["source_id", "paragraph", "report", "start", "end",
                                        "text"])
    table["report"] = table["report"].astype("Int64")
    return table


def highlight_html(text: str, words: str) -> str:
    """Return ``text`` as HTML with every occurrence of each word marked (case ignored)."""
    wanted = sorted({w for w in words.split() if w}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in wanted), re.IGNORECASE)
    out, pos = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[pos:match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _results_html(words: str, table: pd.DataFrame, source_ids: Sequence[str]) -> str:
    if not words.split():
        return "<p><i>Type one or more words to find the paragraphs that contain them all.</i></p>"
    counts = ", ".join(f"{(table['source_id'] == s).sum()} in {s}" for s in source_ids)
    parts = [f"<p><b>{len(table)} paragraph(s)</b> contain every word ({html.escape(counts)}).</p>"]
    for row in table.itertuples():
        where = f"{row.source_id}, paragraph {row.paragraph}"
        if not pd.isna(row.report):
            where += f" (report {row.report})"
        parts.append(f"<p style='margin:0.5em 0;padding:0.3em 0.8em;border-left:4px solid "
                     f"#0072B2;background:#f6f8fa'><small>{html.escape(where)}</small><br>"
                     f"{highlight_html(row.text, words)}</p>")
    return "".join(parts)


def paragraph_search(words: str = "",
                     source_ids: Sequence[str] = ("cnn_2018", "statemedia_2020")):
    """Return a search box over both articles (an ``ipywidgets.VBox``; display it).

    Typing words shows every paragraph containing all of them, with the words marked, the
    article, the paragraph number and (for the compilation) the report number. Tick boxes
    choose the articles searched. The widget's ``search`` (Text), ``boxes`` (dict of Checkbox)
    and ``results`` (HTML) attributes let a test drive it.
    """
    import ipywidgets as widgets

    class ParagraphSearch(widgets.VBox):
        def __repr__(self) -> str:  # short and stable for stored notebook outputs
            return f"ParagraphSearch(words={self.search.value!r})"

    search = widgets.Text(value=words, description="Words:", placeholder="e.g. China missiles",
                          continuous_update=True)
    boxes = {s: widgets.Checkbox(value=True, description=s, indent=False) for s in source_ids}
    results = widgets.HTML()

    def update(change=None) -> None:
        chosen = [s for s, box in boxes.items() if box.value]
        table = search_paragraphs(search.value, chosen)
        results.value = _results_html(search.value, table, chosen)

    search.observe(update, names="value")
    for box in boxes.values():
        box.observe(update, names="value")
    update()
    box = ParagraphSearch([widgets.HBox([search, *boxes.values()]), results])
    box.search, box.boxes, box.results = search, boxes, results
    return box


# ---------------------------------------------------------------------------------------------
# Claims and evidence
# ---------------------------------------------------------------------------------------------

def _limit(limit_id: str, limits: pd.DataFrame | None = None) -> int:
    return data.limit_value(limit_id, limits)


def range_claims(system_id: str, ranges: pd.DataFrame | None = None,
                 limits: pd.DataFrame | None = None,
                 missiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return each range claim for a missile with what it implies under the INF Treaty.

    Columns: ``claimant``, ``claim_type``, ``range_km``, ``inf_reading``
    (:func:`armscontrol.inf.claim_category`: for a ``maximum`` the treaty class of the range,
    for a ``more than`` claim, a lower bound, what that bound allows) and ``puts_it_in_band``
    (:func:`armscontrol.inf.claim_in_band`). The missile's basing comes from ``missiles``
    (default: missiles.csv). Raises ``KeyError`` for a system with no claims or not in
    ``missiles``.
    """
    ranges = data.load_missile_ranges() if ranges is None else ranges
    rows = ranges[ranges["system_id"] == system_id]
    if rows.empty:
        raise KeyError(f"no range claims for {system_id!r} in missile_ranges.csv; systems with "
                       f"claims: {', '.join(sorted(set(ranges['system_id'])))}")
    missiles = data.load_missiles() if missiles is None else missiles
    basings = missiles.set_index("system_id")["basing"]
    if system_id not in basings.index:
        raise KeyError(f"{system_id!r} is not in the missiles table (missiles.csv)")
    basing = str(basings[system_id])
    readings = [inf.claim_category(row.range_km, str(row.claim_type), basing, limits)
                for row in rows.itertuples()]
    in_band = [inf.claim_in_band(row.range_km, str(row.claim_type), basing, limits)
               for row in rows.itertuples()]
    table = rows[["claimant", "claim_type", "range_km"]].copy()
    table["inf_reading"] = readings
    table["puts_it_in_band"] = in_band
    return table.reset_index(drop=True)


def new_start_headroom(counts: pd.DataFrame | None = None,
                       limits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return each New START data exchange with the room left under each central limit.

    Columns: ``as_of``, ``party``, the three counts, ``<count>_headroom`` (limit minus count;
    negative means over the limit) and ``within_all_limits`` (bool).
    """
    counts = data.load_new_start_counts() if counts is None else counts
    table = counts[["as_of", "party", *NEW_START_LIMITS]].copy()
    for column, limit_id in NEW_START_LIMITS.items():
        table[f"{column}_headroom"] = _limit(limit_id, limits) - table[column]
    table["within_all_limits"] = (table[[f"{c}_headroom" for c in NEW_START_LIMITS]] >= 0
                                  ).all(axis=1)
    return table.reset_index(drop=True)


def days_between(events: pd.DataFrame, first: str, second: str) -> int:
    """Return the days from event ``first`` to event ``second`` (negative if ``second`` is
    earlier), from their dates in the events table."""
    dates = _events_by_id(events, [first, second])["date"]
    return int((dates.iloc[1] - dates.iloc[0]).days)


def _day(date: pd.Timestamp, year: bool = True) -> str:
    """Return '5 February 2021' (or '5 February' with ``year=False``)."""
    date = pd.Timestamp(date)
    return f"{date.day} {date:%B}" + (f" {date.year}" if year else "")


def _quote(quotes: pd.DataFrame, quote_id: str) -> pd.Series:
    match = quotes[quotes["quote_id"] == quote_id]
    if match.empty:
        raise KeyError(f"quote {quote_id!r} is not in quotes.csv")
    return match.iloc[0]


def eliminations_check() -> dict:
    """Return what the data set says about how many missiles the INF Treaty eliminated.

    Keys: ``table_total`` (missiles in ``inf_eliminations.csv``, summed), ``by_party`` (a dict
    party → missiles), ``systems_missing`` (names of the systems ``missiles.csv`` marks
    ``eliminated under INF`` that have no row in the eliminations table, sorted), ``event_id``
    and ``event_summary`` (the chronology's event ``inf_elimination_deadline``, whose summary
    states the total destroyed by the deadline).
    """
    elim = data.load_inf_eliminations()
    missiles = data.load_missiles()
    eliminated = missiles[missiles["inf_status"] == "eliminated under INF"]
    missing = eliminated[~eliminated["system_id"].isin(elim["system_id"])]
    event = data.load_events().set_index("event_id").loc["inf_elimination_deadline"]
    return {"table_total": int(elim["missiles_eliminated"].sum()),
            "by_party": {k: int(v) for k, v in
                         elim.groupby("party")["missiles_eliminated"].sum().items()},
            "systems_missing": sorted(missing["name"]),
            "event_id": "inf_elimination_deadline", "event_summary": str(event["summary"])}


def claims_table() -> pd.DataFrame:
    """Return lesson 6's claims table: each claim, who makes it, where, and the evidence.

    Columns: ``claim`` (our paraphrase), ``claimant``, ``source_id``, ``quote_id`` (from
    quotes.csv, or empty where the article's own narration makes the claim), ``start`` (raw
    offset of the words in the article), ``evidence`` (a sentence computed from the tables in
    data/), ``tables`` (which ones) and ``first_reading`` (supported, sometimes qualified /
    partly supported / disputed / not testable with these data: a first reading for students to
    argue with, not a verdict).
    """
    events = data.load_events()
    quotes = data.load_quotes()
    treaties = data.load_treaties().set_index("treaty_id")
    ev = events.set_index("event_id")
    rows: list[dict] = []

    def add(claim, claimant, source_id, quote_id, wording, evidence, tables, reading):
        if quote_id:
            start = int(_quote(quotes, quote_id)["start"])
        else:
            start = sources.find_passage(source_id, wording).start
        rows.append({"claim": claim, "claimant": claimant, "source_id": source_id,
                     "quote_id": quote_id, "start": start, "evidence": evidence,
                     "tables": tables, "first_reading": reading})

    low, _, high = inf.band_km()
    r9 = range_claims("9m729")
    inside = int(r9["puts_it_in_band"].sum())
    below = r9[~r9["puts_it_in_band"]]
    below_text = "; ".join(f"{c.claimant.split(' (')[0].split(':')[0]}: {c.range_km:,} km"
                           for c in below.itertuples()) or "none"
    first_charge = ev.loc["us_raises_concerns_2013", "date"]
    trump = ev.loc["trump_announces_inf_exit", "date"]
    range_evidence = (f"{inside} of {len(r9)} published range claims for the 9M729 put it inside "
                      f"the banned {low:,}–{high:,} km band; below it: {below_text}.")
    add("Russia has violated the INF Treaty for many years.", "Donald Trump", "cnn_2018",
        "cnn_q02", None,
        range_evidence + f" The first US charge recorded in events.csv is dated "
        f"{first_charge:%B %Y}, {(trump - first_charge).days / 365.25:.1f} years before "
        f"Trump spoke.", "missile_ranges, treaty_limits, events", "disputed")
    add("Russia is and has been faithful to the treaty.", "Dmitry Peskov", "cnn_2018", "cnn_q06",
        None, range_evidence + " Russia's own figure is the only one below the band.",
        "missile_ranges, treaty_limits", "disputed")

    mk41 = ev.loc["russia_mk41_charge"]
    add("US anti-missile systems in Europe undermine ('dilute') the treaty.",
        "Vladimir Putin (relayed by Peskov)", "cnn_2018", "cnn_q03", None,
        f"events.csv records Russia's charge about the Mk 41 launchers ({mk41['date']:%B %Y}) "
        f"and the US rejection of it; the data hold the sites' positions, not what their "
        f"launchers can fire.", "events, sites", "not testable with these data")

    ranges = data.load_missile_ranges()
    missiles = data.load_missiles()
    chinese = missiles[(missiles["country"] == "China") & (missiles["basing"] == "ground")]
    chinese_ranges = ranges[ranges["system_id"].isin(chinese["system_id"])]
    banned = [f"{missiles.set_index('system_id').loc[r.system_id, 'name']} "
              f"({r.range_km:,} km, {r.claimant.split(' (')[0].split(',')[0]})"
              for r in chinese_ranges.itertuples()
              if inf.claim_in_band(r.range_km, str(r.claim_type), "ground")]
    add("Countries in Asia are developing missiles of the kinds the treaty banned.",
        "Dmitry Peskov", "cnn_2018", "cnn_q09", None,
        f"{len(banned)} ground-launched Chinese missile(s) in missiles.csv have a published "
        f"range inside the band: {'; '.join(banned) or 'none'}. China was never a party.",
        "missiles, missile_ranges", "supported")

    elim = eliminations_check()
    total = int(elim["table_total"])
    add("The treaty destroyed thousands of missiles with ranges between 300 and 3,400 miles.",
        "CNN (narration)", "cnn_2018", "", "300 and 3,400 miles",
        f"inf_eliminations.csv adds up to {total:,} missiles"
        + (f", but it lists no row for {', '.join(elim['systems_missing'])}, which missiles.csv "
           f"marks as eliminated under INF" if elim["systems_missing"] else "")
        + f"; events.csv ({elim['event_id']}) records: \"{elim['event_summary']}\" "
        f"300 and 3,400 miles are {miles_to_km(300):,.0f} and {miles_to_km(3400):,.0f} km, "
        f"close to the treaty's {low:,} and {high:,} km.",
        "inf_eliminations, missiles, events, treaty_limits",
        "supported" if elim["systems_missing"] == [] and total >= 2000
        else "supported by the chronology, not by the incomplete table")

    ns = treaties.loc["New START"]
    duration = _limit("ns_duration")
    expiry = pd.Timestamp(ns["entered_into_force"]) + pd.DateOffset(years=duration)
    extended = ev.loc["new_start_extended", "date"]
    add("New START is set to expire on 5 February 2021.", "State-media compilation (narration)",
        "statemedia_2020", "", "5 February 2021",
        f"In force from {_day(ns['entered_into_force'])} for {duration} years "
        f"gives {_day(expiry)}: true when written; the treaty was extended on "
        f"{_day(extended)}.", "treaties, treaty_limits, events", "supported")

    gap = days_between(events, "obrien_non_starter", "putin_valdai_remarks")
    add("O'Brien called Putin's proposal a 'non-starter' (told after Putin's 22 October "
        "remarks, with the US offer said to have come earlier).",
        "State-media compilation (narration)", "statemedia_2020", "sm_q17", None,
        f"events.csv dates O'Brien's remark to "
        f"{_day(ev.loc['obrien_non_starter', 'date'])}, {gap} days before Putin's "
        f"{_day(ev.loc['putin_valdai_remarks', 'date'], False)} remarks, on the day of Putin's "
        f"first proposal ({_day(ev.loc['putin_one_year_proposal', 'date'], False)}); the US "
        f"freeze offer is dated {_day(ev.loc['us_freeze_condition', 'date'], False)}. The text "
        f"never dates O'Brien's remark ('has commented on Putin’s proposal') and marks the US "
        f"offer as earlier ('had previously suggested'), so its words do not contradict the "
        f"chronology; only the order of its paragraphs puts the reply after the 22 October "
        f"remarks.", "events",
        "supported (told out of order)")

    head = new_start_headroom()
    text_date = data.load_sources().set_index("source_id").loc["statemedia_2020", "date"]
    before = head[head["as_of"] < text_date + pd.offsets.MonthEnd(0)]
    last = before[before["as_of"] == before["as_of"].max()]
    add("The arms race is reviving, with a tendency to a unilateral military build-up.",
        "Anatoly Antonov", "statemedia_2020", "sm_q07", None,
        f"In the last New START data exchange before the text ({_day(last['as_of'].max())}) "
        + " and ".join(f"{r.party} was {'within' if r.within_all_limits else 'over'} all three "
                       f"limits ({r.deployed_warheads:,} deployed warheads)"
                       for r in last.itertuples())
        + ". The counts cover strategic forces only, not intermediate-range missiles or "
        "missile defence.", "new_start_counts, treaty_limits", "not testable with these data")

    inf_treaty = treaties.loc["INF"]
    add("The INF Treaty was signed by Russia and the US in 1987.",
        "State-media compilation (narration)", "statemedia_2020", "",
        "signed by Russia and the US back in 1987",
        f"treaties.csv: signed {_day(inf_treaty['signed'])} by the United States and "
        f"the Soviet Union; parties listed: {inf_treaty['parties'].replace(';', ', ')}.",
        "treaties", "partly supported")
    return pd.DataFrame(rows)
