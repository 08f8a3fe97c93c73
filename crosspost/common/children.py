"""Child processes and temporary folders that do not outlive the process that made them.

Crawls and page extraction run in child processes. Whatever way the parent ends, they end
with it: a child runs in its own process group, which the parent kills on every way out of
the call (an exception, Ctrl-C, SIGTERM once ``exit_on_sigterm`` turned it into SystemExit),
and asks the kernel to SIGKILL it when its parent dies (``PR_SET_PDEATHSIG``: covers
``kill -9`` of the parent, which runs no cleanup). Temporary folders carry their owner's
pid, so the next run removes those whose owner died without cleaning up.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_OWNED = re.compile(r"-(\d+)\.[a-z0-9_]+$")  # "<prefix><pid>.<random>", as owned_tempdir names them


def popen(cmd: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` for a child that dies with this process (see the module docstring)."""
    return subprocess.Popen(cmd, process_group=0, preexec_fn=_die_with(os.getpid()), **kwargs)


def _die_with(parent: int) -> Callable[[], None]:
    def setup() -> None:  # runs in the child between fork and exec: keep it to system calls
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)
    return setup


def kill_tree(proc: subprocess.Popen[Any]) -> None:
    """SIGKILL the child's process group (it and anything it started) and reap the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run(cmd: list[str], *, env: dict[str, str] | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(cmd, capture_output=True, text=True)`` whose child cannot outlive the call:
    on a timeout (TimeoutExpired), an exception or a signal in the parent, it is killed first."""
    with popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException:
            kill_tree(proc)
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def exit_on_sigterm(error: Callable[[int], BaseException] | None = None) -> None:
    """Turn SIGTERM (``timeout``, ``kill``, a container stop) into an exception (``error(signum)``,
    default SystemExit(143)), so that ``finally`` blocks and context managers run: children are
    killed, temp folders removed."""
    def handler(signum: int, frame: Any) -> None:
        raise error(signum) if error else SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def owned_tempdir(prefix: str) -> Iterator[Path]:
    """A temporary folder ``<prefix><pid>.<random>``, removed on exit; first removes the
    folders of this prefix whose owner process is gone (it was killed before its cleanup)."""
    sweep_orphans(prefix)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}.") as tmp:
        yield Path(tmp)


def sweep_orphans(prefix: str) -> list[Path]:
    """Remove the folders ``owned_tempdir(prefix)`` made for processes that no longer exist."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        owner = _OWNED.search(path.name)
        if owner and path.is_dir() and not path.is_symlink() and not _alive(int(owner.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
