"""A real-browser harness: JupyterLab on 127.0.0.1 driven by Debian's Chromium through Playwright.

Used by the browser tests (through the fixtures in ``conftest.py``) and by the benchmarks
(directly). See ``README.md`` beside this file for the API and an example.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (Debian's package) via
``executable_path``; ``playwright install`` is never needed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("ARMSCONTROL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
HOW_TO_ENABLE = (
    "Browser tests need Debian's Chromium and the playwright Python package: "
    "`sudo apt-get install chromium` and `pip install playwright` (never `playwright install`). "
    "Set ARMSCONTROL_CHROMIUM to use a Chromium elsewhere than /usr/bin/chromium."
)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# JupyterLab user settings for tests: no news or update toasts over screenshots, and no
# autosave rewriting the notebooks under test.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def missing_browser() -> str | None:
    """Return why the browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"the playwright package is not installed. {HOW_TO_ENABLE}"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM}. {HOW_TO_ENABLE}"
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class JupyterLab:
    """A JupyterLab server on 127.0.0.1 for tests: no token, no password, throwaway settings.

    ``root_dir`` is what the server serves (default: the repository); ``base_url`` its URL prefix
    ("/" or e.g. "/user/test/" as on JupyterHub and Binder); ``env`` extra environment variables
    for the server and its kernels. Use as a context manager, or call start() and stop().
    """

    root_dir: Path = ROOT
    base_url: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    startup_timeout: float = 60.0
    port: int = 0
    process: subprocess.Popen | None = None
    home: Path | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        """The server's root URL with its prefix, ending in "/"."""
        return f"http://127.0.0.1:{self.port}{self.base_url}"

    def lab_url(self, path: str, workspace: str) -> str:
        """URL that opens ``path`` (relative to root_dir) in a fresh, named workspace."""
        return f"{self.url}lab/workspaces/{quote(workspace, safe='')}/tree/{quote(path)}?reset"

    def start(self) -> "JupyterLab":
        if not self.base_url.startswith("/") or not self.base_url.endswith("/"):
            raise ValueError(f"base_url must start and end with '/', got {self.base_url!r}")
        self.home = Path(tempfile.mkdtemp(prefix="armscontrol-lab-"))
        settings = self.home / "user-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        for sub in ("config", "data", "runtime", "workspaces"):
            (self.home / sub).mkdir()
        env = dict(os.environ)
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        })
        env.update(self.env)
        self.port = free_port()
        self.log_path = self.home / "server.log"
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip", "127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root_dir}", f"--ServerApp.base_url={self.base_url}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
            "--LabApp.news_url=",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=self.root_dir, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}api/status", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not start in {self.startup_timeout} s:\n{self.log()}")

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-6000:]
        return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # our own child, by its pid
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    def __enter__(self) -> "JupyterLab":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_browser(playwright):
    """Launch Debian's Chromium (never a downloaded browser) with the flags that work here."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def block_external_requests(context) -> list[str]:
    """Abort every request to a non-loopback host; return the (live) list of blocked URLs.

    An empty list after a test is the proof that the page worked with no network.
    """
    blocked: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https", "ws", "wss") and host not in LOOPBACK_HOSTS:
            blocked.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", handle)
    return blocked


# JavaScript: the document shown in JupyterLab's main area, as {path, id} (the current tab's
# "Path:" line and the id of its widget), or null when no document tab is current.
SHOWN_DOCUMENT_JS = """() => {
    const tabs = document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab');
    const tab = [...tabs].find(t => t.classList.contains('jp-mod-current'))
             || [...tabs].find(t => t.classList.contains('lm-mod-current'));
    const m = tab && /^Path: (.*)$/m.exec(tab.title || '');
    return m ? {path: m[1], id: tab.dataset.id} : null;
}"""

# JavaScript: the input prompts ("[ ]:", "[*]:", "[3]:") of the notebook shown in the main area
# (only that one: a second notebook opened by mistake must not count).
SHOWN_PROMPTS_JS = """() => {
    const doc = (""" + SHOWN_DOCUMENT_JS + """)();
    const panel = doc && document.getElementById(doc.id);
    return panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .map(n => n.textContent.trim()) : [];
}"""


class NavigatedAway(AssertionError):
    """The page stopped showing the notebook under test (e.g. a click followed a link)."""


def shown_document(page) -> str | None:
    """The path (relative to the server root) of the document in JupyterLab's current main-area
    tab, or None when there is none."""
    doc = page.evaluate(SHOWN_DOCUMENT_JS)
    return doc["path"] if doc else None


def assert_shows(page, path: str | None = None) -> None:
    """Fail (NavigatedAway, naming both paths) unless the page still shows ``path``, by default
    the notebook ``open_notebook`` opened in this page."""
    path = path or getattr(page, "notebook_under_test", None)
    if path is None:
        return
    shown = shown_document(page)
    if shown != path:
        raise NavigatedAway(f"the page left the notebook under test: it shows {shown!r}, "
                            f"not {path!r}; open tabs: {open_tabs(page)}")


def open_tabs(page) -> list[str]:
    """Paths of every document tab open in the main area (for failure messages)."""
    return page.evaluate("""() => [...document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab')]
        .map(t => (/^Path: (.*)$/m.exec(t.title || '') || [null, t.textContent])[1])""")


def open_notebook(page, server: JupyterLab, path: str, workspace: str,
                  timeout_ms: int = 120_000) -> None:
    """Open ``path`` in a fresh named workspace and wait until its kernel is idle.

    Remembers ``path`` as ``page.notebook_under_test``: run_all and wait_for_plots then fail at
    once (NavigatedAway) if the page ever shows another document.
    """
    page.notebook_under_test = path
    page.goto(server.lab_url(path, workspace))
    page.wait_for_selector(".jp-Notebook", timeout=timeout_ms)
    # The tab's caption ("Name: ...\nPath: ...") is set once the document has loaded.
    page.wait_for_function(f"() => ({SHOWN_DOCUMENT_JS})() !== null", timeout=timeout_ms)
    wait_kernel_idle(page, timeout_ms)
    assert_shows(page, path)


def wait_kernel_idle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the notebook's kernel reports idle (the toolbar's execution indicator)."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=timeout_ms)


def _prompts(page) -> list[str]:
    return page.evaluate(SHOWN_PROMPTS_JS)


def _wait_shown(page, condition: str, timeout_ms: int, arg=None) -> None:
    """Wait until the JavaScript ``condition`` (a function of ``arg``) holds, failing at once
    with NavigatedAway if the page leaves the notebook under test meanwhile."""
    path = getattr(page, "notebook_under_test", None)
    page.wait_for_function(
        "([arg, path]) => {"
        f" const doc = ({SHOWN_DOCUMENT_JS})();"
        " if (path !== null && (!doc || doc.path !== path)) return true;"  # assert_shows says
        f" return ({condition})(arg); }}", arg=[arg, path], timeout=timeout_ms)
    assert_shows(page)


def focus_notebook(page) -> None:
    """Make the notebook under test JupyterLab's current widget by clicking its tab's label
    (NavigatedAway if another document is shown).

    Never click inside the notebook to focus it: its cells hold links, and after Run All the
    notebook is scrolled to its last cell, the lessons' navigation line ("06 Synthesis →"). A
    click there opens the next lesson: the CI failure in which 05_after_inf's test timed out
    showing 06_synthesis came from run_all clicking the middle of the notebook.
    """
    assert_shows(page)  # never bring it back quietly: leaving it is a failure
    path = getattr(page, "notebook_under_test", None)
    tabs = page.locator("#jp-main-dock-panel .lm-TabBar-tab")
    tab = (tabs.and_(page.locator(f"[title*={json.dumps('Path: ' + path)}]")) if path
           else tabs.and_(page.locator(".lm-mod-current")))
    _click(page, tab.first.locator(".lm-TabBar-tabLabel"), "the notebook's tab")
    assert_shows(page)


def _click(page, locator, what: str) -> None:
    """Click ``locator``; on failure raise AssertionError naming what was clicked and any
    JupyterLab dialog in the way (a dialog intercepts every click)."""
    try:
        locator.click(timeout=30_000)
    except Exception as error:  # playwright's TimeoutError
        raise AssertionError(f"could not click {what}; dialogs: {open_dialogs(page)}; "
                             f"shown: {shown_document(page)!r}") from error


def _menu_command(page, menu: str, item: str) -> None:
    """Choose ``menu`` > ``item`` from JupyterLab's menu bar."""
    _click(page, page.get_by_role("menuitem", name=menu, exact=True), f"the {menu} menu")
    _click(page, page.get_by_role("menuitem", name=item, exact=True), f"{menu} > {item}")


def run_all(page, timeout_ms: int = 120_000, attempts: int = 3) -> None:
    """Clear every output, run every cell (Run > Run All Cells) and wait until all have run and
    the kernel is idle.

    Outputs are cleared first so that the stored execution counts of a saved notebook cannot
    pass for a finished run. Retries Run All when it did nothing (seen right after the kernel
    first reports idle). Raises AssertionError naming the prompts if the cells do not all get an
    execution count, and NavigatedAway at once if the page stops showing the notebook under test.
    """
    focus_notebook(page)
    _menu_command(page, "Edit", "Clear Outputs of All Cells")
    _wait_shown(page, """() => (""" + SHOWN_PROMPTS_JS + """)()
        .every(t => !/\\[(\\*|\\d+)\\]/.test(t))""", timeout_ms=30_000)
    started = """() => (""" + SHOWN_PROMPTS_JS + """)().some(t => /\\[(\\*|\\d+)\\]/.test(t))"""
    for attempt in range(attempts):
        focus_notebook(page)
        _menu_command(page, "Run", "Run All Cells")
        try:
            _wait_shown(page, started, timeout_ms=10_000)
            break
        except NavigatedAway:
            raise
        except Exception:
            if attempt == attempts - 1:
                raise AssertionError(f"Run All did nothing; prompts: {_prompts(page)}; "
                                     f"dialogs: {open_dialogs(page)}")
    try:
        _wait_shown(page, """() => {
                const prompts = (""" + SHOWN_PROMPTS_JS + """)();
                return prompts.length > 0 && prompts.every(t => /\\[\\d+\\]/.test(t));
            }""", timeout_ms=timeout_ms)
    except NavigatedAway:
        raise
    except Exception as error:
        raise AssertionError(f"Run All did not finish in {timeout_ms} ms; prompts: "
                             f"{_prompts(page)}; dialogs: {open_dialogs(page)}") from error
    wait_kernel_idle(page, timeout_ms)
    assert_shows(page)


def delete_sessions(page, server: JupyterLab) -> None:
    """Shut down every kernel session on the server (from the page, with its _xsrf cookie)."""
    page.evaluate(
        """async (base) => {
            const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
            const headers = {'X-XSRFToken': decodeURIComponent(xsrf)};
            const sessions = await (await fetch(base + 'api/sessions')).json();
            for (const s of sessions) {
                await fetch(base + 'api/sessions/' + s.id, {method: 'DELETE', headers});
            }
        }""",
        server.base_url,
    )


def open_dialogs(page) -> list[str]:
    """Texts of JupyterLab dialogs open in the page (they block clicks; name them in errors)."""
    return [d.inner_text()[:300] for d in page.query_selector_all(".jp-Dialog")]


def output_errors(page) -> list[str]:
    """Texts of error outputs in the notebook: stderr, tracebacks, "Javascript Error" boxes
    (what a plotly figure leaves when it fails to render). Long ones keep their first 1,000 and
    last 4,000 characters (a traceback's message is at its end)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output')]
            .filter(n => n.dataset.mimeType === 'application/vnd.jupyter.stderr'
                      || /Javascript Error|Traceback/.test(n.textContent))
            .map(n => n.textContent)
            .map(t => t.length > 5000 ? t.slice(0, 1000) + ' … ' + t.slice(-4000) : t)""")


def wait_for_plots(page, count: int, timeout_ms: int = 60_000) -> None:
    """Wait until at least ``count`` plotly figures have drawn in the page (NavigatedAway if
    the page leaves the notebook under test meanwhile)."""
    _wait_shown(page, """n => [...document.querySelectorAll('.js-plotly-plot')]
                 .filter(p => p.querySelector('.main-svg')).length >= n""",
                arg=count, timeout_ms=timeout_ms)


def geo_outline_paths(page) -> list[int]:
    """For each plotly geo map in the page, the length of its drawn coastline path data
    (0 where a map has no coastlines: its outline did not load)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot .geo')].map(g => {
            const p = g.querySelector('.layer.coastlines path');
            return p ? (p.getAttribute('d') || '').length : 0;
        })""")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png; return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def last_plot_handle(page):
    """The element handle of the last plotly figure in the page (its graph div)."""
    handles = page.query_selector_all(".js-plotly-plot")
    if not handles:
        raise AssertionError("no plotly figure in the page")
    return handles[-1]


def trace_path(plot, index: int) -> str:
    """The SVG path data plotly drew for line trace ``index`` of a geo figure ("" if none)."""
    return plot.evaluate(
        """(gd, i) => {
            const traces = gd.querySelectorAll('.geo .scatterlayer .trace');
            const path = traces[i] && traces[i].querySelector('path.js-line');
            return path ? path.getAttribute('d') || '' : '';
        }""", index)


# JavaScript: the traces of a plotly geo figure as drawn, each with its ``meta``, its drawn
# opacity and the length of its line's path data. Plotly binds each trace's calcdata to its
# SVG group, which is how a drawn group is matched to its trace.
DRAWN_TRACES_JS = """gd => [...gd.querySelectorAll('.geo .scatterlayer .trace')].map(g => {
    const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    const path = g.querySelector('path.js-line');
    return {meta: trace ? trace.meta : null, name: trace ? trace.name : null,
            opacity: Number(getComputedStyle(g).opacity),
            path: path ? (path.getAttribute('d') || '').length : 0};
})"""


def drawn_traces(plot) -> list[dict]:
    """The traces of a geo figure as drawn: ``meta``, ``name``, ``opacity`` (of the drawn SVG
    group) and ``path`` (length of the line's path data, 0 when nothing is drawn)."""
    return plot.evaluate(DRAWN_TRACES_JS)


def shown_traces(plot, meta_prefix: str) -> list[str]:
    """The ``meta`` of each drawn trace whose meta starts with ``meta_prefix`` and that is
    visible on screen (drawn, opacity 1, a non-empty path). Hidden traces are not drawn."""
    return [t["meta"] for t in drawn_traces(plot)
            if str(t["meta"]).startswith(meta_prefix) and t["opacity"] == 1 and t["path"]]


def click_slider(page, plot, fraction: float, slider: int = 0) -> None:
    """Click a plotly ``layout.sliders`` rail at ``fraction`` (0 = left end, 1 = right end)."""
    rails = plot.query_selector_all(".slider-rail-rect")
    if len(rails) <= slider:
        raise AssertionError(f"figure has {len(rails)} plotly slider(s), wanted #{slider}")
    rail = rails[slider]
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
