"""Tests for armscontrol.range_explorer: the azimuthal-equidistant projection, the explorer's
figure (one circle shape per ring) and the wiring of its keyboard controls to the browser side.

Accuracy promise: every drawn ring is within 1 m of its range from the base on the WGS84
ellipsoid, and every projected point of the world outline is at its true geodesic distance and
azimuth from the base.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic

from armscontrol import geo, maps, range_explorer as rx

WGS84 = Geodesic.WGS84
POSTAVY = (55.11, 26.84)


@pytest.fixture
def tables():
    sites = pd.DataFrame([
        ("base1", "Test Base", "missile base", "Nowhere", 54.6, 21.8),
        ("moscow", "Moscow", "capital", "Russia", 55.75, 37.6),
        ("berlin", "Berlin", "capital", "Germany", 52.52, 13.4),
        ("tokyo", "Tokyo", "capital", "Japan", 35.68, 139.75),
        ("testsite", "Range Head", "test site", "Russia", 48.4, 45.8),
    ], columns=["site_id", "name", "kind", "country", "lat", "lon"])
    missiles = pd.DataFrame([("short", "Shorty"), ("long", "Longbow")],
                            columns=["system_id", "name"])
    ranges = pd.DataFrame([
        ("short_a", "short", 480, "maximum", "Claimant A"),
        ("short_b", "short", 2000, "more than", "Claimant B"),
        ("long_a", "long", 5000, "maximum", "Claimant C"),
    ], columns=["claim_id", "system_id", "range_km", "claim_type", "claimant"])
    return dict(sites=sites, missiles=missiles, missile_ranges=ranges)


def circle_points(shape, n: int = 72) -> tuple[np.ndarray, np.ndarray]:
    """Points on a circle shape's outline (centre and radius from x0..x1, y0..y1), km."""
    cx, cy = (shape.x0 + shape.x1) / 2, (shape.y0 + shape.y1) / 2
    r = (shape.x1 - shape.x0) / 2
    assert math.isclose(r, (shape.y1 - shape.y0) / 2)  # a circle, not an ellipse
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return cx + r * np.sin(t), cy + r * np.cos(t)


def unproject(lat0, lon0, x, y):
    """The point at distance hypot(x, y) km, azimuth atan2(x, y), from the base (Direct)."""
    out = [WGS84.Direct(lat0, lon0, math.degrees(math.atan2(a, b)), math.hypot(a, b) * 1000)
           for a, b in zip(x, y)]
    return np.array([o["lat2"] for o in out]), np.array([o["lon2"] for o in out])


# --- projection -------------------------------------------------------------------------------

def test_projection_is_true_distance_and_azimuth():
    lats, lons = np.array([52.52, -33.9, 35.68, 55.11, np.nan]), np.array([13.4, 18.4, 139.75,
                                                                           26.84, 0.0])
    x, y = rx.project(*POSTAVY, lats, lons)
    for i in range(4):
        line = WGS84.Inverse(*POSTAVY, lats[i], lons[i])
        assert math.hypot(x[i], y[i]) * 1000 == pytest.approx(line["s12"], abs=1e-3)
        if line["s12"] > 0:
            assert math.degrees(math.atan2(x[i], y[i])) == pytest.approx(line["azi1"], abs=1e-9)
    assert x[3] == pytest.approx(0, abs=1e-9) and y[3] == pytest.approx(0, abs=1e-9)
    assert np.isnan(x[4]) and np.isnan(y[4])
    # Berlin is west-south-west of Postavy: negative x, slightly negative y
    assert x[0] < 0 and y[0] < 0


def test_projected_outline_points_are_at_their_geodesic_distance_and_azimuth():
    outline = rx.world_outline_km(*POSTAVY, 3000.0)
    lons, lats = rx._world_lines()["coastlines"]
    assert len(lons) > 5000 and np.isnan(lons).sum() > 100  # many lines, NaN between them
    x, y = outline["coastlines"]
    kept = np.flatnonzero(np.isfinite(x))
    assert len(kept) > 500
    # Every kept point, unprojected with Direct, is a point of the shipped outline (the
    # coordinates are rounded to 0.1 km, so within ~100 m).
    sample = kept[:: max(1, len(kept) // 200)]
    ulat, ulon = unproject(*POSTAVY, x[sample], y[sample])
    source = np.column_stack([lats, lons])
    for la, lo in zip(ulat, ulon):
        d = np.nanmin(np.hypot(source[:, 0] - la, (source[:, 1] - lo) * np.cos(np.radians(la))))
        assert d < 0.002, (la, lo)  # degrees: ~200 m
    # and none is further than the map's corners (with a margin), but the corners are covered
    r = np.hypot(x, y)
    assert 3000 * 1.3 < np.nanmax(r) <= 3000 * math.sqrt(2) * 1.02 + 200


def test_outline_leaves_out_the_antipode_and_breaks_lines_there():
    outline = rx.world_outline_km(*POSTAVY)
    for x, y in outline.values():
        r = np.hypot(x, y)
        assert np.nanmax(r) <= rx.OUTLINE_LIMIT_KM
        steps = np.hypot(np.diff(x), np.diff(y))
        assert np.nanmax(steps) <= rx.BREAK_KM  # no line jumps across the map
        assert not (np.isnan(x[1:]) & np.isnan(x[:-1])).any()  # one gap between lines


# --- the figure -------------------------------------------------------------------------------

def circles(fig, kind: str) -> list:
    return [fig.layout.shapes[i] for i in fig.layout.meta["shapes"][kind]]


def shown(shapes) -> list:
    return [s for s in shapes if s.line.color != rx.HIDDEN]


def test_every_circle_is_within_a_metre_of_its_range(tables):
    explorer = rx.range_explorer("short", "base1", **tables)
    fig = explorer.figure
    expected = {"what_if": fig.layout.meta["what_if_km"], "inf": [500, 5500],
                "claims": [2000, 480], "highlights": [2000, 480]}
    for kind, kms in expected.items():
        shapes = circles(fig, kind)
        assert [round((s.x1 - s.x0) / 2) for s in shapes] == kms, kind
        for shape, km in zip(shapes, kms):
            assert (shape.type, shape.xref, shape.yref) == ("circle", "x", "y")
            lats, lons = unproject(54.6, 21.8, *circle_points(shape, n=24))
            errors = [WGS84.Inverse(54.6, 21.8, la, lo)["s12"] - km * 1000
                      for la, lo in zip(lats, lons)]
            assert np.max(np.abs(errors)) < 1.0, (kind, km)


def test_figure_shapes_per_claim_inf_band_and_what_if(tables):
    sites = tables["sites"]
    system = maps.find_system("short", tables["missiles"])
    claims = maps.system_ranges("short", tables["missiles"], tables["missile_ranges"])
    base = maps.find_site("base1", sites)
    fig = rx.explorer_figure(system, claims, base, sites, "europe", 1250, inf_band=False,
                             chosen_claim=1)
    steps = fig.layout.meta["what_if_km"]
    assert steps == rx.what_if_steps_km(2000)
    assert [int(s.x1) for s in shown(circles(fig, "what_if"))] == [1250]
    assert shown(circles(fig, "inf")) == []  # the INF band starts hidden here
    assert [s.name for s in circles(fig, "claims")] == [
        "more than 2,000 km (Claimant B)", "480 km (Claimant A)"]
    assert [s.line.color for s in circles(fig, "claims")] == [maps.RING_COLOURS[0]] * 2
    assert [s.name for s in shown(circles(fig, "highlights"))] == [
        "chosen: 480 km (Claimant A)"]
    # No shape has a legend entry (that would make every shape edit replot the figure);
    # empty traces carry the legend instead.
    assert not any(s.showlegend for s in fig.layout.shapes)
    legend = [t.name for t in fig.data if t.x == (None,)]
    assert legend == ["What if (slider)", "INF band: 500 km", "INF band: 5,500 km",
                      "more than 2,000 km (Claimant B)", "480 km (Claimant A)"]
    assert [s.type for s in circles(fig, "outline")] == ["path", "path"]
    assert fig.layout.yaxis.scaleanchor == "x"  # equal scale: circles stay round
    reach = fig.layout.xaxis.range[1]
    assert reach == rx.map_reach_km("europe", 2000) == 3000
    assert rx.map_reach_km("europe", 5000) == pytest.approx(5500)
    assert rx.map_reach_km("world", 100) == geo.HALF_CIRCUMFERENCE_KM
    assert not any(t.type == "scattergeo" for t in fig.data)
    assert "geo" not in fig.layout.to_plotly_json()
    base_trace = [t for t in fig.data if t.uid == "base"][0]
    assert (base_trace.x, base_trace.y) == ((0.0,), (0.0,))
    berlin = [t for t in fig.data if t.uid == "sites-labelled"][0]
    i = list(berlin.text).index("Berlin")
    d = geo.distance_km((54.6, 21.8), (52.52, 13.4))
    assert math.hypot(berlin.x[i], berlin.y[i]) == pytest.approx(d, abs=0.1)
    assert f"{d:,.0f} km from Test Base" in berlin.hovertext[i]
    with pytest.raises(ValueError, match="unknown view"):
        rx.map_reach_km("moon", 100)
    with pytest.raises(ValueError, match="not a slider step"):
        rx.explorer_figure(system, claims, base, sites, "europe", 1234)


def test_outline_path_follows_the_projected_points():
    x = np.array([1.0, 2.0, np.nan, 3.0, 4.0, 5.0])
    y = np.array([-1.0, -2.0, np.nan, 3.0, 4.0, 5.25])
    assert rx._svg_path(x, y) == "M1.0,-1.0L2.0,-2.0M3.0,3.0L4.0,4.0L5.0,5.2"


def test_what_if_steps():
    steps = rx.what_if_steps_km(2000)
    assert steps[0] == 250 and steps[-1] == 6000 and set(np.diff(steps)) == {250}
    assert rx.what_if_steps_km(12_100)[-1] == 13_000
    assert rx.what_if_steps_km(19_990)[-1] <= geo.HALF_CIRCUMFERENCE_KM


def test_static_export_draws_the_map(tables):
    explorer = rx.range_explorer("short", "base1", **tables)
    png = explorer.figure.to_image(format="png", width=600, height=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


# --- keyboard controls and the browser side -----------------------------------------------------

def test_controls_are_keyboard_widgets_wired_to_the_bridge(tables):
    import ipywidgets as widgets

    explorer = rx.range_explorer("short", "base1", **tables)
    assert isinstance(explorer.what_if, widgets.IntSlider)
    assert explorer.what_if.description == "What if (km)"
    assert isinstance(explorer.inf_band, widgets.ToggleButton) and explorer.inf_band.value
    assert explorer.inf_band.description == "INF band (500–5,500 km)"
    assert [label for label, _ in explorer.claims.options] == [
        "more than 2,000 km (Claimant B)", "480 km (Claimant A)"]
    bridge = explorer.bridge
    assert bridge in explorer.children
    assert (bridge.slider_id, bridge.inf_id, bridge.claims_id) == (
        explorer.what_if.model_id, explorer.inf_band.model_id, explorer.claims.model_id)
    # the bridge knows which shape is which circle, from the figure itself
    fig = explorer.figure
    assert bridge.shapes == fig.layout.meta["shapes"]
    assert bridge.what_if_km == fig.layout.meta["what_if_km"]
    assert list(range(explorer.what_if.min, explorer.what_if.max + 1,
                      explorer.what_if.step)) == bridge.what_if_km
    assert len(bridge.shapes["highlights"]) == len(explorer.claims.options)
    shown_now = [fig.layout.shapes[i] for i in bridge.shapes["what_if"]
                 if fig.layout.shapes[i].line.color == bridge.what_if_colour]
    assert [int(s.x1) for s in shown_now] == [explorer.what_if.value]
    assert bridge.hidden == rx.HIDDEN


def test_the_bridge_code_ships_in_the_package():
    esm = rx.RangeBridge._esm
    text = esm.read_text() if hasattr(esm, "read_text") else str(esm)
    assert "Plotly.relayout" in text and "ac-range-explorer" in text
    assert "change:index" in text  # selection widgets sync their index, not their value
    assert maps.range_explorer is rx.range_explorer and maps.RangeExplorer is rx.RangeExplorer


def test_moving_the_slider_does_not_touch_the_figure_from_the_kernel(tables):
    """The kernel only rewrites the caption; a figure message from the kernel would make the
    browser redraw the whole plot (the slow path this module exists to avoid)."""
    explorer = rx.range_explorer("short", "base1", **tables)
    sent = []
    explorer.figure._send_relayout_msg = lambda *a, **k: sent.append(("relayout", a))
    explorer.figure._send_update_msg = lambda *a, **k: sent.append(("update", a))
    before = explorer.caption.value
    explorer.what_if.value = 750
    explorer.inf_band.value = False
    explorer.claims.index = 1
    assert sent == [] and explorer.caption.value != before


def test_either_module_can_be_imported_first():
    """range_explorer imports maps, and maps looks the explorer up on first use: importing the
    explorer's module first (a fresh interpreter) must work too."""
    import subprocess
    import sys

    code = ("import armscontrol.range_explorer as rx; from armscontrol import maps; "
            "assert maps.RangeExplorer is rx.RangeExplorer")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_caption_follows_the_menus_and_the_slider(tables):
    """The caption's claims and distances are worked out once per menu choice: after a menu
    change, it must describe the new choice exactly as a new explorer for it does, at any
    slider position."""
    explorer = rx.range_explorer("short", "base1", **tables)
    explorer.system.value = "long"
    explorer.what_if.value = 2500
    fresh = rx.range_explorer("long", "base1", **tables)
    fresh.what_if.value = 2500
    assert explorer.caption.value == fresh.caption.value
    assert "Longbow" in explorer.caption.value and "Shorty" not in explorer.caption.value
    explorer.base.value = "testsite"
    assert "Range Head" in explorer.text_alternative()
    assert explorer.caption.value == rx.range_explorer("long", "testsite", **tables).caption.value
