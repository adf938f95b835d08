"""Arms Control Notebooks: the helper package the lesson notebooks import.

The notebooks stay short by calling into this package:

- :mod:`armscontrol.sources`  the ten primary sources (two articles, eight period documents):
  raw text, cleaning, numbered paragraphs, quotes
- :mod:`armscontrol.data`     the CSV tables in ``data/`` as typed, validated DataFrames
- :mod:`armscontrol.geo`      geodesic distances and range rings (geographiclib; pyproj for arrays)
- :mod:`armscontrol.maps`     range-map figures and the range explorer widget
- :mod:`armscontrol.timeline` the timeline figure and explorer widget
- :mod:`armscontrol.exercises` feedback helpers and building ``exercises/`` from ``solutions/``
- :mod:`armscontrol.grading`  grading collected submissions (one module per step, sandboxed)
"""
from pathlib import Path

__version__ = "0.1.0"

#: The project's root folder (the one holding ``data/`` and ``notebooks/``).
ROOT: Path = Path(__file__).resolve().parent.parent
#: The folder of CSV tables and primary sources.
DATA_DIR: Path = ROOT / "data"
#: The raw primary-source articles, never edited.
SOURCES_DIR: Path = DATA_DIR / "sources"

if not SOURCES_DIR.is_dir():
    raise ImportError(
        f"armscontrol cannot find its data folder at {DATA_DIR}. The package must stay inside "
        "the project folder: install it with `pip install -e .` from that folder (as "
        "requirements.txt does), not with a plain `pip install .`.")
