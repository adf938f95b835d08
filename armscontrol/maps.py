"""Range maps: which places a missile could reach from a base, drawn offline with plotly.

- :func:`range_map` a plotly figure with the range rings of chosen missile systems around chosen
  bases, the INF Treaty's band (500 and 5,500 km) as reference rings, labelled capitals with the
  distance from each base on hover, and a one-sentence text alternative under the map. Views:
  ``"europe"``, ``"asia-pacific"``, ``"world"`` and ``"azimuthal"`` (azimuthal equidistant,
  centred on the first base, where every range ring is a circle). With ``controls=True`` the
  figure carries its own "what if" range slider and an INF-band toggle, which run in the browser
  without a kernel (fast, and they work in exported HTML too).
- :func:`range_explorer` an ipywidgets interface (defined in :mod:`armscontrol.range_explorer`):
  missile system, base and view menus, keyboard controls over an azimuthal-equidistant map
  centred on the base, and a table of the places within reach.
- :func:`places_within_reach` the table behind it, as a DataFrame.

Offline world outline
---------------------
plotly's geo maps fetch their coastlines (``world_110m.json``, Natural Earth 1:110m as TopoJSON)
from plotly's CDN when the figure is drawn, and the whole figure fails when that is blocked. We
ship that file in ``data/world_110m.json`` (copied from the ``plotly.js`` 3.1.0 npm package,
``dist/topojson/world_110m.json``) and point plotly's ``topojsonURL`` at the Jupyter server's
``files/`` route, which serves it from this repository. The browser fetches it once per page and
caches it, so figures stay small (no 300 KB of outlines inside each one). Importing this module
sets that URL for every plotly figure shown in the notebook (see :func:`use_offline_world`).
"""
from __future__ import annotations

import html
import json
import os
import textwrap
import warnings
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from armscontrol import DATA_DIR, ROOT
from armscontrol import figures, geo, inf
from armscontrol.data_tables import range_claims_table_html
from armscontrol.plot_style import TEMPLATE

#: Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008), as published at
#: https://jfly.uni-koeln.de/color/ and reproduced in "Colors (ggplot2)", Cookbook for R,
#: http://www.cookbook-r.com/Graphs/Colors_(ggplot2)/#a-colorblind-friendly-palette
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: Colours for range rings, one per missile system, in this order (yellow last: it is hard to
#: see on the light land colour).
RING_COLOURS: tuple[str, ...] = tuple(OKABE_ITO[name] for name in (
    "vermillion", "blue", "bluish green", "reddish purple", "orange", "sky blue", "yellow"))
#: Line styles that tell apart the range claims of one system (each claimant its own dash).
CLAIM_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
#: Line styles of the INF Treaty's 500 km and 5,500 km rings: dash patterns (px) that no
#: range claim uses, so the reference rings differ from every claim by dash, not only by their
#: grey colour and thinner line.
INF_BAND_DASHES: tuple[str, str] = ("2px,4px", "10px,4px,2px,4px,2px,4px")
WHAT_IF_COLOUR = OKABE_ITO["black"]

#: The map views range_map accepts.
VIEWS: tuple[str, ...] = ("europe", "asia-pacific", "world", "azimuthal")

#: Shipped world outline (Natural Earth 1:110m TopoJSON); plotly asks for "<url>/world_110m.json".
WORLD_OUTLINE: Path = DATA_DIR / "world_110m.json"

# Site kinds that get a text label on the map (others are markers with hover text only).
LABELLED_KINDS = ("capital", "city")


class UnknownNameError(ValueError):
    """A missile system or site name that is not in the data; the message lists valid names."""


# --------------------------------------------------------------------------------------------
# Offline world outline
# --------------------------------------------------------------------------------------------

def _jupyter_server() -> dict | None:
    """Return the running Jupyter server that started this kernel (its info dict), or None.

    jupyter_client puts the server's process id in the kernel's ``JPY_PARENT_PID``; the server
    writes its ``base_url`` and ``root_dir`` into ``jpserver-<pid>.json`` in Jupyter's runtime
    folder. That one file is read here by name, rather than through
    ``jupyter_server.serverapp.list_running_servers``: importing ``serverapp`` (the whole server
    application, with tornado handlers and jinja2) took about 0.2 s of every lesson's first
    cell, to read the same file. The server that started this kernel is alive by definition, so
    the liveness check ``list_running_servers`` adds is not needed.
    """
    parent = os.environ.get("JPY_PARENT_PID")
    if not parent or not parent.isdigit():
        return None
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:  # the kernel's environment may lack jupyter_core (not under ipykernel)
        return None
    try:
        info = json.loads(Path(jupyter_runtime_dir(), f"jpserver-{parent}.json").read_text(
            encoding="utf-8"))
    except (OSError, ValueError):  # no such server file, or one being written
        return None
    return info if isinstance(info, dict) else None


def topojson_url() -> str:
    """Return the URL folder (ending in ``/``) the browser fetches ``world_110m.json`` from.

    It is the Jupyter server's ``files/`` route to ``data/``, with the server's URL prefix:
    ``/files/data/`` for JupyterLab served at ``/``, ``/user/NAME/files/data/`` on Binder and
    JupyterHub. The prefix and the server's root folder come from the server that started this
    kernel; failing that (no server, as under nbval) from ``JUPYTERHUB_SERVICE_PREFIX``, with
    the repository root taken as the server's root folder. A path absolute from the server's
    root is needed because a relative one would resolve against the page (``/lab/tree/...``).
    """
    server = _jupyter_server()
    if server is not None:
        base_url = server.get("base_url") or "/"
        root = Path(server.get("root_dir") or ROOT)
    else:
        base_url = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
        root = ROOT
    try:
        relative = DATA_DIR.resolve().relative_to(Path(root).expanduser().resolve())
    except ValueError:
        warnings.warn(
            f"The Jupyter server serves files from {root}, which does not contain {DATA_DIR}: "
            "maps cannot load the shipped world outline and will try plotly's CDN. Start "
            f"JupyterLab from {ROOT} (or a folder above it) to draw maps offline.",
            stacklevel=2,
        )
        relative = Path("data")
    if not base_url.endswith("/"):
        base_url += "/"
    if not base_url.startswith("/"):
        base_url = "/" + base_url
    return f"{base_url}files/{quote(relative.as_posix())}/"


def offline_config() -> dict:
    """Return the plotly config (``{"topojsonURL": ...}``) that draws maps with no internet.

    Pass it to ``fig.show(config=...)``, or set ``figure_widget._config`` to it.
    """
    return {"topojsonURL": topojson_url()}


def use_offline_world() -> None:
    """Make every plotly figure shown from now on load the world outline from ``data/``.

    Sets ``topojsonURL`` in the config of plotly's notebook renderers (what JupyterLab and nbval
    use) and points static image export (kaleido) at the same file on disk. Called when this
    module is imported.
    """
    config = offline_config()
    for name in ("plotly_mimetype", "jupyterlab", "notebook", "notebook_connected"):
        if name in pio.renderers:
            pio.renderers[name].config.update(config)
    pio.defaults.topojson = DATA_DIR.resolve().as_uri() + "/"


# --------------------------------------------------------------------------------------------
# Looking up systems, bases and range claims
# --------------------------------------------------------------------------------------------

def _key(text: str) -> str:
    """Normalise a name for matching: lower case, letters and digits only ("SS-20" -> "ss20")."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def _loaded(frame: pd.DataFrame | None, loader: str) -> pd.DataFrame:
    if frame is not None:
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
        return frame
    from armscontrol import data  # imported here so maps works with hand-made tables too

    return getattr(data, loader)()


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} table lacks columns {missing}; it has {list(frame.columns)}")


def find_system(name: str, missiles: pd.DataFrame | None = None) -> pd.Series:
    """Return the ``missiles`` row for a system named by id, name or designation.

    Matching ignores case, spaces and punctuation, and tries ``system_id``, ``name``,
    ``nato_name``, ``us_designation`` and ``russian_designation`` ("ss20", "SS-20", "RSD-10
    Pioner" all find the SS-20). Raises :class:`UnknownNameError` listing the valid systems.
    """
    missiles = _loaded(missiles, "load_missiles")
    _require(missiles, ["system_id", "name"], "missiles")
    wanted = _key(name)
    columns = [c for c in ("system_id", "name", "nato_name", "us_designation",
                           "russian_designation") if c in missiles.columns]
    for column in columns:
        values = missiles[column].fillna("").astype(str).map(_key)
        hits = missiles[(values == wanted) & (values != "")]
        if len(hits):
            return hits.iloc[0]
    valid = ", ".join(f"{row.system_id} ({row.name})" for row in missiles.itertuples())
    raise UnknownNameError(f"unknown missile system {name!r}; valid systems: {valid}")


def find_site(name: str, sites: pd.DataFrame | None = None) -> pd.Series:
    """Return the ``sites`` row for a place named by ``site_id`` or ``name``.

    Matching ignores case, spaces and punctuation. Raises :class:`UnknownNameError` listing the
    valid sites, and ``ValueError`` if the site's coordinates are invalid.
    """
    sites = _loaded(sites, "load_sites")
    _require(sites, ["site_id", "name", "lat", "lon"], "sites")
    wanted = _key(name)
    for column in ("site_id", "name"):
        values = sites[column].fillna("").astype(str).map(_key)
        hits = sites[(values == wanted) & (values != "")]
        if len(hits):
            row = hits.iloc[0]
            geo.check_point(row["lat"], row["lon"], what=f"site {row['site_id']!r}")
            return row
    valid = ", ".join(f"{row.site_id} ({row.name})" for row in sites.itertuples())
    raise UnknownNameError(f"unknown site {name!r}; valid sites: {valid}")


def system_ranges(system: str, missiles: pd.DataFrame | None = None,
                  missile_ranges: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the range claims for one system (rows of ``missile_ranges``), longest first.

    Raises :class:`UnknownNameError` for an unknown system and ``ValueError`` when the system
    has no range claim or a claim is not a possible range (0 < km <= ~20,004).
    """
    row = find_system(system, missiles)
    missile_ranges = _loaded(missile_ranges, "load_missile_ranges")
    _require(missile_ranges, ["system_id", "range_km", "claimant"], "missile_ranges")
    claims = missile_ranges[missile_ranges["system_id"] == row["system_id"]]
    if claims.empty:
        with_claims = sorted(set(missile_ranges["system_id"]))
        raise ValueError(
            f"missile system {row['system_id']!r} has no range claim in missile_ranges; "
            f"systems with ranges: {', '.join(with_claims)}"
        )
    for claim in claims.itertuples():
        try:
            geo.check_range(claim.range_km)
        except ValueError as error:
            raise ValueError(f"missile_ranges, claim {getattr(claim, 'claim_id', '?')!r}: "
                             f"{error}") from None
    return claims.sort_values("range_km", ascending=False, kind="stable")


def _short(text: str, limit: int = 40) -> str:
    """Shorten a claimant for legends and captions: the part before any "(", ":" or ", "
    ("Russian Ministry of Defence (Lt. Gen. ...)" -> "Russian Ministry of Defence"), cut to
    ``limit`` characters. The full text is in the hover and the data."""
    for mark in (" (", ": ", ", "):
        if mark in text and text.index(mark) > 0:
            text = text[:text.index(mark)]
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _claim_label(system_name: str, claim: pd.Series, short: bool = True) -> str:
    prefix = "more than " if str(claim.get("claim_type", "")) == "more than" else ""
    claimant = _short(str(claim["claimant"])) if short else str(claim["claimant"])
    return f"{system_name}: {prefix}{claim['range_km']:,.0f} km ({claimant})"


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------

def _geo_layout(view: str, centre: tuple[float, float] | None, max_range_km: float) -> dict:
    """Return the plotly ``layout.geo`` for a view (always the world outline, never a scope:
    a plotly ``scope`` such as "europe" would fetch a different outline file)."""
    common = dict(
        resolution=110, scope="world",
        # The ocean is the white background: no ocean layer to draw (one large polygon less
        # to project on every redraw).
        showland=True, landcolor="#EEEEEE", showocean=False, bgcolor="#FFFFFF",
        showcountries=True, countrycolor="#AAAAAA", countrywidth=0.5,
        showcoastlines=True, coastlinecolor="#777777", coastlinewidth=0.6,
        showlakes=False, showrivers=False, showframe=True, framecolor="#777777",
    )
    if view == "world":
        return dict(common, projection=dict(type="natural earth"),
                    lonaxis=dict(range=[-180, 180]), lataxis=dict(range=[-60, 85]))
    if view == "europe":
        return dict(common, projection=dict(type="conic equal area",
                                            rotation=dict(lon=20), parallels=[40, 65]),
                    lonaxis=dict(range=[-30, 70]), lataxis=dict(range=[28, 72]))
    if view == "asia-pacific":
        return dict(common, projection=dict(type="natural earth", rotation=dict(lon=130)),
                    lonaxis=dict(range=[60, 200]), lataxis=dict(range=[-20, 72]))
    if view == "azimuthal":
        lat, lon = centre if centre is not None else (0.0, 0.0)
        # The whole globe is a disc of radius ~20,000 km in this projection; zoom so that the
        # longest ring (plus a margin) fills the map.
        scale = max(1.0, geo.HALF_CIRCUMFERENCE_KM / (1.15 * max_range_km))
        return dict(common, projection=dict(type="azimuthal equidistant",
                                            rotation=dict(lon=lon, lat=lat), scale=scale))
    raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------

def _join_names(names: list[str], limit: int = 10) -> str:
    if not names:
        return "no capital on this map"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _capital_distances(sites: pd.DataFrame, lat: float, lon: float,
                       exclude: str | None = None) -> pd.DataFrame:
    """Return the capitals in ``sites`` (all but the site ``exclude``) with their geodesic
    distance in km from ``(lat, lon)``, nearest first: columns ``name`` and ``distance_km``.

    Computed once per base and filtered by :func:`_capitals_within` for each range, so a map
    with a slider of many ranges measures each distance only once.
    """
    capitals = sites[sites["kind"] == "capital"] if "kind" in sites.columns else sites.iloc[0:0]
    if exclude is not None and "site_id" in capitals.columns:
        capitals = capitals[capitals["site_id"] != exclude]
    table = capitals[["name"]].assign(distance_km=geo.distances_km(capitals, lat, lon))
    return table.sort_values("distance_km", kind="stable")


def _capitals_within(distances: pd.DataFrame, range_km: float) -> list[str]:
    """Return the names in a :func:`_capital_distances` table within ``range_km`` km (a place
    exactly at the range counts as within it), nearest first.

    The table is sorted by distance, so the places within reach are its first rows: a binary
    search finds how many (a map with a slider asks once per step).
    """
    count = int(np.searchsorted(distances["distance_km"].to_numpy(), range_km, side="right"))
    return [str(name) for name in distances["name"].iloc[:count]]


def _reach_clause(distances: pd.DataFrame, base: pd.Series, system_name: str,
                  claims: pd.DataFrame) -> str:
    """Describe which capitals one system reaches from one base, naming each capital once, at
    the shortest claimed range that reaches it ("... Vilnius and Riga within 480 km (Russian
    Ministry of Defence); also Berlin within 2,000 km (IISS ...)"). ``distances`` is the
    base's :func:`_capital_distances` table."""
    parts, named = [], set()
    for _, claim in claims.sort_values("range_km", kind="stable").iterrows():
        reached = [name for name in _capitals_within(distances, claim["range_km"])
                   if name not in named]
        named.update(reached)
        where = f"within {claim['range_km']:,.0f} km ({_short(str(claim['claimant']))})"
        if reached:
            parts.append(f"{'also ' if parts else ''}{_join_names(reached)} {where}")
        elif not parts:
            parts.append(f"no capital on this map {where}")
    return f"the {system_name} from {base['name']} reaches " + ", ".join(parts)


def _wrap(text: str, width: int = 130) -> str:
    """Break a long annotation into lines (plotly annotations do not wrap by themselves)."""
    return "<br>".join(textwrap.wrap(html.escape(text, quote=False), width))


# --------------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------------

def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _scattergeo(**props) -> dict:
    """A Scattergeo trace as a plain dict: plotly checks it once, when it joins the figure
    (a ``go.Scattergeo`` would be checked once more there, which made maps slow to build)."""
    return dict(type="scattergeo", **props)


def _site_traces(sites: pd.DataFrame, bases: list[pd.Series], label_kinds: Sequence[str]
                 ) -> list[dict]:
    """Markers for all sites: labelled capitals and cities, other places with hover only."""
    traces = []
    base_ids = {str(base["site_id"]) for base in bases}
    shown = sites[~sites["site_id"].astype(str).isin(base_ids)]
    for labelled, frame in ((True, shown[shown["kind"].isin(label_kinds)]),
                            (False, shown[~shown["kind"].isin(label_kinds)])):
        if frame.empty:
            continue
        hover = []
        for row in frame.itertuples():
            lines = [f"<b>{html.escape(str(row.name))}</b> ({row.kind}, {row.country})"]
            for base in bases:
                d = geo.distance_km((base["lat"], base["lon"]), (row.lat, row.lon))
                lines.append(f"{d:,.0f} km from {html.escape(str(base['name']))}")
            hover.append("<br>".join(lines))
        traces.append(_scattergeo(
            lon=frame["lon"].round(4).tolist(), lat=frame["lat"].round(4).tolist(),
            mode="markers+text" if labelled else "markers",
            text=frame["name"].astype(str).tolist() if labelled else None,
            textposition="top center", textfont=dict(size=10, color="#333333"),
            marker=dict(size=6 if labelled else 5, color=OKABE_ITO["black"],
                        symbol="circle" if labelled else "diamond-open"),
            hovertext=hover, hoverinfo="text",
            name="Capitals and cities" if labelled else "Other places",
            uid="sites-labelled" if labelled else "sites-other",
        ))
    return traces


def _ring_trace(lons: np.ndarray, lats: np.ndarray, name: str, colour: str, dash: str,
                uid: str, width: float = 2.0, hovertext: str | None = None, **extra
                ) -> dict:
    return _scattergeo(
        lon=np.round(lons, 3).tolist(), lat=np.round(lats, 3).tolist(), mode="lines",
        line=dict(color=colour, width=width, dash=dash), name=name,
        hovertext=html.escape(hovertext or name), hoverinfo="text", uid=uid, **extra)


def range_map(systems: str | Sequence[str] | None = None,
              bases: str | Sequence[str] | None = None, *,
              view: str = "world",
              inf_band: bool = True,
              what_if_km: float | None = None,
              controls: bool = False,
              title: str | None = None,
              sites: pd.DataFrame | None = None,
              missiles: pd.DataFrame | None = None,
              missile_ranges: pd.DataFrame | None = None,
              ring_points: int = 180) -> go.Figure:
    """Return a plotly map of what the chosen missile systems reach from the chosen bases.

    Parameters
    ----------
    systems: missile system(s), by id, name or designation (see :func:`find_system`); every
        range claim of each system is drawn as a ring around every base (one colour per system,
        one dash per claim).
    bases: site(s) from ``sites``, by ``site_id`` or name; at least one is needed.
    view: ``"europe"``, ``"asia-pacific"``, ``"world"`` or ``"azimuthal"`` (azimuthal
        equidistant, centred on the first base: rings are circles, distances from the base true).
    inf_band: draw the INF Treaty's 500 km and 5,500 km rings around each base.
    what_if_km: also draw a black "what if" ring of this range (km) around the first base.
    controls: add an in-figure slider for the "what if" range (250 km steps, computed in
        advance so moving it needs no kernel) and a button that shows or hides the INF band.
    title: the map title; a descriptive one is made when omitted.
    sites, missiles, missile_ranges: the tables to use; default: ``armscontrol.data`` loaders.
    ring_points: points per ring.

    The figure's ``layout.meta["text_alternative"]`` holds a one-sentence description naming
    the capitals within range; it is also shown under the map.

    Raises :class:`UnknownNameError` for an unknown system or site (listing valid names),
    ``ValueError`` for an unknown view, a range outside (0, ~20,004] km or bad coordinates.
    """
    return _draw_range_map(go.Figure(layout={"template": TEMPLATE}), systems, bases, view=view,
                           inf_band=inf_band, what_if_km=what_if_km, controls=controls,
                           title=title, sites=sites, missiles=missiles,
                           missile_ranges=missile_ranges, ring_points=ring_points)


def _draw_range_map(figure: go.Figure, systems, bases, *, view: str, inf_band: bool,
                    what_if_km: float | None, controls: bool, title: str | None,
                    sites: pd.DataFrame | None, missiles: pd.DataFrame | None,
                    missile_ranges: pd.DataFrame | None, ring_points: int) -> go.Figure:
    """Draw :func:`range_map`'s map into ``figure`` (a ``go.Figure`` or the explorer's
    ``FigureWidget``), replacing what it showed, and return it. Drawing in place means each
    trace and the layout are checked by plotly once, not again when copied into a widget."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    sites = _loaded(sites, "load_sites")
    _require(sites, ["site_id", "name", "kind", "country", "lat", "lon"], "sites")
    base_rows = [find_site(name, sites) for name in _as_list(bases)]
    if not base_rows:
        raise ValueError("range_map needs at least one base (a site_id or name from sites)")
    system_names = _as_list(systems)
    if system_names:
        missiles = _loaded(missiles, "load_missiles")
        missile_ranges = _loaded(missile_ranges, "load_missile_ranges")
    system_rows = [find_system(name, missiles) for name in system_names]
    claims = {row["system_id"]: system_ranges(row["system_id"], missiles, missile_ranges)
              for row in system_rows}
    if what_if_km is not None:
        what_if_km = geo.check_range(what_if_km)

    # Each base's distance to every capital, measured once for all the captions below.
    capital_distances = {str(base["site_id"]): _capital_distances(
        sites, base["lat"], base["lon"], exclude=str(base["site_id"])) for base in base_rows}
    traces: list[dict] = []
    sentences: list[str] = []
    longest = max([c["range_km"].max() for c in claims.values()] + [what_if_km or 0]
                  + [inf.band_km()[2] if inf_band else 0] + [1000])

    if inf_band:
        for i, base in enumerate(base_rows):
            for km, dash in zip(inf.band_km()[::2], INF_BAND_DASHES):
                lons, lats = geo.range_ring(base["lat"], base["lon"], km, ring_points)
                traces.append(_ring_trace(
                    lons, lats, f"INF band: {km:,} km", "#777777", dash,
                    uid=f"inf-{km}-{base['site_id']}", width=1.2, legendgroup="inf",
                    showlegend=(i == 0), meta="inf-band"))

    for i, row in enumerate(system_rows):
        colour = RING_COLOURS[i % len(RING_COLOURS)]
        for j, (_, claim) in enumerate(claims[row["system_id"]].iterrows()):
            for k, base in enumerate(base_rows):
                lons, lats = geo.range_ring(base["lat"], base["lon"], claim["range_km"],
                                            ring_points)
                name = _claim_label(str(row["name"]), claim)
                if len(system_rows) == 1:  # the title names the system: keep the legend short
                    name = name.split(": ", 1)[1]
                if len(base_rows) > 1:
                    name += f" from {_short(str(base['name']), 20)}"
                traces.append(_ring_trace(
                    lons, lats, name, colour, CLAIM_DASHES[j % len(CLAIM_DASHES)],
                    uid=f"ring-{row['system_id']}-{j}-{base['site_id']}",
                    hovertext=_claim_label(str(row["name"]), claim, short=False)))
        for base in base_rows:
            sentences.append(_reach_clause(capital_distances[str(base["site_id"])], base,
                                           str(row["name"]), claims[row["system_id"]]))

    traces.extend(_site_traces(sites, base_rows, LABELLED_KINDS))
    traces.append(_scattergeo(
        lon=[float(b["lon"]) for b in base_rows], lat=[float(b["lat"]) for b in base_rows],
        mode="markers+text", text=[str(b["name"]) for b in base_rows],
        textposition="bottom center", textfont=dict(size=11, color=OKABE_ITO["black"]),
        marker=dict(size=12, symbol="star", color=OKABE_ITO["orange"],
                    line=dict(color=OKABE_ITO["black"], width=1)),
        hovertext=[f"<b>{html.escape(str(b['name']))}</b> ({b['kind']}, {b['country']})"
                   for b in base_rows],
        hoverinfo="text", name="Base" if len(base_rows) == 1 else "Bases", uid="bases"))

    first = base_rows[0]
    what_if_traces: list[dict] = []
    captions: list[str] = []  # one text alternative per slider step
    if controls or what_if_km is not None:
        start_km = what_if_km or (
            max(c["range_km"].max() for c in claims.values()) if claims else 2000.0)
    if controls:
        values = _slider_steps_km(start_km, longest)
        active = int(np.argmin([abs(v - start_km) for v in values]))
        first_distances = capital_distances[str(first["site_id"])]
        # A legend entry, then one ring per slider step, all sent to the browser once; the
        # slider only switches which one is visible, so a move needs no kernel and no new data.
        # (Plotly redraws a geo map on any trace change; benchmarks/bench_range_slider.py
        # measures what that costs.)
        what_if_traces.append(_scattergeo(
            lon=[None], lat=[None], mode="lines", name="What if (slider below)",
            line=dict(color=WHAT_IF_COLOUR, width=2.5), hoverinfo="skip", uid="what-if",
            meta="what-if"))
        for i, km in enumerate(values):
            lons, lats = geo.range_ring(first["lat"], first["lon"], km, ring_points)
            what_if_traces.append(_scattergeo(
                lon=np.round(lons, 2).tolist(), lat=np.round(lats, 2).tolist(), mode="lines",
                line=dict(color=WHAT_IF_COLOUR, width=2.5), visible=(i == active),
                name=f"What if: {km:,} km", showlegend=False, hoverinfo="skip",
                uid=f"what-if-{km}", meta=f"what-if:{km}"))
            reached = _capitals_within(first_distances, km)
            captions.append(_sentence(sentences + [
                f"a {km:,} km missile from {first['name']} would reach {_join_names(reached)}"]))
        text_alternative = captions[active]
    elif what_if_km is not None:
        lons, lats = geo.range_ring(first["lat"], first["lon"], start_km, ring_points)
        what_if_traces.append(_ring_trace(lons, lats, f"What if: {start_km:,.0f} km",
                                          WHAT_IF_COLOUR, "solid", uid="what-if", width=2.5))
        reached = _capitals_within(capital_distances[str(first["site_id"])], start_km)
        text_alternative = _sentence(sentences + [
            f"a {start_km:,.0f} km missile from {first['name']} would reach "
            f"{_join_names(reached)}"])
    elif sentences:
        text_alternative = _sentence(sentences)
    else:
        text_alternative = (f"Map of {first['name']} and the places around it; no missile "
                            "range is drawn.")
    # What-if rings first: drawn under the claimed rings, which they may coincide with.
    traces = what_if_traces + traces

    if title is None:
        what = ", ".join(str(r["name"]) for r in system_rows) or "Places"
        where = ", ".join(str(b["name"]) for b in base_rows)
        title = f"{what}: range from {where}"
    caption = dict(showarrow=False, xref="paper", yref="paper", x=0, y=0,
                   yshift=-80 if controls else -12, xanchor="left", yanchor="top",
                   align="left", font=dict(size=11, color="#222222"))
    if controls:
        annotations = [dict(caption, text=_wrap(text), opacity=1 if i == active else 0,
                            name=f"text-alternative-{km}")
                       for i, (km, text) in enumerate(zip(values, captions))]
    else:
        annotations = [dict(caption, text=_wrap(text_alternative), name="text-alternative")]

    fig = figure
    fig.data = []
    fig.layout = {"template": TEMPLATE}
    fig.add_traces(traces)
    fig.update_layout(
        title=dict(text=html.escape(title), x=0.02, xanchor="left"),
        geo=_geo_layout(view, (float(first["lat"]), float(first["lon"])), longest),
        legend=dict(title=dict(text="Legend"), x=1.0, xanchor="left", y=1.0,
                    bgcolor="rgba(255,255,255,0.85)", font=dict(size=10)),
        margin=dict(l=10, r=10, t=80 if controls else 50, b=170 if controls else 100),
        height=640 if controls else 560,
        meta={"text_alternative": text_alternative, "view": view,
              "claims_text_alternative": _sentence(sentences) if sentences else ""},
        annotations=annotations,
    )
    if controls:
        _add_controls(fig, values, active)
    return fig


def _sentence(clauses: list[str]) -> str:
    return "Capitals within range: " + "; ".join(clauses) + "."


def _slider_steps_km(start_km: float, longest_km: float, step_km: int = 250) -> list[int]:
    top = max(6000.0, float(start_km) * 1.5, float(longest_km))
    top = min(geo.HALF_CIRCUMFERENCE_KM, np.ceil(top / 1000.0) * 1000.0)
    return list(range(step_km, int(top) + 1, step_km))


def _add_controls(fig: go.Figure, values: list[int], active: int) -> None:
    """Add the "what if" slider and the INF-band toggle. Both only switch what is shown (which
    ring is visible and which caption opaque; whether the INF rings are visible), so the
    browser updates the map by itself, with no kernel (and in exported HTML too)."""
    rings = [i for i, trace in enumerate(fig.data)
             if str(trace.meta or "").startswith("what-if:")]
    steps = []
    for i, km in enumerate(values):
        shown = [1 if j == i else 0 for j in range(len(values))]
        steps.append(dict(
            method="update", label=f"{km:,}", value=str(km),
            args=[{"visible": [bool(o) for o in shown]},
                  {f"annotations[{j}].opacity": o for j, o in enumerate(shown)},
                  rings],
        ))
    fig.update_layout(sliders=[dict(
        active=active, steps=steps, x=0.0, len=1.0, y=0, yanchor="top", pad=dict(t=10, b=0),
        currentvalue=dict(prefix="What-if range: ", suffix=" km",
                          font=dict(size=13, color="#222222")),
        font=dict(color="rgba(0,0,0,0)"),  # hide the per-step tick labels (too many to read)
        transition=dict(duration=0), name="what-if-range",
    )])
    inf_indices = [i for i, trace in enumerate(fig.data) if trace.meta == "inf-band"]
    if inf_indices:
        fig.update_layout(updatemenus=[dict(
            type="buttons", direction="right", x=1.0, xanchor="right", y=1.0, yanchor="bottom",
            pad=dict(b=4), showactive=False, name="inf-toggle",
            buttons=[dict(label="INF band on/off", method="restyle",
                          args=[{"visible": False}, inf_indices],
                          args2=[{"visible": True}, inf_indices])],
        )])


# --------------------------------------------------------------------------------------------
# The table and the explorer
# --------------------------------------------------------------------------------------------

def places_within_reach(system: str, base: str, *, sites: pd.DataFrame | None = None,
                        missiles: pd.DataFrame | None = None,
                        missile_ranges: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the places within the longest range claimed for ``system`` from ``base``.

    Columns: ``name``, ``kind``, ``country``, ``distance_km`` (km from the base, rounded), then
    one yes/no column per range claim, headed with the range and the claimant. Sorted from
    nearest to furthest; the base itself is left out.
    """
    sites = _loaded(sites, "load_sites")
    base_row = find_site(base, sites)
    system_row = find_system(system, missiles)
    claims = system_ranges(system_row["system_id"], missiles, missile_ranges)
    others = sites[sites["site_id"] != base_row["site_id"]]
    near = geo.within_range(others, base_row["lat"], base_row["lon"], claims["range_km"].max())
    table = near[["name", "kind", "country"]].copy()
    table["distance_km"] = near["distance_km"].round().astype(int)
    for _, claim in claims.iterrows():
        header = _claim_label(str(system_row["name"]), claim).split(": ", 1)[1]
        table[f"within {header}"] = np.where(near["distance_km"] <= claim["range_km"],
                                              "yes", "no")
    return table.reset_index(drop=True)


def _table_html(table: pd.DataFrame, system: str, base: str) -> str:
    caption = (f"Places within reach of the {html.escape(system)} from {html.escape(base)} "
               f"({len(table)} of them, nearest first)")
    if table.empty:
        return f"<p>{caption}: none of the places in the data.</p>"
    shown = table.rename(columns={"name": "Place", "kind": "Kind", "country": "Country",
                                  "distance_km": "Distance (km)"})
    body = shown.to_html(index=False, escape=True, border=0)
    # Focusable and named, so keyboard users can scroll it (axe: scrollable-region-focusable).
    return (f"<div style='max-height:22em;overflow:auto' tabindex='0' role='region' "
            f"aria-label='{caption}'><p><b>{caption}</b></p>{body}</div>")


def _system_options(missiles: pd.DataFrame, missile_ranges: pd.DataFrame
                    ) -> list[tuple[str, str]]:
    with_ranges = set(missile_ranges["system_id"])
    return [(str(row.name), str(row.system_id)) for row in missiles.itertuples()
            if row.system_id in with_ranges]


def _base_options(sites: pd.DataFrame) -> list[tuple[str, str]]:
    """Missile bases first, then other military sites, then capitals and cities."""
    bases = sites[sites["kind"] == "missile base"]
    military = sites[~sites["kind"].isin(("missile base",) + LABELLED_KINDS)]
    civil = sites[sites["kind"].isin(LABELLED_KINDS)]
    return [(f"{row.name} ({row.kind})", str(row.site_id))
            for frame in (bases, military, civil) for row in frame.itertuples()]


def __getattr__(name: str):
    """Return ``range_explorer`` or ``RangeExplorer`` from :mod:`armscontrol.range_explorer`.

    The explorer lives there (its own map, not plotly geo) and imports this module, so it is
    looked up on first use: either module can then be imported first, and lessons with static
    maps only do not import the explorer's widgets. ``maps.range_explorer(...)`` keeps working.
    """
    if name in ("range_explorer", "RangeExplorer"):
        from armscontrol import range_explorer as explorer_module

        return getattr(explorer_module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


use_offline_world()
