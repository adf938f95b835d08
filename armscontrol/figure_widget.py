"""The explorers' plotly ``FigureWidget``, which does not resend plotly's browser code.

plotly's ``go.FigureWidget`` is an anywidget whose browser module (plotly.js with its widget
code, 5.0 MB in plotly 7.1) is a synced trait: every figure widget sends all of it from the
kernel to the page again (measured: 60-120 ms of kernel time per explorer, and 5 MB more for
the browser to receive and compile each time). :class:`FigureWidget` is plotly's class with a
small module instead (figure_widget.js): it loads plotly's module once per page from one
:class:`PlotlyBundle` widget per kernel and then hands each figure to plotly's own
``initialize`` and ``render``. Everything else (the figure, its updates in both directions)
is plotly's unchanged.

The bundle travels as a binary buffer (a ``Bytes`` trait), not as a JSON string: the kernel
then does not escape and encode 5 MB of JavaScript into JSON, nor does the page parse it back
(measured in a kernel: 11 ms to make the widget against 39-43 ms with a ``Unicode`` trait).

Why by hand: neither plotly nor anywidget shares a module between widgets (anywidget imports
an ``_esm`` by URL only from ``http(s)://`` addresses, which a kernel cannot know for the page
on Binder or JupyterHub).
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import plotly.graph_objects as go
import traitlets


class PlotlyBundle(anywidget.AnyWidget):
    """An invisible widget holding plotly's widget module (``bundle``: its JavaScript source,
    UTF-8 bytes) for the figures."""

    _esm = "export default {};"
    bundle = traitlets.Bytes().tag(sync=True)


_BUNDLE: list[PlotlyBundle] = []  # the kernel's one PlotlyBundle, once made


def plotly_bundle() -> PlotlyBundle:
    """Return the kernel's one :class:`PlotlyBundle`, made on first use and made again if it
    was closed (``ipywidgets.Widget.close_all()`` closes it with every other widget)."""
    if not _BUNDLE or _BUNDLE[0].comm is None:
        _BUNDLE[:] = [PlotlyBundle(bundle=str(go.FigureWidget._esm).encode("utf-8"))]
    return _BUNDLE[0]


class FigureWidget(go.FigureWidget):
    """plotly's ``go.FigureWidget``, whose browser code comes from :func:`plotly_bundle`
    (``bundle_id`` is that widget's model id) instead of being sent with each figure."""

    _esm = Path(__file__).with_name("figure_widget.js")
    bundle_id = traitlets.Unicode().tag(sync=True)

    @traitlets.default("bundle_id")
    def _bundle_id(self) -> str:
        return plotly_bundle().model_id
