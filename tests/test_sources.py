"""The primary sources: untouched raw files, cleaning, report splitting, passages, quotes,
the period documents and their provenance, and numbered paragraphs."""
import csv
import hashlib
import importlib.util
import re
import shutil

import pandas as pd
import pytest

from armscontrol import DATA_DIR, ROOT, SOURCES_DIR, data, sources


def test_raw_files_match_recorded_checksums():
    table = data.load_sources()
    for _, row in table.iterrows():
        digest = hashlib.sha256((SOURCES_DIR / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], f"{row['file']} was edited"


def test_cnn_body_starts_at_dateline_and_drops_furniture():
    body = sources.article_body("cnn_2018")
    assert body.text.startswith("(CNN) —")
    assert "Now playing" not in body.text
    assert "PHOTO:" not in body.text
    assert body.text.rstrip().endswith("CNN’s Claudia Rebaza contributed to this report.")
    assert sources.raw_text("cnn_2018")[body.start:body.end] == body.text


def test_cnn_furniture_is_classified_and_dated_later():
    items = sources.page_furniture("cnn_2018")
    kinds = [kind for kind, _ in items]
    assert kinds.count("now playing") == kinds.count("duration") == kinds.count("video title")
    assert kinds.count("now playing") >= 5
    captions = " ".join(p.text for kind, p in items if kind == "caption")
    assert "2021" in captions  # the captions are from a later page view than the 2018 article
    raw = sources.raw_text("cnn_2018")
    assert all(raw[p.start:p.end] == p.text for _, p in items)
    assert all(p.end <= sources.body_start("cnn_2018") for _, p in items)


def test_statemedia_splits_into_five_reports_at_subheadlines():
    parts = sources.reports("statemedia_2020")
    assert [r.headline for r in parts] == [
        "", "Arms Control Under Threat",
        "Russia Rejects US Proposals on New START Verification, Ryabkov Says",
        "Putin Says US Withdrawal From INF 'Grave Mistake', Creates Risk of Nuclear Arms Race",
        "The US Exit From INF",
    ]
    raw = sources.raw_text("statemedia_2020")
    for report in parts:
        assert raw[report.passage.start:report.passage.end] == report.passage.text
        assert report.passage.text == report.passage.text.strip()
    assert parts[2].passage.text.startswith("Last week, Russian President Vladimir Putin")


def test_captions_are_not_subheadlines():
    heads = [h.text for h in sources.subheadings("statemedia_2020")]
    assert "Russian President Vladimir Putin" not in heads
    assert [k for k, _ in sources.page_furniture("statemedia_2020")] == ["caption", "caption"]


def test_clean_text_removes_backslash_and_captions_but_raw_keeps_them():
    raw = sources.raw_text("statemedia_2020")
    clean = sources.clean_text("statemedia_2020")
    assert "\\On 22 October" in raw
    assert "\\" not in clean and "On 22 October" in clean
    assert "gestures while speaking" not in clean
    assert "Now playing" not in sources.clean_text("cnn_2018")


def test_find_passage_returns_raw_offsets():
    p = sources.find_passage("cnn_2018", "been violating it for many years.")
    assert sources.raw_text("cnn_2018")[p.start:p.end] == p.text
    second = sources.find_passage("statemedia_2020", "grave mistake", occurrence=2)
    first = sources.find_passage("statemedia_2020", "grave mistake")
    assert second.start > first.start
    assert len(sources.find_all("statemedia_2020", "adequate steps")) == 2


def test_find_passage_explains_a_miss():
    with pytest.raises(ValueError, match=r"occurs 0 time\(s\).*curly"):
        sources.find_passage("cnn_2018", "been violating it for many years\"")
    with pytest.raises(KeyError, match="valid source ids are: cnn_2018, inf_treaty_text"):
        sources.raw_text("bbc_2019")


def test_paragraph_around_highlights_span():
    q = sources.find_passage("cnn_2018", "dilutes")
    para, s, e = sources.paragraph_around("cnn_2018", q.start, q.end)
    assert para[s:e] == "dilutes"
    assert para.startswith("He relayed Russian President Vladimir Putin")
    assert "\n\n" not in para


def test_every_quote_sits_at_its_offsets():
    quotes = data.load_quotes()
    for _, q in quotes.iterrows():
        assert sources.raw_text(q["source_id"])[q["start"]:q["end"]] == q["quote"], q["quote_id"]


def test_quotes_cover_every_quotation_in_the_article_bodies():
    """Every span in quotation marks inside an article body is in quotes.csv (or a caption).

    This holds for the sources that report speech (news reports, the compilation, the State
    Department's article); in the other documents quotation marks set off defined terms."""
    quotes = data.load_quotes()
    recorded = {(r.source_id, r.start) for r in quotes.itertuples()}
    kinds = data.load_sources().set_index("source_id")["kind"]
    reporting = [s for s in sources.SOURCE_FILES
                 if kinds[s] in ("news report", "state-media compilation", "government article")]
    assert set(reporting) == set(sources.ARTICLES) | {"shareamerica_inf_2019"}
    for sid in reporting:
        raw = sources.raw_text(sid)
        body = sources.article_body(sid)
        for m in re.finditer(r'“([^”]*)”|"([^"]*)"', raw[body.start:body.end]):
            group = 1 if m.group(1) is not None else 2
            start = body.start + m.start(group)
            inner = m.group(group)
            if "\n\n" in inner:  # a quotation running over paragraphs opens each one with “
                inner = inner.split("\n\n")[0]
            assert (sid, start) in recorded, f"{sid}: quotation at {start} missing: {inner[:50]!r}"


def test_speakers_named_in_the_issue_are_all_quoted():
    speakers = set(data.load_quotes()["speaker"])
    for name in ["Donald Trump", "Dmitry Peskov", "Vladimir Putin", "Sergey Lavrov",
                 "Mikhail Gorbachev", "Anatoly Antonov", "Sergey Ryabkov", "Robert O'Brien",
                 "Kremlin press service"]:
        assert name in speakers


# --- The period documents -------------------------------------------------------------------

def test_sources_csv_lists_exactly_the_files_the_package_knows():
    table = data.load_sources()
    assert dict(zip(table["source_id"], table["file"])) == sources.SOURCE_FILES
    stored = sorted(p.name for p in SOURCES_DIR.glob("*.txt"))
    assert stored == sorted(sources.SOURCE_FILES.values())
    assert set(sources.ARTICLES) | set(sources.DOCUMENTS) == set(sources.SOURCE_FILES)


def test_at_least_four_period_documents_with_provenance():
    table = data.load_sources().set_index("source_id")
    assert len(sources.DOCUMENTS) >= 4
    for sid in sources.DOCUMENTS:
        row = table.loc[sid]
        assert row["source_kind"] in ("official", "treaty text"), sid
        assert row["licence"].startswith(("Public domain", "Not protected by copyright")), sid
        assert re.fullmatch(r"https?://\S+", row["retrieved_from"]), sid
        assert "nothing was edited" in row["extent"] and re.search(r"\d,?\d{3} characters",
                                                                     row["extent"]), sid
        stated = int(re.search(r"(\d,?\d{3}) characters", row["extent"]).group(1).replace(",", ""))
        assert stated == len(sources.raw_text(sid)), f"{sid}: extent states the wrong length"
        assert row["outlet"] and row["headline"] and not pd.isna(row["date"]), sid


def test_every_document_loads_through_the_article_api():
    for sid in sources.DOCUMENTS:
        raw = sources.raw_text(sid)
        body = sources.article_body(sid)
        assert raw[body.start:body.end] == body.text and body.text.strip()
        assert all(raw[p.start:p.end] == p.text for _, p in sources.page_furniture(sid))
        assert all(raw[h.start:h.end] == h.text for h in sources.subheadings(sid))
        clean = sources.clean_text(sid)
        assert clean and all(p.text.strip() not in clean for kind, p in sources.page_furniture(sid))
        first = sources.paragraphs(sid)[0]
        para, s, e = sources.paragraph_around(sid, first.start, first.start + 5)
        assert para[s:e] == first.text[:5] and first.text.strip() in para
        assert first.start in [f.start for f in sources.find_all(sid, first.text[:30])]


def test_every_document_has_quotes_in_its_issuers_own_words():
    quotes = data.load_quotes()
    for sid in sources.DOCUMENTS:
        mine = quotes[quotes["source_id"] == sid]
        assert len(mine) >= 2 and "document" in set(mine["attribution"]), sid
        raw = sources.raw_text(sid)
        for q in mine.itertuples():
            assert raw[q.start:q.end] == q.quote and raw.count(q.quote) == 1, q.quote_id


def test_layout_entries_name_lines_that_exist():
    """A layout that names a line the file does not hold would silently do nothing."""
    for sid, layout in sources.LAYOUTS.items():
        raw = sources.raw_text(sid)
        lines = raw.split("\n")
        named = [b for _, b in layout.furniture + layout.unnumbered] + list(layout.headings or ())
        for begins in named + ([layout.title] if layout.title else []):
            first_line = begins.split("\n")[0]
            assert any(line.startswith(first_line) for line in lines), (sid, begins)
        if layout.body_marker:
            assert layout.body_marker in raw


def test_official_statement_says_serious_mistake_where_the_headline_says_grave():
    """The Kremlin statement corroborates the state-media quote, and shows whose word 'grave' is."""
    quoted = data.load_quotes().set_index("quote_id").loc["sm_q19", "quote"]
    assert "a serious mistake that increases the risks of unleashing a missile arms race" in quoted
    assert "'Grave Mistake'" in sources.raw_text("statemedia_2020")
    for sid in ("putin_inf_2020", "putin_inf_2020_uk"):
        official = sources.raw_text(sid)
        assert "serious mistake" in official and "grave" not in official.lower()
    # The two official translations word the same sentence differently.
    assert "as a result of which it was terminated" in sources.raw_text("putin_inf_2020")
    assert "that entailed its termination" in sources.raw_text("putin_inf_2020_uk")


def _aggregates_from_mid() -> dict[str, tuple[int, int, int]]:
    table = sources.paragraph_table("mid_new_start_2022").iloc[0]["text"]
    cells = [c.removesuffix(" |") for c in table.split("\n")]
    assert cells[1:3] == ["Russian Federation", "United States of America"]
    rows = [cells[i:i + 3] for i in range(3, len(cells), 3)]
    return {"Russia": tuple(int(r[1]) for r in rows), "US": tuple(int(r[2]) for r in rows)}


def _aggregates_from_state() -> dict[str, tuple[int, int, int]]:
    table = sources.paragraph_table("state_new_start_2020").iloc[1]["text"].split("\n")
    assert table[0] == "Category of Data United States of America Russian Federation"
    pairs = [tuple(int(n) for n in line.rsplit(" ", 2)[1:]) for line in table[1:]]
    return {"US": tuple(p[0] for p in pairs), "Russia": tuple(p[1] for p in pairs)}


def test_new_start_counts_agree_with_the_stored_fact_sheets():
    counts = data.load_new_start_counts()
    cols = ["deployed_launchers", "deployed_warheads", "total_launchers"]
    for as_of, found in (("2022-03-01", _aggregates_from_mid()),
                         ("2020-09-01", _aggregates_from_state())):
        rows = counts[counts["as_of"] == pd.Timestamp(as_of)].set_index("party")
        for party in ("US", "Russia"):
            assert tuple(int(v) for v in rows.loc[party, cols]) == found[party], (as_of, party)


# --- Numbered paragraphs --------------------------------------------------------------------

@pytest.mark.parametrize("sid", list(sources.SOURCE_FILES))
def test_paragraphs_are_numbered_in_order_and_cover_the_body(sid):
    raw = sources.raw_text(sid)
    table = sources.paragraph_table(sid)
    assert list(table.columns) == ["paragraph", "section", "start", "end", "text"]
    assert list(table["paragraph"]) == list(range(1, len(table) + 1))
    assert all(raw[r.start:r.end] == r.text and r.text.strip() for r in table.itertuples())
    assert (table["start"].iloc[1:].to_numpy() > table["end"].iloc[:-1].to_numpy()).all()
    assert [p.text for p in sources.paragraphs(sid)] == list(table["text"])
    # Every visible character of the body is in exactly one block or is page furniture.
    covered = [0] * len(raw)
    for block in sources.blocks(sid):
        for i in range(block.passage.start, block.passage.end):
            covered[i] += 1
    for _, p in sources.page_furniture(sid):
        for i in range(p.start, p.end):
            covered[i] += 1
    body = sources.article_body(sid)
    for i in range(body.start, body.end):
        assert covered[i] == 1 or (covered[i] == 0 and raw[i].isspace()), (sid, i)
    heads = {h.start for h in sources.subheadings(sid)}
    furniture = {p.start for _, p in sources.page_furniture(sid)}
    assert not (set(table["start"]) & (heads | furniture))


def test_cnn_paragraphs_leave_out_dateline_subheadlines_and_credit():
    table = sources.paragraph_table("cnn_2018")
    assert len(table) == 24
    assert table.iloc[0]["text"].startswith("The Russian government has said")
    assert table.iloc[-1]["text"].startswith("“I don’t know whether they will succeed")
    assert not table["text"].str.contains("Russia agrees treaty has problems").any()
    assert set(table["section"]) == {"", "Russia agrees treaty has problems",
                                     "Gorbachev urges treaty’s preservation"}
    kinds = [b.kind for b in sources.blocks("cnn_2018")]
    assert kinds[0] == "dateline" and kinds[-1] == "credit line" and kinds.count("heading") == 2
    heading = sources.subheadings("cnn_2018")[0]
    with pytest.raises(ValueError, match="heading 'Russia agrees treaty has problems'"):
        sources.paragraph_number("cnn_2018", heading.start)
    with pytest.raises(ValueError, match="not inside a numbered paragraph"):
        sources.paragraph_number("cnn_2018", 0)  # a photo caption before the body
    with pytest.raises(ValueError, match="outside the text"):
        sources.paragraph_number("cnn_2018", 10**6)


def test_statemedia_numbering_runs_through_all_reports_without_captions():
    table = sources.paragraph_table("statemedia_2020")
    assert len(table) == 37
    assert not table["text"].str.contains("gestures while speaking").any()
    assert "Russian President Vladimir Putin" not in set(table["text"].str.strip())
    putin = table[table["section"].str.startswith("Putin Says US Withdrawal")]
    assert list(putin["paragraph"]) == list(range(26, 34))
    for report in sources.reports("statemedia_2020"):
        span = report.passage
        inside = table[(table["start"] >= span.start) & (table["end"] <= span.end)]
        assert set(inside["section"]) == {report.headline}


def test_treaty_paragraph_rejoins_a_word_broken_across_a_blank_line():
    table = sources.paragraph_table("inf_treaty_text").set_index("paragraph")
    assert table.loc[1, "text"].startswith("Signed at Washington December 8, 1987")
    assert "transporter-\n\nerector-launcher" in table.loc[12, "text"]
    assert table.loc[12, "section"] == "Article II"
    assert table.loc[8, "section"] == "Article I"
    assert "transporter-erector-launcher" in sources.clean_text("inf_treaty_text")
    assert "transporter-erector" not in sources.raw_text("inf_treaty_text")


def test_single_line_sources_number_lines_and_keep_a_table_together():
    mid = sources.paragraph_table("mid_new_start_2022")
    assert len(mid) == 3 and mid.iloc[0]["text"].count(" |") == 12
    assert mid.iloc[2]["text"].startswith("As the Russian Side has repeatedly indicated")
    uk = sources.paragraph_table("putin_inf_2020_uk")
    assert len(uk) == 7 and "Official translation" not in set(uk["text"])
    para, s, e = sources.paragraph_around("putin_inf_2020_uk", uk.iloc[1]["start"],
                                          uk.iloc[1]["start"] + 8)
    assert para == uk.iloc[1]["text"]


def test_quotes_paragraph_column_matches_the_text():
    table = data.load_quotes()
    for q in table.itertuples():
        assert q.paragraph == sources.paragraph_number(q.source_id, q.start), q.quote_id
        para = sources.paragraph_table(q.source_id).set_index("paragraph").loc[q.paragraph]
        assert para["start"] <= q.start and q.end <= para["end"], q.quote_id


def test_cite_gives_short_paragraph_citations():
    assert sources.cite("cnn_q04") == "CNN ¶7"
    assert sources.cite("sm_q19") == "State media ¶28"
    assert sources.cite("inf_q04") == "INF Treaty ¶8"
    assert sources.citation("mid_new_start_2022", 900) == "Russian MFA, March 2022 data ¶3"
    with pytest.raises(KeyError, match="unknown quote id 'cnn_q99'"):
        sources.cite("cnn_q99")


def _make_quotes_module():
    spec = importlib.util.spec_from_file_location("make_quotes", ROOT / "tools" / "make_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quotes_csv_is_exactly_what_make_quotes_computes():
    """Offsets and paragraph numbers in quotes.csv are computed by the tool, never typed."""
    with open(DATA_DIR / "quotes.csv", encoding="utf-8", newline="") as f:
        stored = list(csv.DictReader(f))
    built = [{k: str(v) for k, v in row.items()} for row in _make_quotes_module().build_rows()]
    assert built == stored


# --- The loader checks the new columns ------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _rewrite(path, column, row_index, value):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row_index][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_loader_rejects_an_unknown_source_kind(data_copy):
    _rewrite(data_copy / "sources.csv", "source_kind", 2, "blog")
    with pytest.raises(data.DataError, match=r"sources.csv, line 4, column 'source_kind': 'blog' "
                                             "is not one of: official"):
        data.load_sources(data_copy)


def test_loader_rejects_a_quote_whose_kind_differs_from_its_source(data_copy):
    _rewrite(data_copy / "quotes.csv", "source_kind", 0, "official")
    with pytest.raises(data.DataError, match=r"quotes.csv, line 2, column 'source_kind': "
                                             "'official' differs from the source_kind of cnn_2018"):
        data.load_quotes(data_copy)


def test_loader_rejects_a_retrieved_from_that_is_not_an_address(data_copy):
    _rewrite(data_copy / "sources.csv", "retrieved_from", 3, "the FAS website")
    with pytest.raises(data.DataError, match="'the FAS website' is not a web address"):
        data.load_sources(data_copy)


def test_readme_documents_every_sources_and_quotes_column_and_every_layout():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name in ("sources", "quotes"):
        section = readme.split(f"## `{name}.csv`")[1].split("\n## ")[0]
        for column in data.TABLES[name].columns:
            assert f"`{column}`" in section, f"{name}.csv column {column} is not documented"
    numbering = readme.split("## Numbered paragraphs")[1].split("\n## ")[0]
    for sid in sources.SOURCE_FILES:
        assert f"`{sid}`" in numbering, f"the paragraph rule for {sid} is not documented"


def test_shareamerica_caption_run_into_a_paragraph_is_furniture():
    caption = "Brief history of INF Treaty and Russian violations (State Dept.; Photo: © Shutterstock)"
    raw = sources.raw_text("shareamerica_inf_2019")
    assert caption + "Russia only acknowledged" in raw
    table = sources.paragraph_table("shareamerica_inf_2019").set_index("paragraph")
    assert table.loc[5, "text"].startswith("Russia only acknowledged the missile’s existence")
    assert ("caption", caption) in [(k, p.text) for k, p in sources.page_furniture(
        "shareamerica_inf_2019")]
    clean = sources.clean_text("shareamerica_inf_2019")
    assert "Shutterstock" not in clean and "AP Images" not in clean
    assert "\nRussia only acknowledged the missile’s existence" in clean
