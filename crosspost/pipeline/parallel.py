"""The per-site stages of a night in worker processes (``crosspost run --jobs N``).

Sites are independent until dedupe: each worker runs one site's crawl and extraction at a
time, so politeness (delay, concurrency per site) is the crawler's as before, and a night
lasts about as long as its slowest site instead of the sum of all sites.

Workers are *spawned* (a fresh interpreter: no copy of the parent's threads, sockets or
locks) and die with the parent: on Linux the kernel sends them SIGTERM when the parent
dies (``PR_SET_PDEATHSIG``), and on SIGTERM a worker unwinds the running stage, which kills
its Scrapy child on the way out, then exits. Ctrl-C or SIGTERM in the parent stops every
worker the same way before the parent exits, so no process outlives the run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager

from crosspost.exceptions import Interrupted

log = logging.getLogger(__name__)

STOP_GRACE_S = 10.0  # how long stopped workers get to kill their crawl child and exit
_PR_SET_PDEATHSIG = 1
_worker: dict = {}  # in a worker: its event queue and whether it is stopping


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_sites(task, sites: list[str], args: dict[str, tuple], jobs: int, progress) -> dict[str, bool]:
    """Run ``task(*args[site])`` for every site, ``jobs`` at a time; return site -> ok.

    ``task`` is a module-level function returning ``(ok, pages)``; ``progress`` (a
    ``crosspost.pipeline.progress.Progress``) hears of every start and end.
    """
    if jobs <= 1 or len(sites) <= 1:
        return {site: _in_process(task, site, args[site], progress) for site in sites}
    with _signals_as_interrupts():
        return _in_pool(task, sites, args, min(jobs, len(sites)), progress)


def _in_process(task, site, args, progress) -> bool:
    progress.start(site)
    ok, pages = task(*args)
    progress.finish(site, ok, pages)
    return ok


def _in_pool(task, sites, args, jobs, progress) -> dict[str, bool]:
    ctx = multiprocessing.get_context("spawn")
    events = ctx.Queue()
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker,
                               initargs=(events, os.getpid(), logging.getLogger().level))
    outcome: dict[str, bool] = {}
    try:
        futures = {pool.submit(_run_task, task, site, args[site]): site for site in sites}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:  # ends first: a worker that ended A and began B says so in that order
                outcome[futures[future]] = _finish(future, futures[future], progress)
            _drain(events, progress, outcome)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return outcome


def _finish(future, site: str, progress) -> bool:
    try:
        ok, pages = future.result()
    except Exception as exc:  # the worker itself died (killed, out of memory): the site failed
        log.error("site %s: worker failed: %s: %s", site, type(exc).__name__, exc)
        ok, pages = False, 0
    progress.finish(site, ok, pages)
    return ok


def _drain(events, progress, ended: dict) -> None:
    while True:
        try:
            kind, site = events.get_nowait()
        except queue.Empty:
            return
        if kind == "start" and site not in ended:  # a site can begin and end between two looks
            progress.start(site)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker, wait for them to exit, SIGKILL the rest (their crawl children
    are gone by then: a worker kills its child before it exits)."""
    processes = list(getattr(pool, "_processes", {}).values())  # Python 3.14 has terminate_workers()
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join()
    pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _signals_as_interrupts():
    """SIGTERM in the parent raises ``Interrupted`` (as Ctrl-C raises KeyboardInterrupt), so
    the pool is stopped on the way out; only the main thread can take signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


# ---------------------------------------------------------------- in the worker processes

def _init_worker(events, parent_pid: int, level: int) -> None:
    _worker["events"] = events
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
    _worker["events"].put(("start", site))
    try:
        return task(*args)
    except SystemExit:
        if _worker.get("stopping"):
            os._exit(128 + signal.SIGTERM)  # the stage has unwound; nothing to report back
        raise
