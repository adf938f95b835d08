"""The range explorer: an azimuthal-equidistant map around one base, with keyboard controls.

In the azimuthal-equidistant projection centred on a base, every point is drawn at its true
geodesic distance from the base, in its true direction, so a range ring is an exact circle. The
explorer's map is therefore a plain cartesian plotly figure (no plotly geo layer, which redraws
the whole map on any change): the world outline projected once per base, the sites as markers
and every ring (each range claim, the INF Treaty's 500 and 5,500 km band and the "what if" ring)
as a layout circle shape.

- :func:`project` the azimuthal-equidistant coordinates (km) of points seen from a base;
- :func:`world_outline_km` the shipped world outline projected around a base (cached);
- :func:`explorer_figure` the explorer's figure for one system and base;
- :func:`range_explorer` / :class:`RangeExplorer` the explorer: system, base and view menus,
  then a "What if (km)" slider, an "INF band" toggle and one button per range claim (ipywidgets,
  so Tab, arrows and Space work), the map, its text alternative and the tables.

The slider, the toggle and the claim buttons redraw in the browser: :class:`RangeBridge` (an
anywidget whose JavaScript ships beside this file) listens to them there and shows or hides
circles with ``Plotly.relayout``, without waiting for the kernel (benchmarks/bench_range_slider.py
measures it). The kernel only updates the text alternative under the map. The menus rebuild the
figure in the kernel.
"""
from __future__ import annotations

import functools
import html
import json
import math
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import traitlets

from armscontrol import figures, geo, inf, maps
from armscontrol.data_tables import range_claims_table_html
from armscontrol.figure_widget import FigureWidget
from armscontrol.plot_style import TEMPLATE

#: How far from the base (km) each view reaches at least (half the map's width); the map also
#: always shows the longest range claim (with a 10 % margin), which is all "azimuthal" asks
#: for. "world" is the whole disc: every point of the Earth is within half its circumference
#: of the base.
VIEW_REACH_KM: dict[str, float] = {"europe": 3000.0, "asia-pacific": 5000.0,
                                   "world": geo.HALF_CIRCUMFERENCE_KM, "azimuthal": 1000.0}

#: Points further than this from the base (km) are left out of the outline: near the antipode
#: the projection stretches a few km of coastline into thousands of km of the map's rim.
OUTLINE_LIMIT_KM: float = geo.HALF_CIRCUMFERENCE_KM - 1000.0

#: A line of the outline is broken where two neighbouring points land this far apart (km) on
#: the map (it crossed the region around the antipode that is left out).
BREAK_KM: float = 1500.0

#: Line widths (px) of a range-claim circle and of the wider circle behind the chosen one.
CLAIM_WIDTH, HIGHLIGHT_WIDTH = 1.6, 6.0
#: Colours: the INF band, the highlight behind the chosen claim, and a hidden circle.
INF_COLOUR, HIGHLIGHT_COLOUR, HIDDEN = "#777777", "rgba(0,114,178,0.35)", "rgba(0,0,0,0)"

# Why circles are hidden by colour: in plotly.js a shape's position, visibility and line
# width are "calc" edits, which replot the whole figure (~50 ms here); its line colour is an
# "arraydraw" edit, which redraws that shape only. So every circle a control can show is in
# the figure from the start (one what-if circle per slider step, a highlight per claim) and
# the controls only change line colours. For the same reason no shape has a legend entry
# (any shape with showlegend makes every shape edit a "calc" edit): the legend is drawn by
# empty traces.


# --------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------

def project(lat0: float, lon0: float, lats, lons) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(x, y)`` in km: the azimuthal-equidistant coordinates of the points ``lats``,
    ``lons`` (degrees) seen from ``(lat0, lon0)``, with x = s·sin(azi) and y = s·cos(azi),
    where s is the geodesic distance on the WGS84 ellipsoid and azi the azimuth at the base
    (clockwise from north), both from :func:`geo.inverse_arrays`. NaN in, NaN out."""
    s, azi = geo.inverse_arrays(lat0, lon0, lats, lons)
    azi = np.radians(azi)
    return s * np.sin(azi), s * np.cos(azi)


def _spherical_km(lat0: float, lon0: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (km, mean Earth radius): only to skip points far off the map
    before the exact projection; off by at most ~0.5 %, which the caller's margin covers."""
    p0, p, dl = np.radians(lat0), np.radians(lats), np.radians(lons - lon0)
    c = np.sin(p0) * np.sin(p) + np.cos(p0) * np.cos(p) * np.cos(dl)
    return 6371.0088 * np.arccos(np.clip(c, -1.0, 1.0))


@functools.lru_cache(maxsize=1)
def _world_lines() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return the shipped world outline as ``{"coastlines": (lons, lats), "borders": ...}``:
    each a pair of arrays of degrees, lines separated by NaN.

    The outline is plotly's own TopoJSON (maps.WORLD_OUTLINE). Decoding it is done by hand
    because it is a few lines (each arc is a list of integer deltas; a running sum times the
    file's scale plus its translate gives lon, lat) and the maintained TopoJSON decoders are
    JavaScript; the Python ones are unmaintained or pull in shapely/geopandas.
    """
    topology = json.loads(maps.WORLD_OUTLINE.read_text(encoding="utf-8"))
    scale = np.asarray(topology["transform"]["scale"])
    translate = np.asarray(topology["transform"]["translate"])
    arcs = [np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate
            for arc in topology["arcs"]]

    def arc_ids(item, found: set[int]) -> set[int]:
        if isinstance(item, int):
            found.add(item if item >= 0 else ~item)  # a negative index is a reversed arc
        else:
            for part in item:
                arc_ids(part, found)
        return found

    objects = topology["objects"]
    coast: set[int] = set()
    for geometry in objects["coastlines"]["geometries"]:
        arc_ids(geometry["arcs"], coast)
    borders: set[int] = set()
    for geometry in objects["countries"]["geometries"]:
        arc_ids(geometry.get("arcs", []), borders)

    def joined(ids: set[int]) -> tuple[np.ndarray, np.ndarray]:
        gap = np.array([[np.nan, np.nan]])
        points = np.concatenate([part for i in sorted(ids) for part in (arcs[i], gap)])
        return points[:, 0], points[:, 1]

    return {"coastlines": joined(coast), "borders": joined(borders - coast)}


@functools.lru_cache(maxsize=16)
def world_outline_km(lat0: float, lon0: float, reach_km: float = geo.HALF_CIRCUMFERENCE_KM
                     ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return the world outline projected around ``(lat0, lon0)`` (see :func:`project`):
    ``{"coastlines": (x, y), "borders": (x, y)}`` in km, lines separated by NaN.

    ``reach_km`` is half the width of the (square) map: only points that can be on it (within
    its corners, ``reach_km`` times the square root of 2 from the base, plus a margin) are kept,
    and none beyond :data:`OUTLINE_LIMIT_KM`; a line is broken where it leaves the kept region.
    Cached per base and reach (a map's view).
    """
    limit = min(OUTLINE_LIMIT_KM, reach_km * math.sqrt(2.0) * 1.02 + 200.0)
    outline = {}
    for name, (lons, lats) in _world_lines().items():
        near = _spherical_km(lat0, lon0, lats, lons) <= limit * 1.01 + 50.0
        x, y = project(lat0, lon0, np.where(near, lats, np.nan), np.where(near, lons, np.nan))
        far = np.hypot(x, y) > limit
        x[far], y[far] = np.nan, np.nan
        jump = np.hypot(np.diff(x), np.diff(y)) > BREAK_KM
        x, y = np.insert(x, np.flatnonzero(jump) + 1, np.nan), \
            np.insert(y, np.flatnonzero(jump) + 1, np.nan)
        # Drop runs of gaps (one NaN between lines is enough) to keep the figure small.
        gap = np.isnan(x)
        keep = ~(gap & np.concatenate([[True], gap[:-1]]))
        outline[name] = (np.round(x[keep], 1), np.round(y[keep], 1))
    return outline


# --------------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------------

def _svg_path(x: np.ndarray, y: np.ndarray) -> str:
    """Return an SVG path ("M x,y L x,y ... M ...") in data units through the points, a new
    subpath after each gap (NaN)."""
    parts, start = [], True
    for a, b in zip(x, y):
        if math.isnan(a):
            start = True
            continue
        parts.append(f"{'M' if start else 'L'}{a:.1f},{b:.1f}")
        start = False
    return "".join(parts)


def _circle(km: float, colour: str, dash: str, width: float, name: str) -> dict:
    """A layout circle shape of radius ``km`` around the base (the origin): in this projection
    the circle is exactly the points ``km`` km from the base."""
    return dict(type="circle", xref="x", yref="y", x0=-km, y0=-km, x1=km, y1=km,
                line=dict(color=colour, width=width, dash=dash), fillcolor=HIDDEN,
                layer="above", name=name)


def _legend_entry(name: str, colour: str, dash: str, width: float) -> dict:
    """An empty line trace: a legend entry for circles drawn as shapes."""
    return dict(type="scatter", x=[None], y=[None], mode="lines", name=name, hoverinfo="skip",
                line=dict(color=colour, dash=dash, width=width))


def map_reach_km(view: str, longest_km: float) -> float:
    """Return how far from the base (km) the map reaches for ``view`` (half its width): the
    view's reach (:data:`VIEW_REACH_KM`) or 1.1 times the longest range claim, the larger."""
    if view not in VIEW_REACH_KM:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEW_REACH_KM)}")
    return min(geo.HALF_CIRCUMFERENCE_KM, max(VIEW_REACH_KM[view], 1.1 * float(longest_km)))


def what_if_steps_km(longest_km: float, step_km: int = 250) -> list[int]:
    """Return the "what if" slider's ranges (km): every ``step_km`` up to at least 6,000 km and
    the longest claim, at most half the Earth's circumference."""
    top = max(6000.0, float(longest_km))
    top = min(geo.HALF_CIRCUMFERENCE_KM, math.ceil(top / 1000.0) * 1000.0)
    return list(range(step_km, int(top) + 1, step_km))


def explorer_figure(system_row: pd.Series, claims: pd.DataFrame, base: pd.Series,
                    sites: pd.DataFrame, view: str, what_if_km: int,
                    what_if_steps: list[int] | None = None, inf_band: bool = True,
                    chosen_claim: int = 0, figure: go.Figure | None = None) -> go.Figure:
    """Draw the explorer's map into ``figure`` (a new ``go.Figure`` when None), replacing what
    it showed, and return it: the outline and sites projected around ``base`` (axes in km from
    the base), one circle per row of ``claims`` (the one at position ``chosen_claim`` with a
    wide highlight behind it), the INF band (shown if ``inf_band``) and one what-if circle per
    slider step (``what_if_steps``, km; default :func:`what_if_steps_km`), only the one of
    ``what_if_km`` km shown.

    ``layout.meta["shapes"]`` says which shapes are which: ``what_if`` (one per step, in step
    order), ``inf`` (500 km, 5,500 km), ``claims`` and ``highlights`` (one per claim, in the
    order of ``claims``), ``outline`` (borders, coastlines); ``meta["what_if_km"]`` the steps.
    """
    lat0, lon0 = float(base["lat"]), float(base["lon"])
    longest = float(claims["range_km"].max())
    reach = map_reach_km(view, longest)
    outline = world_outline_km(lat0, lon0, reach)
    traces = []
    others = sites[sites["site_id"].astype(str) != str(base["site_id"])]
    x, y = project(lat0, lon0, others["lat"], others["lon"])
    distance = np.hypot(x, y)
    for labelled in (True, False):
        pick = others["kind"].isin(maps.LABELLED_KINDS).to_numpy() == labelled
        pick &= distance <= reach * 1.5  # leave out places far off the map
        if not pick.any():
            continue
        frame = others[pick]
        hover = [f"<b>{html.escape(str(r.name))}</b> ({r.kind}, {r.country})<br>"
                 f"{d:,.0f} km from {html.escape(str(base['name']))}"
                 for r, d in zip(frame.itertuples(), distance[pick])]
        traces.append(dict(
            type="scatter", x=np.round(x[pick], 1).tolist(), y=np.round(y[pick], 1).tolist(),
            mode="markers+text" if labelled else "markers",
            text=frame["name"].astype(str).tolist() if labelled else None,
            textposition="top center", textfont=dict(size=10, color="#333333"),
            marker=dict(size=6 if labelled else 5, color=maps.OKABE_ITO["black"],
                        symbol="circle" if labelled else "diamond-open"),
            hovertext=hover, hoverinfo="text", cliponaxis=True,
            name="Capitals and cities" if labelled else "Other places",
            uid="sites-labelled" if labelled else "sites-other"))
    traces.append(dict(
        type="scatter", x=[0.0], y=[0.0], mode="markers+text", text=[str(base["name"])],
        textposition="bottom center", textfont=dict(size=11, color=maps.OKABE_ITO["black"]),
        marker=dict(size=12, symbol="star", color=maps.OKABE_ITO["orange"],
                    line=dict(color=maps.OKABE_ITO["black"], width=1)),
        hovertext=[f"<b>{html.escape(str(base['name']))}</b> ({base['kind']}, "
                   f"{base['country']})"], hoverinfo="text", name="Base", uid="base"))

    steps = list(what_if_steps) if what_if_steps is not None else what_if_steps_km(longest)
    if what_if_km not in steps:
        raise ValueError(f"what_if_km {what_if_km} is not a slider step ({steps[0]}, "
                         f"{steps[1]}, ... {steps[-1]} km)")
    shapes: list[dict] = []
    index: dict[str, list[int]] = {}

    def add(kind: str, shape: dict) -> None:
        index.setdefault(kind, []).append(len(shapes))
        shapes.append(shape)

    for km in steps:
        add("what_if", _circle(km, maps.WHAT_IF_COLOUR if km == what_if_km else HIDDEN,
                               "solid", 2.5, f"What if: {km:,} km"))
    legend = [_legend_entry("What if (slider)", maps.WHAT_IF_COLOUR, "solid", 2.5)]
    for km, dash in zip(inf.band_km()[::2], maps.INF_BAND_DASHES):
        add("inf", _circle(km, INF_COLOUR if inf_band else HIDDEN, dash, 1.2,
                           f"INF band: {km:,} km"))
        legend.append(_legend_entry(f"INF band: {km:,} km", INF_COLOUR, dash, 1.2))
    colour = maps.RING_COLOURS[0]
    for j, (_, claim) in enumerate(claims.iterrows()):
        km = float(claim["range_km"])
        label = maps._claim_label(str(system_row["name"]), claim).split(": ", 1)[1]
        dash = maps.CLAIM_DASHES[j % len(maps.CLAIM_DASHES)]
        add("highlights", _circle(km, HIGHLIGHT_COLOUR if j == chosen_claim else HIDDEN,
                                  "solid", HIGHLIGHT_WIDTH, f"chosen: {label}"))
        add("claims", _circle(km, colour, dash, CLAIM_WIDTH, label))
        legend.append(_legend_entry(label, colour, dash, CLAIM_WIDTH))
    # The outline last, under everything: one SVG path each (a scatter trace would draw one
    # path per line, hundreds of them, each time plotly redraws the figure).
    for name, line_colour, width in (("borders", "#BBBBBB", 0.6),
                                     ("coastlines", "#777777", 0.8)):
        add("outline", dict(type="path", xref="x", yref="y", path=_svg_path(*outline[name]),
                            line=dict(color=line_colour, width=width), layer="below",
                            name=name))
    traces = legend + traces

    title = f"{system_row['name']}: range from {base['name']}"
    # constrain="domain": the equal scale shrinks the plot area, not the ranges, so the map
    # shows exactly the view's square around the base.
    axis = dict(range=[-reach, reach], constrain="domain", showgrid=False, zeroline=False,
                ticks="outside", tickformat=",.0f", showline=True, linecolor="#777777",
                mirror=True)
    fig = figure if figure is not None else go.Figure(layout={"template": TEMPLATE})
    fig.data = []
    fig.layout = {"template": TEMPLATE}
    fig.add_traces(traces)
    fig.update_layout(
        title=dict(text=html.escape(title), x=0.02, xanchor="left"),
        shapes=shapes,
        xaxis=dict(axis, title=dict(text=f"km from {html.escape(str(base['name']))} "
                                         "(azimuthal equidistant: every distance from the "
                                         "base is true)", font=dict(size=11))),
        yaxis=dict(axis, scaleanchor="x", scaleratio=1),
        plot_bgcolor="#FFFFFF",
        legend=dict(title=dict(text="Legend"), x=1.0, xanchor="left", y=1.0,
                    bgcolor="rgba(255,255,255,0.85)", font=dict(size=10)),
        margin=dict(l=60, r=10, t=50, b=60), height=620,
        meta={"view": view, "projection": "azimuthal equidistant", "base": str(base["site_id"]),
              "reach_km": reach, "shapes": index, "what_if_km": steps},
    )
    return fig


# --------------------------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------------------------

class RangeBridge(anywidget.AnyWidget):
    """An invisible widget that redraws the map's circles in the browser when the slider, the
    INF toggle or the claim buttons change (see range_explorer.js): ``slider_id``, ``inf_id``
    and ``claims_id`` are those controls' model ids; ``shapes`` and ``what_if_km`` are the
    figure's ``layout.meta`` entries of the same names (which shape is which circle); the
    colours are what a shown circle is drawn in."""

    _esm = Path(__file__).with_name("range_explorer.js")
    slider_id = traitlets.Unicode().tag(sync=True)
    inf_id = traitlets.Unicode().tag(sync=True)
    claims_id = traitlets.Unicode().tag(sync=True)
    shapes = traitlets.Dict().tag(sync=True)
    what_if_km = traitlets.List(traitlets.Int()).tag(sync=True)
    what_if_colour = traitlets.Unicode(maps.WHAT_IF_COLOUR).tag(sync=True)
    inf_colour = traitlets.Unicode(INF_COLOUR).tag(sync=True)
    highlight_colour = traitlets.Unicode(HIGHLIGHT_COLOUR).tag(sync=True)
    hidden = traitlets.Unicode(HIDDEN).tag(sync=True)


class RangeExplorer(widgets.VBox):
    """The widget :func:`range_explorer` returns: menus, controls, map, caption and tables.

    Attributes: ``system``, ``base``, ``view`` (the menus), ``what_if`` (the "What if (km)"
    slider), ``inf_band`` (the INF-band toggle), ``claims`` (one button per range claim),
    ``figure`` (the plotly ``FigureWidget``), ``caption`` (the text alternative and the rings'
    table) and ``table`` (places within reach).
    """

    def __init__(self, system: str | None, base: str | None, view: str, sites: pd.DataFrame,
                 missiles: pd.DataFrame, missile_ranges: pd.DataFrame):
        self._tables = (sites, missiles, missile_ranges)
        system_options = maps._system_options(missiles, missile_ranges)
        if not system_options:
            raise ValueError("no missile system has a range claim in missile_ranges")
        system_id = (maps.find_system(system, missiles)["system_id"] if system
                     else system_options[0][1])
        if str(system_id) not in {value for _, value in system_options}:
            raise ValueError(f"missile system {system!r} has no range claim in missile_ranges")
        base_options = maps._base_options(sites)
        base_id = maps.find_site(base, sites)["site_id"] if base else base_options[0][1]
        if view not in maps.VIEWS:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(maps.VIEWS)}")
        style = {"description_width": "initial"}
        self.system = widgets.Dropdown(options=system_options, value=str(system_id),
                                       description="Missile system:", style=style)
        self.base = widgets.Dropdown(options=base_options, value=str(base_id),
                                     description="Base:", style=style)
        self.view = widgets.Dropdown(options=list(maps.VIEWS), value=view, description="View:",
                                     style=style)
        self.what_if = widgets.IntSlider(value=1000, min=250, max=6000, step=250,
                                         description="What if (km)", style=style,
                                         continuous_update=True,
                                         layout=widgets.Layout(width="420px"))
        self.inf_band = widgets.ToggleButton(value=True, description="INF band (500–5,500 km)",
                                             tooltip="Show or hide the INF Treaty's band",
                                             layout=widgets.Layout(width="auto"))
        self.claims = widgets.ToggleButtons(
            description="Range claim:", tooltips=[],
            style={"description_width": "initial", "button_width": "auto"})
        self.figure = FigureWidget(layout={"template": TEMPLATE})
        self.caption = widgets.HTML()
        self.table = widgets.HTML()
        self.bridge = RangeBridge(slider_id=self.what_if.model_id, inf_id=self.inf_band.model_id,
                                  claims_id=self.claims.model_id)
        self._draw()
        for control in (self.system, self.base, self.view):
            control.observe(self._on_menu, names="value")
        self.what_if.observe(self._on_what_if, names="value")
        menus = widgets.HBox([self.system, self.base, self.view],
                             layout=widgets.Layout(flex_flow="row wrap"))
        controls = widgets.HBox([self.what_if, self.inf_band],
                                layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([menus, controls, self.claims, self.bridge, self.figure, self.caption,
                          self.table])
        self.add_class("ac-range-explorer")

    def _draw(self) -> None:
        """Rebuild the map, the controls' choices and the tables for the current menus.

        What the caption needs of the menus' choice (the system's and base's rows, the range
        claims, the capitals' distances from the base) is worked out here, once per choice,
        and kept for the slider's caption updates (``_drawn``)."""
        sites, missiles, missile_ranges = self._tables
        system_row = maps.find_system(self.system.value, missiles)
        base_row = maps.find_site(self.base.value, sites)
        claims = maps.system_ranges(self.system.value, missiles, missile_ranges)
        distances = maps._capital_distances(sites, base_row["lat"], base_row["lon"],
                                            exclude=str(base_row["site_id"]))
        self._drawn = {"system": system_row, "base": base_row, "claims": claims,
                       "distances": distances}
        longest = float(claims["range_km"].max())
        steps = what_if_steps_km(longest)
        start = min(steps, key=lambda km: abs(km - longest))
        # The slider's value is set before the figure is rebuilt: the browser side moves the
        # old figure's circle, then the new figure arrives with the circle at the same place.
        with self.what_if.hold_trait_notifications():
            self.what_if.max = steps[-1]
            self.what_if.value = start
        labels = [maps._claim_label(str(system_row["name"]), claim).split(": ", 1)[1]
                  for _, claim in claims.iterrows()]
        self.claims.options = [(label, k) for k, label in enumerate(labels)]
        self.claims.index = 0
        with self.figure.batch_update():
            explorer_figure(system_row, claims, base_row, sites, self.view.value, start,
                            what_if_steps=steps, inf_band=self.inf_band.value, chosen_claim=0,
                            figure=self.figure)
        meta = self.figure.layout.meta
        self.bridge.shapes, self.bridge.what_if_km = meta["shapes"], meta["what_if_km"]
        table = maps.places_within_reach(self.system.value, self.base.value, sites=sites,
                                         missiles=missiles, missile_ranges=missile_ranges)
        self.table.value = maps._table_html(table, self.system.label, self.base.label)
        self._write_caption()

    def text_alternative(self) -> str:
        """Return the map's text alternative: the capitals each range claim reaches, then the
        capitals a missile of the slider's range would reach."""
        drawn = self._drawn
        base_row, distances = drawn["base"], drawn["distances"]
        reach = maps._reach_clause(distances, base_row, str(drawn["system"]["name"]),
                                   drawn["claims"])
        km = self.what_if.value
        what_if = (f"a {km:,} km missile from {base_row['name']} would reach "
                   f"{maps._join_names(maps._capitals_within(distances, km))}")
        return maps._sentence([reach, what_if])

    def _write_caption(self) -> None:
        self.caption.value = (
            f"<p><b>Text alternative:</b> {html.escape(self.text_alternative())}</p>"
            + range_claims_table_html(self.system.label, self._drawn["claims"]))

    def _on_menu(self, change) -> None:
        self._draw()

    def _on_what_if(self, change) -> None:
        # Only the text: the browser has already moved the circle (RangeBridge), and the
        # FigureWidget reports that move back to the kernel's copy of the figure.
        self._write_caption()

    def _repr_mimebundle_(self, **kwargs):
        # While outputs are refreshed, also hand over the map as it first appears, which
        # tools/refresh_outputs.py stores as a picture for readers without a kernel.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            # What a reader without a kernel sees under the stored picture (not the repr).
            bundle["text/plain"] = (f"Range explorer: {self.system.label} from "
                                    f"{self.base.label}, {self.view.value} view. "
                                    f"{figures.RUN_THIS_CELL}")
            bundle.update(figures.first_state(self.figure))
        return bundle

    def __repr__(self) -> str:
        # Short and stable: the default repr would print the whole figure, with its data.
        return (f"RangeExplorer(system={self.system.value!r}, base={self.base.value!r}, "
                f"view={self.view.value!r})")


def range_explorer(system: str | None = None, base: str | None = None, *,
                   view: str = "europe", sites: pd.DataFrame | None = None,
                   missiles: pd.DataFrame | None = None,
                   missile_ranges: pd.DataFrame | None = None) -> RangeExplorer:
    """Return an interactive range explorer (an ``ipywidgets.VBox``) for a notebook.

    Menus choose the missile system, the base and the view (how far the map reaches); the map
    (an azimuthal-equidistant plotly ``FigureWidget`` centred on the base) is rebuilt in place
    when they change. The "What if (km)" slider, the INF-band toggle and the range-claim
    buttons work from the keyboard and redraw in the browser, without a kernel round trip.
    Under the map: the text alternative, the rings' table and the places within reach.

    ``system`` and ``base`` pick the starting choice (default: the first system with a range
    claim and the first missile base in ``sites``). Raises :class:`maps.UnknownNameError` for
    unknown names.
    """
    return RangeExplorer(system, base, view, maps._loaded(sites, "load_sites"),
                         maps._loaded(missiles, "load_missiles"),
                         maps._loaded(missile_ranges, "load_missile_ranges"))
