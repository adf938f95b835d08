"""Binder readiness: what repo2docker builds from this repository, and the README's badge."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from armscontrol import ROOT, links

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import binder  # noqa: E402


def test_runtime_is_python_311_or_312():
    assert (ROOT / "runtime.txt").read_text().strip() in {"python-3.11", "python-3.12"}


def test_runtime_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and line != "-e .":
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"unpinned: {line}"


def test_readme_links_name_no_placeholder_account():
    """No clickable Binder link may point at a made-up OWNER: it would open nothing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\((https://mybinder\.org/v2/gh/[^)]*)\)", readme):
        assert "/OWNER/" not in link, link
    assert "OWNER/NAME" in readme and "github.com/" in readme  # says where OWNER comes from


def test_readme_documents_the_links_the_links_command_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in (links.binder_url("OWNER", "NAME", "student"),
                 links.nbgitpuller_url("https://YOUR-HUB", "OWNER", "NAME", "student"),
                 links.binder_url("OWNER", "NAME", "main")):
        assert f"`{link}`" in readme, link


def test_filled_readme_badge_opens_the_start_notebook():
    readme = links.fill_badge((ROOT / "README.md").read_text(encoding="utf-8"),
                              "my-school/arms-control-notebooks", "main")
    badge = re.search(r"\[!\[Binder\]\([^)]*\)\]\((https://mybinder\.org/v2/gh/[^)]*)\)", readme)
    assert badge, "no Binder badge after links --write-readme"
    assert badge.group(1) == ("https://mybinder.org/v2/gh/my-school/arms-control-notebooks/main"
                              "?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb")
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


def test_repo2docker_accepts_the_repository():
    """repo2docker (what Binder runs) reads our configuration; --no-build needs no Docker."""
    binder.assert_repo2docker_accepts(ROOT)


def find_python(version: str) -> str | None:
    """A working ``python<version>``: on PATH, or installed by pyenv but not selected."""
    candidates = [shutil.which(f"python{version}")] + sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.mark.parametrize("version", ["3.11", "3.12"])
def test_runtime_requirements_install_in_a_fresh_venv(tmp_path, version):
    python = find_python(version)
    if python is None:
        pytest.skip(f"python{version} is not on this machine")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          "-r", "requirements.txt"], cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert pip.returncode == 0, pip.stderr[-3000:]
    check = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import armscontrol, plotly, ipywidgets, pandas, geographiclib, pyproj, "
                            "nbclient, jupyterlab, importlib.util; "
                            # requirements.txt pins jsonschema to keep this slow import out:
                            "assert importlib.util.find_spec('rfc3987_syntax') is None; "
                            "print(armscontrol.ROOT)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.stdout.strip() == str(ROOT)
