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
    before = harness.shown_traces(plot, "what-if:")
    assert len(before) == 1, harness.drawn_traces(plot)
    caption_before = plot.evaluate("gd => [...gd.querySelectorAll('.annotation')]"
                                   ".filter(a => getComputedStyle(a).opacity === '1')"
                                   ".map(a => a.textContent)")
    harness.click_slider(page, plot, 0.9)
    page.wait_for_function(
        f"gd => ({harness.DRAWN_TRACES_JS})(gd).some(t => String(t.meta).startsWith('what-if:')"
        f" && t.opacity === 1 && t.path > 0 && t.meta !== {before[0]!r})", arg=plot,
        timeout=10_000)
    after = harness.shown_traces(plot, "what-if:")
    assert len(after) == 1 and after != before
    assert int(after[0].split(":")[1]) > int(before[0].split(":")[1])  # 90 % along: longer
    caption_after = plot.evaluate("gd => [...gd.querySelectorAll('.annotation')]"
                                  ".filter(a => getComputedStyle(a).opacity === '1')"
                                  ".map(a => a.textContent)")
    assert len(caption_after) == 1 and caption_after != caption_before
    assert caption_after[0].startswith("Capitals within range")
    plot.scroll_into_view_if_needed()
    harness.screenshot(page, f"range_explorer_{label}")
    assert page.blocked == []
