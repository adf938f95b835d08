"""The class report (report.html) in Chromium, offline: its charts draw, nothing is fetched from
outside, and axe-core finds no serious or critical accessibility violation in it.

The report comes from grading the small fixture class of tests/fixtures/report_class.py
(tests/test_grade_report.py checks its contents). It is opened as a file:// page.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import axe
import harness

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import report_class  # noqa: E402
import sandboxing  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory, browser) -> Path:
    _, out = report_class.grade_class(tmp_path_factory.mktemp("report-browser"),
                                      sandboxing.use_sandbox())
    return out / "report.html"


def _open(browser, path: Path, bypass_csp: bool = False):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=bypass_csp)
    blocked = harness.block_external_requests(context)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, blocked


BARS_JS = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
    const box = svg.getBoundingClientRect();
    return {id: svg.id, width: box.width, height: box.height,
            bars: [...svg.querySelectorAll('rect.bar')].map(r => {
                const b = r.getBoundingClientRect(); return [b.width, b.height]; })};
})"""


@pytest.mark.browser
def test_report_charts_draw_offline(browser, report):
    context, page, blocked = _open(browser, report)
    try:
        charts = page.evaluate(BARS_JS)
        assert [c["id"] for c in charts] == ["dist-01-fixture", "dist-02-other", "rate-01-fixture",
                                             "rate-02-other"]
        for chart in charts:
            assert chart["width"] > 0 and chart["height"] > 0, chart
            drawn = [b for b in chart["bars"] if b[0] > 0 and b[1] > 0]
            assert drawn, f"{chart['id']}: no bar drew: {chart['bars']}"
        rate = next(c for c in charts if c["id"] == "rate-01-fixture")
        assert len(rate["bars"]) == 3 and all(w > 0 and h > 0 for w, h in rate["bars"])
        assert page.title() == "Class report"  # the student's <script> setting it did not run
        assert page.get_by_text(report_class.HOSTILE_ANSWER).count() == 1
        assert blocked == [], f"requests left the machine: {blocked}"
        harness.screenshot(page, "class_report")
    finally:
        context.close()


@pytest.mark.browser
def test_report_has_no_serious_accessibility_violations(browser, report):
    assert axe.banner_version() == axe.AXE_VERSION
    # axe is a script, which the report's Content-Security-Policy rightly forbids: bypass it.
    context, page, blocked = _open(browser, report, bypass_csp=True)
    try:
        found = axe.violations(page, whole_page_is_ours=True)
        ours, _ = axe.split(found)
        print("axe on report.html, all violations:\n" + axe.describe(ours))
        serious = axe.serious_ours(found)
        assert not serious, "serious or critical violations in report.html:\n" + axe.describe(serious)
        assert blocked == []
    finally:
        context.close()
