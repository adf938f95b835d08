"""The range explorer in JupyterLab in Chromium, with every non-loopback request blocked.

Served at "/" and under a JupyterHub-style prefix ("/user/test/"), the demo notebook runs, the
static map draws its coastlines from the shipped outline (no CDN) and the explorer draws its own
projected outline. Then, from the keyboard only (after focusing a control, as Tab would):
ArrowRight moves the "What if (km)" slider and the what-if circle is redrawn larger, Space hides
and shows the INF band's circles, and the range-claim buttons move the highlight to another
claim's circle. With the kernel busy (a ``time.sleep`` sent to it) and then with the kernel
process stopped (SIGSTOP), the slider still moves the circle, which shows that the redraw happens
in the browser (range_explorer.js); the text alternative, written by the kernel, catches up once
the kernel runs again. Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

import harness

NOTEBOOK = "notebooks/range_explorer_demo.ipynb"
pytestmark = pytest.mark.browser

EXPLORER = ".ac-range-explorer"
# The explorer's circles as drawn: for each kind of circle in the figure's meta ("what_if",
# "inf", "highlights", ...), the shown ones (drawn, not transparent) with their path data.
CIRCLES_JS = f"""(kind) => {{
    const gd = document.querySelector('{EXPLORER} .js-plotly-plot');
    const indices = gd.layout.meta.shapes[kind];
    return indices.map((i, k) => {{
        const p = gd.querySelector(`.shapelayer path[data-index="${{i}}"]`);
        return p && Number(p.style.strokeOpacity) > 0 ? {{k, d: p.getAttribute('d')}} : null;
    }}).filter(c => c !== null);
}}"""
CAPTION_JS = f"""() => [...document.querySelectorAll('{EXPLORER} .widget-html')]
    .map(n => n.textContent).find(t => t.startsWith('Text alternative:')) || ''"""
READOUT_JS = f"() => document.querySelector('{EXPLORER} .widget-slider .widget-readout')" \
             ".textContent"

# Sends ``time.sleep(seconds)`` to the notebook's kernel on a second websocket (as another
# client would) and resolves once the kernel has started it (its execute_input).
BUSY_JS = """async ([base, seconds]) => {
    const sessions = await (await fetch(base + 'api/sessions')).json();
    const kernel = sessions[0].kernel.id;
    const url = location.origin.replace(/^http/, 'ws') + base + `api/kernels/${kernel}/channels`;
    const ws = new WebSocket(url);
    const id = 'busy-' + Math.random();
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
    window.__acBusyLog = [];
    const busy = new Promise(ok => { ws.onmessage = e => {
        const m = JSON.parse(e.data);
        window.__acBusyLog.push([Math.round(performance.now()), m.msg_type,
                                 m.content.execution_state, m.parent_header.msg_type]);
        // Resolve once the cell has started (its execute_input), not at the kernel's "busy":
        // they are two IOPub messages, and in one CI run (2026-12-03) the circle had already
        // moved when the log held the "busy" and no execute_input yet.
        if (m.msg_type === 'execute_input' && m.parent_header.msg_id === id) ok(true);
    }; });
    ws.send(JSON.stringify({
        header: {msg_id: id, username: 'test', session: 'busy-' + Date.now(),
                 msg_type: 'execute_request', version: '5.3', date: new Date().toISOString()},
        parent_header: {}, metadata: {}, channel: 'shell',
        content: {code: `import time; time.sleep(${seconds})`, silent: false,
                  store_history: false, user_expressions: {}, allow_stdin: false,
                  stop_on_error: true}}));
    window.__acBusySocket = ws;
    return await busy;
}"""


def _kernel_pid(server: harness.JupyterLab) -> int:
    """The process id of the one ipykernel the test's JupyterLab server started (Linux /proc:
    the browser tests run on Debian)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == server.process.pid and b"ipykernel" in cmdline:
            found.append(int(stat.parent.name))
    assert len(found) == 1, f"expected one kernel under the server, found {found}"
    return found[0]


def _shown(page, kind: str) -> list[dict]:
    return page.evaluate(CIRCLES_JS, kind)


def _wait(page, condition: str, what: str, arg=None, timeout_ms: int = 15_000) -> None:
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout_ms)
    except Exception as error:  # playwright's TimeoutError
        shot = harness.screenshot(page, "range_map_failed")
        raise AssertionError(f"waited {timeout_ms} ms for {what}; screenshot {shot}") from error


def _wait_what_if_moves(page, before: list[dict], what: str, timeout_ms: int = 15_000):
    """Wait until one what-if circle is shown and it is another one than ``before``'s."""
    _wait(page, f"""([b]) => {{
            const now = ({CIRCLES_JS})('what_if');
            return now.length === 1 && JSON.stringify(now) !== JSON.stringify(b); }}""", what,
          arg=[before], timeout_ms=timeout_ms)
    return _shown(page, "what_if")[0]


def _radius(shape) -> float:
    """Horizontal size of a drawn circle's path (px): its x extent."""
    xs = [float(v) for v in re.findall(r"[-\d.]+", shape["d"])[0::2]]
    return max(xs) - min(xs)


@pytest.mark.parametrize("base_url", ["/", "/user/test/"], ids=["root", "prefix"])
def test_range_explorer_offline_from_the_keyboard(jupyterlab, offline_page, base_url):
    page = offline_page
    label = base_url.strip("/").replace("/", "-") or "root"
    server = jupyterlab(base_url=base_url)
    outline_requests: list[tuple[str, int]] = []
    page.on("response", lambda r: outline_requests.append((r.url, r.status))
            if "world_110m" in r.url else None)

    harness.open_notebook(page, server, NOTEBOOK, workspace=f"range-{label}")
    harness.run_all(page)
    harness.wait_for_plots(page, 2)
    # The static map (plotly geo) drew its coastlines from the shipped outline ...
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot .geo')].some(g => {
                const p = g.querySelector('.layer.coastlines path');
                return p && (p.getAttribute('d') || '').length > 1000; })""", timeout=30_000)
    expected = f"http://127.0.0.1:{server.port}{base_url}files/data/world_110m.json"
    assert (expected, 200) in outline_requests, outline_requests
    # ... and the explorer (a cartesian map) its projected outline, rings and browser side.
    _wait(page, f"""() => {{
            const gd = document.querySelector('{EXPLORER} .js-plotly-plot');
            if (!gd || !gd.layout.meta) return false;
            // the outline: two path shapes (borders, coastlines), long ones
            const outline = gd.layout.meta.shapes.outline.map(i =>
                gd.querySelector(`.shapelayer path[data-index="${{i}}"]`));
            return outline.every(p => p && (p.getAttribute('d') || '').length > 5000)
                && document.querySelector('{EXPLORER} [data-ac-bridge="ready"]') !== null;
        }}""", "the explorer's map and its browser side", timeout_ms=30_000)
    assert harness.output_errors(page) == []
    assert page.blocked == [], f"the page tried to reach the internet: {page.blocked}"

    # What if: focus the slider's handle, ArrowRight, and a larger circle is shown.
    what_if = _shown(page, "what_if")
    assert len(what_if) == 1, what_if
    readout = page.evaluate(READOUT_JS)
    caption = page.evaluate(CAPTION_JS)
    handle = page.locator(f"{EXPLORER} .widget-slider .noUi-handle").first
    # named for screen readers by range_explorer.js (ipywidgets leaves slider handles unnamed)
    _wait(page, f"""() => document.querySelector('{EXPLORER} .widget-slider .noUi-handle')
                       .getAttribute('aria-label') === 'What if (km)'""",
          "the slider handle to be named")
    handle.focus()
    page.keyboard.press("ArrowRight")
    moved = _wait_what_if_moves(page, what_if, "the what-if circle to move")
    assert _radius(moved) > _radius(what_if[0])
    assert int(page.evaluate(READOUT_JS).replace(",", "")) == int(readout.replace(",", "")) + 250
    _wait(page, f"(c) => ({CAPTION_JS})() !== c", "the kernel to rewrite the caption",
          arg=caption)
    km = page.evaluate(READOUT_JS)
    assert f"a {int(km.replace(',', '')):,} km missile from" in page.evaluate(CAPTION_JS)

    # INF band: Space on the toggle hides both circles, Space again shows them.
    assert len(_shown(page, "inf")) == 2
    page.locator(f"{EXPLORER} button.widget-toggle-button").first.focus()
    page.keyboard.press("Space")
    _wait(page, f"() => ({CIRCLES_JS})('inf').length === 0", "Space to hide the INF band")
    page.keyboard.press("Space")
    _wait(page, f"() => ({CIRCLES_JS})('inf').length === 2", "Space to show the INF band again")

    # Claims: the second claim's button takes the highlight from the first.
    assert [c["k"] for c in _shown(page, "highlights")] == [0]
    claim_buttons = page.locator(f"{EXPLORER} .widget-toggle-buttons button")
    assert claim_buttons.count() >= 2
    claim_buttons.nth(1).focus()
    page.keyboard.press("Space")
    _wait(page, f"""() => JSON.stringify(({CIRCLES_JS})('highlights').map(c => c.k))
                       === '[1]'""", "the claim buttons to move the highlight")

    # Kernel busy: the slider still moves the circle.
    assert page.evaluate(BUSY_JS, [base_url, 20]) is True
    before = _shown(page, "what_if")
    handle.focus()
    page.keyboard.press("ArrowLeft")
    after = _wait_what_if_moves(page, before, "the circle to move while the kernel is busy",
                                timeout_ms=10_000)
    assert _radius(after) < _radius(before[0])
    log = page.evaluate("() => window.__acBusyLog")
    kinds = [m[1] for m in log]
    assert "execute_input" in kinds and "execute_reply" not in kinds, log  # still sleeping

    # Kernel stopped (SIGSTOP): ipykernel 7 handles widget messages beside a running cell (the
    # log above shows comm messages answered during the sleep), so a busy cell alone does not
    # prove the kernel is out of the loop. A stopped kernel answers nothing: the circle moves
    # all the same, and the caption, written by the kernel, waits for it.
    # First let the caption catch up with the slider, so that nothing is still on its way.
    _wait(page, f"""() => {{
            const km = Number(({READOUT_JS})().replace(/,/g, '')).toLocaleString('en-US');
            return ({CAPTION_JS})().includes(`a ${{km}} km missile`); }}""",
          "the caption to catch up with the slider", timeout_ms=30_000)
    kernel = _kernel_pid(server)
    os.kill(kernel, signal.SIGSTOP)
    try:
        before, caption = _shown(page, "what_if"), page.evaluate(CAPTION_JS)
        handle.focus()
        page.keyboard.press("ArrowLeft")
        after = _wait_what_if_moves(page, before, "the circle to move, kernel stopped",
                                    timeout_ms=10_000)
        assert _radius(after) < _radius(before[0])
        page.wait_for_timeout(500)
        assert page.evaluate(CAPTION_JS) == caption  # the kernel has not answered
    finally:
        os.kill(kernel, signal.SIGCONT)
    _wait(page, f"(c) => ({CAPTION_JS})() !== c", "the caption once the kernel runs again",
          arg=caption, timeout_ms=30_000)
    page.locator(EXPLORER).scroll_into_view_if_needed()
    harness.screenshot(page, f"range_explorer_{label}")
    assert page.blocked == []
