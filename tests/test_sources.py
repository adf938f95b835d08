"""The primary sources: untouched raw files, cleaning, report splitting, passages, quotes."""
import hashlib

import pytest

from armscontrol import SOURCES_DIR, data, sources


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
    with pytest.raises(KeyError, match="valid source ids are: cnn_2018, statemedia_2020"):
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
    """Every span in quotation marks inside an article body is in quotes.csv (or a caption)."""
    import re
    quotes = data.load_quotes()
    recorded = {(r.source_id, r.start) for r in quotes.itertuples()}
    for sid in sources.SOURCE_FILES:
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
