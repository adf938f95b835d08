"""Benchmark: "what if" range slider move -> range ring redrawn, in JupyterLab in Chromium.

Measures, in the browser, the time from the mouse press on a slider to the moment the ring's SVG
path changes (and to the next animation frame, when it is on screen), over 20 moves, for:

1. the range explorer's own slider (plotly ``layout.sliders``; every ring is sent to the
   browser in advance and a move only switches which one is visible: no kernel round trip),
   which is what students use, in its FigureWidget and as a plain figure output;
2. the floor to compare with, measured in the same run: an ipywidgets IntSlider whose
   observer recomputes the ring in the kernel and pushes it into a plotly FigureWidget (a full
   browser -> kernel -> browser round trip).

Target: p95 below 100 ms for (1) on a 2-core machine. Run:

    python benchmarks/bench_range_slider.py [--moves 20] [--base-url /]

Needs Debian's Chromium at /usr/bin/chromium and the playwright package (see
tests/browser/README.md). Uses the real data tables in data/.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import harness  # noqa: E402

WORK = ROOT / "test-artifacts" / "bench"
NOTEBOOK = WORK / "bench_range_slider.ipynb"

SETUP = """\
import ipywidgets as widgets
import plotly.graph_objects as go
from armscontrol import geo, maps

explorer = maps.range_explorer("Pershing II", "mutlangen", view="europe")
explorer"""

STATIC = """\
# The same map as a plain plotly output (no widget): what a lesson notebook stores and shows.
maps.range_map("Pershing II", "mutlangen", view="europe", controls=True)"""

FLOOR = """\
# The floor: the same map, but each move is a kernel round trip (ipywidgets slider -> Python
# computes the ring -> FigureWidget sends it -> plotly redraws).
base = maps.find_site("mutlangen")
floor_figure = go.FigureWidget(maps.range_map("Pershing II", "mutlangen", view="europe",
                                              what_if_km=6000))
floor_figure._config = maps.offline_config()
floor_slider = widgets.IntSlider(value=6000, min=250, max=6000, step=250,
                                 description="Range (km)", layout=widgets.Layout(width="600px"))

def redraw(change):
    lons, lats = geo.range_ring(base["lat"], base["lon"], change["new"], n=180)
    with floor_figure.batch_update():
        floor_figure.data[0].lon = lons.round(3).tolist()
        floor_figure.data[0].lat = lats.round(3).tolist()

floor_slider.observe(redraw, names="value")
widgets.VBox([floor_slider, floor_figure])"""

# In-page timing: the mouse press's event timestamp, then the first DOM change after which the
# figure shows something else (which what-if ring is drawn, for the explorer; the ring's path
# data, for the floor), then the next animation frame, when it is on screen.
WATCH_JS = """
([plot, mode]) => {
    window.__armsResult = undefined;
    const drawn = """ + harness.DRAWN_TRACES_JS + """;
    const state = () => {
        const traces = drawn(plot);
        if (mode === 'opacity') {
            return traces.filter(t => String(t.meta).startsWith('what-if:') && t.opacity === 1
                                      && t.path > 0).map(t => t.meta).join(',');
        }
        const g = plot.querySelectorAll('.geo .scatterlayer .trace')[0];
        const p = g && g.querySelector('path.js-line');
        return p ? p.getAttribute('d') : '';
    };
    const before = state();
    let t0 = null;
    const done = r => { clearTimeout(window.__armsTimeout); window.__armsResult = r; };
    document.addEventListener('mousedown', e => { t0 = e.timeStamp; },
                              {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (t0 === null || state() === before) return;
        const t1 = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => done({dom: t1 - t0, frame: performance.now() - t0}));
    });
    observer.observe(plot, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['d', 'style', 'opacity']});
    window.__armsTimeout = setTimeout(() => { observer.disconnect(); done(null); }, 10000);
}
"""


def write_notebook() -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[new_code_cell(SETUP), new_code_cell(STATIC), new_code_cell(FLOOR)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, NOTEBOOK)
    return NOTEBOOK.relative_to(ROOT).as_posix()


def moves(count: int) -> list[float]:
    """Slider positions to click, each different from the one before."""
    pattern = [0.15, 0.55, 0.3, 0.8, 0.45, 0.95, 0.2, 0.7, 0.05, 0.6]
    return [pattern[i % len(pattern)] for i in range(count)]


def measure(page, plot, click, count: int, mode: str) -> list[dict]:
    results = []
    for fraction in moves(count):
        page.evaluate(WATCH_JS, [plot, mode])
        click(fraction)
        page.wait_for_function("window.__armsResult !== undefined", timeout=15_000)
        timing = page.evaluate("window.__armsResult")
        if timing is None:
            raise RuntimeError(f"the ring did not change within 10 s after a click at {fraction}")
        results.append(timing)
        time.sleep(0.3)  # let the kernel and the page settle between moves
    return results


def summary(name: str, results: list[dict]) -> str:
    def stats(key):
        values = sorted(r[key] for r in results)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        return statistics.median(values), p95
    dom_median, dom_p95 = stats("dom")
    frame_median, frame_p95 = stats("frame")
    return (f"{name:<44} median {dom_median:6.1f} ms  p95 {dom_p95:6.1f} ms   "
            f"(on screen: median {frame_median:6.1f}, p95 {frame_p95:6.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--base-url", default="/")
    args = parser.parse_args()
    reason = harness.missing_browser()
    if reason:
        print(f"cannot run: {reason}")
        return 2
    path = write_notebook()
    from playwright.sync_api import sync_playwright

    with harness.JupyterLab(base_url=args.base_url) as server, sync_playwright() as pw:
        browser = harness.launch_browser(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        blocked = harness.block_external_requests(context)
        page = context.new_page()
        harness.open_notebook(page, server, path, workspace="bench-range-slider")
        harness.run_all(page)
        harness.wait_for_plots(page, 3)
        plots = page.query_selector_all(".js-plotly-plot")
        explorer_plot, static_plot, floor_plot = plots[0], plots[1], plots[-1]

        def click_plotly(fraction):
            harness.click_slider(page, explorer_plot, fraction)

        def click_ipywidgets(fraction):
            track = page.query_selector_all(".widget-slider .noUi-base, .widget-slider "
                                            ".slider")[-1]
            track.scroll_into_view_if_needed()
            box = track.bounding_box()
            page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)

        explorer_plot.scroll_into_view_if_needed()
        in_browser = measure(page, explorer_plot, click_plotly, args.moves, "opacity")
        static_plot.scroll_into_view_if_needed()
        static = measure(page, static_plot,
                         lambda f: harness.click_slider(page, static_plot, f),
                         args.moves, "opacity")
        floor_plot.scroll_into_view_if_needed()
        round_trip = measure(page, floor_plot, click_ipywidgets, args.moves, "path")
        browser.close()

    print(f"Slider move -> ring redrawn, {args.moves} moves each, JupyterLab at "
          f"{args.base_url!r}, Chromium headless, external requests blocked "
          f"({len(blocked)} attempted)")
    print(summary("explorer: plotly slider, rings precomputed", in_browser))
    print(summary("static figure: the same slider, no widget", static))
    print(summary("floor: ipywidgets -> kernel -> FigureWidget", round_trip))
    print("target: explorer p95 < 100 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
