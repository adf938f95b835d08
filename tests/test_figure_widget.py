"""armscontrol.figure_widget: figure widgets share one copy of plotly's browser module.

(The browser tests — tests/browser/test_range_map.py, test_timeline_busy_kernel.py,
test_keyboard.py — show the explorers' figures drawing and redrawing through it.)
"""
from __future__ import annotations

import plotly.graph_objects as go
from ipywidgets.widgets.widget import _remove_buffers

from armscontrol.figure_widget import FigureWidget, plotly_bundle


def test_a_figure_sends_a_small_module_and_names_the_shared_bundle():
    first, second = FigureWidget(), FigureWidget(data=[{"type": "scatter", "y": [1, 2]}])
    states = [first.get_state(), second.get_state()]
    plotly_size = len(str(go.FigureWidget._esm))
    assert plotly_size > 1_000_000  # plotly.js and its widget code
    for state in states:
        assert len(state["_esm"]) < 5_000
        assert state["bundle_id"] == plotly_bundle().model_id
    assert plotly_bundle() is plotly_bundle()
    # sent as a binary buffer (ipywidgets splits bytes out of the JSON state), not a string
    state, buffer_paths, buffers = _remove_buffers(plotly_bundle().get_state())
    assert buffer_paths == [["bundle"]]
    assert bytes(buffers[0]).decode("utf-8") == str(go.FigureWidget._esm)


def test_it_is_still_plotlys_figure_widget():
    fig = FigureWidget(data=[{"type": "scatter", "y": [1, 2]}])
    assert isinstance(fig, go.FigureWidget)
    fig.update_layout(title="A title")
    assert fig.to_dict()["layout"]["title"]["text"] == "A title"
    assert fig.data[0].y == (1, 2)



def test_a_closed_bundle_is_made_again():
    bundle = plotly_bundle()
    bundle.close()
    again = plotly_bundle()
    assert again is not bundle and again.comm is not None
    assert FigureWidget().bundle_id == again.model_id
