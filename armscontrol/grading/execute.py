"""Step 3: run the graded notebook in a fresh kernel, with per-cell timeouts and an output cap.

With a :class:`~armscontrol.grading.sandbox.Sandbox` the kernel runs under bubblewrap (see
:mod:`armscontrol.grading.sandbox`) and talks to the grader over Unix sockets; without one
(``--no-sandbox``) it runs as the teacher's user in a temporary folder holding copies of
``armscontrol/`` and ``data/``. Either way an interrupted endless loop lets the rest run, and a
kernel that ignores the interrupt is killed.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from armscontrol import ROOT
from armscontrol.grading.assemble import Cell, state_cell
from armscontrol.grading.sandbox import Sandbox

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _make_client_class():
    """Define the nbclient subclass lazily so importing this module stays light."""
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """An nbclient that watches grader cells' stdout for tokens and caps the output it keeps."""

        def __init__(self, nb, *, tokens_by_cell, max_output_bytes, **kwargs):
            super().__init__(nb, on_cell_executed=self._record_reply, **kwargs)
            self.tokens_by_cell = tokens_by_cell  # {cell index: [token, ...]}
            self.seen: dict[int, list[str]] = {}  # cell index -> stdout lines holding a token
            self._carry: dict[int, str] = {}      # cell index -> unfinished last line
            self.replies: dict[int, dict] = {}    # cell index -> execute_reply content
            self.max_output_bytes = max_output_bytes
            self.output_bytes = 0
            self.capped_at: int | None = None

        def _record_reply(self, cell, cell_index, execute_reply):
            self.replies[cell_index] = (execute_reply or {}).get("content", {})

        def _watch(self, cell_index: int, text: str) -> None:
            tokens = self.tokens_by_cell[cell_index]
            lines = (self._carry.get(cell_index, "") + text).split("\n")
            self._carry[cell_index] = lines.pop()[-200_000:]
            found = self.seen.setdefault(cell_index, [])
            for line in lines:
                if len(found) < 100 and any(token in line for token in tokens):
                    found.append(line)

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            kind = msg.get("msg_type")
            if kind == "stream":
                text = content.get("text", "")
                if cell_index in self.tokens_by_cell:
                    self._watch(cell_index, text)
                    return None  # grader cells keep no stream output
                size = len(text)
            elif kind == "error":
                content["traceback"] = [str(line)[:2_000] for line in content.get("traceback", [])[-30:]]
                content["evalue"] = str(content.get("evalue", ""))[:10_000]
                return super().output(outs, msg, display_id, cell_index)
            else:
                data = content.get("data", {})
                size = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())
            self.output_bytes += size
            if self.output_bytes > self.max_output_bytes:
                if self.capped_at is None:
                    self.capped_at = cell_index
                return None
            return super().output(outs, msg, display_id, cell_index)

        def token_lines(self) -> dict[int, list[str]]:
            """Lines holding a token, per grader cell (including an unfinished last line)."""
            for index, rest in self._carry.items():
                if rest and any(token in rest for token in self.tokens_by_cell[index]):
                    self.seen.setdefault(index, []).append(rest)
            return self.seen

    return CappedClient


def _snapshot(folders: dict[str, Path]) -> dict[tuple[str, str], tuple[int, int]]:
    """{(folder name, relative path): (size, mtime_ns)} of the files under each of ``folders``."""
    files = {}
    for name, folder in folders.items():
        for dirpath, _, filenames in os.walk(folder):
            for filename in filenames:
                path = Path(dirpath) / filename
                try:
                    info = path.lstat()
                except OSError:
                    continue
                files[(name, path.relative_to(folder).as_posix())] = (info.st_size, info.st_mtime_ns)
    return files


def _kill_group(pgid: int | None) -> None:
    """Kill a kernel's process group (the kernel and anything it started); never our own group."""
    if pgid and pgid != os.getpgid(0):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _error_text(output: dict) -> str:
    """'Name: message' of an error output, without colour codes, at most 300 characters."""
    text = f"{output.get('ename', 'Error')}: {_ANSI.sub('', str(output.get('evalue', '')))}".strip()
    return text if len(text) <= 300 else text[:297] + "..."


def _notebook(cells: list[Cell], sandboxed: bool) -> tuple[Any, dict[int, list[str]]]:
    """The nbformat notebook to run, and {cell index: tokens its stdout is watched for}."""
    import nbformat

    tokens_by_cell: dict[int, list[str]] = {}
    baseline_token, audit_token = secrets.token_hex(16), secrets.token_hex(16)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(cells):
        if cell.role == "baseline":
            cell.source, cell.tokens = state_cell(baseline_token, sandboxed), (baseline_token, baseline_token)
        elif cell.role == "audit":
            cell.source, cell.tokens = state_cell(audit_token, sandboxed), (audit_token, audit_token)
        if cell.tokens:
            tokens_by_cell[index] = list(cell.tokens)
        nb.cells.append(nbformat.v4.new_code_cell(cell.source))
    return nb, tokens_by_cell


def _sandboxed_manager(sandbox: Sandbox, folders: dict[str, Path], cpu_seconds: int):
    """An AsyncKernelManager that starts ipykernel inside ``sandbox``, over Unix sockets.

    Interrupts go as ``interrupt_request`` messages on the control channel (a signal to the
    bwrap process would not reach the kernel in its own session).
    """
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec

    km = AsyncKernelManager(transport="ipc", ip=str(folders["conn"] / "kernel"),
                            connection_file=str(folders["conn"] / "kernel.json"))
    km._kernel_spec = KernelSpec(argv=sandbox.kernel_argv(folders, cpu_seconds), language="python",
                                 display_name="Python 3 (grading sandbox)", interrupt_mode="message",
                                 env={})
    return km


def run_graded_cells(cells: list[Cell], timeout: float, max_output_bytes: int,
                     root: Path = ROOT, sandbox: Sandbox | None = None) -> dict:
    """Execute the graded cells in a fresh kernel, in a new throwaway folder.

    With ``sandbox``: under bubblewrap, ``root``'s ``armscontrol/`` and ``data/`` bound read-only
    (see :mod:`armscontrol.grading.sandbox`). Without: the folder holds copies of them and the
    kernel runs as the grader's user, with its environment. ``timeout`` is seconds per cell.
    Returns {"errors": {cell index: error text}, "seen": {cell index: token lines},
    "ran": number of cells run, "stopped": reason or None, "timeouts": [cell index],
    "capped_at": cell index or None, "files": list of changed paths,
    "exit": the kernel process's exit status when it died (negative: killed by that signal)}.
    """
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import DeadKernelError

    nb, tokens_by_cell = _notebook(cells, sandbox is not None)
    tmp = Path(tempfile.mkdtemp(prefix="armscontrol-grade-"))
    result: dict[str, Any] = {"errors": {}, "seen": {}, "ran": 0, "stopped": None, "timeouts": [],
                              "capped_at": None, "files": [], "exit": None}
    try:
        kwargs: dict[str, Any] = {}
        if sandbox is not None:
            folders = sandbox.prepare(tmp)
            watched = {"exercises": folders["work"], "/tmp": folders["tmp"], "/dev/shm": folders["shm"]}
            cpu = sandbox.limits.cpu_for(timeout, len(cells))
            result["cpu_seconds"] = cpu
            kwargs["km"] = _sandboxed_manager(sandbox, folders, cpu)
            workdir = folders["work"]
            env = {"PATH": "/usr/bin:/bin"}
        else:
            shutil.copytree(root / "armscontrol", tmp / "armscontrol",
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            if (root / "data").is_dir():
                shutil.copytree(root / "data", tmp / "data")
            workdir, home = tmp / "exercises", tmp / "home"
            workdir.mkdir()
            home.mkdir()
            watched = {"exercises": workdir, "../armscontrol": tmp / "armscontrol",
                       "../data": tmp / "data"}
            env = dict(os.environ)
            env.update(PYTHONPATH=str(tmp), HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
                       MPLCONFIGDIR=str(home / ".matplotlib"), MPLBACKEND="Agg",
                       PYTHONDONTWRITEBYTECODE="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
        before = _snapshot(watched)
        client = _make_client_class()(
            nb, tokens_by_cell=tokens_by_cell, max_output_bytes=max_output_bytes,
            timeout=timeout, interrupt_on_timeout=True, allow_errors=True,
            error_on_timeout={"ename": "Timeout", "evalue": f"the cell ran longer than {timeout:g} s",
                              "traceback": []},
            kernel_name="python3", shutdown_kernel="immediate", iopub_timeout=2,
            resources={"metadata": {"path": str(workdir)}}, **kwargs)
        killed = threading.Event()
        pgid = process = None

        def kill() -> None:
            killed.set()
            _kill_group(pgid)

        # A last resort if interrupts and the probe below both fail to stop a runaway kernel.
        watchdog = threading.Timer(timeout * (len(cells) + 2) + 30, kill)
        try:
            with client.setup_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
                pgid = getattr(client.km.provisioner, "pgid", None)
                process = getattr(client.km.provisioner, "process", None)
                watchdog.start()
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(cell, index)
                    except DeadKernelError:
                        result["stopped"] = "killed" if killed.is_set() else "died"
                        result["stopped_at"] = index
                        if process is not None:
                            try:
                                result["exit"] = process.wait(timeout=5)
                            except subprocess.TimeoutExpired:
                                pass
                        break
                    result["ran"] = index + 1
                    reply = client.replies.get(index, {})
                    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                    if reply.get("status") == "error" or errors:
                        source = reply if reply.get("ename") else errors[0] if errors else {}
                        result["errors"][index] = _error_text(source)
                    if reply.get("ename") == "Timeout":
                        result["timeouts"].append(index)
                        try:  # is the kernel back after the interrupt?
                            run_sync(client.kc.execute_interactive)(
                                "pass", timeout=min(10.0, timeout), store_history=False,
                                output_hook=lambda msg: None)
                        except Exception:
                            result["stopped"] = "unresponsive"
                            result["stopped_at"] = index + 1
                            kill()
                            break
        finally:
            watchdog.cancel()
            _kill_group(pgid)
            if process is not None:  # reap it (the worker process lives on: no zombies)
                try:
                    process.wait(timeout=5)
                except (subprocess.TimeoutExpired, OSError):
                    pass
        result["seen"] = client.token_lines()
        result["capped_at"] = client.capped_at
        result["files"] = _describe_changes(before, _snapshot(watched))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _describe_changes(before: dict, after: dict) -> list[str]:
    """Describe file changes as the notebook saw them (paths relative to its working folder).

    Files in the working folder are listed one by one; elsewhere (``../data``, ``/tmp``) they
    are counted per folder. Returns phrases like ``"wrote notes.txt"``, sorted.
    """
    phrases, counts = [], {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        action = "deleted" if key not in after else "wrote" if key not in before else "changed"
        folder, name = key
        if folder == "exercises":
            phrases.append(f"{action} {name}")
        else:
            counts[(action, folder)] = counts.get((action, folder), 0) + 1
    phrases += [f"{action} {n} file(s) in {folder}" for (action, folder), n in sorted(counts.items())]
    return phrases
