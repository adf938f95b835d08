"""The operating-system sandbox each submission's kernel runs in: bubblewrap, limits, availability.

On Linux the kernel is started as ``bwrap ... /venv/bin/python -c LAUNCH ... -f CONNECTION_FILE``
(Debian's ``bubblewrap`` package). Inside the sandbox the student's code sees:

* a read-only view of the interpreter (``/usr``, the Python installation) and of the
  environment's ``site-packages`` (at ``/venv/lib/pythonX.Y/site-packages``, not at its real
  path: a virtual environment inside the module folder is not revealed);
* the ``armscontrol`` package and ``data/`` read-only at ``/course/armscontrol`` and
  ``/course/data`` -- and nothing else of the module folder: no ``solutions/``, no teacher docs,
  no submissions, no home folder;
* writable only its throwaway working folder ``/course/exercises`` (the kernel's working
  folder), ``/tmp``, ``/dev/shm``, ``HOME=/home/student`` and the folder of its sockets, all
  folders on the grader's disk that are deleted after grading; the root and ``/dev`` are
  read-only (bubblewrap makes them in memory: writable, they could fill it);
* no network (a new network namespace with nothing in it, not even the host's loopback);
* its own process namespace: the kernel and everything it starts die when the sandbox's first
  process dies, which happens when the grader kills the kernel or itself dies
  (``--die-with-parent``); ``--new-session`` detaches it from the grader's terminal;
* a scrubbed environment (``--clearenv``, then a dozen fixed variables: no secret of the
  teacher's environment reaches it);
* user ``nobody`` (uid 65534) in a user namespace, with no capabilities;
* resource limits set by the kernel's first line of Python before ipykernel is imported
  (``setrlimit``, inherited by every process it starts and impossible to raise afterwards):
  ``RLIMIT_AS`` = the memory cap (default 2 GiB, like Binder), ``RLIMIT_CPU`` = the CPU-time cap
  (soft limit, then ``SIGKILL`` two seconds later), ``RLIMIT_FSIZE`` = the largest file it may
  write, ``RLIMIT_CORE`` = 0.

Why ``setrlimit`` in the launch line and not a ``preexec_fn`` or the ``prlimit`` program: a
``preexec_fn`` is unsafe in a process with threads (the grader's asyncio machinery), ``prlimit``
would also limit bubblewrap itself, and the interpreter being launched anyway costs nothing more.
The limits are per process (``RLIMIT_AS`` is address space, which is at least the memory used),
not per sandbox: cgroups would cap the total, but need a delegated cgroup tree that neither a
plain Debian machine's root nor CI provides without systemd.

The kernel talks to the grader over jupyter_client's ``ipc`` transport: Unix sockets in a folder
bound into the sandbox at the same path as outside (the connection file names the socket paths).
"""
from __future__ import annotations

import functools
import os
import platform
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from armscontrol import ROOT

#: Default memory cap for a submission's kernel, in bytes (2 GiB, Binder's default).
DEFAULT_MEMORY_BYTES = 2 * 1024 ** 3
#: The largest file a submission may write, in bytes.
MAX_WRITTEN_FILE_BYTES = 200 * 1024 ** 2
#: Where the pieces appear inside the sandbox.
COURSE = "/course"
WORKDIR = f"{COURSE}/exercises"
HOME = "/home/student"
VENV = "/venv"
#: The user inside the sandbox (nobody).
UID = 65534

HOW_TO_GET_ONE = (
    "Grading runs every submission in a bubblewrap sandbox, and none is available here: {why}. "
    "On Debian or Ubuntu: `sudo apt-get install bubblewrap` (on Fedora: `sudo dnf install "
    "bubblewrap`). If bwrap is installed but fails, the system does not let programs make user "
    "namespaces: in a container, allow them (Docker: `--security-opt seccomp=unconfined`) or "
    "grade on the host; on Ubuntu 23.10 and later, AppArmor restricts them (see the sysctl "
    "kernel.apparmor_restrict_unprivileged_userns). macOS and Windows have no bubblewrap: "
    "grade in a Linux virtual machine. To grade anyway, with student code "
    "running as your user with your files, environment and network, pass --no-sandbox (only for "
    "notebooks you trust).")

# The first Python the kernel runs: set the limits, then become ipykernel. Arguments:
# memory bytes, CPU seconds (0 = none), file-size bytes, then ipykernel's own arguments.
LAUNCH = """\
import resource, runpy, sys
memory, cpu, fsize = (int(sys.argv.pop(1)) for _ in range(3))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
if cpu:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
sys.argv[0] = "ipykernel_launcher"
runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
"""


class SandboxUnavailable(RuntimeError):
    """No sandbox can be made on this machine; the message says why and how to get one."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission's kernel.

    ``memory_bytes``: address-space cap per process. ``cpu_seconds``: CPU-time cap per process,
    or None for "the per-cell timeout times the number of cells, plus 30 s" (never shorter than
    the wall-clock limits already allow a single-threaded kernel).
    """
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    cpu_seconds: int | None = None

    def cpu_for(self, timeout: float, cells: int) -> int:
        """The CPU-time cap in whole seconds for a notebook of ``cells`` cells."""
        if self.cpu_seconds is not None:
            return max(1, int(self.cpu_seconds))
        return int(timeout * cells) + 30


@dataclass(frozen=True)
class PythonLayout:
    """How the grader's interpreter appears in the sandbox.

    ``mounts``: (host path, sandbox path) pairs bound read-only; ``python``: the interpreter's
    path inside; ``pyvenv_home``: the ``home`` line of a pyvenv.cfg to write at /venv (None
    outside a virtual environment).
    """
    mounts: tuple[tuple[str, str], ...]
    python: str
    pyvenv_home: str | None


def python_layout() -> PythonLayout:
    """Describe the running interpreter's installation for :func:`bwrap_argv`.

    In a virtual environment its ``site-packages`` is bound at ``/venv/lib/pythonX.Y/site-packages``
    and ``/venv/bin/python`` links to the base interpreter, with a ``pyvenv.cfg``, so Python sets
    itself up exactly as in the venv. The base installation is bound at its own path (its
    libraries are found relative to it) unless it is under ``/usr``, which is bound anyway.
    """
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    base = Path(sys.base_prefix).resolve()
    mounts = [] if _under(base, Path("/usr")) else [(str(base), str(base))]
    executable = Path(sys.executable).resolve()
    if sys.prefix == sys.base_prefix:
        return PythonLayout(tuple(mounts), str(executable), None)
    prefix = Path(sys.prefix).resolve()
    packages = [Path(p) for p in site.getsitepackages() if _under(Path(p).resolve(), prefix)]
    for i, path in enumerate(packages[:2]):
        name = "site-packages" if i == 0 else "site-packages-2"
        mounts.append((str(path.resolve()), f"{VENV}/lib/{version}/{name}"))
    return PythonLayout(tuple(mounts), str(executable), str(executable.parent))


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass(frozen=True)
class Sandbox:
    """A bubblewrap sandbox for grading: where bwrap is, the limits, and the module folder.

    ``root``: the module folder whose ``armscontrol/`` and ``data/`` are bound read-only.
    """
    bwrap: str = "/usr/bin/bwrap"
    limits: Limits = Limits()
    root: str = str(ROOT)

    def prepare(self, folder: Path) -> dict[str, Path]:
        """Make the throwaway folders the sandbox binds, under ``folder``; returns them by name.

        ``work``, ``home``, ``tmp`` and ``shm`` are writable inside; ``conn`` holds the connection file
        and sockets; ``etc`` holds a minimal passwd and group; ``venv`` a pyvenv.cfg.
        """
        names = {name: folder / name for name in ("work", "home", "tmp", "shm", "conn", "etc", "venv")}
        for path in names.values():
            path.mkdir(parents=True, exist_ok=True)
        (names["etc"] / "passwd").write_text(f"student:x:{UID}:{UID}:student:{HOME}:/bin/sh\n")
        (names["etc"] / "group").write_text(f"student:x:{UID}:\n")
        layout = python_layout()
        if layout.pyvenv_home:
            (names["venv"] / "pyvenv.cfg").write_text(
                f"home = {layout.pyvenv_home}\ninclude-system-site-packages = false\n"
                f"version = {'.'.join(map(str, sys.version_info[:3]))}\n")
        return names

    def argv(self, folders: dict[str, Path], python_args: list[str]) -> list[str]:
        """The whole command line: bwrap with its mounts and options, then the sandboxed python.

        ``python_args`` follow the interpreter (its path inside the sandbox is chosen here).
        """
        layout = python_layout()
        root = Path(self.root)
        args = [self.bwrap, "--unshare-all", "--unshare-user", "--uid", str(UID), "--gid", str(UID),
                "--hostname", "sandbox", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--clearenv"]
        for name, value in self.environment().items():
            args += ["--setenv", name, value]
        args += ["--ro-bind", "/usr", "/usr"]
        for link in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            target = Path("/") / link
            if target.is_symlink():
                args += ["--symlink", os.readlink(target), f"/{link}"]
            elif target.is_dir():
                args += ["--ro-bind", str(target), f"/{link}"]
        for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives",
                     "fonts", "mime.types", "ssl/openssl.cnf"):
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        args += ["--ro-bind", str(folders["etc"] / "passwd"), "/etc/passwd",
                 "--ro-bind", str(folders["etc"] / "group"), "/etc/group"]
        for host, inside in layout.mounts:
            args += ["--ro-bind", host, inside]
        python = layout.python
        if layout.pyvenv_home:
            args += ["--ro-bind", str(folders["venv"] / "pyvenv.cfg"), f"{VENV}/pyvenv.cfg",
                     "--symlink", layout.python, f"{VENV}/bin/python"]
            python = f"{VENV}/bin/python"
        args += ["--ro-bind", str(root / "armscontrol"), f"{COURSE}/armscontrol"]
        if (root / "data").is_dir():
            args += ["--ro-bind", str(root / "data"), f"{COURSE}/data"]
        args += ["--bind", str(folders["work"]), WORKDIR,
                 "--bind", str(folders["home"]), HOME,
                 "--bind", str(folders["tmp"]), "/tmp",
                 "--bind", str(folders["conn"]), str(folders["conn"]),
                 "--proc", "/proc", "--dev", "/dev",
                 "--bind", str(folders["shm"]), "/dev/shm",  # on disk, not in memory
                 "--remount-ro", "/dev", "--remount-ro", "/",
                 "--chdir", WORKDIR, "--", python]
        return args + python_args

    @staticmethod
    def environment() -> dict[str, str]:
        """The only environment variables the sandboxed kernel gets."""
        return {"PATH": f"{VENV}/bin:/usr/local/bin:/usr/bin:/bin", "HOME": HOME,
                "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
                "PYTHONPATH": COURSE, "PYTHONDONTWRITEBYTECODE": "1",
                "IPYTHONDIR": f"{HOME}/.ipython", "MPLCONFIGDIR": f"{HOME}/.matplotlib",
                "MPLBACKEND": "Agg", "JUPYTER_RUNTIME_DIR": f"{HOME}/.runtime",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1"}

    def kernel_argv(self, folders: dict[str, Path], cpu_seconds: int) -> list[str]:
        """The kernel's command line with jupyter_client's ``{connection_file}`` placeholder."""
        limits = [str(self.limits.memory_bytes), str(cpu_seconds), str(MAX_WRITTEN_FILE_BYTES)]
        return self.argv(folders, ["-c", LAUNCH, *limits, "-f", "{connection_file}"])


def find_bwrap() -> str | None:
    """Path of the bubblewrap program, or None."""
    return shutil.which("bwrap") or ("/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)


@functools.lru_cache(maxsize=4)
def check(root: str = str(ROOT), limits: Limits = Limits()) -> Sandbox:
    """Return a working :class:`Sandbox`, or raise :class:`SandboxUnavailable` saying how to get one.

    Tries the real thing: the interpreter, in the sandbox as a kernel would get it, imports the
    ``armscontrol`` package from ``/course`` (about 0.1 s).
    """
    import tempfile

    if platform.system() != "Linux":
        raise SandboxUnavailable(HOW_TO_GET_ONE.format(why=f"this is {platform.system()}, not Linux"))
    bwrap = find_bwrap()
    if bwrap is None:
        raise SandboxUnavailable(HOW_TO_GET_ONE.format(why="the `bwrap` program is not installed"))
    sandbox = Sandbox(bwrap, limits, root)
    with tempfile.TemporaryDirectory(prefix="armscontrol-sandbox-check-") as tmp:
        folders = sandbox.prepare(Path(tmp))
        probe = "import armscontrol, sys; print(armscontrol.ROOT)"
        try:
            done = subprocess.run(sandbox.argv(folders, ["-c", probe]), capture_output=True,
                                  text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
        except (OSError, subprocess.TimeoutExpired) as err:
            raise SandboxUnavailable(HOW_TO_GET_ONE.format(why=f"bwrap could not run ({err})")) from err
        if done.returncode != 0 or done.stdout.strip() != COURSE:
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise SandboxUnavailable(HOW_TO_GET_ONE.format(
                why=f"bwrap failed to start a sandbox (exit status {done.returncode}: {detail})"))
    return sandbox
