"""Links that open the module for a class: Binder, and nbgitpuller on a JupyterHub.

* Binder (mybinder.org) builds a GitHub repository's branch and opens a file in JupyterLab:
  ``https://mybinder.org/v2/gh/OWNER/NAME/BRANCH?urlpath=lab/tree/PATH`` (the query value
  URL-encoded, as mybinder.org's own link form writes it).
* nbgitpuller, installed on many school and university JupyterHubs, clones or updates the
  repository in the student's home folder and then opens the file. Its documented link format
  (https://nbgitpuller.readthedocs.io/en/latest/topic/url-options.html) is
  ``HUB/hub/user-redirect/git-pull?repo=REPO_URL&branch=BRANCH&urlpath=lab/tree/NAME/PATH``:
  ``urlpath`` is relative to the student's home folder, so it starts with the folder the
  repository is cloned into, which is the repository's name.

OWNER/NAME is the GitHub account (user or organisation) that hosts the published module and the
repository's name: the two parts after ``github.com/`` in its address. :func:`repo_from_git`
reads them from the ``origin`` remote of a clone.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from armscontrol import ROOT

#: The notebook a class opens first (a path inside the repository).
START_NOTEBOOK = "notebooks/00_start_here.ipynb"

BINDER = "https://mybinder.org/v2/gh"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_GITHUB_REMOTE = re.compile(r"(?:https?://|ssh://git@|git@)github\.com[:/]"
                            r"(?P<owner>[^/\s]+)/(?P<name>[^/\s]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class NotebookLinks:
    """The two links that open one notebook: ``binder`` and (with a hub) ``nbgitpuller``."""

    path: str
    binder: str
    nbgitpuller: str | None


def parse_repo(repo: str) -> tuple[str, str]:
    """Return ``(owner, name)`` from ``OWNER/NAME`` or a GitHub URL of the repository.

    Raises ValueError naming the expected form when ``repo`` is neither.
    """
    match = _GITHUB_REMOTE.match(repo.strip())
    owner, _, name = (match.group("owner"), "/", match.group("name")) if match \
        else repo.strip().rstrip("/").partition("/")
    if name.endswith(".git"):
        name = name[:-4]
    if not (_NAME.fullmatch(owner or "") and _NAME.fullmatch(name or "")):
        raise ValueError(f"{repo!r}: give the GitHub repository as OWNER/NAME (the two parts after "
                         "github.com/ in its address), e.g. my-school/arms-control-notebooks")
    return owner, name


def repo_from_git(root: Path | str = ROOT, remote: str = "origin") -> str | None:
    """Return ``OWNER/NAME`` of the GitHub repository ``remote`` points to, or None.

    None when ``root`` is not a git clone, has no such remote, or the remote is not on GitHub.
    """
    result = subprocess.run(["git", "-C", str(root), "remote", "get-url", remote],
                            capture_output=True, text=True)
    if result.returncode != 0:
        return None
    match = _GITHUB_REMOTE.match(result.stdout.strip())
    return f"{match.group('owner')}/{match.group('name')}" if match else None


def hub_base(hub: str) -> str:
    """Return the JupyterHub's base URL (scheme, host and any prefix, no trailing ``/hub/...``).

    Accepts what a teacher copies from the address bar (``https://hub.example.edu/hub/home``).
    Raises ValueError for anything that is not an http(s) URL with a host.
    """
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{hub!r}: give the JupyterHub's address, e.g. https://hub.example.edu")
    path = re.sub(r"/hub(/.*)?$", "", parts.path.rstrip("/"))
    return f"{parts.scheme}://{parts.netloc}{path}"


def binder_url(owner: str, name: str, branch: str, path: str = START_NOTEBOOK) -> str:
    """Return the mybinder.org link that builds ``owner/name`` at ``branch`` and opens ``path``."""
    return (f"{BINDER}/{quote(owner, safe='')}/{quote(name, safe='')}/{quote(branch, safe='')}?"
            + urlencode({"urlpath": f"lab/tree/{path}"}, quote_via=quote))


def nbgitpuller_url(hub: str, owner: str, name: str, branch: str,
                    path: str = START_NOTEBOOK) -> str:
    """Return the nbgitpuller link that pulls ``owner/name`` at ``branch`` on ``hub``, opening ``path``."""
    query = {"repo": f"https://github.com/{owner}/{name}", "branch": branch,
             "urlpath": f"lab/tree/{name}/{path}"}
    return f"{hub_base(hub)}/hub/user-redirect/git-pull?" + urlencode(query, quote_via=quote)


def class_notebooks(root: Path | str = ROOT) -> list[str]:
    """Return the repository paths a class is sent to: the start notebook, then each exercise set."""
    root = Path(root)
    names = sorted(p.name for p in (root / "exercises").glob("*.ipynb")
                   if not p.name.startswith("."))
    return [START_NOTEBOOK] + [f"exercises/{n}" for n in names]


def class_links(repo: str, branch: str = "student", hub: str | None = None,
                root: Path | str = ROOT) -> list[NotebookLinks]:
    """Return the links of every notebook in :func:`class_notebooks`, in that order."""
    owner, name = parse_repo(repo)
    return [NotebookLinks(path, binder_url(owner, name, branch, path),
                          nbgitpuller_url(hub, owner, name, branch, path) if hub else None)
            for path in class_notebooks(root)]


def format_links(repo: str, branch: str = "student", hub: str | None = None,
                 teacher_branch: str = "main", root: Path | str = ROOT) -> str:
    """Return the text ``python -m armscontrol links`` prints: one block per notebook."""
    owner, name = parse_repo(repo)
    lines = [f"Student edition: github.com/{owner}/{name}, branch {branch}", ""]
    for link in class_links(repo, branch, hub, root):
        lines.append(link.path)
        lines.append(f"  Binder:      {link.binder}")
        if link.nbgitpuller:
            lines.append(f"  JupyterHub:  {link.nbgitpuller}")
        lines.append("")
    lines.append(f"Teachers (full repository, branch {teacher_branch}, with solutions/):")
    lines.append(f"  Binder:      {binder_url(owner, name, teacher_branch)}")
    if not hub:
        lines.append("")
        lines.append("(Add --hub https://YOUR-HUB to also print nbgitpuller links for a JupyterHub.)")
    return "\n".join(lines) + "\n"


_BADGE_LINK = re.compile(r"\(https://mybinder\.org/v2/gh/[^)\s]*\)")


BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"


def fill_badge(readme: str, repo: str, branch: str) -> str:
    """Return ``readme`` with its Binder badge opening the start notebook of ``repo`` at ``branch``.

    Every mybinder.org link is replaced; a README without one gets a badge under its title.
    """
    owner, name = parse_repo(repo)
    link = binder_url(owner, name, branch)
    if _BADGE_LINK.search(readme):
        return _BADGE_LINK.sub(f"({link})", readme)
    badge = f"[![Binder]({BADGE_IMAGE})]({link})"
    title, _, rest = readme.partition("\n")
    if title.startswith("# "):
        return f"{title}\n\n{badge}\n\n{rest.lstrip(chr(10))}"
    return f"{badge}\n\n{readme}"
