"""Write the navigation cells (previous | contents | next) at the top and bottom of each lesson.

    python tools/nav.py          rewrite the cells in notebooks/*.ipynb
    python tools/nav.py --check  exit 1 if any lesson's navigation is out of date (used by tests)

A navigation cell is a markdown cell tagged ``navigation``. The top one goes right after the
title cell, the bottom one at the very end. The links come from ``armscontrol.lessons.LESSONS``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from armscontrol.lessons import LESSONS  # noqa: E402

TAG = "navigation"


def nav_markdown(index: int) -> str:
    """Return the navigation line for ``LESSONS[index]``."""
    parts = []
    if index > 0:
        prev = LESSONS[index - 1]
        parts.append(f"[← {prev.stem.split('_')[0]} {prev.title}]({prev.notebook})")
    parts.append("[Contents](00_start_here.ipynb#Map-of-lessons)")
    if index + 1 < len(LESSONS):
        nxt = LESSONS[index + 1]
        parts.append(f"[{nxt.stem.split('_')[0]} {nxt.title} →]({nxt.notebook})")
    return " | ".join(parts)


def with_navigation(nb: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    """Return ``nb`` with exactly two navigation cells holding ``text``: after the title, and last."""
    cells = [c for c in nb.cells if TAG not in c.get("metadata", {}).get("tags", [])]

    def cell() -> nbformat.NotebookNode:
        new = nbformat.v4.new_markdown_cell(text)
        new.metadata["tags"] = [TAG]
        new.pop("id", None)
        return new

    nb.cells = cells[:1] + [cell()] + cells[1:] + [cell()]
    for number, c in enumerate(nb.cells):
        c["id"] = f"cell-{number:03d}"  # stable ids keep diffs and stored notebooks deterministic
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale navigation")
    args = parser.parse_args()
    stale = []
    for index, lesson in enumerate(LESSONS):
        path = ROOT / "notebooks" / lesson.notebook
        if not path.exists():
            continue
        before = path.read_text(encoding="utf-8")
        nb = with_navigation(nbformat.reads(before, as_version=4), nav_markdown(index))
        after = nbformat.writes(nb) + "\n"
        if after != before:
            stale.append(path.name)
            if not args.check:
                path.write_text(after, encoding="utf-8")
    if stale:
        print(("stale navigation: " if args.check else "updated: ") + ", ".join(stale))
    return 1 if (stale and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
