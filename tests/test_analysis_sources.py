"""armscontrol.analysis_sources: dating, wording, paragraph search and the claims table."""
import pandas as pd
import pytest

from armscontrol import analysis_sources as an
from armscontrol import data, inf, sources


@pytest.fixture(scope="module")
def events():
    return data.load_events()


def _events(rows):
    table = pd.DataFrame(rows, columns=["event_id", "date", "date_precision"])
    table["date"] = pd.to_datetime(table["date"])
    return table


# --- dating -----------------------------------------------------------------------------------

def test_weekday_table_names_days_and_leaves_coarse_dates_blank():
    table = an.weekday_table(_events([("a", "2018-10-20", "day"), ("b", "2018-10-01", "month")])
                             .assign(title=["A", "B"]), ["b", "a"])
    assert list(table.index) == ["b", "a"]
    assert list(table["weekday"]) == ["", "Saturday"]


def test_weekday_table_rejects_unknown_ids(events):
    with pytest.raises(KeyError, match="no_such_event"):
        an.weekday_table(events, ["no_such_event"])


def test_weekday_pairs_finds_saturday_and_following_monday_only():
    table = _events([("sat", "2018-10-20", "day"), ("mon", "2018-10-22", "day"),
                     ("mon_later", "2018-10-29", "day"), ("sat_month", "2018-10-20", "month"),
                     ("sun", "2018-10-21", "day")])
    pairs = an.weekday_pairs(table, "Saturday", "Monday")
    assert list(zip(pairs["first_event"], pairs["second_event"])) == [("sat", "mon")]
    assert pairs["days_apart"].tolist() == [2]


def test_weekday_pairs_in_the_data_date_the_cnn_article(events):
    cnn = events[events["source_quote"].str.contains("cnn_", na=False)]
    pairs = an.weekday_pairs(cnn)
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert row["first_date"].day_name() == "Saturday"
    assert row["second_date"] - row["first_date"] == pd.Timedelta(days=2)


def test_weekday_pairs_rejects_a_misspelt_day():
    with pytest.raises(ValueError, match="Saturdy"):
        an.weekday_pairs(_events([]), "Saturdy", "Monday")


@pytest.mark.parametrize("day, monday, sunday", [
    ("2020-10-26", "2020-10-19", "2020-10-25"),   # a Monday
    ("2020-10-27", "2020-10-19", "2020-10-25"),   # a Tuesday, same week
    ("2020-11-01", "2020-10-19", "2020-10-25"),   # the Sunday ending that week
    ("2020-11-02", "2020-10-26", "2020-11-01"),
])
def test_week_before_is_the_previous_monday_to_sunday(day, monday, sunday):
    assert an.week_before(day) == (pd.Timestamp(monday), pd.Timestamp(sunday))


def test_date_mentions_reads_each_form():
    cnn = an.date_mentions("cnn_2018")
    furniture = cnn[cnn["part"] == "page furniture"]
    article = cnn[cnn["part"] == "article"]
    assert furniture["year"].max() > article["year"].max()
    assert pd.Timestamp("2021-02-20") in set(furniture["date"])          # "Feb. 20, 2021"
    assert pd.Timestamp("2021-02-18") in set(furniture["date"])          # "FEBRUARY 18, 2021"
    assert "February 25" in set(furniture.loc[furniture["date"].isna(), "text"])
    raw = sources.raw_text("cnn_2018")
    assert all(raw[r.start:r.end] == r.text for r in cnn.itertuples())
    sm = an.date_mentions("statemedia_2020").set_index("text")
    assert sm.loc["5 February 2021", "date"] == pd.Timestamp("2021-02-05")
    assert sm.loc["22 October", "precision"] == "day, no year"
    assert pd.isna(sm.loc["22 October", "date"])
    assert "caption" in set(an.date_mentions("statemedia_2020")["part"])


def test_date_mentions_does_not_take_the_verb_may_for_a_month():
    texts = an.date_mentions("cnn_2018")["text"].str.lower()
    assert "may" not in set(texts)
    assert "may" in sources.clean_text("cnn_2018")


def test_keyword_in_context_gives_whole_sentences_and_reports():
    table = an.keyword_in_context("statemedia_2020", ["Last week", "On 22 October"])
    assert list(table["needle"]) == ["Last week", "On 22 October"]
    assert table["sentence"].str.startswith(("Last week", "On 22 October")).all()
    assert table["sentence"].str.endswith(".").all()
    assert list(table["report"]) == [3, 3]
    assert an.keyword_in_context("cnn_2018", "Now playing").empty  # page furniture is skipped


# --- reading ----------------------------------------------------------------------------------

def test_report_number_follows_the_subheadings():
    heads = sources.subheadings("statemedia_2020")
    assert an.report_number("statemedia_2020", 0) == 1
    assert an.report_number("statemedia_2020", heads[0].start) == 2
    assert an.report_number("statemedia_2020", heads[-1].end + 5) == len(heads) + 1
    assert an.report_number("cnn_2018", 5000) is None
    with pytest.raises(KeyError):
        an.report_number("bbc", 0)


def test_every_quote_lies_in_the_report_reports_table_gives_it():
    quotes = data.load_quotes()
    table = an.reports_table()
    for q in quotes[quotes["source_id"] == "statemedia_2020"].itertuples():
        number = an.report_number("statemedia_2020", q.start)
        assert table.loc[number, "start"] <= q.start < table.loc[number, "end"], q.quote_id


def test_term_counts_ignore_case_and_page_furniture():
    table = an.term_counts(["alleged", "now playing", "VIOLAT"])
    assert table.loc["now playing", "cnn_2018"] == 0  # only in the page furniture
    assert table.loc["VIOLAT", "cnn_2018"] == sources.clean_text("cnn_2018").lower().count("violat")
    assert (table["total"] == table["cnn_2018"] + table["statemedia_2020"]).all()
    with pytest.raises(ValueError, match="non-empty"):
        an.term_counts([""])


def test_compare_wordings_locates_text_and_refuses_misquotes():
    table = an.compare_wordings([("statemedia_2020", "alleged violations")])
    row = table.iloc[0]
    assert sources.raw_text("statemedia_2020")[row["start"]:row["end"]] == "alleged violations"
    assert "alleged violations" in row["sentence"]
    with pytest.raises(ValueError, match="occurs 0 time"):
        an.compare_wordings([("cnn_2018", "alleged violations")])


def test_search_paragraphs_needs_every_word_and_skips_captions():
    both = an.search_paragraphs("asia missiles")
    assert not both.empty
    for text in both["text"]:
        assert "asia" in text.lower() and "missiles" in text.lower()
    assert an.search_paragraphs("").empty
    # The Antonov photo caption mentions Helsinki; the article text does not.
    assert an.search_paragraphs("Helsinki").empty
    only_cnn = an.search_paragraphs("Peskov", ["cnn_2018"])
    assert set(only_cnn["source_id"]) == {"cnn_2018"}
    raw = sources.raw_text("cnn_2018")
    assert all(r.text in raw[r.start:r.end] for r in only_cnn.itertuples())


def test_highlight_marks_and_escapes():
    out = an.highlight_html("<b>China</b> and china", "china")
    assert out.count("<mark>") == 2 and "&lt;b&gt;" in out


def test_paragraph_search_widget_updates_when_typed_into():
    box = an.paragraph_search("")
    assert "Type one or more words" in box.results.value
    box.search.value = "non-starter"
    assert "1 paragraph(s)" in box.results.value and "<mark>non-starter</mark>" in box.results.value
    box.boxes["statemedia_2020"].value = False
    assert "0 paragraph(s)" in box.results.value
    assert repr(box) == "ParagraphSearch(words='non-starter')"


# --- claims and evidence ----------------------------------------------------------------------

def test_range_claims_read_lower_bounds_as_at_least():
    ranges = pd.DataFrame({"system_id": ["x", "x", "x"], "range_km": [480, 500, 5500],
                           "claim_type": ["maximum", "more than", "more than"],
                           "claimant": ["A", "B", "C"]})
    missiles = pd.DataFrame({"system_id": ["x"], "basing": ["ground"]})
    table = an.range_claims("x", ranges, missiles=missiles)
    assert list(table["inf_reading"]) == [inf.BELOW, inf.AT_LEAST_SHORTER, inf.ABOVE]
    assert list(table["puts_it_in_band"]) == [False, True, False]
    sea = an.range_claims("x", ranges, missiles=missiles.assign(basing="sea"))
    assert set(sea["inf_reading"]) == {inf.NOT_GROUND}
    with pytest.raises(KeyError, match="9m729"):
        an.range_claims("nothing", data.load_missile_ranges())


def test_miles_to_km():
    assert an.miles_to_km(1) == pytest.approx(1.609344)
    assert round(an.miles_to_km(3400)) == 5472


def test_new_start_headroom_flags_counts_over_a_limit():
    counts = pd.DataFrame({"as_of": pd.to_datetime(["2011-02-05", "2020-09-01"]),
                           "party": ["US", "US"], "deployed_launchers": [882, 675],
                           "deployed_warheads": [1800, 1457], "total_launchers": [1124, 800]})
    table = an.new_start_headroom(counts)
    assert table["deployed_warheads_headroom"].tolist() == [1550 - 1800, 1550 - 1457]
    assert table["total_launchers_headroom"].tolist() == [800 - 1124, 0]
    assert table["within_all_limits"].tolist() == [False, True]


def test_days_between_is_signed(events):
    forward = an.days_between(events, "trump_announces_inf_exit", "peskov_replies")
    assert forward == 2
    assert an.days_between(events, "peskov_replies", "trump_announces_inf_exit") == -2


def test_claims_table_points_at_real_passages():
    table = an.claims_table()
    quotes = data.load_quotes().set_index("quote_id")
    assert {"claim", "claimant", "source_id", "quote_id", "start", "evidence", "first_reading"} \
        <= set(table.columns)
    assert len(table) >= 8
    for row in table.itertuples():
        if row.quote_id:
            assert quotes.loc[row.quote_id, "source_id"] == row.source_id
            assert quotes.loc[row.quote_id, "start"] == row.start
        assert 0 <= row.start < len(sources.raw_text(row.source_id))
        assert row.evidence and "nan" not in row.evidence.lower()
    sequence = table[table["quote_id"] == "sm_q17"].iloc[0]
    # The chronology puts O'Brien's remark before Putin's 22 October remarks, and the text's own
    # tenses ("has commented", "had previously suggested") do not say otherwise: out of order,
    # not contradicted.
    assert "before" in sequence["evidence"] and "had previously suggested" in sequence["evidence"]
    assert sequence["first_reading"] == "supported (told out of order)"
    assert sources.find_passage("statemedia_2020", "had previously suggested")


def test_eliminations_check_names_the_systems_the_table_lacks():
    check = an.eliminations_check()
    table = data.load_inf_eliminations()
    missiles = data.load_missiles()
    eliminated = missiles[missiles["inf_status"] == "eliminated under INF"]
    lacking = eliminated[~eliminated["system_id"].isin(table["system_id"])]["name"]
    assert check["systems_missing"] == sorted(lacking)
    assert check["table_total"] == table["missiles_eliminated"].sum()
    assert sum(check["by_party"].values()) == check["table_total"]
    assert "missiles" in check["event_summary"]


def test_thousands_reading_follows_the_completeness_of_the_table():
    table = an.claims_table()
    row = table[table["claim"].str.startswith("The treaty destroyed thousands")].iloc[0]
    check = an.eliminations_check()
    if check["systems_missing"]:
        assert row["first_reading"] != "supported"
        for name in check["systems_missing"]:
            assert name in row["evidence"]
    assert check["event_summary"] in row["evidence"]
