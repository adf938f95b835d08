"""The range explorer in JupyterLab in Chromium, with every non-loopback request blocked.

Served at "/" and under a JupyterHub-style prefix ("/user/test/"), the demo notebook runs, both
maps draw their coastlines from the shipped outline (no CDN), and moving the "what if" slider
changes the drawn ring. Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import pytest

import harness

NOTEBOOK = "notebooks/range_explorer_demo.ipynb"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("base_url", ["/", "/user/test/"], ids=["root", "prefix"])
def test_range_explorer_offline(jupyterlab, offline_page, base_url):
    page = offline_page
    label = base_url.strip("/").replace("/", "-") or "root"
    server = jupyterlab(base_url=base_url)
    outline_requests: list[tuple[str, int]] = []
    page.on("response", lambda r: outline_requests.append((r.url, r.status))
            if "world_110m" in r.url else None)

    harness.open_notebook(page, server, NOTEBOOK, workspace=f"range-{label}")
    harness.run_all(page)
    harness.wait_for_plots(page, 2)
    # Both maps (the static figure and the explorer's FigureWidget) drew coastlines.
    page.wait_for_function(
        """() => {
            const maps = [...document.querySelectorAll('.js-plotly-plot .geo')];
            return maps.length >= 2 && maps.every(g => {
                const p = g.querySelector('.layer.coastlines path');
                return p && (p.getAttribute('d') || '').length > 1000;
            });
        }""", timeout=30_000)
    assert harness.output_errors(page) == []
    assert page.blocked == [], f"the page tried to reach the internet: {page.blocked}"
    expected = f"http://127.0.0.1:{server.port}{base_url}files/data/world_110m.json"
    assert (expected, 200) in outline_requests, outline_requests

    plot = harness.last_plot_handle(page)
    name_before = plot.evaluate("gd => gd.data[0].name")
    ring_before = harness.trace_path(plot, 0)
    assert name_before.startswith("What if:") and ring_before
    harness.click_slider(page, plot, 0.9)
    page.wait_for_function(
        "([gd, before]) => gd.data[0].name !== before", arg=[plot, name_before],
        timeout=10_000)
    ring_after = harness.trace_path(plot, 0)
    assert ring_after and ring_after != ring_before
    assert plot.evaluate("gd => gd.data[0].name") != name_before
    caption = plot.evaluate("gd => gd.layout.meta.text_alternative")
    assert caption.startswith("Capitals within range")
    harness.screenshot(page, f"range_explorer_{label}")
    assert page.blocked == []
