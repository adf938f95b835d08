"""Run axe-core (vendored in tests/browser/vendor/) in a Playwright page and sort its findings.

:func:`violations` injects axe and returns its violations, each node marked ``ours`` when it
lies in something the module made: inside a notebook output area (``.jp-OutputArea-output``),
or anywhere in a page of ours such as the class report (``whole_page_is_ours=True``).
:func:`serious_ours` keeps the serious and critical ones a test fails on; :func:`describe`
formats any list of them for the test output (JupyterLab's own are printed, not failed).
"""
from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"
AXE_VERSION = "4.14.1"
FAILING_IMPACTS = ("serious", "critical")

_RUN_JS = """async (ours) => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    const find = target => {
        // target: a CSS selector, or [iframe selector, ..., selector] / shadow-DOM arrays
        try {
            const sel = Array.isArray(target[0]) ? target[0][0] : target[0];
            return document.querySelector(sel);
        } catch (e) { return null; }
    };
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => {
            const el = find(n.target);
            return {target: JSON.stringify(n.target), html: n.html.slice(0, 300),
                    summary: n.failureSummary || '', impact: n.impact || v.impact,
                    ours: ours || !!(el && el.closest('.jp-OutputArea-output'))};
        }),
    }));
}"""


def banner_version() -> str:
    """The version in the vendored file's first line (``/*! axe v4.14.1``)."""
    first = AXE_JS.read_text(encoding="utf-8")[:200].splitlines()[0]
    return first.split(" v", 1)[1].strip()


def violations(page, whole_page_is_ours: bool = False) -> list[dict]:
    """Inject axe into ``page`` (once) and return its violations: per rule ``id``, ``impact``,
    ``help``, ``helpUrl`` and ``nodes`` (``target``, ``html``, ``summary``, ``impact``, ``ours``).

    A page with a Content-Security-Policy that forbids scripts needs a browser context made
    with ``bypass_csp=True``.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN_JS, whole_page_is_ours)


def split(found: list[dict]) -> tuple[list[dict], list[dict]]:
    """(our nodes, everyone else's), each as flat rows: rule, impact, help, target, html, summary."""
    ours, theirs = [], []
    for v in found:
        for n in v["nodes"]:
            row = {"rule": v["id"], "impact": n["impact"], "help": v["help"],
                   "target": n["target"], "html": n["html"], "summary": n["summary"]}
            (ours if n["ours"] else theirs).append(row)
    return ours, theirs


def serious_ours(found: list[dict]) -> list[dict]:
    """Our nodes whose violation is serious or critical (what a test fails on)."""
    return [r for r in split(found)[0] if r["impact"] in FAILING_IMPACTS]


def describe(rows: list[dict]) -> str:
    """One line per node: impact, rule, what to fix, where."""
    return "\n".join(f"  [{r['impact']}] {r['rule']}: {r['help']} at {r['target']} :: {r['html'][:160]}"
                     for r in rows) or "  (none)"
