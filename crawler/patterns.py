"""Site URL patterns (``allow``, ``deny``, ``article_pattern``) on a linear-time engine.

Python's ``re`` backtracks: ``(a+)+$`` against ``/aaaa…!`` takes exponential time and would
stall a crawl on one hostile URL. RE2 matches in time linear in the URL; it has no
backreferences or lookaround, so a pattern that needs them is refused when the sites file is
read, before any request goes out.
"""

from __future__ import annotations

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print its own parse errors to stderr; we raise ours


class PatternError(ValueError):
    """A URL pattern RE2 cannot compile (bad syntax, or a backtracking-only feature)."""


def compile_pattern(pattern: str):
    """``pattern`` compiled with RE2 (``.search(url)`` as with ``re``); PatternError if it cannot be."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if "perl operator" in reason or "escape sequence" in reason:
            reason += " (patterns run on RE2, which has no backreferences or lookaround)"
        raise PatternError(reason) from None
