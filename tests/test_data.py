"""The data set: every table loads typed, every row is sourced, and broken rows fail clearly.

The fault tests work on temporary copies of data/ with one row broken on purpose, and check that
the error names the file, the line, the column and the problem.
"""
import os
import re
import shutil

import pandas as pd
import pytest

from armscontrol import DATA_DIR, data

EVENTS_HEADER = ("event_id,date,date_precision,treaty,actors,type,title,summary,"
                 "source_quote,source_url,source_title,source_kind\n")
GOOD_EVENT = ('inf_signed,1987-12-08,day,INF,US;USSR,signature,INF Treaty signed,'
              'Reagan and Gorbachev sign the treaty.,,https://example.org/inf,INF at a glance,'
              'research or think tank\n')
MISSILES = ("system_id,name,nato_name,us_designation,russian_designation,country,basing,kind,"
            "inf_status,source_url,source_title,source_kind\n"
            "ss20,SS-20,Saber,,RSD-10,USSR,ground,ballistic,eliminated under INF,"
            "https://example.org/ss20,SS-20 page,reference work\n")
RANGES_HEADER = ("claim_id,system_id,range_km,claim_type,claimant,source_quote,source_url,"
                 "source_title,source_kind\n")


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ with small events, missiles and ranges tables we can break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    (target / "events.csv").write_text(EVENTS_HEADER + GOOD_EVENT, encoding="utf-8")
    (target / "missiles.csv").write_text(MISSILES, encoding="utf-8")
    (target / "missile_ranges.csv").write_text(
        RANGES_HEADER + "ss20_aca,ss20,5000,maximum,ACA,,https://example.org/r,Range page,"
        "research or think tank\n",
        encoding="utf-8")
    return target


def append(path, line):
    with path.open("a", encoding="utf-8") as f:
        f.write(line)


def test_small_copy_loads(data_copy):
    events = data.load_events(data_copy)
    assert events.loc[0, "date"] == pd.Timestamp("1987-12-08")
    assert data.load_missile_ranges(data_copy)["range_km"].dtype == "int64"


def test_unparseable_date_names_file_line_column(data_copy):
    append(data_copy / "events.csv", GOOD_EVENT.replace("inf_signed,1987-12-08", "x,1987-13-45"))
    with pytest.raises(data.DataError) as err:
        data.load_events(data_copy)
    message = str(err.value)
    assert "events.csv, line 3, column 'date'" in message
    assert "'1987-13-45' is not a date" in message and "YYYY-MM-DD" in message


#: One bad row appended to a small table: (table, the row, what the error must say).
BAD_ROWS = [
    pytest.param("events",
                 "x,1988-06-01,day,INF,US;USSR,entry into force,In force,Summary.,,,,official\n",
                 r"line 3, column 'source_url': this row names no source",
                 id="row_without_any_source"),
    pytest.param("events",
                 "x,1988-06-01,day,INF,US,entry into force,In force,Summary.,,https://a.org,,"
                 "official\n",
                 "column 'source_title': a reference needs both", id="url_without_title"),
    pytest.param("events",
                 "x,2018-10-22,day,INF,Russia,denial,Peskov denies,Summary.,cnn_q99,,,news report\n",
                 r"line 3, column 'source_quote': 'cnn_q99' does not exist in quotes.csv",
                 id="dangling_quote_reference"),
    pytest.param("events", GOOD_EVENT,
                 r"line 3, column 'event_id': duplicate event_id 'inf_signed', already used at "
                 r".*events.csv, line 2", id="duplicate_id_names_both_lines"),
    pytest.param("events", GOOD_EVENT.replace("inf_signed,", "y,").replace(",INF,", ",SALT,"),
                 r"column 'treaty': 'SALT' is not one of: INF, New START, other",
                 id="unknown_category_lists_choices"),
    pytest.param("events", GOOD_EVENT.replace("inf_signed,1987-12-08,day", "y,1987-12,day"),
                 "'day' does not match the date '1987-12'", id="precision_must_match_the_date"),
    pytest.param("missile_ranges", "bad,ss99,500,maximum,Someone,,https://a.org,T,other\n",
                 r"column 'system_id': 'ss99' does not exist in missiles.csv",
                 id="range_for_unknown_missile"),
    pytest.param("missile_ranges", "r2,ss20,4700,maximum,X,,https://a.org,T,\n",
                 r"missile_ranges.csv, line 3, column 'source_kind': empty, but this column is "
                 "required", id="empty_source_kind_in_a_data_file"),
]


@pytest.mark.parametrize("table, row, problem", BAD_ROWS)
def test_bad_row_is_rejected(data_copy, table, row, problem):
    append(data_copy / f"{table}.csv", row)
    with pytest.raises(data.DataError, match=problem):
        data.load_table(table, data_copy)


def test_existing_quote_reference_is_accepted(data_copy):
    append(data_copy / "events.csv",
           "x,2018-10-22,day,INF,Russia,denial,Peskov denies,Summary.,cnn_q06,,,news report\n")
    assert len(data.load_events(data_copy)) == 2


@pytest.mark.parametrize("value, problem", [
    ("-500", "below the smallest plausible value"),
    ("0", "below the smallest plausible value"),
    ("25000", "above the largest plausible value, 20004"),
    ("5,500", "fields but the header has"),
    ("about 500", "is not a whole number"),
])
def test_bad_range_is_rejected(data_copy, value, problem):
    append(data_copy / "missile_ranges.csv", f"bad,ss20,{value},maximum,Someone,,https://a.org,T,other\n")
    with pytest.raises(data.DataError, match=problem) as err:
        data.load_missile_ranges(data_copy)
    assert "missile_ranges.csv, line 3" in str(err.value)


def test_unknown_source_kind_names_file_line_column_and_the_kinds(data_copy):
    append(data_copy / "events.csv", GOOD_EVENT.replace("inf_signed,", "y,")
           .replace("research or think tank", "blog"))
    with pytest.raises(data.DataError) as err:
        data.load_events(data_copy)
    message = str(err.value)
    assert "events.csv, line 3, column 'source_kind': 'blog' is not one of: official" in message
    assert "research or think tank, reference work, other" in message


def test_missing_column_is_named(data_copy):
    (data_copy / "events.csv").write_text(
        EVENTS_HEADER.replace("summary,", "") + GOOD_EVENT.replace("Reagan and Gorbachev sign "
                                                                   "the treaty.,", ""))
    with pytest.raises(data.DataError, match="column 'summary': column missing"):
        data.load_events(data_copy)


def test_edited_raw_source_fails_checksum(data_copy):
    raw = data_copy / "sources" / "000_ba21c5809a8d4e30.txt"
    raw.write_bytes(raw.read_bytes().replace(b"Peskov", b"Peskoff", 1))
    with pytest.raises(data.DataError, match="column 'sha256'.*raw source was edited"):
        data.load_sources(data_copy)


def test_quote_at_wrong_offsets_says_where_it_really_is(data_copy):
    path = data_copy / "quotes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",7815,7822,", ",7816,7823,"), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"column 'quote': not found at offsets 7816:7823.*"
                       r"does occur at 7815:7822"):
        data.load_quotes(data_copy)


def test_student_events_are_validated_with_row_numbers(data_copy):
    mine = pd.DataFrame([{
        "event_id": "my_event", "date": pd.Timestamp("2019-08-02"), "date_precision": "day",
        "treaty": "INF", "actors": "US", "type": "withdrawal", "title": "US leaves",
        "summary": "The US withdraws.", "source_quote": "", "source_url": "https://a.org",
        "source_title": "A page"}])
    typed = data.validate_events(mine, data_copy)
    assert typed.loc[0, "date"] == pd.Timestamp("2019-08-02")
    mine["date"] = ["2 August 2019"]
    with pytest.raises(data.DataError, match=r"your events, row 0, column 'date'"):
        data.validate_events(mine, data_copy)
    mine["date"] = [pd.Timestamp("2019-08-02")]
    mine["source_kind"] = ["gossip"]
    with pytest.raises(data.DataError, match=r"your events, row 0, column 'source_kind': "
                       r"'gossip' is not one of"):
        data.validate_events(mine, data_copy)
    mine["source_kind"] = ["wire service"]
    assert data.validate_events(mine, data_copy).loc[0, "source_kind"] == "wire service"


# --- the real data set -------------------------------------------------------------------

@pytest.mark.parametrize("name", data.tables())
def test_every_table_loads_and_is_not_empty(name):
    assert len(data.load_table(name)) > 0


@pytest.mark.parametrize("name", [n for n in data.tables() if data.TABLES[n].cites_source])
def test_every_row_names_a_source(name):
    table = data.load_table(name)
    has_quote = table["source_quote"].ne("") if "source_quote" in table else False
    has_ref = table["source_url"].ne("") & table["source_title"].ne("")
    assert (has_quote | has_ref).all()


def test_dates_and_counts_are_typed():
    assert str(data.load_events()["date"].dtype).startswith("datetime64")
    assert isinstance(data.load_events()["treaty"].dtype, pd.CategoricalDtype)
    assert data.load_new_start_counts()["deployed_warheads"].dtype == "int64"


def test_events_span_the_cold_war_to_2026_and_include_the_articles():
    events = data.load_events()
    assert len(events) >= 40
    assert events["date"].min().year <= 1979 and events["date"].max().year >= 2026
    cited = set(q for cell in events["source_quote"] for q in data.split_list(cell))
    assert any(q.startswith("cnn_") for q in cited) and any(q.startswith("sm_") for q in cited)


def test_new_start_counts_cover_both_parties_2011_to_2022():
    counts = data.load_new_start_counts()
    assert set(counts["party"]) == {"US", "Russia"}
    both = counts.groupby("as_of", observed=True)["party"].nunique().eq(2)
    years = both[both].index.year
    assert years.min() == 2011 and years.max() >= 2021
    # After Russia's suspension in February 2023 only the US published its numbers.
    after = counts[counts["as_of"] >= "2023-01-01"]
    assert set(after["party"]) <= {"US"}


def test_9m729_has_competing_range_claims():
    ranges = data.load_missile_ranges()
    missiles = data.load_missiles()
    disputed = missiles.loc[missiles["inf_status"] == "disputed", "system_id"]
    assert len(disputed) >= 1
    claims = ranges[ranges["system_id"].isin(disputed)]
    assert claims["claimant"].nunique() >= 2
    assert claims["range_km"].min() < 500 < claims["range_km"].max()


def test_inf_band_is_read_from_treaty_limits():
    assert data.inf_band_km() == (500, 1000, 5500)
    with pytest.raises(KeyError, match="no row with limit_id 'inf_nope'"):
        data.limit_value("inf_nope")


def test_ranges_we_converted_from_miles_say_so_and_are_right():
    """A claim given in miles is stored in km; the claimant text shows the sum, '(N mi = M km)'."""
    from armscontrol.geo import KM_PER_MILE
    claims = data.load_missile_ranges()
    converted = claims[claims["claimant"].str.contains("converted by us")]
    assert len(converted) >= 1
    for row in converted.itertuples():
        sum_shown = re.search(r"\(([\d,]+) mi = ([\d,]+) km\)", row.claimant)
        assert sum_shown, f"{row.claim_id}: say the conversion as '(N mi = M km)'"
        miles, km = (int(n.replace(",", "")) for n in sum_shown.groups())
        assert km == round(miles * KM_PER_MILE) == row.range_km, row.claim_id


def test_inf_eliminations_cover_every_eliminated_system_and_add_up_to_the_totals():
    """Every system marked 'eliminated under INF' has a count, and each party's counts add up
    to the total the events table gives for the end of eliminations (846 US, 1,846 Soviet)."""
    elims = data.load_inf_eliminations()
    missiles = data.load_missiles()
    eliminated = set(missiles.loc[missiles["inf_status"] == "eliminated under INF", "system_id"])
    assert eliminated == set(elims["system_id"])
    summary = data.load_events().set_index("event_id").loc["inf_eliminations_complete", "summary"]
    us_total, soviet_total = (int(n.replace(",", "")) for n in
                              re.search(r"eliminated ([\d,]+) and the Soviet Union ([\d,]+)",
                                        summary).groups())
    sums = elims.groupby("party", observed=True)["missiles_eliminated"].sum()
    assert (sums["US"], sums["USSR"]) == (us_total, soviet_total) == (846, 1846)


# --- what kinds of source the data rest on (data/README.md, "source_kind") ------------------

@pytest.mark.parametrize("name", data.FACT_TABLES)
def test_every_row_says_what_kind_of_source_it_rests_on(name):
    table = data.load_table(name)
    assert table["source_kind"].notna().all()
    assert set(table["source_kind"].astype(str)) <= set(data.SOURCE_KINDS)


def test_no_row_rests_only_on_a_source_of_kind_other():
    resting_on_other = data.rows_by_source_kind("other")
    assert resting_on_other.empty, (
        "these rows rest only on a source of kind 'other' (a blog, a content farm, an unknown "
        "site); find an official page, a wire service, a research organisation or the outlet's "
        "own page:\n" + resting_on_other.to_string())


def test_readme_states_how_many_rows_rest_only_on_news_reports():
    news_only = data.rows_by_source_kind("news report")
    print(news_only.to_string())  # the list, for pytest -s
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*(\d+) rows\*\* rest only on a news report", readme)
    assert stated, "data/README.md should say '**N rows** rest only on a news report'"
    assert int(stated.group(1)) == len(news_only), (
        f"data/README.md says {stated.group(1)} rows rest only on a news report; the data have "
        f"{len(news_only)}: update the README")
    by_table = news_only["table"].value_counts()
    for name, count in by_table.items():
        assert re.search(rf"`{name}.csv` {count}\b", readme), (
            f"data/README.md should give the count per table, e.g. '`{name}.csv` {count}'")


def test_rows_by_source_kind_names_table_row_and_title():
    official = data.rows_by_source_kind("official")
    assert {"events", "new_start_counts", "sites"} <= set(official["table"])
    assert "2023-03-01/US" in set(official.loc[official["table"] == "new_start_counts", "row"])
    with pytest.raises(ValueError, match="'blog' is not a source kind"):
        data.rows_by_source_kind("blog")


def test_milestones_the_lessons_cite_are_present_with_their_dates():
    """Event ids the lessons and instructor guides link to (issue 12 item 3), with their dates."""
    expected = {
        "schmidt_iiss_speech": "1977-10-28", "nato_dual_track": "1979-12-12",
        "able_archer_83": "1983-11", "bundestag_approves_deployment": "1983-11-22",
        "reykjavik_summit": "1986-10-11", "gorbachev_unlinks_sdi": "1987-02-28",
        "double_zero_1987": "1987-04-14", "global_double_zero_1987": "1987-07-22",
        "agreement_in_principle_1987": "1987-09-18", "putin_munich_speech": "2007-02-10",
        "russia_threatens_inf_exit": "2007-02-15", "un_globalise_inf": "2007-10-25",
        "crimea_annexation": "2014-03-18", "russia_counter_charges_2014": "2014-07-30",
        "russia_repeats_mk41_charge": "2015-06-11", "us_election_2020": "2020-11-07",
        "russia_invades_ukraine": "2022-02-24", "bcc_postponed": "2022-11-28",
        "putin_signs_suspension_law": "2023-02-28", "us_countermeasures_2023": "2023-06-01",
        "oreshnik_dnipro": "2024-11-21", "oreshnik_belarus": "2025-12-18",
        "abu_dhabi_dialogue": "2026-02-05",
    }
    events = data.load_events().set_index("event_id")
    missing = sorted(set(expected) - set(events.index))
    assert not missing, f"events.csv lacks {missing}"
    precision_format = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    for event_id, date in expected.items():
        row = events.loc[event_id]
        assert row["date"].strftime(precision_format[row["date_precision"]]) == date, event_id
        assert row["source_kind"] != "other", event_id


FLIGHT_HEADER = ("claim_id,system_id,minutes,claim_type,claimant,claimant_side,source_quote,"
                 "source_url,source_title,source_kind\n")


def test_flight_time_claims_load_typed_and_attributed():
    """Each flight-time claim is a typed row with its claimant and side: the Pershing II's six
    minutes is Moscow's claim, twelve to 15 Perle's, and no row passes for a measurement."""
    claims = data.load_flight_time_claims()
    assert claims["minutes"].dtype == "int64"
    p2 = claims[claims["system_id"] == "pershing2"].set_index("claim_id")
    assert p2.loc["pershing2_soviet_6", ["minutes", "claim_type", "claimant_side"]].tolist() == \
        [6, "stated", "USSR"]
    perle = p2[p2["claimant"].str.contains("Perle") & (p2["claimant_side"] == "US")]
    assert sorted(zip(perle["claim_type"], perle["minutes"])) == [("lower bound", 12),
                                                                   ("upper bound", 15)]
    assert (claims["source_url"].str.startswith("https://") & claims["source_title"].ne("")).all()


@pytest.mark.parametrize("row, column, problem", [
    ("x,pershing2,600,stated,Someone,US,,https://a.org,T,other\n", "minutes",
     "above the largest plausible value"),
    ("x,pershing2,6,about,Someone,US,,https://a.org,T,other\n", "claim_type", "is not one of"),
    ("x,pershing2,6,stated,Someone,Moscow,,https://a.org,T,other\n", "claimant_side",
     "is not one of"),
    ("x,ss99,6,stated,Someone,US,,https://a.org,T,other\n", "system_id", "does not exist"),
])
def test_broken_flight_time_claim_names_line_and_column(data_copy, row, column, problem):
    (data_copy / "flight_time_claims.csv").write_text(FLIGHT_HEADER + row, encoding="utf-8")
    (data_copy / "missiles.csv").write_text(MISSILES.replace("ss20,SS-20", "pershing2,Pershing II"),
                                            encoding="utf-8")
    with pytest.raises(data.DataError) as err:
        data.load_flight_time_claims(data_copy)
    assert f"flight_time_claims.csv, line 2, column {column!r}" in str(err.value)
    assert problem in str(err.value)


# --- the in-memory cache of checked tables --------------------------------------------------

def _touch_later(path, seconds=5):
    """Move a file's modification time on, so a rewrite is seen even on a coarse clock."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


def test_changing_a_loaded_table_does_not_change_the_next_load():
    first = data.load_sites()
    untouched = first.copy()
    first.loc[first.index[0], "name"] = "Nowhere"
    first["lat"] = 0.0
    del first["note"]
    again = data.load_sites()
    pd.testing.assert_frame_equal(again, untouched)
    assert again is not data.load_sites()  # each call hands out its own copy


def test_a_second_load_does_not_read_the_files_again(data_copy, monkeypatch):
    first = data.load_missile_ranges(data_copy)

    def no_reading(path):
        raise AssertionError(f"{path} read again although no file changed")

    monkeypatch.setattr(data, "_read_rows", no_reading)
    pd.testing.assert_frame_equal(data.load_missile_ranges(data_copy), first)


def test_a_changed_csv_is_read_again(data_copy):
    assert len(data.load_events(data_copy)) == 1
    append(data_copy / "events.csv", GOOD_EVENT.replace("inf_signed,1987-12-08",
                                                        "inf_in_force,1988-06-01"))
    _touch_later(data_copy / "events.csv")
    assert list(data.load_events(data_copy)["event_id"]) == ["inf_signed", "inf_in_force"]


def test_a_change_to_a_table_referred_to_is_checked_again(data_copy):
    data.load_missile_ranges(data_copy)
    (data_copy / "missiles.csv").write_text(MISSILES.replace("ss20,SS-20", "ss21,SS-21"),
                                            encoding="utf-8")
    _touch_later(data_copy / "missiles.csv")
    with pytest.raises(data.DataError, match="'ss20' does not exist in missiles.csv"):
        data.load_missile_ranges(data_copy)


def test_an_edited_raw_source_is_caught_after_a_first_good_load(data_copy):
    data.load_sources(data_copy)
    raw = data_copy / "sources" / "000_ba21c5809a8d4e30.txt"
    raw.write_bytes(raw.read_bytes().replace(b"Peskov", b"Peskoff", 1))
    _touch_later(raw)
    with pytest.raises(data.DataError, match="SHA-256"):
        data.load_sources(data_copy)
