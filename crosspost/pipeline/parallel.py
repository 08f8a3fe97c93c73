"""The per-site stages of a night in worker processes (``crosspost run --jobs N``).

Sites are independent until dedupe: each worker runs one site's crawl and extraction at a
time, so politeness (delay, concurrency per site) is the crawler's as before, and a night
lasts about as long as its slowest site instead of the sum of all sites.

Each stage of a site (crawl, then extract) has its own workers: the crawls, which mostly
wait on politeness, get ``--jobs`` processes, and extraction, which needs CPU, at most one
per CPU beside them, so a finished crawl's worker starts the next crawl at once instead of
extracting. Workers are our own ``multiprocessing`` processes, each fed one site at a time
through its own pipe, so the parent always knows which site a worker runs: a worker that
dies (killed, out of memory) costs only that site, and a fresh worker takes its place.
Workers are *spawned* (a fresh interpreter: no copy of the parent's threads, sockets or
locks) and die with the parent: on Linux the kernel sends them SIGTERM when the parent
dies (``PR_SET_PDEATHSIG``), and on SIGTERM a worker unwinds the running stage, which kills
its Scrapy child on the way out, then exits. Ctrl-C or SIGTERM in the parent stops every
worker the same way (``Process.terminate``, then ``kill`` after a grace period) before the
parent exits, so no process outlives the run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import wait

from crosspost.common.children import sweep_orphans
from crosspost.exceptions import Interrupted

log = logging.getLogger(__name__)

STOP_GRACE_S = 10.0  # how long stopped workers get to kill their crawl child and exit
TICK_S = 0.5  # how often the parent looks at the workers and calls ``tick`` when nothing happens
_PR_SET_PDEATHSIG = 1
_worker: dict = {}  # in a worker: whether it is stopping


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


WORKER_MEMORY = 400 * 2**20  # bytes one crawl worker and its Scrapy child may take (~250 MB measured)


def memory_bound_jobs() -> int:
    """The most crawls this machine's memory holds at once (``--jobs`` above it is lowered)."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not POSIX: no bound known
        return 1 << 16
    return max(1, memory // WORKER_MEMORY)


@dataclass(frozen=True)
class Stage:
    """One per-site stage: ``task(*args[site])``, a module-level function returning
    ``(ok, pages, reason)``, run for at most ``processes`` sites at once."""

    task: Callable
    processes: int


def map_sites(stages: list[Stage], sites: list[str], args: dict[str, tuple], jobs: int, progress, *,
              tick: Callable[[], None] | None = None, lost: Callable[[str], None] | None = None,
              temp_prefixes: tuple[str, ...] = ()) -> dict[str, bool]:
    """Run the ``stages`` for every site, in the order given; return site -> ok.

    A site goes through the stages in order and stops at the first that fails. With ``jobs``
    > 1, each stage has its own worker processes, so a site's next stage never waits for a
    worker of the previous one (e.g. the crawls, which wait on politeness, go on while the
    CPUs extract what was crawled); otherwise every stage runs here, one site after another.
    ``progress`` (a ``crosspost.pipeline.progress.Progress``) hears of every start and end;
    ``tick`` is called about every ``TICK_S`` while sites run (e.g. to show pages fetched so
    far); ``lost(site)`` after a worker died running ``site`` (e.g. to free what it held); the
    temp folders of ``temp_prefixes`` left by dead workers are removed at the end.
    """
    in_process = jobs <= 1 or len(sites) <= 1
    with _ticking(tick, in_process):
        if in_process:
            return {site: _in_process(stages, site, args[site], progress) for site in sites}
        with signals_as_interrupts():
            try:
                return _Pool(stages, len(sites), progress, tick, lost).run(sites, args)
            finally:
                for prefix in temp_prefixes:
                    sweep_orphans(prefix)


def _in_process(stages, site, args, progress) -> bool:
    progress.start(site)
    ok, pages, reason = True, 0, None
    for stage in stages:
        ok, more, reason = stage.task(*args)
        pages += more
        if not ok:
            break
    progress.finish(site, ok, pages, reason)
    return ok


@contextmanager
def _ticking(tick, in_process: bool):
    """In-process runs block the main thread: call ``tick`` from a thread instead."""
    if tick is None or not in_process:
        yield
        return
    stop = threading.Event()

    def run():
        while not stop.wait(TICK_S):
            tick()

    thread = threading.Thread(target=run, name="progress-tick", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class _Worker:
    """One worker process of one stage and the pipe it is fed through; ``site`` is what it runs now."""

    def __init__(self, ctx, stage: int, task):
        self.stage = stage
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(theirs, task, os.getpid(), logging.getLogger().level),
                                   name=f"crosspost-stage{stage}", daemon=False)
        self.process.start()
        theirs.close()
        self.site: str | None = None

    def give(self, site: str, args: tuple) -> None:
        self.conn.send((site, args))
        self.site = site

    def result(self):
        """The outcome of the running site, or None if the worker died without one."""
        try:
            return self.conn.recv() if self.conn.poll() else None
        except (EOFError, OSError):
            return None


class _Pool:
    def __init__(self, stages: list[Stage], sites: int, progress, tick, lost):
        self.ctx = multiprocessing.get_context("spawn")
        self.stages, self.progress = stages, progress
        self.limits = [max(1, min(stage.processes, sites)) for stage in stages]
        self.tick, self.lost = tick or (lambda: None), lost or (lambda site: None)
        self.workers: list[_Worker] = []
        self.todo: list[deque] = [deque() for _ in stages]
        self.pages: dict[str, int] = {}

    def run(self, sites: list[str], args: dict[str, tuple]) -> dict[str, bool]:
        self.todo[0].extend(sites)
        outcome: dict[str, bool] = {}
        try:
            while any(self.todo) or self._busy():
                self._hand_out(args)
                busy = self._busy()
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy], TICK_S)
                raise_received()  # a signal whose exception was dropped (see signals_as_interrupts)
                for worker in busy:
                    self._collect(worker, outcome)
                self.tick()
        except BaseException:
            self.stop()
            raise
        self._close()
        return outcome

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.site is not None]

    def _hand_out(self, args: dict) -> None:
        """Give each stage's waiting sites to its idle workers, starting workers up to its limit
        as they are first needed (a stage whose turn has not come costs no process yet)."""
        for stage, todo in enumerate(self.todo):
            for worker in [w for w in self.workers if w.stage == stage and w.site is None]:
                if todo and not worker.process.is_alive():  # died between two sites: nothing lost but itself
                    self._drop(worker)
                elif todo:
                    self._give(worker, todo.popleft(), args)
            while todo and len([w for w in self.workers if w.stage == stage]) < self.limits[stage]:
                worker = _Worker(self.ctx, stage, self.stages[stage].task)
                self.workers.append(worker)
                self._give(worker, todo.popleft(), args)

    def _give(self, worker: _Worker, site: str, args: dict) -> None:
        worker.give(site, args[site])
        if worker.stage == 0:
            self.progress.start(site)

    def _collect(self, worker: _Worker, outcome: dict) -> None:
        site, result = worker.site, worker.result()
        assert site is not None  # only busy workers are collected
        if result is None and worker.process.is_alive():
            return  # still running
        if result is None:  # the worker died: this site failed, the others go on
            code = worker.process.exitcode
            result = (False, 0, f"its worker process died (exit code {code})")
            log.error("site %s: worker process %s died with exit code %s", site, worker.process.pid, code)
            self._drop(worker)
            self.lost(site)
        worker.site = None
        ok, pages, reason = result
        self.pages[site] = self.pages.get(site, 0) + pages
        if ok and worker.stage + 1 < len(self.stages):
            self.todo[worker.stage + 1].append(site)
            return
        outcome[site] = ok
        self.progress.finish(site, ok, self.pages[site], reason)

    def _drop(self, dead: _Worker) -> None:
        """Forget a dead worker: the next site of its stage starts a new one."""
        dead.process.join()
        dead.conn.close()
        self.workers.remove(dead)

    def _close(self) -> None:
        """Every site done: close the pipes (each worker then returns) and reap the workers."""
        for worker in self.workers:
            worker.conn.close()
        self._join(self.workers)

    def stop(self) -> None:
        """SIGTERM every worker, wait for them to exit, SIGKILL the rest (their crawl children
        are gone by then: a worker kills its child before it exits)."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        self._join(self.workers)
        for worker in self.workers:
            worker.conn.close()

    @staticmethod
    def _join(workers: list[_Worker]) -> None:
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


_RECEIVED: list[int] = []  # the stop signals this process took while its pool ran


@contextmanager
def signals_as_interrupts():
    """SIGTERM in the parent raises ``Interrupted``, Ctrl-C KeyboardInterrupt, so the pool is
    stopped on the way out; only the main thread can take signals. Each signal is also
    recorded: Python drops an exception raised while the main thread runs a ``__del__`` or a
    callback of the garbage collector (a Ctrl-C was once lost so, by the look of it: a test's
    run went on to the end), and the pool's loop raises it again (raise_received), as the
    night's tail does between its stages (crosspost.pipeline.runner.run_tail)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _RECEIVED.clear()
    previous = {signum: signal.signal(signum, _raise_interrupted) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _RECEIVED.clear()


def _raise_interrupted(signum, frame):
    _RECEIVED.append(signum)
    raise_received()


def raise_received() -> None:
    """Raise what the first stop signal taken calls for (nothing if none was taken)."""
    if _RECEIVED:
        raise KeyboardInterrupt if _RECEIVED[0] == signal.SIGINT else Interrupted(_RECEIVED[0])


# ---------------------------------------------------------------- in the worker processes

def _serve(conn, task, parent_pid: int, level: int) -> None:
    """A worker's life: run each site the parent sends, send back its outcome, until the pipe closes."""
    _init_worker(parent_pid, level)
    while True:
        try:
            site, args = conn.recv()
        except EOFError:  # the parent is done with this worker
            return
        conn.send(_run_task(task, site, args))


def _init_worker(parent_pid: int, level: int) -> None:
    _die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group: the parent alone reacts and stops the workers
    # (a Python-level no-op, not SIG_IGN, so the crawl children keep their default handling).
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    signal.signal(signal.SIGTERM, _stop_worker)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel for SIGTERM when the parent dies (Linux); exit if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:
        os._exit(1)


def _stop_worker(signum, frame):
    # Raised wherever the worker is: subprocess.run kills the crawl child as it unwinds.
    _worker["stopping"] = True
    raise SystemExit(128 + signum)


def _run_task(task, site: str, args: tuple):
    try:
        return task(*args)
    except SystemExit:
        if _worker.get("stopping"):
            os._exit(128 + signal.SIGTERM)  # the stage has unwound; nothing to report back
        raise
    except Exception as exc:  # the task's own guard failed: still only this site
        log.exception("site %s: %s", site, exc)
        return False, 0, f"{type(exc).__name__}: {exc}"
