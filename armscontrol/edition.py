"""The student edition: a copy of the module with no answers in it, published as a git branch.

A class gets the student edition (lessons, exercises, data, the package, Binder configuration and
a student README) on its own branch of the repository, usually ``student``, so that a Binder or
nbgitpuller link can point at it while the teacher's edition (``main``) keeps solutions/, hidden
checks, the answer key and the teacher docs.

* :func:`build_tree` writes the student edition to a folder, starting from
  :func:`armscontrol.exercises.release_student_copy` (which releases exercises/ from solutions/
  and scans for solution text), then removes the test runner and the teachers' requirements,
  drops the sentences that point to teacher docs, copies the student docs the notebooks link to,
  writes the student README with its Binder badge, and scans again with
  :func:`find_teacher_material`.
* :func:`publish` builds that tree from the last commit (not from uncommitted files) and commits
  it to the branch with git plumbing (a temporary index and ``git commit-tree``): the working
  tree, the index and HEAD of the repository are never touched. The first build makes an orphan branch (no history shared with ``main``);
  later builds add a commit on top of the last one, so students who pulled the branch with
  nbgitpuller get the update as an ordinary pull. A build that changes nothing makes no commit.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from armscontrol import ROOT, exercises
from armscontrol.links import START_NOTEBOOK, binder_url, parse_repo

#: The default branch the student edition is published on.
DEFAULT_BRANCH = "student"

#: Files of the teacher's edition that ``release_student_copy`` copies but a class does not need:
#: the test runner and the teachers' tool requirements (tests/ is never copied).
TEACHER_FILES = ("test.sh", "requirements-dev.txt")

#: Who commits the student edition when git has no user.name/user.email configured.
COMMITTER = ("armscontrol edition", "armscontrol-edition@localhost")

#: Student-facing documents copied from docs/ when present. Any other file in docs/ that a lesson
#: or an exercise links to is copied too, unless it is a teacher doc (FORBIDDEN_NAMES).
STUDENT_DOCS = ("glossary.md",)

_OPEN_ON_BINDER = """\
Click the **launch binder** badge above (or the link your teacher gave you). JupyterLab opens
   in your browser on **`notebooks/00_start_here.ipynb`**, which explains how the module works.
   Binder can take a minute or two to start."""
_OPEN_ANYWHERE = """\
Open the module in JupyterLab (from the link your teacher gave you, or on your own computer as
   described below) and open **`notebooks/00_start_here.ipynb`**, which explains how the module
   works."""
#: The target of a Markdown link, without its #anchor.
_LINK = re.compile(r"\]\(<?([^)#\s>]+)")

#: File and folder names that must never be in the student edition (lower case): the answers,
#: the hidden checks, the answer key (also any name containing ``answer_key``) and the teacher
#: docs. The answer key's content is caught by the scan for solution lines as well.
FORBIDDEN_NAMES = ("solutions", "instructor_guide", "instructor_guide.md", "grading.md",
                   "answer_key", "answer_key.md", "answer_key.html", "key.md", "key.html",
                   "tests")

#: Text that must never occur in a notebook, document or data file of the student edition:
#: nbgrader's delimiters, and links to teacher docs that the student edition does not contain.
#: (The package's own source names the delimiters, to remove them, so ``*.py`` files are not
#: searched for these; they are searched for solution text like every file.)
FORBIDDEN_TEXT = (exercises.BEGIN_SOLUTION, exercises.END_SOLUTION,
                  exercises.BEGIN_HIDDEN_TESTS, exercises.END_HIDDEN_TESTS,
                  "instructor_guide", "docs/grading.md")

#: A sentence inside a Markdown paragraph: links and code spans are kept whole (their dots do
#: not end it), and a sentence ends at . ! or ? followed by white space or the paragraph's end.
_SENTENCE = re.compile(r"(?:\[[^\]]*\]\([^)]*\)|`[^`]*`|[^.!?\[`]|[.!?](?!\s|$)|\[|`)+"
                       r"(?:[.!?]+(?=\s|$)|$)")
_TEACHER_SENTENCE = re.compile(r"instructor[ _]guide|docs/grading\.md", re.IGNORECASE)


class EditionError(RuntimeError):
    """The student edition could not be built or published; the message says why."""


STUDENT_README = """\
# Arms Control Notebooks — student edition
{badge}
A Jupyter module on the end of Cold War arms control: **the INF Treaty (1987–2019)** and
**New START (2010–2026)**, studied through primary sources, maps, a timeline and a sourced
data set. No Python experience needed.

## Start here

1. {open_step}
2. Work through the notebooks in `notebooks/` in the order of their numbers. Run each cell from the top with
   Shift+Enter, or use *Run → Run All Cells*.
3. After each lesson, open its exercise notebook in `exercises/` (the end of the lesson links to
   it). Write your answers where the notebook says `...` (code) or *YOUR ANSWER HERE* (writing),
   and run the check cell under each question: it tells you what is wrong and gives a hint.

## Handing in

1. Save the notebook (*File → Save*, or Ctrl+S).
2. Download it: right-click the notebook in the file browser on the left and choose
   *Download*. You get a file such as `01_reading_the_sources.ipynb`.
3. Hand in that `.ipynb` file the way your teacher asked (for example on the course's learning
   platform). Do not rename it, and do not delete or edit the check cells: your teacher's grader
   runs its own copy of every check.

**Binder does not keep your work.** A Binder session ends after some minutes without use and
everything in it is deleted: download your notebook before you stop, and upload it again
(the *Upload* button above the file browser) to carry on later. On your school's JupyterHub
your files are usually kept between sessions.

## On your own computer

With Python 3.11 or newer (Linux, macOS, or WSL on Windows), download this edition and run
`bash start.sh` in its folder: it sets up a virtual environment in `.venv/` and opens JupyterLab
on the start notebook.

## What is here

```
notebooks/     the lessons (start with 00_start_here.ipynb)
exercises/     one exercise notebook per lesson
data/          the primary sources and the data tables, each fact with its source (data/README.md)
armscontrol/   the Python package the notebooks use
```

This is the student edition of Arms Control Notebooks, built from {source} by
`python -m armscontrol edition`. Code: MIT. Lesson text and data tables: CC BY 4.0. The primary
sources remain the property of their publishers and are included for teaching and criticism only.
"""


def drop_teacher_sentences(markdown: str) -> str:
    """Return ``markdown`` without the sentences that point to teacher docs.

    A sentence mentioning the instructor guide or docs/grading.md is removed (links and code
    spans inside it count as part of it); the rest of its paragraph stays, and paragraphs that
    mention neither are returned unchanged. A paragraph left empty is removed.
    """
    if not _TEACHER_SENTENCE.search(markdown):
        return markdown
    pieces = re.split(r"(\n\s*\n)", markdown)  # paragraphs at even indices, breaks between
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2 or not _TEACHER_SENTENCE.search(piece):
            out.append(piece)
            continue
        kept = "".join(m.group(0) for m in _SENTENCE.finditer(piece)
                       if not _TEACHER_SENTENCE.search(m.group(0))).strip()
        if kept:
            out.append(kept)
        elif out:
            out.pop()  # the break before the emptied paragraph
    return "".join(out).rstrip("\n") + ("\n" if markdown.endswith("\n") else "")


def _student_notebook(path: Path) -> None:
    """Rewrite a notebook in place with :func:`drop_teacher_sentences` on its Markdown.

    Only Markdown cells change (and the file only if one does); code cells and their stored
    outputs stay as they are, so the lessons still pass nbval against their stored outputs.
    Returns None.
    """
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    changed = False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        new = drop_teacher_sentences(source)
        if new != source:
            cell["source"] = new.splitlines(keepends=True)
            changed = True
    if changed:
        indent = 1 if raw.startswith("{\n \"") else 2
        path.write_text(json.dumps(nb, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")


def _markdown_texts(folder: Path) -> list[tuple[Path, str]]:
    """(file, Markdown) pairs: each Markdown cell of ``folder/*/*.ipynb``, each ``*.md`` file."""
    texts: list[tuple[Path, str]] = []
    for path in sorted(folder.glob("*/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        texts += [(path, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                  for c in cells if c.get("cell_type") == "markdown"]
    texts += [(path, path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.md"))
              if ".git" not in path.relative_to(folder).parts]
    return texts


def _relative_links(folder: Path) -> list[tuple[Path, str, Path]]:
    """(file, link target, resolved path) for every relative link in ``folder``'s Markdown."""
    out = []
    for path, text in _markdown_texts(folder):
        for target in _LINK.findall(text):
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):  # not http:, mailto:, ...
                out.append((path, target, (path.parent / target).resolve()))
    return out


def broken_links(folder: Path | str) -> list[str]:
    """Return ``"file: link to TARGET, which is not in the folder"`` for each dangling link."""
    folder = Path(folder).resolve()
    return sorted({f"{path.relative_to(folder)}: links to {target}, which is not in the folder"
                   for path, target, resolved in _relative_links(folder)
                   if not resolved.exists() or folder not in resolved.parents})


def linked_docs(folder: Path) -> set[str]:
    """Return the files under docs/ that the notebooks and Markdown files in ``folder`` link to.

    A link is resolved from the file that holds it. Paths are relative to docs/
    (``glossary.md``); teacher docs (:data:`FORBIDDEN_NAMES`) are left out, so a link to one
    stays dangling and :func:`broken_links` reports it.
    """
    folder = Path(folder).resolve()
    docs = folder / "docs"
    found = {resolved.relative_to(docs).as_posix() for _, _, resolved in _relative_links(folder)
             if docs in resolved.parents}
    return {name for name in found if not any(part.lower() in FORBIDDEN_NAMES
                                              for part in Path(name).parts)}


def find_teacher_material(folder: Path | str, solutions_dir: Path | str | None = None,
                          lessons_dir: Path | str | None = None) -> list[str]:
    """Scan ``folder`` for anything a student must not get; return the findings (empty if clean).

    Flags every path with a name in :data:`FORBIDDEN_NAMES` (solutions, tests, the answer key,
    the teacher docs), every text file other than Python source containing a string of
    :data:`FORBIDDEN_TEXT` (nbgrader delimiters, links to teacher docs), and, when ``solutions_dir`` is given, every line of
    solution or hidden-test text (:func:`armscontrol.exercises.find_leaks`).
    Returns a sorted list of ``"path: what"`` strings.
    """
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if ".git" in rel.parts:
            continue
        name = rel.parts[-1].lower()
        if name in FORBIDDEN_NAMES or "answer_key" in name or "answer-key" in name:
            found.append(f"{rel}: a teacher's file or folder ({rel.parts[-1]})")
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if path.suffix == ".py":
            continue
        for needle in FORBIDDEN_TEXT:
            if needle.lower() in text.lower():
                found.append(f"{rel}: contains {needle!r}")
    if solutions_dir is not None:
        found += exercises.find_leaks(folder, solutions_dir, lessons_dir=lessons_dir)
    return sorted(set(found))


def build_tree(dest: Path | str, repo: str | None = None, branch: str = DEFAULT_BRANCH,
               root: Path | str = ROOT, source: str | None = None) -> Path:
    """Write the student edition of the module at ``root`` into ``dest`` (new or empty folder).

    ``repo`` (``OWNER/NAME`` on GitHub) fills in the student README's Binder badge; without it
    the README has no badge (a copy handed out as a folder has no Binder link). ``source`` names what it was
    built from in the README (e.g. ``main@1a2b3c4``). Files are copied from the folder as they
    are, committed or not. Raises :class:`EditionError`
    (and leaves nothing at ``dest``) if the scan finds any teacher material.
    Returns ``dest`` as an absolute path.
    """
    root = Path(root).resolve()
    dest = exercises.release_student_copy(dest, root=root)
    try:
        for name in TEACHER_FILES:
            (dest / name).unlink(missing_ok=True)
        for path in sorted((dest / "notebooks").glob("*.ipynb")) + \
                sorted((dest / "exercises").glob("*.ipynb")):
            _student_notebook(path)
        wanted, copied = set(STUDENT_DOCS), set()
        while wanted - copied:  # docs can link to more docs
            for name in sorted(wanted - copied):
                copied.add(name)
                if (root / "docs" / name).is_file():
                    (dest / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(root / "docs" / name, dest / "docs" / name)
            wanted |= linked_docs(dest)
        if (root / ".gitignore").is_file():
            shutil.copy2(root / ".gitignore", dest / ".gitignore")
        badge, open_step = "", _OPEN_ANYWHERE
        if repo:
            link = binder_url(*parse_repo(repo), branch, START_NOTEBOOK)
            badge, open_step = f"\n[![Binder](https://mybinder.org/badge_logo.svg)]({link})\n", \
                _OPEN_ON_BINDER
        (dest / "README.md").write_text(STUDENT_README.format(
            badge=badge, open_step=open_step, source=source or "the teacher's edition"),
            encoding="utf-8")
        found = find_teacher_material(dest, root / "solutions", lessons_dir=root / "notebooks")
        found += broken_links(dest)
        if found:
            raise EditionError("the student edition would contain teacher material or links to "
                               "it; nothing was written:\n  " + "\n  ".join(found))
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def _git(root: Path, *args: str, env: dict | None = None, check: bool = True) -> str:
    """Run ``git -C root ARGS``; return its stripped standard output (raises EditionError)."""
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                            env=env)
    if check and result.returncode != 0:
        raise EditionError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def _describe_commit(root: Path, ref: str) -> str:
    """Name the teacher's commit the edition is built from, e.g. ``main@1a2b3c4``."""
    short = _git(root, "rev-parse", "--short", f"{ref}^{{commit}}")
    name = _git(root, "rev-parse", "--abbrev-ref", ref, check=False)
    return f"{name or ref}@{short}"


def _export(root: Path, ref: str, dest: Path) -> Path:
    """Write the files of commit ``ref`` of ``root`` into ``dest`` (git archive); returns dest."""
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref],
                             capture_output=True)
    if archive.returncode != 0:
        raise EditionError(f"git archive {ref} failed: {archive.stderr.decode().strip()}")
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="tar")
    return dest


def publish(branch: str = DEFAULT_BRANCH, repo: str | None = None, root: Path | str = ROOT,
            ref: str = "HEAD", message: str | None = None) -> tuple[str, bool]:
    """Build the student edition of commit ``ref`` and commit it to ``branch`` of the repository.

    The edition is built from the files of ``ref`` (``git archive``), so uncommitted changes in
    the working tree are not published. It is committed with a temporary index
    (``GIT_INDEX_FILE``), ``git write-tree``, ``git commit-tree`` and ``git update-ref``: the
    repository's working tree, index and HEAD are not touched, and ``branch`` must not be the
    checked-out branch. The first commit of ``branch`` is an orphan; later ones have the previous
    tip as their only parent.
    Returns ``(commit, created)``: the branch's tip and whether a new commit was made (False when
    the built tree equals the tip's tree).
    """
    root = Path(root).resolve()
    if _git(root, "rev-parse", "--is-inside-work-tree", check=False) != "true":
        raise EditionError(f"{root}: not a git repository; publish needs one (build_tree does not).")
    ref_name = f"refs/heads/{branch}"
    if subprocess.run(["git", "check-ref-format", ref_name]).returncode != 0:
        raise EditionError(f"{branch!r} is not a valid branch name.")
    if _git(root, "symbolic-ref", "-q", "HEAD", check=False) == ref_name:
        raise EditionError(f"{branch} is checked out in {root}; publish to another branch.")
    parent = _git(root, "rev-parse", "-q", "--verify", f"{ref_name}^{{commit}}", check=False) or None
    built_from = _describe_commit(root, ref)
    with tempfile.TemporaryDirectory(prefix="student-edition-") as tmp:
        source = _export(root, ref, Path(tmp) / "teacher")
        tree_dir = build_tree(Path(tmp) / "student", repo=repo, branch=branch, root=source,
                              source=f"the teacher's edition at {built_from}")
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        # --force: the tree is exactly what is to be published; no ignore file may drop a data file.
        _git(root, "--work-tree", str(tree_dir), "add", "--all", "--force", ".", env=env)
        tree = _git(root, "write-tree", env=env)
    if parent and _git(root, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent, False
    text = message or f"Student edition, built from {built_from}"
    args = ["commit-tree", tree, "-m", text] + (["-p", parent] if parent else [])
    env = None
    if subprocess.run(["git", "-C", str(root), "var", "GIT_COMMITTER_IDENT"],
                      capture_output=True).returncode != 0:
        # No user.name/user.email configured (a fresh CI machine): sign as the tool.
        env = dict(os.environ, GIT_AUTHOR_NAME=COMMITTER[0], GIT_AUTHOR_EMAIL=COMMITTER[1],
                   GIT_COMMITTER_NAME=COMMITTER[0], GIT_COMMITTER_EMAIL=COMMITTER[1])
    commit = _git(root, *args, env=env)
    _git(root, "update-ref", "-m", "armscontrol edition", ref_name, commit, parent or "0" * 40)
    return commit, True
