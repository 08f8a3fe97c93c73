"""Dates and times as the pipeline reads them: partition days, ISO timestamps, dates in URLs."""

from __future__ import annotations

import datetime as dt

from crosspost.exceptions import ConfigError


def day(date: dt.date | str) -> str:
    """The partition value for a date: ``YYYY-MM-DD``."""
    return date if isinstance(date, str) else date.isoformat()


def parse_day(value: str | dt.date) -> dt.date:
    """Parse ``YYYY-MM-DD`` (the only date format the CLI and DAG accept)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"not a date (want YYYY-MM-DD): {value!r}") from None
