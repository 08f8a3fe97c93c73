"""A night's progress on the terminal: sites done / running / failed and pages fetched.

Pages fetched count as they are fetched (the crawl reports its count while it runs, see
``crawler.fetch_count``), not only when a site ends. On a terminal one line is
redrawn in place at every change; otherwise (a log file, CI) every start and end is printed
as its own line, and a change of the page count alone at most every ``every_s`` seconds, so
the record reads top to bottom without flooding it.
"""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    """Counts per-site outcomes and shows them on ``stream`` (stderr by default)."""

    def __init__(self, total: int, *, label: str = "sites", pages_label: str = "pages fetched", stream=None,
                 every_s: float = 10.0):
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total, self.label, self.pages_label, self.every_s = total, label, pages_label, every_s
        self.running: dict[str, int] = {}  # site -> pages fetched so far
        self.done = self.failed = self.pages = 0
        self.failed_sites: list[str] = []
        self.started = self.last_line = time.monotonic()
        self._lock = threading.Lock()  # a ticking thread may report pages while a site ends

    def start(self, site: str) -> None:
        """A worker began ``site``."""
        with self._lock:
            self.running[site] = 0
            self._show(f"{site} started")

    def fetched(self, site: str, pages: int) -> None:
        """``site``, still running, has fetched ``pages`` pages so far."""
        with self._lock:
            if site not in self.running or self.running[site] == pages:
                return
            self.running[site] = pages
            if self.live or time.monotonic() - self.last_line >= self.every_s:
                self._show(f"{site} {pages} {self.pages_label}")

    def finish(self, site: str, ok: bool, pages: int = 0, reason: str | None = None) -> None:
        """``site`` ended, well or not (``reason``), after fetching ``pages`` pages."""
        with self._lock:
            self.running.pop(site, None)
            self.done += 1
            self.pages += pages
            if not ok:
                self.failed += 1
                self.failed_sites.append(f"{site} ({reason})" if reason else site)
            self._show(f"{site} {'done' if ok else 'FAILED'}")

    def line(self) -> str:
        """The current counts in one line."""
        pages = self.pages + sum(self.running.values())
        return (f"{self.label} {self.done}/{self.total} done, {len(self.running)} running, {self.failed} failed, "
                f"{pages} {self.pages_label}, {time.monotonic() - self.started:.0f}s")

    def _show(self, event: str) -> None:
        if self.live:  # redraw one line: carriage return, clear to the end of the line
            self.stream.write(f"\r\x1b[K{self.line()} ({event})")
        else:
            self.stream.write(f"{self.line()} ({event})\n")
        self.stream.flush()
        self.last_line = time.monotonic()

    def close(self) -> None:
        """End the live line and name the failed sites, if any."""
        with self._lock:
            if self.live:
                self.stream.write("\n")
            if self.failed_sites:
                self.stream.write(f"{self.failed} of {self.total} {self.label} failed: "
                                  f"{', '.join(self.failed_sites)} (see the log; the manifests mark them missing)\n")
            self.stream.flush()
