"""Step 1: find the handed-in notebooks and read them, refusing links and files outside the folder.

Where submissions go (``SUBMISSIONS`` is the folder given to ``python -m armscontrol grade``):

* one folder per student: ``SUBMISSIONS/STUDENT/NN_name.ipynb`` (deeper folders are fine, as in
  nbgrader's ``submitted/STUDENT/ASSIGNMENT/NN_name.ipynb``: the first folder is the student), or
* flat files: ``SUBMISSIONS/STUDENT_NN_name.ipynb`` (also ``STUDENT-NN_name`` or
  ``STUDENT__NN_name``), where ``NN_name`` is the name of a notebook in ``solutions/``.

File names may carry the suffixes browsers and Jupyter add (``NN_name (1).ipynb``,
``NN_name-Copy1.ipynb``). Hidden files, ``.ipynb_checkpoints`` and non-``.ipynb`` files are
skipped. A symbolic link (to a file or a folder), a file that resolves outside the submissions
folder, anything that is not a regular file, and a hard link to a solutions notebook are
*refused*: they get a gradebook row with the status ``refused`` and are never opened.

The grader alone reads the files (student code never sees the submissions folder), and it only
reads: nothing under the submissions folder is written, moved or deleted.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|[-_ ]copy\d*|-checkpoint)+$", re.IGNORECASE)


@dataclass
class Submission:
    """A notebook file handed in by a student; ``named_as`` is the exercise its name points to.

    ``refused`` is the reason the file will not be opened (a link, outside the folder), or None.
    """
    student: str
    path: str
    rel: str
    named_as: str | None
    refused: str | None = None


class Refused(Exception):
    """A submission the grader will not open (the message says why)."""


def _normal_stem(name: str) -> str:
    return _COPY_SUFFIX.sub("", Path(name).stem).strip().lower()


def split_name(filename: str, exercise_names: list[str]) -> tuple[str | None, str | None]:
    """Split a file name into (student prefix or None, exercise name or None).

    ``02_x.ipynb`` -> (None, "02_x"); ``ana_02_x (1).ipynb`` -> ("ana", "02_x"), also with ``-``,
    ``__`` or a space before the exercise name; no exercise at the end -> (None, None).
    """
    stem, original = _normal_stem(filename), Path(filename).stem
    for name in sorted(exercise_names, key=len, reverse=True):
        low = name.lower()
        if stem == low:
            return None, name
        for sep in ("__", "_", "-", " "):
            if stem.endswith(sep + low) and len(stem) > len(sep + low):
                return original[: len(stem) - len(sep + low)].strip(), name
    return None, None


def _student_of(rel: str, filename: str, prefix: str | None, named_as: str | None) -> str:
    parts = Path(rel).parts
    if len(parts) > 1:  # one folder per student
        return parts[0]
    # flat: the student is the prefix (or the whole name, if no exercise matched)
    return prefix or (Path(filename).stem if named_as is None else "(no name)")


def find_submissions(submissions_dir: Path | str, exercise_names: list[str],
                     skip: Path | str | None = None) -> tuple[list[Submission], list[str]]:
    """List the ``.ipynb`` files under ``submissions_dir`` (see the module docstring for the layout).

    Symbolic links are never followed: a linked ``.ipynb`` file or a linked folder becomes a
    submission with ``refused`` set. ``skip``: a folder not to look in (the output folder, when
    it is inside). Returns (submissions sorted by student and path, relative paths of other
    files that were ignored).
    """
    base = Path(submissions_dir)
    if not base.is_dir():
        raise NotADirectoryError(f"{base}: no such folder of submissions.")
    skip_path = Path(skip).resolve() if skip else None
    found, ignored = [], []
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith((".", "__MACOSX")) or (skip_path is not None and (here / d).resolve() == skip_path):
                continue
            if (here / d).is_symlink():
                rel = (here / d).relative_to(base).as_posix()
                found.append(Submission(Path(rel).parts[0], str(here / d), rel, None,
                                        "this folder is a symbolic link; the grader does not follow "
                                        "links (copy the files themselves into the submissions folder)"))
                continue
            keep.append(d)
        dirnames[:] = keep
        for filename in sorted(filenames):
            path = here / filename
            rel = path.relative_to(base).as_posix()
            if filename.startswith("."):
                continue
            if not filename.lower().endswith(".ipynb"):
                ignored.append(rel)
                continue
            prefix, named_as = split_name(filename, exercise_names)
            refused = None
            if path.is_symlink():
                refused = ("the file is a symbolic link; the grader does not follow links "
                           "(hand in the notebook itself)")
            found.append(Submission(_student_of(rel, filename, prefix, named_as), str(path), rel,
                                    named_as, refused))
    found.sort(key=lambda s: (s.student.lower(), s.rel))
    return found, ignored


def read_submission(sub: Submission, base: Path | str, max_bytes: int,
                    forbidden: set[tuple[int, int]] = frozenset()) -> bytes:
    """Return the bytes of a submission, opened by the grader without following links.

    Raises :class:`Refused` for a symbolic link, a path that resolves outside ``base``, anything
    but a regular file, or a file whose (device, inode) is in ``forbidden`` (the solutions
    notebooks: a hard link to one is refused). Raises ValueError (with the sizes) for a file
    over ``max_bytes``. Never writes.
    """
    if sub.refused:
        raise Refused(sub.refused)
    path = Path(sub.path)
    root = Path(base).resolve()
    real = path.resolve()
    if real != root and root not in real.parents:
        raise Refused(f"the file lies outside the submissions folder ({real}); it was not opened")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        if path.is_symlink():
            raise Refused("the file is a symbolic link; the grader does not follow links") from err
        raise
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("this is not a regular file (a device, pipe or socket); it was not read")
        if (info.st_dev, info.st_ino) in forbidden:
            raise Refused("the file is a hard link to a solutions notebook; it was not graded")
        if info.st_size > max_bytes:
            raise ValueError(f"the file is {info.st_size / 1e6:.0f} MB; the limit is "
                             f"{max_bytes / 1e6:.0f} MB")
        return fh.read(max_bytes + 1)


def file_ids(folder: Path | str) -> set[tuple[int, int]]:
    """(device, inode) of every file under ``folder`` (to refuse hard links to them)."""
    ids = set()
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            try:
                info = os.stat(Path(dirpath) / name)
            except OSError:
                continue
            ids.add((info.st_dev, info.st_ino))
    return ids


def parse_student(data: Any) -> list[dict] | str:
    """Return the cells of a notebook-shaped JSON value, or a reason it is not a notebook."""
    if not isinstance(data, dict):
        return f"the JSON holds a {type(data).__name__}, not a notebook (an object with 'cells')"
    if "cells" not in data:
        if "worksheets" in data:  # nbformat 3
            cells = [c for ws in data.get("worksheets", []) if isinstance(ws, dict)
                     for c in ws.get("cells", []) if isinstance(c, dict)]
            for cell in cells:
                cell.setdefault("source", cell.get("input", ""))
            return cells
        keys = ", ".join(sorted(map(str, data))[:5]) or "none"
        return f"the JSON object has no 'cells' (its keys: {keys}), so it is not a notebook"
    if not isinstance(data["cells"], list):
        return "'cells' is not a list"
    cells = [c for c in data["cells"] if isinstance(c, dict) and "cell_type" in c]
    if len(cells) != len(data["cells"]):
        return "some entries of 'cells' are not notebook cells"
    return cells

