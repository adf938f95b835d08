"""Accessibility of what our helpers put in notebook outputs, checked without a browser
(tests/browser/test_accessibility.py runs axe-core on the live pages)."""
from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from armscontrol import maps


def test_range_map_table_scrolls_by_keyboard_and_is_named():
    table = pd.DataFrame({"name": ["Bonn", "O'Hare"], "kind": ["city", "airport"],
                          "country": ["DE", "US"], "distance_km": [120, 7000]})
    soup = BeautifulSoup(maps._table_html(table, "SS-20 'Pioneer'", "Base <x>"), "html.parser")
    box = soup.find("div")
    assert "overflow:auto" in box["style"]
    # axe's scrollable-region-focusable: a scrolling box must be reachable by keyboard.
    assert box["tabindex"] == "0" and box["role"] == "region"
    assert box["aria-label"] == ("Places within reach of the SS-20 'Pioneer' from Base <x> "
                                 "(2 of them, nearest first)")
    assert box.find("table") is not None
