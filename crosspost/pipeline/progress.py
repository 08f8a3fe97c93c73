"""A night's progress on the terminal: sites done / running / failed and pages fetched.

On a terminal one line is redrawn in place; otherwise (a log file, CI) every change is
printed as its own line, so the record reads top to bottom.
"""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts per-site outcomes and shows them on ``stream`` (stderr by default)."""

    def __init__(self, total: int, *, label: str = "sites", pages_label: str = "pages fetched", stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total, self.label, self.pages_label = total, label, pages_label
        self.running: set[str] = set()
        self.done = self.failed = self.pages = 0
        self.failed_sites: list[str] = []
        self.started = time.monotonic()

    def start(self, site: str) -> None:
        """A worker began ``site``."""
        self.running.add(site)
        self._show(f"{site} started")

    def finish(self, site: str, ok: bool, pages: int = 0) -> None:
        """``site`` ended, well or not, after fetching ``pages`` pages."""
        self.running.discard(site)
        self.done += 1
        self.pages += pages
        if not ok:
            self.failed += 1
            self.failed_sites.append(site)
        self._show(f"{site} {'done' if ok else 'FAILED'}")

    def line(self) -> str:
        """The current counts in one line."""
        return (f"{self.label} {self.done}/{self.total} done, {len(self.running)} running, {self.failed} failed, "
                f"{self.pages} {self.pages_label}, {time.monotonic() - self.started:.0f}s")

    def _show(self, event: str) -> None:
        if self.live:  # redraw one line: carriage return, clear to the end of the line
            self.stream.write(f"\r\x1b[K{self.line()} ({event})")
        else:
            self.stream.write(f"{self.line()} ({event})\n")
        self.stream.flush()

    def close(self) -> None:
        """End the live line and name the failed sites, if any."""
        if self.live:
            self.stream.write("\n")
        if self.failed_sites:
            self.stream.write(f"{self.failed} of {self.total} {self.label} failed: {', '.join(self.failed_sites)}"
                              " (see the log; the manifests mark them missing)\n")
        self.stream.flush()
