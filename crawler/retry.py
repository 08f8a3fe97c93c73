"""Retries that back off: honour ``Retry-After`` (capped), else wait exponentially longer.

Scrapy's RetryMiddleware retries at once. This subclass waits before handing the retry
back to the engine; the wait is an async sleep on the reactor, so other downloads go on.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message


def retry_after_seconds(value: bytes | str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_seconds(retries: int, base: float, cap: float) -> float:
    """``base * 2**retries``, at most ``cap``: 1, 2, 4, 8... seconds for base 1."""
    return min(cap, base * (2 ** max(0, retries)))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits ``Retry-After`` (at most RETRY_AFTER_MAX) or an exponential
    backoff (RETRY_BACKOFF_BASE * 2**n, at most RETRY_BACKOFF_MAX) before each retry."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    def process_response(self, request, response, spider=None):
        # Synchronous on the common path (no retry): no coroutine per response.
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        return self._after(self._delay(request, response), retry)

    def process_exception(self, request, exception, spider=None):
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        return self._after(self._delay(request, None), retry)

    @staticmethod
    async def _after(seconds: float, retry):
        """Hand ``retry`` back after ``seconds``; Scrapy awaits what a middleware returns."""
        await sleep(seconds)
        return retry

    def _delay(self, request, response) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
        if asked is not None:
            delay = min(asked, self.retry_after_max)
        else:
            delay = backoff_seconds(request.meta.get("retry_times", 0), self.backoff_base, self.backoff_max)
        self.crawler.stats.inc_value("crosspost/retry_wait_s", delay)
        return delay
