"""Benchmark: range explorer control -> circle redrawn on screen, in JupyterLab in Chromium.

Measures, in the browser, from the key press (its ``keydown`` event's timestamp) to the next
animation frame after the map's SVG changed (when the change is on screen), over ``--moves``
presses each, for the range explorer's three keyboard controls:

1. the "What if (km)" slider (ArrowRight / ArrowLeft on its handle): the what-if circle moves;
2. the INF-band toggle (Space): the 500 and 5,500 km circles hide / show;
3. the range-claim buttons (Space on the next claim's button): the highlight moves;

all three redraw in the browser (armscontrol/range_explorer.js relayouts the circles, layout
shapes of a cartesian map, with no kernel round trip). Beside them, measured in the same run:

- the floor: the next painted frame after a key press that does no work (Shift on an empty
  focusable element; keydown -> two requestAnimationFrame callbacks), what any redraw costs at
  least on this machine;
- the old kernel round trip: an ipywidgets IntSlider whose observer recomputes a ring in the
  kernel and pushes it into a plotly geo FigureWidget (browser -> kernel -> browser, then
  plotly's full geo redraw), what the explorer used to cost.

It also checks that the explorer's map was never redrawn as a whole during its presses (its
drawn coastline is the same SVG element before and after): the browser's relayout is reported
back to the kernel's figure, which must not answer with an update of its own (the widget would
replot the whole map), and each edit must be one plotly.js redraws shape by shape.

Target: p95 <= 60 ms for each of (1)-(3). Run:

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
TARGET_P95_MS = 60.0

SETUP = """\
import ipywidgets as widgets
import plotly.graph_objects as go
from armscontrol import geo, maps

explorer = maps.range_explorer("9M729", "chernyakhovsk", view="europe")
explorer"""

FLOOR = """\
# The old path: each move is a kernel round trip (ipywidgets slider -> Python computes the ring
# -> FigureWidget sends it -> plotly redraws its geo map).
base = maps.find_site("mutlangen")
floor_figure = go.FigureWidget(maps.range_map("Pershing II", "mutlangen", view="europe",
                                              what_if_km=3000))
floor_figure._config = maps.offline_config()
floor_slider = widgets.IntSlider(value=3000, min=250, max=6000, step=250,
                                 description="Range (km)", layout=widgets.Layout(width="600px"))
floor_slider.add_class("bench-floor-slider")

def redraw(change):
    lons, lats = geo.range_ring(base["lat"], base["lon"], change["new"], n=180)
    with floor_figure.batch_update():
        floor_figure.data[0].lon = lons.round(3).tolist()
        floor_figure.data[0].lat = lats.round(3).tolist()

floor_slider.observe(redraw, names="value")
widgets.VBox([floor_slider, floor_figure])"""

# In-page timing. ``target`` says what to watch: the explorer's shapes ("shapes"), the old
# floor figure's first geo trace ("geo"), or nothing ("none": the no-work floor, two frames).
WATCH_JS = """
([target]) => {
    window.__armsResult = undefined;
    const gd = target === 'geo'
        ? [...document.querySelectorAll('.js-plotly-plot')].pop()
        : document.querySelector('.ac-range-explorer .js-plotly-plot');
    const state = () => {
        if (target === 'geo') {
            const p = gd.querySelector('.geo .scatterlayer .trace path.js-line');
            return p ? p.getAttribute('d') : '';
        }
        return [...gd.querySelectorAll('.shapelayer path')]
            .map(p => [p.dataset.index, p.getAttribute('d'), p.style.stroke,
                       p.style.strokeOpacity, p.style.strokeWidth].join(':')).sort().join('|');
    };
    const before = state();
    let t0 = null;
    const done = r => { clearTimeout(window.__armsTimeout); window.__armsResult = r; };
    document.addEventListener('keydown', e => {
        t0 = e.timeStamp;
        if (target === 'none') {
            requestAnimationFrame(() => requestAnimationFrame(() => {
                const t = performance.now() - t0;
                done({dom: t, frame: t});
            }));
        }
    }, {capture: true, once: true});
    if (target === 'none') return;
    const observer = new MutationObserver(() => {
        if (t0 === null || state() === before) return;
        const t1 = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => done({dom: t1 - t0, frame: performance.now() - t0}));
    });
    observer.observe(gd, {subtree: true, childList: true, attributes: true,
                          attributeFilter: ['d', 'style']});
    window.__armsTimeout = setTimeout(() => { observer.disconnect(); done(null); }, 10000);
}
"""

# Marks the explorer's drawn coastline: a full redraw of the figure draws every shape anew, so
# if the marked element is still in the page later, the figure was not redrawn in between.
MARK_OUTLINE_JS = """() => {
    const gd = document.querySelector('.ac-range-explorer .js-plotly-plot');
    const i = gd.layout.meta.shapes.outline[1];
    window.__armsOutline = gd.querySelector(`.shapelayer path[data-index="${i}"]`);
    return window.__armsOutline !== null;
}"""
OUTLINE_KEPT_JS = "() => document.contains(window.__armsOutline)"

# An empty focusable element for the no-work floor (a key press there does nothing).
IDLE_TARGET_JS = """() => {
    let d = document.getElementById('arms-idle');
    if (!d) {
        d = document.createElement('div');
        d.id = 'arms-idle'; d.tabIndex = 0;
        d.style.cssText = 'position:fixed;left:0;top:0;width:4px;height:4px';
        document.body.appendChild(d);
    }
    d.focus();
}"""


def write_notebook() -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[new_code_cell(SETUP), new_code_cell(FLOOR)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, NOTEBOOK)
    return NOTEBOOK.relative_to(ROOT).as_posix()


def measure(page, target: str, press, count: int) -> list[dict]:
    """Time ``count`` presses (``press(i)`` focuses a control and presses a key)."""
    results = []
    for i in range(count):
        press(i, lambda: page.evaluate(WATCH_JS, [target]))
        page.wait_for_function("window.__armsResult !== undefined", timeout=15_000)
        timing = page.evaluate("window.__armsResult")
        if timing is None:
            raise RuntimeError(f"{target}: nothing changed within 10 s after press {i}")
        results.append(timing)
        time.sleep(0.3)  # let the kernel and the page settle between presses
    return results


def stats(results: list[dict], key: str) -> tuple[float, float]:
    values = sorted(r[key] for r in results)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return statistics.median(values), p95


def summary(name: str, results: list[dict]) -> str:
    dom_median, dom_p95 = stats(results, "dom")
    frame_median, frame_p95 = stats(results, "frame")
    return (f"{name:<46} on screen: median {frame_median:6.1f} ms  p95 {frame_p95:6.1f} ms   "
            f"(SVG changed: median {dom_median:6.1f}, p95 {dom_p95:6.1f})")


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
        harness.wait_for_plots(page, 2)
        page.wait_for_selector('.ac-range-explorer [data-ac-bridge="ready"]', state="attached",
                               timeout=30_000)
        explorer = page.locator(".ac-range-explorer")
        handle = explorer.locator(".widget-slider .noUi-handle").first
        toggle = explorer.locator("button.widget-toggle-button").first
        claims = explorer.locator(".widget-toggle-buttons button")
        floor_handle = page.locator(".bench-floor-slider .noUi-handle").first
        explorer.scroll_into_view_if_needed()
        time.sleep(1.0)

        def press_slider(i, watch):
            handle.focus()
            watch()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")

        def press_toggle(i, watch):
            toggle.focus()
            watch()
            page.keyboard.press("Space")

        def press_claim(i, watch):
            claims.nth((i + 1) % 2).focus()  # the button not chosen yet
            watch()
            page.keyboard.press("Space")

        def press_idle(i, watch):
            page.evaluate(IDLE_TARGET_JS)
            watch()
            page.keyboard.press("Shift")

        def press_floor(i, watch):
            floor_handle.focus()
            watch()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")

        idle = measure(page, "none", press_idle, args.moves)
        if not page.evaluate(MARK_OUTLINE_JS):
            raise RuntimeError("the explorer's map has no drawn coastline")
        slider = measure(page, "shapes", press_slider, args.moves)
        toggle_results = measure(page, "shapes", press_toggle, args.moves)
        claim_results = measure(page, "shapes", press_claim, args.moves)
        time.sleep(1.0)  # time for any answer from the kernel
        kept = page.evaluate(OUTLINE_KEPT_JS)
        page.locator(".bench-floor-slider").scroll_into_view_if_needed()
        time.sleep(1.0)
        round_trip = measure(page, "geo", press_floor, args.moves)
        browser.close()

    print(f"Key press -> range explorer's map redrawn, {args.moves} presses each, JupyterLab at "
          f"{args.base_url!r}, Chromium headless, external requests blocked "
          f"({len(blocked)} attempted)")
    print(summary("floor: key press, no work (two frames)", idle))
    print(summary("explorer: What if slider (arrow keys)", slider))
    print(summary("explorer: INF band toggle (Space)", toggle_results))
    print(summary("explorer: range claim buttons (Space)", claim_results))
    print(summary("old path: kernel round trip, geo redraw", round_trip))
    print(f"full redraws of the explorer's map during its {3 * args.moves} presses: "
          f"{'none' if kept else 'at least one (its coastline was drawn anew)'}")
    worst = max(stats(r, "frame")[1] for r in (slider, toggle_results, claim_results))
    verdict = "met" if worst <= TARGET_P95_MS else "NOT met"
    print(f"target: explorer p95 <= {TARGET_P95_MS:.0f} ms on screen for each control: "
          f"{verdict} (worst p95 {worst:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
