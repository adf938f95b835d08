"""Tests for armscontrol.maps: figure structure, text, bad input and the offline world outline.

The tables are built here, so the tests do not depend on which rows data/ holds.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from geographiclib.geodesic import Geodesic

from armscontrol import DATA_DIR, ROOT, geo, maps


@pytest.fixture
def sites():
    return pd.DataFrame([
        # site_id, name, kind, country, lat, lon
        ("base1", "Test Base", "missile base", "Nowhere", 54.6, 21.8),
        ("moscow", "Moscow", "capital", "Russia", 55.75, 37.6),
        ("berlin", "Berlin", "capital", "Germany", 52.52, 13.4),
        ("paris", "Paris", "capital", "France", 48.87, 2.33),
        ("madrid", "Madrid", "capital", "Spain", 40.4, -3.68),
        ("tokyo", "Tokyo", "capital", "Japan", 35.68, 139.75),
        ("vlad", "Vladivostok", "city", "Russia", 43.12, 131.89),
        ("testsite", "Range Head", "test site", "Russia", 48.4, 45.8),
        ("anadyr", "Anadyr", "missile base", "Russia", 64.73, 177.5),
    ], columns=["site_id", "name", "kind", "country", "lat", "lon"])


@pytest.fixture
def missiles():
    return pd.DataFrame([
        ("short", "Shorty", "Stubby", "SS-99", "RK-1"),
        ("long", "Longbow", "", "SS-100", ""),
        ("norange", "Paper Missile", "", "", ""),
    ], columns=["system_id", "name", "nato_name", "us_designation", "russian_designation"])


@pytest.fixture
def ranges():
    return pd.DataFrame([
        ("short_a", "short", 480, "maximum", "Claimant A (a long note in brackets)"),
        ("short_b", "short", 2000, "more than", "Claimant B"),
        ("long_a", "long", 5000, "maximum", "Claimant C"),
    ], columns=["claim_id", "system_id", "range_km", "claim_type", "claimant"])


@pytest.fixture
def tables(sites, missiles, ranges):
    return dict(sites=sites, missiles=missiles, missile_ranges=ranges)


def distances_m(lat, lon, lons, lats):
    return np.array([Geodesic.WGS84.Inverse(lat, lon, la, lo)["s12"]
                     for lo, la in zip(lons, lats)])


# --- lookups ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["short", "Shorty", "STUBBY", "ss-99", "RK 1"])
def test_find_system_by_any_designation(missiles, name):
    assert maps.find_system(name, missiles)["system_id"] == "short"


def test_unknown_system_lists_the_valid_ones(missiles):
    with pytest.raises(maps.UnknownNameError) as error:
        maps.find_system("SS-20", missiles)
    message = str(error.value)
    assert "'SS-20'" in message and "short (Shorty)" in message and "long (Longbow)" in message
    assert isinstance(error.value, ValueError)


def test_unknown_site_lists_the_valid_ones(sites):
    with pytest.raises(maps.UnknownNameError, match=r"unknown site 'Atlantis'.*berlin \(Berlin\)"):
        maps.find_site("Atlantis", sites)


def test_site_with_invalid_coordinates_is_refused(sites):
    sites.loc[0, "lat"] = 123.0
    with pytest.raises(ValueError, match="site 'base1': latitude 123.0 is outside"):
        maps.find_site("base1", sites)


def test_system_without_range_claim_is_refused(tables):
    with pytest.raises(ValueError, match="'norange' has no range claim.*long, short"):
        maps.system_ranges("norange", tables["missiles"], tables["missile_ranges"])


def test_impossible_claimed_range_is_refused(tables):
    tables["missile_ranges"].loc[2, "range_km"] = 25_000
    with pytest.raises(ValueError, match="claim 'long_a'.*half the Earth's circumference"):
        maps.system_ranges("long", tables["missiles"], tables["missile_ranges"])


# --- the figure ------------------------------------------------------------------------------

def test_range_map_draws_each_claim_and_the_inf_band(tables):
    fig = maps.range_map("short", "base1", view="europe", **tables)
    names = [t.name for t in fig.data]
    assert names.count("INF band: 500 km") == 1 and names.count("INF band: 5,500 km") == 1
    claim_traces = [t for t in fig.data if "Claimant" in t.name]
    # one system: the title names it, the legend names the claims
    assert "Shorty" in fig.layout.title.text
    assert [t.name for t in claim_traces] == [
        "more than 2,000 km (Claimant B)", "480 km (Claimant A)"]
    assert claim_traces[0].hovertext == "Shorty: more than 2,000 km (Claimant B)"
    assert len({t.line.dash for t in claim_traces}) == 2  # claims told apart by dash...
    assert {t.line.color for t in claim_traces} == {maps.RING_COLOURS[0]}  # ...one colour
    band = [t for t in fig.data if t.name.startswith("INF band")]
    # the INF Treaty's reference rings have dashes of their own, shared by no claim
    assert len({t.line.dash for t in band}) == 2
    assert not {t.line.dash for t in band} & set(maps.CLAIM_DASHES)
    # the rings are where they should be (coordinates are rounded to 0.001 degree, ~100 m)
    for trace, km in ((claim_traces[0], 2000), (claim_traces[1], 480),
                      (fig.data[names.index("INF band: 5,500 km")], 5500)):
        err = distances_m(54.6, 21.8, trace.lon, trace.lat) - km * 1000
        assert np.abs(err).max() < 200


def test_every_colour_comes_from_okabe_ito(tables):
    fig = maps.range_map(["short", "long"], ["base1", "anadyr"], view="world", **tables)
    palette = set(maps.OKABE_ITO.values()) | {"#777777"}  # grey for the INF reference rings
    for trace in fig.data:
        colour = trace.line.color if trace.mode == "lines" else trace.marker.color
        assert colour in palette, (trace.name, colour)
    assert {t.line.color for t in fig.data if t.name.startswith("Longbow")} == \
        {maps.RING_COLOURS[1]}


def test_every_map_has_title_legend_and_text_alternative(tables):
    for view in maps.VIEWS:
        fig = maps.range_map("long", "base1", view=view, **tables)
        assert fig.layout.title.text
        assert fig.layout.showlegend is not False and fig.layout.legend.title.text == "Legend"
        alt = fig.layout.meta["text_alternative"]
        assert alt.endswith(".") and alt.count(". ") == 0  # one sentence
        assert fig.layout.annotations[0].text.replace("<br>", " ") == alt
    fig = maps.range_map("long", "base1", controls=True, **tables)
    visible = [a for a in fig.layout.annotations if a.opacity == 1]
    assert [a.text.replace("<br>", " ") for a in visible] == [fig.layout.meta["text_alternative"]]


def test_text_alternative_names_the_capitals_in_range(tables):
    fig = maps.range_map("short", "base1", **tables)
    alt = fig.layout.meta["text_alternative"]
    # Berlin is ~550 km from the base, Moscow ~1,020, Paris ~1,400, Madrid ~2,400, Tokyo far.
    assert "Berlin" not in alt.split("within 480 km")[0].split("reaches")[1]
    assert "no capital on this map within 480 km (Claimant A)" in alt
    assert "Berlin, Moscow and Paris within 2,000 km (Claimant B)" in alt
    assert "Madrid" not in alt and "Tokyo" not in alt and "Vladivostok" not in alt


def test_capitals_are_labelled_and_hover_gives_distances(tables):
    fig = maps.range_map("short", ["base1", "anadyr"], **tables)
    labelled = next(t for t in fig.data if t.name == "Capitals and cities")
    assert "markers+text" in labelled.mode
    assert set(labelled.text) == {"Moscow", "Berlin", "Paris", "Madrid", "Tokyo", "Vladivostok"}
    berlin = labelled.hovertext[list(labelled.text).index("Berlin")]
    km = geo.distance_km((54.6, 21.8), (52.52, 13.4))
    assert f"{km:,.0f} km from Test Base" in berlin and "km from Anadyr" in berlin
    other = next(t for t in fig.data if t.name == "Other places")
    assert other.text is None and "Range Head" in other.hovertext[0]


def test_views(tables):
    base = tables["sites"].iloc[0]
    for view in maps.VIEWS:
        geo_layout = maps.range_map("short", "base1", view=view, **tables).layout.geo
        # never a regional scope: that would fetch another outline file than the one we ship
        assert geo_layout.scope == "world" and geo_layout.resolution == 110
        assert geo_layout.showcoastlines and geo_layout.showland
    az = maps.range_map("long", "base1", view="azimuthal", **tables).layout.geo.projection
    assert az.type == "azimuthal equidistant"
    assert (az.rotation.lat, az.rotation.lon) == (base["lat"], base["lon"])
    assert maps.range_map("long", "base1", view="europe", **tables).layout.geo.lonaxis.range


def test_ring_across_the_antimeridian_is_drawn_without_a_jump(tables):
    fig = maps.range_map("long", "anadyr", view="asia-pacific", **tables)
    ring = next(t for t in fig.data if t.name == "5,000 km (Claimant C)")
    assert np.abs(np.diff(ring.lon)).max() < 10
    assert abs(ring.lon[-1] - ring.lon[0]) == pytest.approx(360, abs=0.01)  # encloses the pole


def test_range_map_is_deterministic_and_small(tables):
    a = maps.range_map("short", "base1", view="europe", **tables).to_json()
    b = maps.range_map("short", "base1", view="europe", **tables).to_json()
    assert a == b  # nbval compares stored figures
    assert len(a) < 100_000  # no world outline embedded in the figure


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(systems="SS-20", bases="base1"), maps.UnknownNameError, "valid systems: short"),
    (dict(systems="short", bases="nowhere"), maps.UnknownNameError, "valid sites: base1"),
    (dict(systems="short", bases=[]), ValueError, "at least one base"),
    (dict(systems="short", bases="base1", view="arctic"), ValueError,
     "choose one of europe, asia-pacific, world, azimuthal"),
    (dict(systems="short", bases="base1", what_if_km=0), ValueError, "positive"),
    (dict(systems="short", bases="base1", what_if_km=-100), ValueError, "positive"),
    (dict(systems="short", bases="base1", what_if_km=20_500), ValueError, "circumference"),
])
def test_bad_input(tables, kwargs, error, message):
    with pytest.raises(error, match=message):
        maps.range_map(**kwargs, **tables)


# --- in-figure controls -----------------------------------------------------------------------

def shown_ring(fig):
    """The what-if ring the figure shows (opacity 1), as (km, trace)."""
    shown = [t for t in fig.data if str(t.meta).startswith("what-if:") and t.visible is True]
    assert len(shown) == 1
    return int(shown[0].meta.split(":")[1]), shown[0]


def test_slider_steps_switch_between_precomputed_rings(tables):
    fig = maps.range_map("short", "base1", controls=True, **tables)
    assert fig.data[0].meta == "what-if" and fig.data[0].showlegend is not False
    rings = [i for i, t in enumerate(fig.data) if str(t.meta).startswith("what-if:")]
    slider = fig.layout.sliders[0]
    values = [int(step.value) for step in slider.steps]
    assert values[0] == 250 and all(b - a == 250 for a, b in zip(values, values[1:]))
    assert len(rings) == len(values) == len(fig.layout.annotations)
    # it starts on the longest claim (2,000 km), ring and caption agreeing
    assert values[slider.active] == 2000 and shown_ring(fig)[0] == 2000
    assert fig.layout.annotations[slider.active].opacity == 1
    assert fig.layout.meta["text_alternative"].endswith(
        "a 2,000 km missile from Test Base would reach Berlin, Moscow and Paris.")
    for index, km in zip(rings, values):
        trace = fig.data[index]
        err = distances_m(54.6, 21.8, trace.lon, trace.lat) - km * 1000
        assert np.abs(err).max() < 1500  # coordinates rounded to 0.01 degree
    for i, step in enumerate(slider.steps):
        changes, layout_changes, indices = step.args
        assert step.method == "update" and list(indices) == rings
        assert list(changes["visible"]) == [j == i for j in range(len(values))]
        assert layout_changes[f"annotations[{i}].opacity"] == 1
        assert sum(layout_changes.values()) == 1
    near = fig.layout.annotations[values.index(750)].text.replace("<br>", " ")
    assert near.endswith("a 750 km missile from Test Base would reach Berlin.")


def test_inf_toggle_button_targets_the_inf_rings(tables):
    fig = maps.range_map("short", ["base1", "anadyr"], controls=True, **tables)
    button = fig.layout.updatemenus[0].buttons[0]
    inf = [i for i, t in enumerate(fig.data) if t.name.startswith("INF band")]
    assert len(inf) == 4
    assert button.args[0] == {"visible": False} and list(button.args[1]) == inf
    assert button.args2[0] == {"visible": True}


# --- the table and the explorer ---------------------------------------------------------------

def test_places_within_reach(tables):
    table = maps.places_within_reach("short", "base1", **tables)
    assert list(table["name"]) == ["Berlin", "Moscow", "Paris", "Range Head"]
    assert list(table.columns) == ["name", "kind", "country", "distance_km",
                                   "within more than 2,000 km (Claimant B)",
                                   "within 480 km (Claimant A)"]
    assert set(table["within 480 km (Claimant A)"]) == {"no"}
    assert table["distance_km"].is_monotonic_increasing


def shown_what_if_km(figure) -> int:
    """The radius (km) of the one what-if circle the explorer's figure shows."""
    from armscontrol.range_explorer import HIDDEN

    shown = [figure.layout.shapes[i] for i in figure.layout.meta["shapes"]["what_if"]
             if figure.layout.shapes[i].line.color != HIDDEN]
    assert len(shown) == 1
    return int(shown[0].x1)


def test_explorer_updates_in_place(tables):
    explorer = maps.range_explorer("short", "base1", **tables)
    assert repr(explorer) == "RangeExplorer(system='short', base='base1', view='europe')"
    assert "ac-range-explorer" in explorer._dom_classes  # the browser side finds it by this
    figure = explorer.figure
    assert explorer.what_if.value == 2000  # starts on the longest claim
    assert shown_what_if_km(figure) == 2000
    assert "Berlin" in explorer.table.value and "Text alternative" in explorer.caption.value
    assert "a 2,000 km missile from Test Base would reach" in explorer.caption.value
    explorer.what_if.value = 750  # the kernel writes the caption; the browser moves the circle
    assert "a 750 km missile from Test Base would reach Berlin." in explorer.caption.value
    explorer.system.value = "long"
    assert explorer.figure is figure  # the same widget, updated
    assert explorer.what_if.value == 5000 and shown_what_if_km(figure) == 5000
    claims = figure.layout.meta["shapes"]["claims"]
    assert [figure.layout.shapes[i].name for i in claims] == ["5,000 km (Claimant C)"]
    assert [label for label, _ in explorer.claims.options] == ["5,000 km (Claimant C)"]
    assert explorer.bridge.shapes == figure.layout.meta["shapes"]
    assert "Madrid" in explorer.caption.value
    assert "Tokyo" not in explorer.table.value and "Madrid" in explorer.table.value
    explorer.view.value = "world"
    assert figure.layout.xaxis.range == (-geo.HALF_CIRCUMFERENCE_KM, geo.HALF_CIRCUMFERENCE_KM)
    explorer.base.value = "anadyr"
    assert figure.layout.meta["base"] == "anadyr"
    assert "from Anadyr" in figure.layout.xaxis.title.text


def test_explorer_offers_only_systems_with_ranges(tables):
    explorer = maps.range_explorer(**tables)
    assert [value for _, value in explorer.system.options] == ["short", "long"]
    assert explorer.base.options[0][1] == "base1"  # military sites first
    with pytest.raises(maps.UnknownNameError):
        maps.range_explorer("nothing", **tables)
    with pytest.raises(ValueError, match="no range claim"):
        maps.range_explorer("norange", **tables)


# --- the offline world outline ----------------------------------------------------------------

def test_world_outline_is_shipped_topojson():
    topology = json.loads(maps.WORLD_OUTLINE.read_text())
    assert maps.WORLD_OUTLINE == DATA_DIR / "world_110m.json"  # the name plotly asks for
    assert topology["type"] == "Topology"
    assert {"coastlines", "land", "countries", "ocean"} <= set(topology["objects"])
    assert len(topology["objects"]["countries"]["geometries"]) > 150


def test_figures_carry_the_local_topojson_url(tables, monkeypatch):
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    maps.use_offline_world()
    # the renderer JupyterLab and nbval use (plotly's default inside a kernel)
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(
        maps.range_map("short", "base1", **tables).to_dict())
    config = bundle["application/vnd.plotly.v1+json"]["config"]
    assert config["topojsonURL"] == "/files/data/"
    assert pio.defaults.topojson == DATA_DIR.resolve().as_uri() + "/"


def test_topojson_url_uses_the_hub_prefix(monkeypatch):
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    assert maps.topojson_url() == "/user/ada/files/data/"


def test_topojson_url_follows_the_server_root_and_prefix(monkeypatch):
    server = {"pid": 4242, "base_url": "/user/test/", "root_dir": str(ROOT.parent)}
    monkeypatch.setattr(maps, "_jupyter_server", lambda: server)
    assert maps.topojson_url() == f"/user/test/files/{ROOT.name}/data/"


def test_topojson_url_finds_the_server_that_started_the_kernel(monkeypatch, tmp_path):
    # Two servers' info files, as jupyter_server writes them (jpserver-<pid>.json)
    for pid, base_url, root in ((1, "/other/", "/"), (4242, "/mine/", str(ROOT))):
        (tmp_path / f"jpserver-{pid}.json").write_text(
            json.dumps({"pid": pid, "base_url": base_url, "root_dir": root}))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    monkeypatch.setenv("JPY_PARENT_PID", "4242")
    assert maps.topojson_url() == "/mine/files/data/"
    monkeypatch.setenv("JPY_PARENT_PID", "1")
    assert maps.topojson_url() == "/other/files/" + quote(DATA_DIR.resolve().relative_to("/").as_posix()) + "/"


def test_topojson_url_without_the_server_file_falls_back_to_the_hub_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))  # empty: no server info file
    monkeypatch.setenv("JPY_PARENT_PID", "4242")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    assert maps.topojson_url() == "/user/ada/files/data/"


def test_topojson_url_warns_when_data_is_outside_the_server_root(monkeypatch, tmp_path):
    monkeypatch.setattr(maps, "_jupyter_server",
                        lambda: {"base_url": "/", "root_dir": str(tmp_path)})
    with pytest.warns(UserWarning, match="does not contain"):
        maps.topojson_url()


def test_capitals_within_counts_a_capital_exactly_at_the_range_and_keeps_nearest_first():
    distances = pd.DataFrame({"name": ["Near", "At", "Also at", "Far"],
                              "distance_km": [100.0, 500.0, 500.0, 500.5]})
    assert maps._capitals_within(distances, 500) == ["Near", "At", "Also at"]
    assert maps._capitals_within(distances, 99.9) == []
    assert maps._capitals_within(distances, 20_000) == ["Near", "At", "Also at", "Far"]
    assert maps._capitals_within(distances.iloc[0:0], 500) == []
