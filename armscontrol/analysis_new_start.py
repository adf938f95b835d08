"""Helpers for lessons 4 (New START) and 5 (after INF): counts against limits, range classes.

Everything here reads its numbers from ``data/`` (``treaty_limits.csv``, ``treaties.csv``,
``new_start_counts.csv``, ``missiles.csv``, ``missile_ranges.csv``); no limit, date or range is
typed into this file, so the lessons stay true whatever rows the tables hold.

New START (lesson 4)
--------------------
- :func:`new_start_limits` the three central limits, keyed by the count they limit;
- :func:`central_limits_deadline` the date by which the limits had to be met;
- :func:`counts_against_limits` every data exchange, party and count beside its limit;
- :func:`exchange_on` one exchange as a party-by-count table of "at or under the limit";
- :func:`exchange_dates` / :func:`missing_exchanges` which exchanges the data set holds;
- :func:`exchanges_figure` a plotly chart of every exchange against the limits, one panel per
  party.

After INF (lesson 5)
--------------------
- (where a range falls under the treaty, and every claim with its class: :mod:`armscontrol.inf`)
- :func:`post_inf_systems` the systems developed after the treaty, with how much range data
  the data set has on each.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from armscontrol import data
from armscontrol.plot_style import TEMPLATE

@dataclass(frozen=True)
class Count:
    """One of New START's three central counts, as the tables and the chart show it."""

    limit_id: str     #: the limit_id in treaty_limits.csv that limits it
    label: str        #: its plain-English name
    colour: str       #: Okabe & Ito's colour-blind-safe palette (as armscontrol.maps.OKABE_ITO)
    symbol: str       #: the marker shape of its line
    limit_dash: str   #: the dash pattern of its limit's line


#: The count columns of new_start_counts.csv (see data/README.md), in the order tables and the
#: chart show them. Colours from https://jfly.uni-koeln.de/color/; shapes and dashes so that
#: the lines differ by more than colour (for readers who do not tell the colours apart, and on
#: paper).
COUNTS: dict[str, Count] = {
    "deployed_warheads": Count("ns_deployed_warheads", "deployed warheads",
                               "#D55E00", "circle", "dash"),           # vermillion
    "deployed_launchers": Count("ns_deployed_launchers", "deployed launchers",
                                "#0072B2", "square", "longdash"),      # blue
    "total_launchers": Count("ns_total_launchers", "deployed and non-deployed launchers",
                             "#009E73", "diamond", "dashdot"),         # bluish green
}
#: Each count column's limit_id, and its plain-English name (from :data:`COUNTS`).
COUNT_LIMIT_IDS: dict[str, str] = {column: c.limit_id for column, c in COUNTS.items()}
COUNT_LABELS: dict[str, str] = {column: c.label for column, c in COUNTS.items()}
#: What ``layout.meta["figure"]`` of :func:`exchanges_figure` says (armscontrol.figures.show
#: reads it to build the chart's data table).
EXCHANGES_FIGURE = "new_start_exchanges"
#: Data exchanges after the first were dated 1 March and 1 September of each year (events.csv,
#: event ``new_start_first_data``, from nuclearforces.org/new-start): (month, day) pairs.
EXCHANGE_DAYS: tuple[tuple[int, int], ...] = ((3, 1), (9, 1))


def _limit_value(limits: pd.DataFrame, limit_id: str) -> int:
    return data.limit_value(limit_id, limits)


def new_start_limits(limits: pd.DataFrame | None = None) -> pd.Series:
    """Return New START's three central limits as an int Series named ``limit``.

    The index holds the count columns of ``new_start_counts.csv`` (``deployed_warheads``,
    ``deployed_launchers``, ``total_launchers``); the values are numbers of warheads or
    launchers, read from ``treaty_limits.csv``. Raises ``KeyError`` if a limit row is missing.
    """
    limits = data.load_treaty_limits() if limits is None else limits
    values = {count: _limit_value(limits, limit_id) for count, limit_id in COUNT_LIMIT_IDS.items()}
    return pd.Series(values, name="limit", dtype="int64")


def central_limits_deadline(treaties: pd.DataFrame | None = None,
                            limits: pd.DataFrame | None = None) -> pd.Timestamp:
    """Return the day by which both parties had to meet the central limits (a Timestamp).

    It is New START's entry into force (``treaties.csv``) plus the reduction period in years
    (``treaty_limits.csv``, ``ns_reduction_period``).
    """
    treaties = data.load_treaties() if treaties is None else treaties
    limits = data.load_treaty_limits() if limits is None else limits
    row = treaties.loc[treaties["treaty_id"] == "New START"]
    if row.empty or pd.isna(row["entered_into_force"].iloc[0]):
        raise KeyError("treaties has no New START row with an entered_into_force date")
    years = _limit_value(limits, "ns_reduction_period")
    return pd.Timestamp(row["entered_into_force"].iloc[0]) + pd.DateOffset(years=years)


def counts_against_limits(counts: pd.DataFrame | None = None,
                          limits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return every data exchange's counts beside New START's limits, one row per count.

    Columns: ``as_of`` (Timestamp), ``party``, ``count`` (the count column's name), ``label``
    (its plain name), ``value`` (warheads or launchers declared), ``limit``, ``margin``
    (``limit - value``: how far under the limit; negative means over) and ``within_limit``
    (True when ``value <= limit``: a count equal to the limit meets it). Sorted by date, party
    and count.
    """
    counts = data.load_new_start_counts() if counts is None else counts
    missing = [c for c in ["as_of", "party", *COUNT_LIMIT_IDS] if c not in counts.columns]
    if missing:
        raise ValueError(f"counts lacks columns {missing}; it needs the columns of "
                         "new_start_counts.csv (see data/README.md)")
    limit = new_start_limits(limits)
    long = counts.melt(id_vars=["as_of", "party"], value_vars=list(COUNT_LIMIT_IDS),
                       var_name="count", value_name="value")
    long["party"] = long["party"].astype(str)
    long["value"] = long["value"].astype("int64")
    long["label"] = long["count"].map(COUNT_LABELS)
    long["limit"] = long["count"].map(limit).astype("int64")
    long["margin"] = long["limit"] - long["value"]
    long["within_limit"] = long["value"] <= long["limit"]
    order = {c: i for i, c in enumerate(COUNT_LIMIT_IDS)}
    long = long.sort_values(["as_of", "party", "count"],
                            key=lambda s: s.map(order) if s.name == "count" else s)
    return long[["as_of", "party", "count", "label", "value", "limit", "margin",
                 "within_limit"]].reset_index(drop=True)


def exchange_on(date: str | pd.Timestamp, counts: pd.DataFrame | None = None,
                limits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one data exchange as a table: one row per party, one bool column per count.

    True means the party's count was at or under its limit on that date. Raises ``KeyError``
    listing the dates in the data set when no exchange is dated ``date``.
    """
    table = counts_against_limits(counts, limits)
    day = pd.Timestamp(date)
    rows = table[table["as_of"] == day]
    if rows.empty:
        dates = ", ".join(d.strftime("%Y-%m-%d") for d in sorted(table["as_of"].unique()))
        raise KeyError(f"no data exchange dated {day:%Y-%m-%d}; the data set has: {dates}")
    wide = rows.pivot(index="party", columns="count", values="within_limit")
    wide = wide[[c for c in COUNT_LIMIT_IDS if c in wide.columns]]
    wide.columns.name = None
    return wide.astype(bool)


def exchange_dates(counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the data exchanges the data set holds: ``as_of`` and the ``parties`` reported.

    ``parties`` is a ``;``-separated text (e.g. ``"Russia; US"``); one row per date, oldest first.
    """
    counts = data.load_new_start_counts() if counts is None else counts
    grouped = counts.groupby("as_of")["party"].apply(
        lambda p: "; ".join(sorted(str(x) for x in p)))
    return grouped.rename("parties").reset_index()


def missing_exchanges(counts: pd.DataFrame | None = None,
                      tolerance_days: int = 90) -> list[pd.Timestamp]:
    """Return the scheduled exchange dates (1 March, 1 September) missing from the data set.

    Only dates between the first and the last exchange the data set holds are considered, so
    the answer says which gaps lie *inside* the series, not what happened after it ended. A
    scheduled date counts as held when an exchange in the data set is dated within
    ``tolerance_days`` of it: the data set dates some exchanges to other days (the first to
    entry into force; one to 5 February 2018, the central-limits deadline).
    """
    counts = data.load_new_start_counts() if counts is None else counts
    held = set(pd.to_datetime(counts["as_of"]))
    if not held:
        return []
    first, last = min(held), max(held)
    expected = [pd.Timestamp(year=y, month=m, day=d)
                for y in range(first.year, last.year + 1) for m, d in EXCHANGE_DAYS]
    window = pd.Timedelta(days=tolerance_days)
    return [day for day in expected if first <= day <= last
            and not any(abs(day - h) <= window for h in held)]


def exchanges_figure(counts: pd.DataFrame | None = None, limits: pd.DataFrame | None = None,
                     treaties: pd.DataFrame | None = None, *,
                     parties: tuple[str, ...] = ("US", "Russia"),
                     title: str = "New START data exchanges against the treaty's limits"
                     ) -> go.Figure:
    """Return a plotly figure of every data exchange against the limits, one panel per party.

    Each panel shows the three counts as lines with markers (one colour and one marker shape
    per count) and each limit as a dashed line of the same colour (one dash pattern per limit);
    a dotted vertical line marks the central-limits deadline (:func:`central_limits_deadline`).
    Hovering a marker shows the count, the limit and the margin. The y axis is in warheads or
    launchers (one shared scale).

    Each count trace's ``meta`` is ``{"party": ..., "count": ...}`` and each limit line's
    ``{"party": ..., "limit": count}``; ``layout.meta`` holds ``"figure":``
    :data:`EXCHANGES_FIGURE` and a ``"text_alternative"`` sentence (:func:`exchanges_summary`).
    ``armscontrol.figures.show`` displays the figure with both and a data table of its counts.
    """
    table = counts_against_limits(counts, limits)
    unknown = [p for p in parties if p not in set(table["party"])]
    if unknown:
        raise ValueError(f"no data exchange for {unknown}; parties in the data: "
                         f"{sorted(set(table['party']))}")
    limit = new_start_limits(limits)
    deadline = central_limits_deadline(treaties, limits)
    fig = make_subplots(rows=1, cols=len(parties), shared_yaxes=True,
                        subplot_titles=list(parties), horizontal_spacing=0.04,
                        figure=go.Figure(layout={"template": TEMPLATE}))
    first_date, last_date = table["as_of"].min(), table["as_of"].max()
    # Traces, deadline lines and notes are collected as plain dicts and added in one call each:
    # plotly then checks them once, where add_trace/add_vline/add_annotation per panel made
    # this chart take about five times as long to build (benchmarks/bench_lessons.py).
    traces, columns, shapes, notes = [], [], [], []
    for col, party in enumerate(parties, start=1):
        axes = dict(xaxis=f"x{col if col > 1 else ''}", yaxis=f"y{col if col > 1 else ''}")
        columns += [col] * (2 * len(COUNT_LABELS))
        for count, style in COUNTS.items():
            part = table[(table["party"] == party) & (table["count"] == count)]
            label, colour = style.label, style.colour
            traces.append(dict(
                type="scatter",
                x=[d.strftime("%Y-%m-%d") for d in part["as_of"]], y=part["value"].tolist(),
                mode="lines+markers", name=label, legendgroup=count, showlegend=(col == 1),
                line=dict(color=colour, width=2),
                marker=dict(color=colour, size=7, symbol=style.symbol),
                meta={"party": party, "count": count},
                customdata=list(zip(part["limit"].tolist(), part["margin"].tolist())),
                hovertemplate=(f"<b>{party}</b>, %{{x|%d %b %Y}}<br>{label}: %{{y:,}}"
                               "<br>limit %{customdata[0]:,}, margin %{customdata[1]:,}"
                               "<extra></extra>")))
            traces.append(dict(
                type="scatter",
                x=[first_date.strftime("%Y-%m-%d"), last_date.strftime("%Y-%m-%d")],
                y=[int(limit[count])] * 2, mode="lines", name=f"limit: {label}",
                legendgroup=count, showlegend=(col == 1), hoverinfo="name",
                meta={"party": party, "limit": count},
                line=dict(color=colour, width=1.5, dash=style.limit_dash)))
        shapes.append(dict(type="line", x0=deadline.timestamp() * 1000,
                           x1=deadline.timestamp() * 1000, xref=axes["xaxis"], y0=0, y1=1,
                           yref=f"{axes['yaxis']} domain",
                           line=dict(color="#555555", dash="dot", width=1.5)))
        notes.append(dict(x=deadline.strftime("%Y-%m-%d"), y=0.02, xref=axes["xaxis"],
                          yref=f"{axes['yaxis']} domain",
                          text=f" limits due {deadline.day} {deadline:%B %Y}",
                          showarrow=False, xanchor="left", yanchor="bottom",
                          font=dict(size=11, color="#555555")))
    fig.add_traces(traces, rows=[1] * len(traces), cols=columns)
    fig.update_layout(annotations=list(fig.layout.annotations) + notes, shapes=shapes)
    fig.update_layout(title=dict(text=title, x=0.01, xanchor="left"), 
                      height=480, margin=dict(l=60, r=20, t=90, b=110),
                      legend=dict(orientation="h", x=0, y=-0.15, xanchor="left",
                                  yanchor="top"),
                      hovermode="closest",
                      meta={"figure": EXCHANGES_FIGURE,
                            "text_alternative": exchanges_summary(table, limit, deadline,
                                                                  parties)})
    fig.update_yaxes(title_text="warheads or launchers", row=1, col=1, rangemode="tozero")
    return fig


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%B %Y}"


def exchanges_summary(table: pd.DataFrame, limit: pd.Series, deadline: pd.Timestamp,
                      parties: tuple[str, ...] = ("US", "Russia")) -> str:
    """Return a text alternative for :func:`exchanges_figure`: one paragraph naming the
    parties, the exchanges drawn, whether each party was within all three limits from the
    deadline on, and the counts at the last exchange (numbers of warheads or launchers).

    ``table`` is :func:`counts_against_limits`; ``parties`` the chart's panels, in order.
    """
    table = table[table["party"].isin(parties)]
    dates = sorted(table["as_of"].unique())
    names = [f"{COUNT_LABELS[c]} (limit {int(limit[c]):,})" for c in COUNT_LABELS]
    names = ", ".join(names[:-1]) + " and " + names[-1]
    parts = [f"Line charts, one per party ({', '.join(parties)}), of the {names} declared at "
             f"the {len(dates)} data exchanges from {_day(pd.Timestamp(dates[0]))} to "
             f"{_day(pd.Timestamp(dates[-1]))}, each beside its limit."]
    after = table[table["as_of"] >= deadline]
    for party in parties:
        rows = table[table["party"] == party]
        last_day = rows["as_of"].max()
        last = rows[rows["as_of"] == last_day].set_index("count")["value"]
        mine = after[after["party"] == party]
        if mine.empty:
            status = f"no exchange from the deadline ({_day(deadline)}) on is in the data"
        elif mine["within_limit"].all():
            status = (f"at every exchange from the deadline ({_day(deadline)}) on it was "
                      "within all three limits")
        else:
            over = sorted(set(mine.loc[~mine["within_limit"], "as_of"]))
            status = (f"from the deadline ({_day(deadline)}) on it was over a limit at "
                      f"{len(over)} exchange{'s' if len(over) != 1 else ''}")
        counts = [f"{int(last[c]):,} {COUNT_LABELS[c]}" for c in COUNT_LABELS]
        counts = ", ".join(counts[:-1]) + " and " + counts[-1]
        parts.append(f"{party}: {status}; at its last exchange ({_day(last_day)}) it "
                     f"declared {counts}.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# After INF
# --------------------------------------------------------------------------------------------

def post_inf_systems(missiles: pd.DataFrame | None = None,
                     missile_ranges: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the systems marked ``post-INF`` with how much range data the data set holds.

    Columns: ``system_id``, ``name``, ``country``, ``basing``, ``kind``, ``range_claims`` (number
    of claims), ``longest_claim_km`` (km, empty when there is none) and ``range_data`` (a short
    note: how many claims, or "no range claim in the data set").
    """
    missiles = data.load_missiles() if missiles is None else missiles
    missile_ranges = data.load_missile_ranges() if missile_ranges is None else missile_ranges
    post = missiles[missiles["inf_status"].astype(str) == "post-INF"]
    claims = missile_ranges.groupby("system_id")["range_km"].agg(["size", "max"])
    table = post[["system_id", "name", "country", "basing", "kind"]].copy()
    table["range_claims"] = table["system_id"].map(claims["size"]).fillna(0).astype("int64")
    table["longest_claim_km"] = table["system_id"].map(claims["max"]).astype("Int64")
    table["range_data"] = [
        "no range claim in the data set" if n == 0 else
        f"{n} claim{'s' if n > 1 else ''}" for n in table["range_claims"]]
    return table.reset_index(drop=True)
