"""The plotly template every figure of this package uses (:data:`TEMPLATE`).

It is the layout part of plotly's own "plotly_white" template, written out. Why not name
"plotly_white" (or leave plotly's default): plotly loads a named template the first time a
kernel uses it, building defaults for every one of its 40-odd trace types, which took about
100 ms per template in each fresh kernel here (benchmarks/bench_lessons.py times whole lessons),
and it stores that whole template (7 KB) in every figure's JSON. Our figures draw scatter and
scattergeo traces and style them themselves, so the layout part (about 1 KB) is all they use.
tests/test_plot_style.py checks that every value here is still plotly_white's.
"""
from __future__ import annotations

#: A plotly template (a dict: pass it as ``layout.template``): plotly_white's layout settings
#: that apply to 2-D, map and annotated figures (its colour scales and polar, ternary and 3-D
#: settings are left out: no figure here has them).
TEMPLATE: dict = {"layout": {
    "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
    "autotypenumbers": "strict",
    "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692",
                 "#B6E880", "#FF97FF", "#FECB52"],
    "font": {"color": "#2a3f5f"},
    "geo": {"bgcolor": "white", "landcolor": "white", "subunitcolor": "#C8D4E3",
            "showland": True, "showlakes": True, "lakecolor": "white"},
    "hoverlabel": {"align": "left"},
    "hovermode": "closest",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "shapedefaults": {"line": {"color": "#2a3f5f"}},
    "title": {"x": 0.05},
    "xaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "",
              "title": {"standoff": 15}, "zerolinecolor": "#EBF0F8", "automargin": True,
              "zerolinewidth": 2},
    "yaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "ticks": "",
              "title": {"standoff": 15}, "zerolinecolor": "#EBF0F8", "automargin": True,
              "zerolinewidth": 2},
}}
