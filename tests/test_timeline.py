"""Unit tests for armscontrol.timeline: checks, filters, lanes, figure, detail panel, explorer."""
from __future__ import annotations

import html
import json
from html.parser import HTMLParser

import pandas as pd
import pytest
from plotly.callbacks import Points

from armscontrol import data, timeline as tl
from armscontrol.data import DataError

# A made-up source text: the quote sits in the middle paragraph and contains < and &.
QUOTE = 'missiles <b>& "launchers" </div><script>alert(1)</script>'
PARA_BEFORE = "The spokesman said that "
PARA_AFTER = " were the problem."
TEXT = f"Headline line\n\n{PARA_BEFORE}{QUOTE}{PARA_AFTER}\n\nA later paragraph.\n"
Q_START = TEXT.index(QUOTE)
TEXTS = {"src_a": TEXT}


def _event(event_id, date, precision="day", treaty="INF", actors="US", type_="decision",
           title=None, summary=None, quote="", url="https://example.org/ref", ref="Ref page"):
    return {"event_id": event_id, "date": date, "date_precision": precision, "treaty": treaty,
            "actors": actors, "type": type_, "title": title or f"Title {event_id}",
            "summary": summary or f"Summary of {event_id}.", "source_quote": quote,
            "source_url": url, "source_title": ref}


@pytest.fixture
def quotes():
    return pd.DataFrame([{
        "quote_id": "qa", "source_id": "src_a", "speaker": "A. Spokesman", "role": "press <office>",
        "quote": QUOTE, "start": Q_START, "end": Q_START + len(QUOTE), "attribution": "direct",
        "evidence_of": "test"}])


@pytest.fixture
def sources():
    return pd.DataFrame([{"source_id": "src_a", "outlet": "Test News (how we know)",
                          "headline": "Big <news> & more", "date": "2018-10-22",
                          "date_precision": "day"}])


@pytest.fixture
def events():
    return pd.DataFrame([
        _event("signed", "1987-12-08", treaty="INF", actors="US;USSR", type_="signature"),
        _event("ns_signed", "2010-04", "month", treaty="New START", actors="Russia;US",
               type_="signature"),
        _event("announce", "2018-10-20", actors="US", type_="withdrawal",
               title="Trump announces withdrawal", summary="Trump says <he> & Russia...",
               quote="qa", url="", ref=""),
        _event("reply", "2018-10-22", actors="Russia", type_="denial", quote="qa"),
        _event("reply2", "2018-10-22", actors="Russia", type_="statement"),
        _event("china", "2019", "year", treaty="other", actors="China", type_="statement"),
    ])


@pytest.fixture
def treaties():
    return pd.DataFrame([
        {"treaty_id": "INF", "name": "INF Treaty", "signed": "1987-12-08",
         "entered_into_force": "1988-06-01", "ended": "2019-08-02", "end_reason": "withdrawal"},
        {"treaty_id": "New START", "name": "New START", "signed": "2010-04-08",
         "entered_into_force": "2011-02-05", "ended": "", "end_reason": ""},
    ])


@pytest.fixture
def table(events, quotes):
    return tl.prepare_events(events, quotes)


def _marker_count(fig) -> int:
    return sum(len(t.x) for t in tl.event_traces(fig))


# --- vocabulary -------------------------------------------------------------------------------

def test_every_event_type_has_its_own_symbol_and_every_actor_an_okabe_ito_colour():
    assert list(tl.TYPE_SYMBOLS) == list(data.EVENT_TYPES)
    assert len(set(tl.TYPE_SYMBOLS.values())) == len(tl.TYPE_SYMBOLS)
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                 "#CC79A7"}
    assert set(tl.ACTOR_COLOURS) == set(data.ACTORS)
    assert set(tl.ACTOR_COLOURS.values()) <= okabe_ito
    assert len(set(tl.ACTOR_COLOURS.values())) == len(tl.ACTOR_COLOURS)


# --- checking events --------------------------------------------------------------------------

def test_prepare_sorts_assigns_lanes_and_spreads_same_day_events(table):
    assert list(table["event_id"]) == ["signed", "ns_signed", "announce", "reply", "reply2", "china"]
    lanes = dict(zip(table["event_id"], table["lane"]))
    assert lanes == {"signed": "INF", "ns_signed": "New START", "announce": "INF",
                     "reply": "INF", "reply2": "INF", "china": "other"}
    y = dict(zip(table["event_id"], table["y"]))
    assert y["signed"] == tl.LANE_Y["INF"] and y["ns_signed"] == tl.LANE_Y["New START"]
    assert y["china"] == tl.LANE_Y["other"]
    assert y["reply"] != y["reply2"]  # same day, same lane: not drawn on top of each other
    assert all(abs(y[e] - tl.LANE_Y[lanes[e]]) < 0.5 for e in y)  # but inside their lane
    assert dict(zip(table["event_id"], table["primary_actor"]))["ns_signed"] == "Russia"


def test_dates_are_written_to_their_precision(table):
    labels = dict(zip(table["event_id"], table["date_label"]))
    assert labels["signed"] == "8 December 1987"
    assert labels["ns_signed"] == "April 2010"
    assert labels["china"] == "2019"
    assert table.loc[table.event_id == "ns_signed", "date"].item() == pd.Timestamp("2010-04-01")


@pytest.mark.parametrize("field, value, words", [
    ("date", "2018-13-45", ["'2018-13-45'", "date"]),
    ("date", "22 Oct 2018", ["'22 Oct 2018'", "date"]),
    ("treaty", "SALT", ["'SALT'", "treaty"]),
    ("actors", "US;Mars", ["'Mars'", "actors"]),
    ("type", "party", ["'party'", "type"]),
    ("source_quote", "no_such_quote", ["'no_such_quote'", "source_quote"]),
])
def test_bad_rows_are_rejected_naming_the_row_and_field(events, quotes, field, value, words):
    events.loc[3, field] = value
    with pytest.raises(DataError) as caught:
        tl.prepare_events(events, quotes)
    message = str(caught.value)
    assert "row 3" in message and "'reply'" in message
    assert caught.value.column == field
    for word in words:
        assert word in message


def test_duplicate_ids_and_missing_sources_are_rejected(events, quotes):
    events.loc[1, "event_id"] = "signed"
    with pytest.raises(DataError, match="already used by events row 0"):
        tl.prepare_events(events, quotes)
    events.loc[1, "event_id"] = "ns_signed"
    events.loc[1, ["source_url", "source_title"]] = ""
    with pytest.raises(DataError) as caught:
        tl.prepare_events(events, quotes)
    assert caught.value.column == "source_url" and "row 1" in str(caught.value)


def test_without_a_quotes_table_rows_get_the_data_sets_own_checks(events):
    # quotes=None: armscontrol.data.validate_events checks against data/quotes.csv.
    bad = events.iloc[[0]].copy()
    bad.loc[0, "source_quote"] = "certainly_not_a_quote_id"
    with pytest.raises(DataError) as caught:
        tl.prepare_events(bad)
    assert caught.value.column == "source_quote" and "row 0" in str(caught.value)


def test_loaded_typed_columns_are_accepted(events, quotes):
    typed = events.copy()
    typed["date"] = [pd.Timestamp(d if len(d) == 10 else (d + "-01" if len(d) == 7 else d + "-01-01"))
                     for d in events["date"]]
    typed["treaty"] = pd.Categorical(typed["treaty"], categories=list(data.TREATY_CODES))
    assert tl.prepare_events(typed, quotes)[["event_id", "date"]].equals(
        tl.prepare_events(events, quotes)[["event_id", "date"]])


# --- students' own events ---------------------------------------------------------------------

def test_students_add_events_and_see_them(events, quotes, treaties):
    mine = tl.add_events(events, [_event("my_event", "2019-02-02", actors="Russia",
                                         type_="suspension", title="Russia suspends")],
                         quotes=quotes)
    assert len(mine) == len(events) + 1 and len(events) == 6  # the original is untouched
    fig = tl.timeline_figure(mine, treaties, quotes=quotes)
    assert any(["my_event"] in list(t.customdata or []) for t in fig.data)


def test_a_students_bad_row_is_named(events, quotes):
    with pytest.raises(DataError) as caught:
        tl.add_events(events, [_event("oops", "2019-02-31")], quotes=quotes)
    assert "row 6" in str(caught.value) and caught.value.column == "date"
    with pytest.raises(DataError) as caught:
        tl.add_events(events, [{**_event("x", "2019"), "colour": "red"}], quotes=quotes)
    assert caught.value.column == "colour"


def test_new_events_starts_empty_with_the_data_set_columns():
    empty = tl.new_events()
    assert list(empty.columns) == list(tl.EVENT_COLUMNS) and empty.empty
    rows = tl.add_events(empty, [_event("a", "2019-08-02", type_="withdrawal")])  # data-set checks
    assert list(rows["event_id"]) == ["a"]


# --- filtering --------------------------------------------------------------------------------

def test_filters(table):
    ids = lambda df: list(df["event_id"])  # noqa: E731
    assert ids(tl.filter_events(table, start="2018-10-01", end="2018-10-31")) == [
        "announce", "reply", "reply2"]
    assert ids(tl.filter_events(table, start="2018-10-22", end="2018-10-22")) == ["reply", "reply2"]
    assert ids(tl.filter_events(table, treaties=["New START", "other"])) == ["ns_signed", "china"]
    assert ids(tl.filter_events(table, actors=["USSR", "China"])) == ["signed", "china"]
    assert ids(tl.filter_events(table, actors=["US"])) == ["signed", "ns_signed", "announce"]
    assert ids(tl.filter_events(table, text="TRUMP withdrawal")) == ["announce"]
    # the search reaches the linked quotes and their speakers
    assert ids(tl.filter_events(table, text="spokesman")) == ["announce", "reply"]
    assert tl.filter_events(table, treaties=[]).empty
    assert len(tl.filter_events(table)) == len(table)


# --- the figure -------------------------------------------------------------------------------

def test_figure_lanes_colours_shapes_and_hover(table, treaties):
    fig = tl.timeline_figure(table, treaties)
    by_id = {}
    for trace in tl.event_traces(fig):
        for x, y, sym, cd, hover in zip(trace.x, trace.y, trace.marker.symbol, trace.customdata,
                                        trace.hovertext):
            by_id[cd[0]] = (trace.name, trace.marker.color, x, y, sym, hover)
    assert set(by_id) == set(table["event_id"])
    assert by_id["ns_signed"][:2] == ("Russia", tl.ACTOR_COLOURS["Russia"])
    assert by_id["announce"][4] == tl.TYPE_SYMBOLS["withdrawal"]
    assert by_id["announce"][2] == "2018-10-20"
    assert round(by_id["china"][3]) == tl.LANE_Y["other"]
    # known to the month / year: drawn mid-period with a whisker across the period
    assert by_id["ns_signed"][2] == "2010-04-16 00:00" and by_id["china"][2] == "2019-07-02 12:00"
    periods = {t.name: (list(t.x), list(t.y)) for t in fig.data if t.meta == "periods"}
    assert periods["Russia (period)"] == (["2010-04-01", "2010-05-01", None],
                                          [tl.LANE_Y["New START"]] * 2 + [None])
    assert periods["China (period)"][0] == ["2019-01-01", "2020-01-01", None]
    assert periods["US (period)"] == ([], [])
    hover = by_id["announce"][5]
    assert "20 October 2018" in hover and "Trump says &lt;he&gt; &amp; Russia" in hover
    assert "<he>" not in hover
    assert list(fig.layout.yaxis.ticktext) == ["INF", "New START", "Other"]
    key = {t.name: t.marker for t in fig.data if t.meta == "key"}  # what is drawn, only that
    assert list(key) == ["US", "Russia", "China", "signature", "denial", "statement", "withdrawal"]
    assert key["Russia"].color == tl.ACTOR_COLOURS["Russia"]
    assert key["denial"].symbol == tl.TYPE_SYMBOLS["denial"]
    assert [t.name for t in fig.data if t.showlegend is not False and t.meta != "key"] == []
    assert list(fig.layout.xaxis.range) == ["1987-01-01", "2020-01-01"]


def test_treaty_bars_run_signed_to_in_force_to_ended(table, treaties):
    fig = tl.timeline_figure(table, treaties)
    bands = {(t.name.split(":")[0], t.meta): t for t in fig.data
             if str(t.meta).startswith("treaty")}
    assert set(bands) == {("INF Treaty", "treaty signed"), ("INF Treaty", "treaty in force"),
                          ("New START", "treaty signed"), ("New START", "treaty in force")}
    inf = bands[("INF Treaty", "treaty in force")]
    assert (min(inf.x), max(inf.x)) == ("1988-06-01", "2019-08-02")
    assert (min(inf.y), max(inf.y)) == (tl.LANE_Y["INF"] - 0.4, tl.LANE_Y["INF"] + 0.4)
    assert min(bands[("INF Treaty", "treaty signed")].x) == "1987-12-08"
    assert "ended 2 August 2019 (withdrawal)" in inf.name
    # New START has no end date in this table: its band runs to the edge of the default view
    ns = bands[("New START", "treaty in force")]
    assert max(ns.x) == "2020-01-01" and "still in force" in ns.name
    # every x value in the figure is a date string, so plotly can only make a date axis
    xs = [x for t in fig.data if t.xaxis in (None, "x") for x in (t.x or []) if x is not None]
    assert xs and all(isinstance(x, str) and x[:4].isdigit() and x[4] == "-" for x in xs)


def test_zoomed_view_and_presets(table, treaties):
    fig = tl.timeline_figure(table, treaties, start="2018-10-01", end="2018-11-01")
    assert list(fig.layout.xaxis.range) == ["2018-10-01", "2018-11-01"]
    presets = {b.label: b.args[0]["xaxis.range"] for b in fig.layout.updatemenus[0].buttons}
    assert presets["October 2018"] == ["2018-10-01", "2018-11-01"]
    assert presets["1987–2019"] == ["1987-01-01", "2020-01-01"]
    assert "INF 1987–2019" in presets and "New START 2010–2019" in presets


def test_figure_is_deterministic_whatever_the_row_order(events, quotes, treaties):
    first = tl.timeline_figure(events, treaties, quotes=quotes).to_json()
    shuffled = events.sample(frac=1, random_state=3)
    again = tl.timeline_figure(shuffled, treaties, quotes=quotes).to_json()
    assert first == again
    assert json.loads(first)["data"][0]["meta"] == "treaty signed"


def test_empty_result_says_no_events_match(table, treaties):
    fig = tl.timeline_figure(table.iloc[0:0], treaties)
    assert [a.text for a in fig.layout.annotations] == [tl.NO_MATCH_MESSAGE]
    assert _marker_count(fig) == 0
    assert not tl.timeline_figure(table, treaties).layout.annotations


# --- the detail panel -------------------------------------------------------------------------

class _Collect(HTMLParser):
    """Collects the text inside <blockquote> and <mark>, and every start tag seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.quote, self.mark, self.tags, self.links = [], "", "", [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> after {self.stack}"
        self.stack.pop()

    def handle_data(self, text):
        if "blockquote" in self.stack:
            self.quote += text
        if "mark" in self.stack:
            self.mark += text


def test_detail_panel_shows_the_quote_highlighted_in_its_paragraph_escaped(table, quotes, sources):
    row = table[table.event_id == "announce"].iloc[0]
    page = tl.event_detail_html(row, quotes, sources, TEXTS)
    parsed = _Collect()
    parsed.feed(page)
    parsed.close()
    assert parsed.stack == []  # every tag closed: the quote did not break the page
    assert "script" not in parsed.tags and "b" in parsed.tags  # only our own markup
    assert parsed.quote == PARA_BEFORE + QUOTE + PARA_AFTER  # the verbatim paragraph
    assert parsed.mark == QUOTE  # the quote highlighted
    assert html.escape(QUOTE) in page and QUOTE not in page
    assert "A. Spokesman (press &lt;office&gt;), in Test News" in page  # speaker and source named
    assert "Big &lt;news&gt; &amp; more" in page and "22 October 2018" in page
    assert "20 October 2018 (known to the day)" in page
    assert "Trump says &lt;he&gt; &amp; Russia..." in page


def test_detail_panel_links_the_reference_when_there_is_no_quote(table, quotes):
    row = table[table.event_id == "ns_signed"].iloc[0]
    page = tl.event_detail_html(row, quotes)
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.links == ["https://example.org/ref"] and "Ref page</a>" in page
    assert "April 2010 (known to the month)" in page and "blockquote" not in page


def test_detail_panel_never_links_a_non_web_address(table, quotes):
    row = table[table.event_id == "ns_signed"].iloc[0].copy()
    row["source_url"] = 'javascript:alert("x")'
    page = tl.event_detail_html(row, quotes)
    assert "href" not in page and "javascript:alert(&quot;x&quot;)" not in page


def test_detail_panel_reads_the_real_articles():
    quotes = data.load_quotes()
    sources = data.load_sources()
    quote = quotes[quotes.quote_id == "cnn_q04"].iloc[0]
    event = tl.prepare_events(pd.DataFrame([_event("e", "2018-10-22", actors="Russia",
                                                   type_="denial", quote="cnn_q04")]), quotes)
    page = tl.event_detail_html(event.iloc[0], quotes, sources)
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.mark == quote["quote"]
    assert len(parsed.quote) > len(parsed.mark)  # shown inside its paragraph
    assert "Dmitry Peskov" in page and "in CNN" in page


# --- the explorer -----------------------------------------------------------------------------

@pytest.fixture
def explorer(events, treaties, quotes, sources):
    return tl.timeline_explorer(events, treaties, quotes, sources, texts=TEXTS)


def _markers_in_view(fig) -> int:
    """Markers whose date lies inside the figure's x range (what the plot shows)."""
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    return sum(lo <= pd.Timestamp(x) < hi for t in tl.event_traces(fig) for x in t.x)


def test_explorer_date_slider_sets_the_window_and_the_list(explorer):
    assert _marker_count(explorer.figure) == 6 and _markers_in_view(explorer.figure) == 6
    before = [t.x for t in tl.event_traces(explorer.figure)]
    months = [value for _, value in explorer.date_range.options]
    october = months.index(pd.Timestamp("2018-10-01"))
    explorer.date_range.index = (october, october)
    assert list(explorer.figure.layout.xaxis.range) == ["2018-10-01", "2018-11-01"]
    assert _markers_in_view(explorer.figure) == 3
    # a date change only moves the window: the marker data are not re-sent
    assert [t.x for t in tl.event_traces(explorer.figure)] == before
    assert [v for _, v in explorer.events_menu.options][1:] == ["announce", "reply", "reply2"]
    assert explorer.status.value.startswith("3 of 6 events")


def test_explorer_treaty_actor_and_text_filters(explorer):
    explorer.treaty_boxes["INF"].value = False
    assert set(explorer.visible()["lane"]) == {"New START", "other"}
    assert _marker_count(explorer.figure) == 2
    explorer.treaty_boxes["INF"].value = True
    for actor, box in explorer.actor_boxes.items():
        box.value = actor == "China"
    assert list(explorer.visible()["event_id"]) == ["china"]
    for box in explorer.actor_boxes.values():
        box.value = True
    explorer.search.value = "trump"
    assert [t.name for t in tl.event_traces(explorer.figure) if len(t.x)] == ["US"]


def test_explorer_empty_filter_says_no_events_match(explorer):
    explorer.search.value = "no such words anywhere"
    assert _marker_count(explorer.figure) == 0
    assert [a.text for a in explorer.figure.layout.annotations] == [tl.NO_MATCH_MESSAGE]
    assert tl.NO_MATCH_MESSAGE in explorer.status.value
    assert tl.NO_MATCH_MESSAGE in explorer.detail.value
    explorer.search.value = ""
    assert not explorer.figure.layout.annotations and _marker_count(explorer.figure) == 6


def test_explorer_selects_by_dropdown_and_by_click(explorer):
    explorer.events_menu.value = "announce"
    assert explorer.selected == "announce"
    assert "<mark" in explorer.detail.value and html.escape(QUOTE) in explorer.detail.value
    assert list(explorer._selected_trace.x) == ["2018-10-20"]
    # a click on a marker (as plotly reports it) selects that event and syncs the dropdown
    russia = next(t for t in explorer.figure.data if t.name == "Russia")
    index = [c[0] for c in russia.customdata].index("reply2")
    explorer._on_click(russia, Points(point_inds=[index], xs=[], ys=[], trace_name="Russia",
                                      trace_index=0), None)
    assert explorer.selected == "reply2" and explorer.events_menu.value == "reply2"
    assert "Title reply2" in explorer.detail.value
    # a click elsewhere (no point) changes nothing
    explorer._on_click(russia, Points(point_inds=[], xs=[], ys=[], trace_name="Russia",
                                      trace_index=0), None)
    assert explorer.selected == "reply2"
    # filtering the selected event out clears the selection and the ring
    explorer.search.value = "trump"
    assert explorer.selected is None and list(explorer._selected_trace.x) == []
    with pytest.raises(KeyError, match="nope"):
        explorer.select("nope")


def test_explorer_plain_text_repr_is_stable_for_nbval(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == ("Timeline explorer: events, treaties and sources. "
                                    "Run this cell to use the controls.")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_zooming_the_plot_moves_the_slider_and_the_list(explorer):
    # what the browser sends after a drag-zoom or a preset button (a relayout of the x range)
    explorer.figure.plotly_relayout({"xaxis.range[0]": "2018-10-01", "xaxis.range[1]": "2018-11-01"})
    assert explorer.date_range.value == (pd.Timestamp("2018-10-01"), pd.Timestamp("2018-10-01"))
    assert [v for _, v in explorer.events_menu.options][1:] == ["announce", "reply", "reply2"]
    explorer.figure.plotly_relayout({"xaxis.range": ["1900-01-01", "2100-01-01"]})  # clamped
    assert explorer.date_range.index == (0, len(explorer.date_range.options) - 1)


def test_event_card_shows_a_partial_record_with_its_source():
    from armscontrol import timeline as tl
    card = tl.event_card("last_data_exchange_published").data
    assert "Russia publishes the last exchanged New START numbers" in card
    assert "rbc.ru" in card and "launcher totals are not in our reference" in card
    with pytest.raises(KeyError, match="no event 'nope'"):
        tl.event_card("nope")


def _sent(figure) -> list[str]:
    """Start recording the plotly messages the kernel sends to the figure's views."""
    sent: list[str] = []
    for name in ("_py2js_restyle", "_py2js_relayout", "_py2js_update"):
        figure.observe(lambda change, name=name: sent.append(name) if change["new"] else None,
                       names=name)
    return sent


def test_once_the_browser_draws_the_kernel_leaves_the_figure_to_it(explorer):
    # timeline_filter.js sets browser_draws once it has found the figure on the page
    explorer.browser_filter.browser_draws = True
    sent = _sent(explorer.figure)
    explorer.treaty_boxes["New START"].value = False
    months = [value for _, value in explorer.date_range.options]
    october = months.index(pd.Timestamp("2018-10-01"))
    explorer.date_range.index = (october, october)
    assert sent == []  # no marker data, no x range: the browser has drawn them
    assert _marker_count(explorer.figure) == 6
    assert list(explorer.figure.layout.xaxis.range) != ["2018-10-01", "2018-11-01"]
    # ... but the status line, the list and the table follow
    assert explorer.status.value.startswith("3 of 6 events")
    assert [v for _, v in explorer.events_menu.options][1:] == ["announce", "reply", "reply2"]
    assert explorer.data_table.value.count("</tr>") == 4  # the header row and three events

    # The browser's restyle, as plotly's widget reports it: Python's figure follows it, and it is
    # not sent back to the view it came from (which would replot the whole figure again).
    traces = [i for i, t in enumerate(explorer.figure.data) if t.meta in ("events", "periods")]
    shown = tl.filter_events(explorer.events, treaties=["INF", "other"])
    columns = {i: tl._marker_columns(shown[shown["primary_actor"] ==
                                          explorer.figure.data[i].name.removesuffix(" (period)")])
               for i in traces}
    events = {i: explorer.figure.data[i].meta == "events" for i in traces}
    explorer.figure.plotly_restyle({
        "x": [columns[i]["x" if events[i] else "span_x"] for i in traces],
        "y": [columns[i]["y" if events[i] else "span_y"] for i in traces],
        "customdata": [columns[i]["customdata"] if events[i] else None for i in traces],
    }, traces, source_view_id="the-browser-view")
    assert _marker_count(explorer.figure) == 5 and sent == []
    assert all(explorer.figure.data[i].customdata is None for i in traces if not events[i])
    # What the kernel itself changes (the ring around a chosen event) is still sent.
    explorer.select("reply2")
    assert sent == ["_py2js_update"] and list(explorer._selected_trace.x) == ["2018-10-22"]


def test_event_card_of_a_shipped_event_matches_the_whole_prepared_chronology():
    # event_card prepares only the asked-for row of the shipped events.csv: each card must be
    # the one drawn from the row of the whole prepared table.
    quotes, sources = data.load_quotes(), data.load_sources()
    whole = tl.prepare_events(data.load_events(), quotes)
    assert len(whole) > 50
    for row in whole.itertuples(index=False):
        assert tl.event_card(row.event_id).data == tl.event_detail_html(
            whole[whole["event_id"] == row.event_id].iloc[0], quotes, sources), row.event_id


def test_event_card_still_checks_a_whole_student_table():
    events = data.load_events()
    broken = tl.add_events(events, [_event("mine", "2019-02-01")])
    broken.loc[broken["event_id"] == "mine", "treaty"] = "SALT"  # a bad row, not the card's
    with pytest.raises(DataError, match="unknown treaty 'SALT'"):
        tl.event_card("peskov_replies", broken)
    assert "Peskov" in tl.event_card("peskov_replies", events).data
