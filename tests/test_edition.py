"""The student edition: what it holds, that it runs and builds on Binder, and its git branch."""
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol import ROOT, edition, exercises
from armscontrol.__main__ import main
from armscontrol.links import START_NOTEBOOK, binder_url

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import binder  # noqa: E402

REPO = "my-school/arms-control-notebooks"
PY = sys.executable


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return edition.build_tree(tmp_path_factory.mktemp("edition") / "student", repo=REPO)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# ---- what the student edition holds ----------------------------------------------------------

def test_student_tree_holds_what_a_class_needs(tree):
    for path in ("README.md", "requirements.txt", "runtime.txt", "pyproject.toml", START_NOTEBOOK,
                 "armscontrol/__init__.py", "data/sources.csv", "start.sh", "scripts/venv.sh"):
        assert (tree / path).is_file(), path
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (tree / "notebooks").glob("*.ipynb")) == lessons
    sets = sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))
    assert sets and sorted(p.name for p in (tree / "exercises").glob("*.ipynb")) == sets
    assert (tree / "requirements.txt").read_bytes() == (ROOT / "requirements.txt").read_bytes()
    assert os.access(tree / "start.sh", os.X_OK) == os.access(ROOT / "start.sh", os.X_OK)


def test_student_tree_holds_no_solution_hidden_check_key_or_teacher_doc(tree):
    names = {part.lower() for p in tree.rglob("*") for part in p.relative_to(tree).parts}
    for forbidden in ("solutions", "tests", "instructor_guide", "instructor_guide.md",
                      "grading.md", "test.sh", "requirements-dev.txt"):
        assert forbidden not in names
    assert not [n for n in names if "key" in n and n.endswith((".md", ".html", ".pdf", ".csv"))]
    # Every line of every solution and hidden test (the secret ones, as release defines them)
    # must be absent from every file, code included.
    secret = set()
    for path in exercises.solution_notebooks(ROOT / "solutions"):
        secret |= exercises.secret_and_public_lines(exercises.read_notebook(path))[0]
    lessons = {line.strip() for p in (ROOT / "notebooks").glob("*.ipynb")
               for c in _cells(p) for line in _source(c).split("\n")}
    secret -= lessons
    assert len(secret) > 20, "the solutions should have secret lines to look for"
    markers = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
               "instructor_guide", "docs/grading.md")
    for path in _files(tree):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        lines = {line.strip() for line in text.split("\n")}
        if path.suffix == ".ipynb":
            lines |= {line.strip() for c in _cells(path) for line in _source(c).split("\n")}
        leaked = sorted(lines & secret)
        assert not leaked, f"{path.relative_to(tree)}: {leaked[:3]}"
        if path.suffix != ".py":  # the package names the delimiters in order to remove them
            for marker in markers:
                assert marker.lower() not in text.lower(), f"{path.relative_to(tree)}: {marker}"
    assert edition.find_teacher_material(tree, ROOT / "solutions", ROOT / "notebooks") == []


def test_scan_finds_each_kind_of_teacher_material(tree, tmp_path):
    planted = tmp_path / "planted"
    shutil.copytree(tree, planted)
    (planted / "solutions").mkdir()
    (planted / "docs" / "instructor_guide").mkdir(parents=True)
    (planted / "docs" / "instructor_guide" / "01.md").write_text("timings\n")
    (planted / "docs" / "grading.md").write_text("grading\n")
    (planted / "answer_key.md").write_text("the answers\n")
    nb = json.loads((planted / "exercises" / "01_reading_the_sources.ipynb").read_text())
    nb["cells"][-1]["source"] = "### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS\n"
    (planted / "exercises" / "01_reading_the_sources.ipynb").write_text(json.dumps(nb))
    secret = sorted(exercises.secret_and_public_lines(exercises.read_notebook(
        ROOT / "solutions" / "02_inf_treaty_1987.ipynb"))[0])
    (planted / "data" / "notes.txt").write_text(secret[0] + "\n")
    (planted / "notebooks" / "extra.md").write_text("See [the guide](../docs/instructor_guide/x.md).")
    found = "\n".join(edition.find_teacher_material(planted, ROOT / "solutions"))
    for expected in ("solutions: a teacher's", "docs/instructor_guide: a teacher's",
                     "docs/grading.md: a teacher's", "answer_key.md: a teacher's",
                     "01_reading_the_sources.ipynb: contains 'BEGIN HIDDEN TESTS'",
                     "data/notes.txt: line 1: text from the solution of 02_inf_treaty_1987",
                     "notebooks/extra.md: contains 'instructor_guide'"):
        assert expected in found, expected


def test_build_leaves_nothing_when_the_scan_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(edition, "find_teacher_material", lambda *a, **k: ["x.md: planted"])
    with pytest.raises(edition.EditionError, match="x.md: planted"):
        edition.build_tree(tmp_path / "student", repo=REPO)
    assert not (tmp_path / "student").exists()


def test_student_readme_says_what_to_open_and_how_to_hand_in(tree):
    readme = (tree / "README.md").read_text(encoding="utf-8")
    assert f"]({binder_url('my-school', 'arms-control-notebooks', 'student')})" in readme
    assert "OWNER" not in readme
    assert "notebooks/00_start_here.ipynb" in readme and "## Handing in" in readme
    assert "Download" in readme and ".ipynb" in readme
    assert "student edition" in readme.lower()


def test_notebooks_lose_only_the_sentences_for_teachers(tree):
    changed = 0
    for original in sorted((ROOT / "notebooks").glob("*.ipynb")) + \
            sorted((ROOT / "exercises").glob("*.ipynb")):
        ours = _cells(original)
        theirs = _cells(tree / original.parent.name / original.name)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            if a["cell_type"] != "markdown":
                assert a == b  # code and stored outputs unchanged: nbval strict still applies
            elif a != b:
                changed += 1
                assert edition.drop_teacher_sentences(_source(a)) == _source(b)
                assert "instructor_guide" not in _source(b).lower()
    if any("instructor_guide" in p.read_text() for p in (ROOT / "notebooks").glob("*.ipynb")):
        assert changed


def test_drop_teacher_sentences():
    text = ("**Exercises:** [01](../exercises/01.ipynb): dating, page\nfurniture. Teachers: see "
            "the [instructor guide](../docs/instructor_guide/01.md) for timings.\n\nNext.")
    assert edition.drop_teacher_sentences(text) == (
        "**Exercises:** [01](../exercises/01.ipynb): dating, page\nfurniture.\n\nNext.")
    text = ("One. The instructor guide\nfor this lesson is in `docs/instructor_guide/04.md`. "
            "Two!\n")
    assert edition.drop_teacher_sentences(text) == "One. Two!\n"
    assert edition.drop_teacher_sentences("A.\n\nSee docs/grading.md.\n\nB.") == "A.\n\nB."
    untouched = "## 7. Essay\n\n* a list item\n  continued, e.g. this.\n"
    assert edition.drop_teacher_sentences(untouched) == untouched


# ---- it builds on Binder and its notebooks run ----------------------------------------------

def test_repo2docker_accepts_the_student_tree(tree):
    binder.assert_repo2docker_accepts(tree)


def _in_tree(tree: Path) -> dict:
    """Environment in which Python (and every kernel it starts) imports the tree's own package."""
    return dict(os.environ, PYTHONPATH=str(tree))


def test_student_notebooks_run(tree):
    """Lessons against their stored outputs (nbval), exercises top to bottom (nbval lax)."""
    env = _in_tree(tree)
    where = subprocess.run([PY, "-c", "import armscontrol; print(armscontrol.ROOT)"], env=env,
                           cwd=tree, capture_output=True, text=True)
    assert where.stdout.strip() == str(tree), where.stderr
    common = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
              "--rootdir", str(tree), "-n", "2", "--dist", "loadscope"]
    lessons = subprocess.run(common + ["--nbval", "--nbval-sanitize-with",
                                       str(ROOT / "tests" / "nbval_sanitize.cfg"), "notebooks"],
                             cwd=tree, env=env, capture_output=True, text=True, timeout=900)
    assert lessons.returncode == 0, lessons.stdout[-4000:]
    assert " passed" in lessons.stdout and "failed" not in lessons.stdout
    sets = subprocess.run(common + ["--nbval-lax", "exercises"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=900)
    assert sets.returncode == 0, sets.stdout[-4000:]
    assert " passed" in sets.stdout


# ---- publishing as a branch -------------------------------------------------------------------

TEACHER_FILES = ("README.md", "requirements.txt", "requirements-dev.txt", "runtime.txt",
                 "pyproject.toml", "start.sh", "test.sh", ".gitignore")
TEACHER_DIRS = ("armscontrol", "data", "notebooks", "solutions", "exercises", "docs", "scripts",
                "tests")


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env=dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@x",
                                     GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@x"))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture()
def teacher_repo(tmp_path) -> Path:
    """A throwaway git repository holding the teacher's edition (never the real repository)."""
    repo = tmp_path / "teacher"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    for name in TEACHER_DIRS:
        shutil.copytree(ROOT / name, repo / name, ignore=ignore)
    for name in TEACHER_FILES:
        shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "teacher's edition")
    return repo


def _state(repo: Path) -> tuple[str, str, str, str]:
    """HEAD, the index's tree, the working tree's status and the branch list."""
    return (_git(repo, "rev-parse", "HEAD"), _git(repo, "write-tree"),
            _git(repo, "status", "--porcelain", "--untracked-files=all"),
            _git(repo, "branch", "--list"))


def test_publish_commits_an_orphan_branch_without_touching_the_working_tree(teacher_repo):
    (teacher_repo / "notebooks" / "scratch.txt").write_text("uncommitted, untracked\n")
    before = _state(teacher_repo)
    commit, created = edition.publish("student", repo=REPO, root=teacher_repo)
    assert created
    assert _state(teacher_repo)[:3] == before[:3]
    assert (teacher_repo / "notebooks" / "scratch.txt").exists()
    assert _git(teacher_repo, "rev-parse", "student") == commit
    assert _git(teacher_repo, "rev-list", "--count", "student") == "1"  # orphan: no history
    assert subprocess.run(["git", "-C", str(teacher_repo), "merge-base", "main", "student"],
                          capture_output=True).returncode == 1  # nothing in common with main
    files = _git(teacher_repo, "ls-tree", "-r", "--name-only", "student").split("\n")
    assert START_NOTEBOOK in files and "README.md" in files and "runtime.txt" in files
    assert "exercises/01_reading_the_sources.ipynb" in files
    assert not [f for f in files if f.startswith(("solutions/", "tests/", "docs/instructor"))
                or f in ("docs/grading.md", "test.sh") or f.endswith("scratch.txt")]
    readme = _git(teacher_repo, "show", "student:README.md")
    assert binder_url("my-school", "arms-control-notebooks", "student") in readme
    assert "built from the teacher's edition at main@" in readme
    mode = _git(teacher_repo, "ls-tree", "student", "start.sh").split()[0]
    assert mode == _git(teacher_repo, "ls-tree", "main", "start.sh").split()[0]


def test_publish_again_adds_a_commit_only_when_something_changed(teacher_repo):
    first, _ = edition.publish("student", repo=REPO, root=teacher_repo)
    again, created = edition.publish("student", repo=REPO, root=teacher_repo)
    assert (again, created) == (first, False)
    data = teacher_repo / "data" / "README.md"
    data.write_text(data.read_text(encoding="utf-8") + "\nA new note.\n", encoding="utf-8")
    _git(teacher_repo, "commit", "-q", "-am", "data note")
    second, created = edition.publish("student", repo=REPO, root=teacher_repo)
    assert created and second != first
    assert _git(teacher_repo, "rev-parse", "student^") == first  # a pull, not a rewrite
    assert "A new note." in _git(teacher_repo, "show", "student:data/README.md")
    assert _git(teacher_repo, "rev-list", "--count", "student") == "2"


def test_publish_refuses_the_checked_out_branch_and_bad_names(teacher_repo):
    with pytest.raises(edition.EditionError, match="checked out"):
        edition.publish("main", repo=REPO, root=teacher_repo)
    with pytest.raises(edition.EditionError, match="not a valid branch"):
        edition.publish("bad..name", repo=REPO, root=teacher_repo)
    assert _git(teacher_repo, "branch", "--list") == "* main"


def test_publish_works_without_a_git_identity(teacher_repo, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # git makes up an identity from the host name when it can; an email it cannot guess is the
    # case a fresh CI machine hits, and is forced here.
    _git(teacher_repo, "config", "user.useConfigOnly", "true")
    assert subprocess.run(["git", "-C", str(teacher_repo), "var", "GIT_COMMITTER_IDENT"],
                          capture_output=True).returncode != 0
    commit, created = edition.publish("student", repo=REPO, root=teacher_repo)
    assert created
    assert _git(teacher_repo, "log", "-1", "--format=%an <%ae>", commit) == \
        f"{edition.COMMITTER[0]} <{edition.COMMITTER[1]}>"


def test_edition_command_writes_a_folder(tmp_path, capsys):
    assert main(["edition", "--dir", str(tmp_path / "class"), "--repo", REPO]) == 0
    assert "no teacher material" in capsys.readouterr().out
    assert (tmp_path / "class" / START_NOTEBOOK).is_file()
    assert not (tmp_path / "class" / "solutions").exists()


def _relative_links(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:|#", t)]


def test_every_link_in_the_student_tree_resolves(tree):
    checked = 0
    for path in sorted(tree.glob("*/*.ipynb")) + sorted(tree.rglob("*.md")):
        for target in _relative_links(path):
            file = (path.parent / target.split("#")[0]).resolve()
            assert file.exists() and tree in file.parents, \
                f"{path.relative_to(tree)} links to {target}, which the student edition lacks"
            checked += 1
    assert checked > 20


def test_linked_docs_are_copied_and_teacher_docs_are_not(tmp_path):
    folder = tmp_path / "t"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "docs").mkdir()
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [
        "See [GLCM](../docs/glossary.md#glcm), [reading](../docs/further_reading.md), the "
        "[guide](../docs/instructor_guide/01.md), [grading](../docs/grading.md) and "
        "[the web](https://example.org/docs/x.md)."]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "notebooks" / "01.ipynb").write_text(json.dumps(nb))
    (folder / "docs" / "glossary.md").write_text("[timing](timing.md), [up](../README.md)")
    assert edition.linked_docs(folder) == {"glossary.md", "further_reading.md", "timing.md"}


def test_docs_linked_from_docs_are_copied(tmp_path):
    root = tmp_path / "teacher"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in ("armscontrol", "data", "notebooks", "solutions", "exercises", "scripts", "docs"):
        shutil.copytree(ROOT / name, root / name, ignore=ignore)
    for name in ("README.md", "requirements.txt", "runtime.txt", "pyproject.toml", "start.sh"):
        shutil.copy2(ROOT / name, root / name)
    (root / "docs" / "glossary.md").write_text("# Glossary\n\nSee [more](more/reading.md).\n")
    (root / "docs" / "more").mkdir()
    (root / "docs" / "more" / "reading.md").write_text("Books; [grading](../grading.md).\n")
    with pytest.raises(edition.EditionError,
                       match=r"docs/more/reading.md: links to \.\./grading.md, which is not"):
        edition.build_tree(tmp_path / "bad", root=root)
    (root / "docs" / "more" / "reading.md").write_text("Books.\n")
    tree = edition.build_tree(tmp_path / "good", root=root)
    assert (tree / "docs" / "more" / "reading.md").read_text() == "Books.\n"
    assert not (tree / "docs" / "grading.md").exists()


def test_a_copy_without_a_repository_has_no_badge(tmp_path):
    readme = (edition.build_tree(tmp_path / "class") / "README.md").read_text(encoding="utf-8")
    assert "mybinder.org" not in readme and "OWNER" not in readme
    assert "notebooks/00_start_here.ipynb" in readme and "link your teacher gave you" in readme
