"""Binder and nbgitpuller links: parsed back with urllib, part by part."""
import re
import subprocess
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from armscontrol import ROOT, links
from armscontrol.__main__ import main

REPO = "my-school/arms-control-notebooks"
HUB = "https://hub.example.edu"
#: What may appear in a query value or path segment once URL-encoded (RFC 3986 unreserved + %XX).
ENCODED = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*")


def _query(url: str) -> dict[str, str]:
    raw = urlsplit(url).query
    pairs = [part.split("=", 1) for part in raw.split("&")]
    for key, value in pairs:
        assert ENCODED.fullmatch(key) and ENCODED.fullmatch(value), f"not encoded: {key}={value}"
    parsed = parse_qs(raw, strict_parsing=True)
    assert all(len(v) == 1 for v in parsed.values()), parsed
    return {k: v[0] for k, v in parsed.items()}


def test_one_link_pair_for_the_start_notebook_and_each_exercise():
    found = links.class_links(REPO, "student", HUB)
    exercises = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert exercises
    assert [f.path for f in found] == (["notebooks/00_start_here.ipynb"]
                                       + [f"exercises/{n}" for n in exercises])
    for f in found:
        assert (ROOT / f.path).is_file()


@pytest.mark.parametrize("branch", ["student", "spring-2027", "class/7b"])
def test_binder_links_parse_back(branch):
    for found in links.class_links(REPO, branch):
        parts = urlsplit(found.binder)
        assert (parts.scheme, parts.netloc, parts.fragment) == ("https", "mybinder.org", "")
        segments = parts.path.split("/")
        assert segments[:3] == ["", "v2", "gh"] and len(segments) == 6
        assert all(ENCODED.fullmatch(s) for s in segments[3:])
        assert [unquote(s) for s in segments[3:]] == ["my-school", "arms-control-notebooks", branch]
        assert _query(found.binder) == {"urlpath": f"lab/tree/{found.path}"}
        assert found.nbgitpuller is None


@pytest.mark.parametrize("hub, base", [
    ("https://hub.example.edu", "https://hub.example.edu"),
    ("https://hub.example.edu/", "https://hub.example.edu"),
    ("https://hub.example.edu/hub/home", "https://hub.example.edu"),
    ("https://hub.callysto.ca/jupyter/hub/spawn", "https://hub.callysto.ca/jupyter"),
    ("http://127.0.0.1:8000/hub", "http://127.0.0.1:8000"),
])
def test_nbgitpuller_links_parse_back(hub, base):
    for found in links.class_links(REPO, "student", hub):
        url = found.nbgitpuller
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == urlsplit(base).scheme + "://" + \
            urlsplit(base).netloc
        assert parts.path == urlsplit(base).path + "/hub/user-redirect/git-pull"
        assert parts.fragment == ""
        # nbgitpuller's documented parameters; urlpath starts with the clone's folder name.
        assert _query(url) == {
            "repo": "https://github.com/my-school/arms-control-notebooks",
            "branch": "student",
            "urlpath": f"lab/tree/arms-control-notebooks/{found.path}",
        }


def test_a_start_link_matches_nbgitpullers_documented_example_form():
    url = links.nbgitpuller_url(HUB, "my-user", "my-repository", "main", "index.ipynb")
    assert url == ("https://hub.example.edu/hub/user-redirect/git-pull?"
                   "repo=https%3A%2F%2Fgithub.com%2Fmy-user%2Fmy-repository&branch=main&"
                   "urlpath=lab%2Ftree%2Fmy-repository%2Findex.ipynb")


@pytest.mark.parametrize("given", ["my-school/arms-control-notebooks",
                                   "https://github.com/my-school/arms-control-notebooks",
                                   "https://github.com/my-school/arms-control-notebooks.git",
                                   "git@github.com:my-school/arms-control-notebooks.git",
                                   "my-school/arms-control-notebooks/"])
def test_parse_repo_accepts_the_forms_a_teacher_copies(given):
    assert links.parse_repo(given) == ("my-school", "arms-control-notebooks")


@pytest.mark.parametrize("bad", ["arms-control-notebooks", "a/b/c", "OWNER NAME/x", "/x", "a/",
                                 "https://gitlab.com/a/b", "a/b?x=1"])
def test_parse_repo_refuses_anything_else(bad):
    with pytest.raises(ValueError, match="OWNER/NAME"):
        links.parse_repo(bad)


@pytest.mark.parametrize("bad", ["hub.example.edu", "ftp://hub.example.edu", "https://"])
def test_hub_must_be_an_http_address(bad):
    with pytest.raises(ValueError, match="JupyterHub"):
        links.nbgitpuller_url(bad, "a", "b", "student")


def test_repo_is_read_from_the_origin_remote(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert links.repo_from_git(tmp_path) is None
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin",
                    "git@github.com:my-school/arms-control-notebooks.git"], check=True)
    assert links.repo_from_git(tmp_path) == REPO
    subprocess.run(["git", "-C", str(tmp_path), "remote", "set-url", "origin",
                    "https://gitlab.com/my-school/x.git"], check=True)
    assert links.repo_from_git(tmp_path) is None


def test_links_command_prints_every_link(capsys):
    assert main(["links", "--repo", REPO, "--hub", HUB]) == 0
    out = capsys.readouterr().out
    expected = links.class_links(REPO, "student", HUB)
    for found in expected:
        assert f"  Binder:      {found.binder}\n" in out
        assert f"  JupyterHub:  {found.nbgitpuller}\n" in out
    assert links.binder_url("my-school", "arms-control-notebooks", "main") in out  # teachers
    assert main(["links", "--repo", "not-a-repo"]) == 1


def test_fill_badge_replaces_or_adds_the_badge():
    link = links.binder_url("my-school", "arms-control-notebooks", "main")
    filled = links.fill_badge("# Title\n\n[![Binder](x.svg)](https://mybinder.org/v2/gh/"
                              "OWNER/NAME/main?urlpath=lab/tree/x)\n\nText\n", REPO, "main")
    assert filled == f"# Title\n\n[![Binder](x.svg)]({link})\n\nText\n"
    added = links.fill_badge("# Title\n\nText\n", REPO, "main")
    assert added == f"# Title\n\n[![Binder]({links.BADGE_IMAGE})]({link})\n\nText\n"


def test_write_readme_fills_the_badge_of_the_readme(tmp_path, monkeypatch, capsys):
    import armscontrol.__main__ as cli

    (tmp_path / "exercises").mkdir()
    (tmp_path / "README.md").write_text("# Arms Control Notebooks\n\nText.\n", encoding="utf-8")
    monkeypatch.setattr(cli, "ROOT", tmp_path)
    assert main(["links", "--repo", REPO, "--write-readme"]) == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert f"({links.binder_url('my-school', 'arms-control-notebooks', 'main')})" in readme
    assert "Filled the Binder badge" in capsys.readouterr().out
