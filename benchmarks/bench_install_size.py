"""Size of the student runtime install against a bare Jupyter + plotly + pandas install.

    python benchmarks/bench_install_size.py

Builds two fresh virtual environments in a temporary folder, in the same run: one from
requirements.txt (what Binder and students install), and a floor with only jupyterlab,
ipywidgets, plotly, pandas and nbval at the same pinned versions. Prints both sizes and the ratio.
Needs the package registry (pip download); takes a few minutes.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_PACKAGES = ("jupyterlab", "ipywidgets", "plotly", "pandas", "nbval")


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``, in bytes."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def pinned(names: tuple[str, ...]) -> list[str]:
    """The ``name==version`` lines of requirements.txt for ``names``."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    found = [l.strip() for l in lines if re.match(rf"({'|'.join(names)})==", l.strip())]
    assert len(found) == len(names), f"requirements.txt lacks one of {names}"
    return found


def install(folder: Path, args: list[str]) -> int:
    """Make a venv in ``folder``, pip install ``args`` into it, return its size in bytes."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", *args],
                   check=True, cwd=ROOT)
    return folder_bytes(folder)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        runtime = install(Path(tmp) / "runtime", ["-r", "requirements.txt"])
        floor = install(Path(tmp) / "floor", pinned(FLOOR_PACKAGES))
    print(f"runtime install (requirements.txt):       {runtime / 1e6:7.1f} MB")
    print(f"floor ({', '.join(FLOOR_PACKAGES)}): {floor / 1e6:7.1f} MB")
    print(f"ratio runtime/floor: {runtime / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
