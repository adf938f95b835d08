"""Re-run notebooks and store their outputs, deterministically, for nbval's strict comparison.

    python tools/refresh_outputs.py                   all of notebooks/ and solutions/
    python tools/refresh_outputs.py notebooks/02*.ipynb

Each notebook runs top to bottom in a fresh kernel (nbclient) in its own folder. Afterwards the
saved widget state is dropped (anywidget's FigureWidget would store ~5 MB of JavaScript in
``metadata.widgets``), execution timings are removed and cell and widget ids are made stable, so running
this twice gives the same files. Every plotly figure gets a PNG copy and every explorer a picture
of its first state (armscontrol.figures), for readers without a kernel.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_model_id(notebook: str, cell: int, output: int) -> str:
    """Return the 32-hex-digit widget model id stored for output ``output`` of cell ``cell``.

    The kernel gives every widget a random id. The widget state is not stored (see
    :func:`refresh`), so no stored id can be displayed after a reload anyway; an id derived from
    the notebook's name and the output's place keeps the file identical between runs.
    """
    return hashlib.sha1(f"{notebook}:{cell}:{output}".encode()).hexdigest()[:32]


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs into one.

    The kernel may split one ``print`` into several stream messages depending on timing, which
    would make the stored file differ from run to run; nbval joins them anyway when comparing.
    """
    merged: list = []
    for output in outputs:
        if (merged and output.get("output_type") == "stream"
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def refresh(path: Path, timeout: int = 300) -> None:
    """Execute ``path`` in place and normalise what is stored."""
    nb = nbformat.read(path, as_version=4)
    from armscontrol.figures import STORE_FIRST_STATE_ENV

    # Explorers then also send their first state, stored as a picture (see armscontrol.figures).
    os.environ[STORE_FIRST_STATE_ENV] = "1"  # the kernel inherits this process's environment
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}},
                   record_timing=False).execute()
    nb.metadata.pop("widgets", None)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number:03d}"
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for index, output in enumerate(cell.outputs):
                view = output.get("data", {}).get(WIDGET_VIEW)
                if view is not None:
                    view["model_id"] = stable_model_id(path.name, number, index)
    from armscontrol import figures  # static images for GitHub, nbviewer and paper (kaleido)

    figures.add_png_fallbacks(nb)
    figures.add_explorer_fallbacks(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(
        list((ROOT / "notebooks").glob("*.ipynb")) + list((ROOT / "solutions").glob("*.ipynb")))
    for path in paths:
        print(f"running {path.relative_to(ROOT) if path.is_absolute() else path} ...", flush=True)
        refresh(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
