"""The grading sandbox contains every attack a hostile submission makes (tests/fixtures/attacks.py).

One hostile folder (an attack per student, plus links to the answer key, a classmate to
overwrite, a blank and a correct notebook) is graded once through the command line, with a
secret in the grader's environment and a server listening on the grader's loopback. Every
attack must score no more than the blank notebook, leave every file outside its throwaway
folder as it was, and get its own row with a status that says what happened.
``test_the_attacks_work_without_the_sandbox`` proves the attacks are real: unsandboxed, the
harmless ones succeed.
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from armscontrol import ROOT
from armscontrol.grading import autograde, collect, sandbox

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import attacks  # noqa: E402
import make_fixture  # noqa: E402

# Seconds per cell. Only cpu_hog is meant to reach it; the others finish in well under a
# second alone (overwrite_others walks about 8,700 folders in 0.18 s), but with 3 s, one CI run
# under a second CPU-bound process saw overwrite_others time out instead of failing its search.
TIMEOUT = 10
SECRET_NAME = "ARMSCONTROL_TEST_SECRET"

try:
    sandbox.check()
    NO_SANDBOX = None
except sandbox.SandboxUnavailable as err:
    NO_SANDBOX = str(err)
needs_sandbox = pytest.mark.skipif(
    NO_SANDBOX is not None and os.environ.get("CI") != "true",
    reason=f"no bubblewrap sandbox here ({NO_SANDBOX}); CI installs it")


def _rows(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


def _tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder`` (links not followed)."""
    found = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                found[path.relative_to(folder).as_posix()] = "link->" + os.readlink(path)
            else:
                found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _processes_with(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


class _Listener:
    """A TCP server on the grader's 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


def _hostile_folder(base: Path, solutions: Path, port: int, marker: str) -> Path:
    """Write the hostile submissions under base/subs; returns the folder."""
    subs = base / "subs"
    hosts = {
        "read_key": dict(solutions=[str(solutions), str(FIXTURES / "solutions"), str(ROOT / "solutions")]),
        "write_outside": dict(targets=[str(base / "outside.txt"), str(ROOT / "pwned.txt"),
                                       str(ROOT / "data" / "pwned.txt"), str(solutions / "pwned.txt"),
                                       str(subs / "pwned.txt"), str(Path.home() / "pwned.txt")]),
        "overwrite_others": dict(folders=[str(subs), str(solutions), str(ROOT)]),
        "escape_process": dict(marker=marker),
        "leak_env": dict(secret_name=SECRET_NAME),
        "network": dict(port=port),
        "memory_hog": {},
        "cpu_hog": {},
    }
    for kind, params in hosts.items():
        folder = subs / kind
        folder.mkdir(parents=True)
        (folder / "01_fixture.ipynb").write_bytes(attacks.submission(kind, **params))
    for student in ("blank", "zz_classmate"):
        (subs / student).mkdir()
    (subs / "blank" / "01_fixture.ipynb").write_bytes(attacks.blank())
    (subs / "zz_classmate" / "01_fixture.ipynb").write_bytes(make_fixture.submission("correct"))
    (subs / "symlinked").mkdir()
    (subs / "symlinked" / "01_fixture.ipynb").symlink_to(solutions / "01_fixture.ipynb")
    (subs / "linked_folder").symlink_to(solutions, target_is_directory=True)
    (subs / "hardlinked").mkdir()
    os.link(solutions / "01_fixture.ipynb", subs / "hardlinked" / "01_fixture.ipynb")
    return subs


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Grade the hostile folder once, through the command line, in the sandbox."""
    base = tmp_path_factory.mktemp("hostile")
    solutions = base / "solutions"
    shutil.copytree(FIXTURES / "solutions", solutions)
    listener = _Listener()
    marker = f"escaped-{uuid.uuid4().hex}"
    subs = _hostile_folder(base, solutions, listener.port, marker)
    before = {"subs": _tree_digest(subs), "solutions": _tree_digest(solutions),
              "data": _tree_digest(ROOT / "data"), "package": _tree_digest(ROOT / "armscontrol")}
    secret = uuid.uuid4().hex
    env = dict(os.environ, **{SECRET_NAME: secret})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "armscontrol", "grade", str(subs), "--out", str(base / "out"),
             "--solutions", str(solutions), "--timeout", str(TIMEOUT)],
            capture_output=True, text=True, timeout=600, env=env)
    finally:
        listener.close()
    deadline = time.monotonic() + 5
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = _processes_with(marker)
    for pid in survivors:  # never leave one behind, even when the test fails
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    return {"done": done, "rows": _rows(base / "out" / "gradebook.csv"), "base": base,
            "subs": subs, "solutions": solutions, "before": before, "listener": listener,
            "survivors": survivors, "secret": secret}


def _reason(hostile, student: str) -> str:
    return hostile["rows"][student]["reason"]


@needs_sandbox
def test_every_submission_has_one_row_and_no_attack_beats_a_blank(hostile):
    assert hostile["done"].returncode == 0, hostile["done"].stderr
    rows = hostile["rows"]
    expected = {"read_key", "write_outside", "overwrite_others", "escape_process", "leak_env",
                "network", "memory_hog", "cpu_hog", "blank", "zz_classmate", "symlinked",
                "linked_folder", "hardlinked"}
    assert set(rows) == expected
    blank = float(rows["blank"]["total"])
    assert blank == 0 and rows["blank"]["status"] == "ok"
    for student, row in rows.items():
        assert row["mode"] == "sandbox", student
        if student != "zz_classmate":
            assert float(row["total"]) <= blank, (student, row["reason"])
    # the sandbox still grades a right answer right
    assert rows["zz_classmate"]["total"] == "7" and rows["zz_classmate"]["status"] == "ok"


@needs_sandbox
@pytest.mark.parametrize("student, status, words", [
    ("read_key", "cell-errors", "no answer key reachable"),
    ("write_outside", "cell-errors", "every write outside the working folder failed"),
    ("overwrite_others", "cell-errors", "found no other notebook"),
    ("leak_env", "cell-errors", f"the secret {SECRET_NAME} is not visible"),
    ("network", "cell-errors", "every connection failed"),
    ("memory_hog", "cell-errors", "MemoryError"),
    ("cpu_hog", "timeout", "did not stop when interrupted and was killed"),
    ("escape_process", "stray-processes", "killed with its sandbox"),
    ("symlinked", "refused", "symbolic link"),
    ("linked_folder", "refused", "symbolic link"),
    ("hardlinked", "refused", "hard link to a solutions notebook"),
])
def test_each_attack_has_a_clear_status(hostile, student, status, words):
    row = hostile["rows"][student]
    assert status in row["status"].split(","), row
    assert words in row["reason"], row["reason"]


@needs_sandbox
def test_nothing_outside_the_throwaway_folders_changed(hostile):
    before = hostile["before"]
    assert _tree_digest(hostile["subs"]) == before["subs"]  # classmates' notebooks intact
    assert _tree_digest(hostile["solutions"]) == before["solutions"]  # answer key intact
    assert _tree_digest(ROOT / "data") == before["data"]
    assert _tree_digest(ROOT / "armscontrol") == before["package"]
    base = hostile["base"]
    for path in (base / "outside.txt", ROOT / "pwned.txt", ROOT / "data" / "pwned.txt",
                 hostile["solutions"] / "pwned.txt", hostile["subs"] / "pwned.txt",
                 Path.home() / "pwned.txt"):
        assert not path.exists(), path


@needs_sandbox
def test_no_process_outlives_the_kernel(hostile):
    assert hostile["survivors"] == []


@needs_sandbox
def test_no_connection_reached_the_grader_and_no_secret_leaked(hostile):
    assert hostile["listener"].accepted == 0
    out = hostile["base"] / "out"
    for path in out.rglob("*"):
        if path.is_file():
            assert hostile["secret"] not in path.read_text(encoding="utf-8"), path


@needs_sandbox
def test_cpu_time_limit_stops_a_kernel_that_ignores_interrupts(tmp_path):
    subs = tmp_path / "subs" / "spinner"
    subs.mkdir(parents=True)
    (subs / "01_fixture.ipynb").write_bytes(attacks.submission("cpu_limit"))
    start = time.monotonic()
    results = autograde.grade(tmp_path / "subs", tmp_path / "out",
                              solutions_dir=FIXTURES / "solutions", timeout=60, progress=False,
                              limits=sandbox.Limits(cpu_seconds=3))
    seconds = time.monotonic() - start
    (row,) = results
    assert row["flags"] == ["cpu-limit"], row["reasons"]
    assert row["total"] == 0 and "3 s of CPU time" in " ".join(row["reasons"])
    assert seconds < 30  # stopped by the CPU limit, long before the 60 s cell timeout


@needs_sandbox
def test_the_attacks_work_without_the_sandbox(tmp_path):
    """The harmless attacks succeed when student code runs unsandboxed: the tests can fail."""
    listener = _Listener()
    subs = tmp_path / "subs"
    marker = f"escaped-{uuid.uuid4().hex}"
    params = {"read_key": dict(solutions=[str(FIXTURES / "solutions")]),
              "leak_env": dict(secret_name=SECRET_NAME), "network": dict(port=listener.port),
              "memory_hog": {}, "escape_process": dict(marker=marker)}
    for kind, kwargs in params.items():
        (subs / kind).mkdir(parents=True)
        (subs / kind / "01_fixture.ipynb").write_bytes(attacks.submission(kind, **kwargs))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "armscontrol", "grade", str(subs), "--out", str(tmp_path / "out"),
             "--solutions", str(FIXTURES / "solutions"), "--timeout", str(TIMEOUT), "--no-sandbox"],
            capture_output=True, text=True, timeout=300, env=dict(os.environ, **{SECRET_NAME: "visible"}))
    finally:
        listener.close()
        survivors = _processes_with(marker)
        for pid in survivors:
            os.kill(pid, 9)
    assert done.returncode == 0, done.stderr
    assert "WITHOUT a sandbox" in done.stderr
    rows = _rows(tmp_path / "out" / "gradebook.csv")
    assert set(rows) == set(params)
    for student, row in rows.items():
        assert row["mode"] == "no-sandbox"
        if student != "escape_process":  # it steals nothing: it only outlives the kernel
            assert float(row["total"]) >= 2, (student, row["reason"])
    assert listener.accepted >= 1
    assert survivors, "unsandboxed, a process in a new session outlives the kernel"


# ---- pieces, without kernels ------------------------------------------------------------------

def test_default_limits_and_command_line(tmp_path):
    assert sandbox.Limits().memory_bytes == 2 * 1024 ** 3
    assert sandbox.Limits().cpu_for(30, 10) == 330 and sandbox.Limits(cpu_seconds=5).cpu_for(30, 10) == 5
    box = sandbox.Sandbox("/usr/bin/bwrap", sandbox.Limits(), str(ROOT))
    folders = box.prepare(tmp_path)
    argv = box.kernel_argv(folders, 99)
    for option in ("--unshare-all", "--unshare-user", "--die-with-parent", "--new-session",
                   "--clearenv", "--cap-drop"):
        assert option in argv
    assert argv[argv.index("--uid") + 1] == "65534"
    assert str(2 * 1024 ** 3) in argv and "99" in argv and argv[-2:] == ["-f", "{connection_file}"]
    # what is bound from the module folder: the package and data only, read-only
    binds = [(argv[i], argv[i + 1], argv[i + 2]) for i, a in enumerate(argv) if a.endswith("bind")]
    from_root = [(kind, src) for kind, src, _ in binds if Path(src).resolve() == ROOT or ROOT in Path(src).resolve().parents]
    allowed = {str(ROOT / "armscontrol"), str(ROOT / "data")}
    for kind, src in from_root:
        assert kind == "--ro-bind", src
        assert src in allowed or ".venv" in src, src  # the venv's site-packages, bound at /venv
    assert not any("solutions" in src for _, src, _ in binds)
    writable = {src for kind, src, _ in binds if kind == "--bind"}
    assert writable == {str(folders[name]) for name in ("work", "home", "tmp", "shm", "conn")}
    pairs = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setenv"}
    assert set(pairs) == set(sandbox.Sandbox.environment()) and pairs["PYTHONPATH"] == "/course"


def test_no_sandbox_available_refuses_and_says_how(monkeypatch, tmp_path, capsys):
    from armscontrol.__main__ import main

    sandbox.check.cache_clear()
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: None)
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
            sandbox.check()
        (tmp_path / "subs").mkdir()
        status = main(["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                       "--solutions", str(FIXTURES / "solutions")])
        err = capsys.readouterr().err
        assert status == 1 and "--no-sandbox" in err and "not installed" in err
        assert not (tmp_path / "out").exists()
        monkeypatch.setattr(sandbox.platform, "system", lambda: "Darwin")
        with pytest.raises(sandbox.SandboxUnavailable, match="Darwin, not Linux"):
            sandbox.check()
    finally:
        sandbox.check.cache_clear()


def test_links_and_outside_files_are_refused_without_opening(tmp_path):
    key = tmp_path / "key"
    key.mkdir()
    (key / "01_fixture.ipynb").write_text('{"cells": []}')
    subs = tmp_path / "subs"
    (subs / "ann").mkdir(parents=True)
    (subs / "ann" / "01_fixture.ipynb").symlink_to(key / "01_fixture.ipynb")
    (subs / "bob").symlink_to(key, target_is_directory=True)
    (subs / "cy").mkdir()
    os.link(key / "01_fixture.ipynb", subs / "cy" / "01_fixture.ipynb")
    found, _ = collect.find_submissions(subs, ["01_fixture"])
    by_student = {s.student: s for s in found}
    assert by_student["ann"].refused and "symbolic link" in by_student["ann"].refused
    assert by_student["bob"].refused and "folder is a symbolic link" in by_student["bob"].refused
    assert by_student["cy"].refused is None
    forbidden = collect.file_ids(key)
    with pytest.raises(collect.Refused, match="hard link"):
        collect.read_submission(by_student["cy"], subs, 10_000, forbidden)
    with pytest.raises(collect.Refused, match="symbolic link"):
        collect.read_submission(by_student["ann"], subs, 10_000, forbidden)
    outside = collect.Submission("eve", str(key / "01_fixture.ipynb"), "eve/01_fixture.ipynb", None)
    with pytest.raises(collect.Refused, match="outside the submissions folder"):
        collect.read_submission(outside, subs, 10_000)
    (subs / "dan").mkdir()
    (subs / "dan" / "01_fixture.ipynb").write_text("x" * 100)
    dan = collect.Submission("dan", str(subs / "dan" / "01_fixture.ipynb"), "dan/01_fixture.ipynb", None)
    with pytest.raises(ValueError, match="limit"):
        collect.read_submission(dan, subs, 10)
    assert collect.read_submission(dan, subs, 1000) == b"x" * 100
