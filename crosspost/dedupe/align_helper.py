"""A second process that signs batches of texts and aligns batches of copies while this one does
too (``crosspost run``: the stages after extraction run in one process, and the machine's other
cores would sit idle).

The helper is a child (``crosspost.common.children``: it dies with this process) started with
``python -m crosspost.dedupe.align_helper``, early, so that its imports overlap the clustering.
Batches are shared by work stealing: this process takes them from the start, a thread that
feeds the helper takes them from the end, one batch in flight at a time (strict alternation on
the pipes: neither side can block the other). The batches' texts reach the helper once, in a
file; the pipes carry only batch numbers and results. If the helper dies or fails, the batches it did
not return are aligned here: the result never depends on it.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crosspost.common.children import kill_tree, owned_tempdir, popen

log = logging.getLogger(__name__)

# How long the helper's batch may take after this process has done all the others (one batch of
# 128 copies takes well under a second): past that it is stopped or stuck, and is killed.
STUCK_S = 60.0


class AlignHelper:
    """The helper process; a context manager (the process and its folder end with the block)."""

    def __init__(self) -> None:
        self._exit = contextlib.ExitStack()
        self.folder = self._exit.enter_context(owned_tempdir("align-"))
        self.proc = popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def __enter__(self) -> AlignHelper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Ask the helper to end (end of input), make sure it has, and remove its folder."""
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=5)
        except Exception:  # a broken pipe, a helper that does not end: it is killed either way
            pass
        kill_tree(self.proc)
        self.proc.stdout.close()  # type: ignore[union-attr]
        self._exit.close()

    def share(self, job: Callable[..., Any], items: list[Any]) -> None:
        """Give the helper ``job`` (a module-level function) and every item it may be asked to do.
        They go through a file: a pipe passes 64 KiB at a time, and the thread writing it would
        wait for the interpreter lock after each piece while this process computes."""
        path = self.folder / "items.pickle"
        path.write_bytes(pickle.dumps((job, items), protocol=pickle.HIGHEST_PROTOCOL))
        self._ask(("share", str(path)))

    def run(self, i: int) -> Any:
        """``job(*items[i])`` in the helper."""
        return self._ask(("run", i))

    def _ask(self, request: tuple[str, Any]) -> Any:
        pickle.dump(request, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        ok, value = pickle.load(self.proc.stdout)  # type: ignore[arg-type]
        if not ok:
            raise RuntimeError(f"the alignment helper failed: {value}")
        return value


def shared(job: Callable[..., Any], items: list[Any], helper: AlignHelper | None) -> list[Any]:
    """``[job(*item) for item in items]``, the items taken from both ends: here from the start,
    by ``helper`` (if any) from the end; whatever the helper could not do is done here."""
    done: dict[int, Any] = {}
    bounds, lock = [0, len(items)], threading.Lock()

    def claim(low: bool) -> int | None:  # the next item at the start (low) or at the end; None: none left
        with lock:
            if bounds[0] >= bounds[1]:
                return None
            if low:
                bounds[0] += 1
                return bounds[0] - 1
            bounds[1] -= 1
            return bounds[1]

    def feed() -> None:
        try:
            helper.share(job, items)  # type: ignore[union-attr]
            while (i := claim(False)) is not None:
                done[i] = helper.run(i)  # type: ignore[union-attr]
        except Exception as exc:  # the helper died or failed: its claimed item is redone below
            log.warning("alignment helper stopped (%s): the rest is aligned in the main process", exc)

    feeder = threading.Thread(target=feed, name="align-helper", daemon=True) if helper and len(items) > 1 else None
    if feeder:
        feeder.start()
    while (i := claim(True)) is not None:
        done[i] = job(*items[i])
    if feeder:
        feeder.join(STUCK_S)
        if feeder.is_alive():  # a helper stopped or stuck in its batch: end it, its batch is redone here
            log.warning("alignment helper gave no answer in %.0f s: stopped", STUCK_S)
            kill_tree(helper.proc)  # type: ignore[union-attr]
            feeder.join()
    return [done[i] if i in done else job(*items[i]) for i in range(len(items))]


def main() -> None:
    """The helper's loop: a pickled request in, ``(True, result)`` or ``(False, error)`` out."""
    import crosspost.dedupe.align  # noqa: F401  # the jobs' module: imported now, while the main process clusters

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    job, items = None, []
    reply: tuple[bool, Any]
    while True:
        try:
            kind, arg = pickle.load(stdin)
        except EOFError:
            return
        try:
            if kind == "share":
                job, items = pickle.loads(Path(arg).read_bytes())
                reply = (True, None)
            else:
                reply = (True, job(*items[arg]))  # type: ignore[misc]
        except Exception as exc:  # reported to the main process, which does the item itself
            reply = (False, repr(exc))
        pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    main()
