"""Extract pages in a child process that stops any page after a few seconds of CPU.

A page that passes the structural limits (extract.limits) can still keep lxml, trafilatura
or htmldate busy for minutes inside one C call, which no Python-level timeout (signal alarm,
thread) interrupts. So pages are extracted by a child process (``python -m extract.worker``)
that, before each page, lowers its own soft ``RLIMIT_CPU`` to the CPU time it has used plus
``cpu_seconds``: the kernel stops it (SIGXCPU) in the middle of whatever it is doing. The page
is recorded as ``status=error, reason=timeout`` and a fresh worker takes the next page.

CPU time, not wall-clock time, is the budget, so a busy machine does not turn slow pages into
timeouts; a wall-clock limit (``wall_seconds``) still covers a worker that hangs without
using CPU. The worker dies with its parent (crosspost.children).
"""

from __future__ import annotations

import gc
import logging
import math
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import time

from crosspost.common import children

PAGE_CPU_SECONDS = 5
WALL_SECONDS = 120
_HEADER = struct.Struct("!Q")

log = logging.getLogger(__name__)


class WorkerDied(Exception):
    """The worker process ended in the middle of a page (``reason`` says how)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PageWorker:
    """One extraction child process, started on first use and again after a page killed it.

    ``extract(body, url, **kwargs)`` takes extract_page's arguments and never raises for a
    bad page: a page over the limit gives a record with ``status=error, reason=timeout``.
    """

    def __init__(self, cpu_seconds: int = PAGE_CPU_SECONDS, wall_seconds: float = WALL_SECONDS):
        self.cpu_seconds, self.wall_seconds = cpu_seconds, wall_seconds
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> PageWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def extract(self, body: bytes | str, url: str, **kwargs) -> dict:
        """extract_page(body, url, **kwargs), run in the worker under the page's time limit."""
        try:
            return self._call((body, url, kwargs, self.cpu_seconds))
        except WorkerDied as died:
            log.warning("%s not extracted: %s", url, died)
            return _failed_record(url, kwargs, died.reason)

    def close(self) -> None:
        """End the worker (it exits when its input closes; killed if it does not)."""
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            children.kill_tree(proc)
        proc.stdout.close()

    def _call(self, message) -> dict:
        if self._proc is None:
            self._proc = children.popen([sys.executable, "-m", "extract.worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        try:
            _send(self._proc.stdin, message)
            return _receive(self._proc.stdout, time.monotonic() + self.wall_seconds)
        except (WorkerDied, OSError, EOFError) as exc:  # OSError: a broken pipe to a dead worker
            raise WorkerDied(self._reap(exc)) from None
        except BaseException:
            self._kill()
            raise

    def _reap(self, exc: BaseException) -> str:
        """Why the worker died; it is gone afterwards (the next page starts a new one)."""
        wall_timeout = isinstance(exc, WorkerDied)
        proc = self._kill()
        if wall_timeout or proc.returncode == -signal.SIGXCPU:
            return "timeout"
        return "worker_crashed"

    def _kill(self) -> subprocess.Popen:
        proc, self._proc = self._proc, None
        assert proc is not None
        children.kill_tree(proc)
        for pipe in (proc.stdin, proc.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        return proc


def _failed_record(url: str, kwargs: dict, reason: str) -> dict:
    from crosspost.common.records import new_record

    fields = {k: v for k, v in kwargs.items() if k != "crawl_date"}
    return new_record(url=url, status="error", reason=reason, **fields)


def _send(pipe, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _receive(pipe, deadline: float):
    size = _HEADER.unpack(_read(pipe, _HEADER.size, deadline))[0]
    return pickle.loads(_read(pipe, size, deadline))


def _read(pipe, size: int, deadline: float) -> bytes:
    chunks, left = [], size
    while left:
        wait = None if deadline == math.inf else max(0.0, deadline - time.monotonic())
        if not select.select([pipe], [], [], wait)[0]:
            raise WorkerDied("timeout")  # wall-clock limit: the worker is stuck
        chunk = os.read(pipe.fileno(), min(left, 1 << 20))
        if not chunk:
            raise EOFError("worker exited")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- the child side

def _limit_cpu(seconds: int) -> None:
    """Let this process use ``seconds`` more CPU seconds (whole seconds: the kernel's unit)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + seconds
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def serve(inp, out) -> None:
    """Extract each page read from ``inp``, write each record to ``out``, until ``inp`` closes."""
    from extract.page import extract_page

    # The imported libraries are ~90k objects that live as long as this process: out of the
    # cyclic collector's sight, its full collections stop rescanning them (~2% of a page's time).
    gc.freeze()
    while True:
        try:
            body, url, kwargs, cpu_seconds = _receive(inp, math.inf)
        except EOFError:
            return
        _limit_cpu(cpu_seconds)
        _send(out, extract_page(body, url, **kwargs))


def main() -> None:
    """Child entry point: the protocol runs on private copies of stdin and stdout, and fd 1
    points at stderr, so nothing a library prints can corrupt it."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))  # SIGXCPU dumps core
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
