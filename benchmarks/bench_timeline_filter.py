"""Filter change → redrawn timeline, in JupyterLab in Chromium: median and p95 over N changes.

    python benchmarks/bench_timeline_filter.py [--changes 20]

Target (issue 15, item 3): the date slider and the treaty / actor boxes redraw the timeline
within two frames, p95 ≤ 60 ms.

The explorer's filters run in the browser (armscontrol/timeline_filter.js, an anywidget inside
the explorer): it listens to the slider's and the boxes' models in the page and redraws the
figure with Plotly.restyle / Plotly.relayout, no kernel in the loop; the kernel then updates the
status line, the list and the data table. (Before, the kernel filtered and pushed the change
through plotly's FigureWidget, which adds ``_doNotReportToPy`` to every update it forwards and so
makes plotly.js replot everything: p95 154 ms for the slider, 191 ms for a treaty box.) Each path
is timed in the page, from the input event (keydown or mousedown, captured before any widget
sees it) to the first ``plotly_afterplot`` of the timeline after it — the moment the redrawn
figure is on the page. Paths, beside floors measured in the same run and the same page:

* browser: the date slider (PageDown / PageUp on its upper handle, after zooming to the INF
  years so that markers come and go), a treaty box and an actor box (Space). A check box
  toggles on the keyup of Space (HTML's rule), so the boxes are timed from the keyup; the time
  from keydown to keyup (the key press itself, which only playwright's latency sets here) is
  printed beside them.
* browser: plotly's own view buttons above the plot (zoom to October 2018 and back).
* floor: the next painted frame after an input (two requestAnimationFrame callbacks): the least
  any redraw can take.
* floor: a bare ipywidgets kernel round trip (IntSlider moved with the keyboard → a kernel
  observer sets a Label), no figure: what any kernel-side filter would add.

The page blocks every non-loopback request, as the browser tests do.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402
from timeline_probes import EVENT_POINTS as POINTS, POINTS_IN_VIEW  # noqa: E402

NOTEBOOK_CELLS = [
    "from armscontrol import timeline\nexplorer = timeline.timeline_explorer()\nexplorer",
    "import ipywidgets as w\n"
    "floor_in = w.IntSlider(description='floor', max=1000, continuous_update=False)\n"
    "floor_out = w.Label('0')\n"
    "floor_in.add_class('bench-floor-in'); floor_out.add_class('bench-floor-out')\n"
    "floor_in.observe(lambda change: setattr(floor_out, 'value', str(change['new'])), 'value')\n"
    "w.VBox([floor_in, floor_out])",
]

# Page instrumentation: t0 at the input event, t1 at the first timeline redraw (or, for the
# floor label, its first text change) after it.
INSTRUMENT = """() => {
    const gd = document.querySelector('.ac-timeline-explorer .js-plotly-plot');
    const b = window.__bench = {t0: 0, t1: 0, up: 0};
    const start = () => { b.t0 = performance.now(); b.t1 = 0; b.up = 0; };
    document.addEventListener('keydown', start, true);
    document.addEventListener('mousedown', start, true);
    document.addEventListener('keyup', () => { if (b.t0 && !b.up) b.up = performance.now(); },
                              true);
    gd.on('plotly_afterplot', () => { if (b.t0 && !b.t1) b.t1 = performance.now(); });
    const label = document.querySelector('.bench-floor-out');
    new MutationObserver(() => { if (b.t0 && !b.t1) b.t1 = performance.now(); })
        .observe(label, {subtree: true, childList: true, characterData: true});
    b.frame = () => new Promise(resolve => {
        const t0 = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    });
}"""


def _measured(page, timeout_ms: int = 10_000) -> float:
    """Milliseconds from the input's keydown / mousedown to the first redraw after it."""
    page.wait_for_function("() => window.__bench.t1 > 0", timeout=timeout_ms)
    return page.evaluate("() => window.__bench.t1 - window.__bench.t0")


def _measured_from_keyup(page, timeout_ms: int = 10_000) -> tuple[float, float]:
    """(keyup → redraw, keydown → keyup) in milliseconds: a check box toggles on the keyup of
    Space (HTML's rule), so the time before it is the key press itself, not the redraw."""
    page.wait_for_function("() => window.__bench.t1 > 0 && window.__bench.up > 0",
                           timeout=timeout_ms)
    return tuple(page.evaluate("() => [window.__bench.t1 - window.__bench.up,"
                               " window.__bench.up - window.__bench.t0]"))


def _settle(page, seconds: float = 0.6) -> None:
    """Let follow-up messages (kernel replies, status, list) finish before the next change."""
    time.sleep(seconds)
    harness.wait_kernel_idle(page)


def _stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank
    return statistics.median(ordered), p95


def bench(changes: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as folder:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in NOTEBOOK_CELLS]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, Path(folder) / "bench.ipynb")
        with harness.JupyterLab(root_dir=Path(folder)) as server, sync_playwright() as pw:
            browser = harness.launch_browser(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 1200})
            blocked = harness.block_external_requests(context)
            page = context.new_page()
            harness.open_notebook(page, server, "bench.ipynb", workspace="bench")
            harness.run_all(page)
            harness.wait_for_plots(page, 1)
            page.wait_for_function(f"() => ({POINTS})() > 0", timeout=30_000)
            page.evaluate(INSTRUMENT)

            # Kernel floor: bare ipywidgets round trip.
            floor_handle = page.locator(".bench-floor-in .noUi-handle").first
            floor_handle.scroll_into_view_if_needed()
            times = []
            for i in range(changes):
                floor_handle.focus()
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                times.append(_measured(page))
                _settle(page, 0.3)
            results["floor: ipywidgets kernel round trip (no figure)"] = times

            # The explorer's date slider. Narrow the view to the INF years first, so that
            # moving the upper handle five months at a time adds and removes markers.
            page.locator(".ac-timeline-explorer .updatemenu-button",
                         has_text="INF 1987").first.click()
            _settle(page, 1.5)
            handle = page.locator(".ac-timeline-explorer .noUi-handle-upper").first
            handle.scroll_into_view_if_needed()
            times, counts = [], []
            for i in range(changes):
                handle.focus()
                page.keyboard.press("PageDown" if i % 2 == 0 else "PageUp")
                times.append(_measured(page))
                counts.append(page.evaluate(POINTS_IN_VIEW))
                _settle(page)
            results["browser: date slider → plotly redraw"] = times
            print(f"markers in view after each slider change: {sorted(set(counts))}")

            # Floor: next painted frame after an input.
            plot = page.locator(".ac-timeline-explorer .js-plotly-plot").first
            plot.scroll_into_view_if_needed()
            times = []
            for _ in range(changes):
                page.mouse.move(5, 5)
                times.append(page.evaluate("() => window.__bench.frame()"))
            results["floor: next painted frame (browser)"] = times

            # A treaty box and an actor box (Space): the marker data change.
            boxes = page.locator(".ac-timeline-explorer .widget-checkbox")
            labels = [boxes.nth(k).inner_text().strip() for k in range(boxes.count())]
            for kind, label in (("treaty", "INF"), ("actor", "US")):
                box = boxes.nth(labels.index(label)).locator("input")
                times, gaps, counts = [], [], []
                for _ in range(changes):
                    box.focus()
                    page.keyboard.press("Space")
                    redraw, gap = _measured_from_keyup(page)
                    times.append(redraw)
                    gaps.append(gap)
                    counts.append(page.evaluate(POINTS))
                    _settle(page)
                results[f"browser: {kind} box ({label}) → plotly redraw"] = times
                print(f"markers drawn after each {label} box change: {sorted(set(counts))}; "
                      f"Space keydown → keyup (not counted): median "
                      f"{statistics.median(gaps):.1f} ms, max {max(gaps):.1f} ms")

            # Browser path: view buttons (the kernel syncs the slider afterwards).
            times = []
            for i in range(changes):
                label = "October 2018" if i % 2 == 0 else "1977"
                page.locator(".ac-timeline-explorer .updatemenu-button",
                             has_text=label).first.click()
                times.append(_measured(page))
                _settle(page, 1.0)
            results["browser: view button (zoom) → plotly redraw"] = times

            if blocked:
                print(f"WARNING: the page tried to reach the internet: {blocked}")
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="changes per path (default 20)")
    args = parser.parse_args()
    reason = harness.missing_browser()
    if reason:
        sys.exit(reason)
    results = bench(args.changes)
    print(f"\n{'path':52} {'median ms':>10} {'p95 ms':>8}   (n={args.changes}, target p95 ≤ 60)")
    for name, values in results.items():
        median, p95 = _stats(values)
        print(f"{name:52} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
