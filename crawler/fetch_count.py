"""The crawl's running count of article pages fetched, in a small file its parent reads while
the crawl runs (``crosspost run`` shows pages fetched as they come, not only when a site ends).

The file holds one whole number and is replaced atomically, so a reader never sees half of it;
it is rewritten at most every ``EVERY_S`` seconds, and once more at the end.
"""

from __future__ import annotations

import os
import time

EVERY_S = 1.0


class FetchCount:
    """Writes ``count`` to ``path`` (no file when ``path`` is empty), at most every ``EVERY_S``."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = os.fspath(path) if path else ""
        self.written_at = 0.0

    def update(self, count: int, *, force: bool = False) -> None:
        """Record ``count`` if the last write is old enough (or ``force``)."""
        now = time.monotonic()
        if not self.path or (not force and now - self.written_at < EVERY_S):
            return
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(str(count))
        os.replace(tmp, self.path)
        self.written_at = now


def read_count(path: str | os.PathLike) -> int | None:
    """The count last written to ``path``, or None if there is none yet."""
    try:
        with open(path, encoding="ascii") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return None
