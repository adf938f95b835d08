"""armscontrol.plot_style.TEMPLATE is plotly_white's layout, written out, and every figure of
the package uses it (not a named template, which plotly would load and embed whole)."""
from __future__ import annotations

import plotly.io as pio

from armscontrol import maps, timeline, data
from armscontrol import analysis_new_start as ns
from armscontrol.plot_style import TEMPLATE


def test_every_setting_is_still_plotly_whites():
    white = pio.templates["plotly_white"].layout.to_plotly_json()
    for key, value in TEMPLATE["layout"].items():
        assert white[key] == value, key
    assert set(TEMPLATE) == {"layout"}


def test_the_package_figures_carry_this_template():
    figures = [maps.range_map("ss20", "postavy_ss20", view="europe"),
               maps.range_explorer("ss20", "postavy_ss20").figure,
               timeline.timeline_figure(data.load_events(), data.load_treaties()),
               ns.exchanges_figure()]
    for figure in figures:
        template = figure.to_dict()["layout"]["template"]
        assert template == TEMPLATE, type(figure).__name__
