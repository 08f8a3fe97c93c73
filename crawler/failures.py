"""Map a failed request to one short reason, for the crawl report."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.middlewares import OffsiteRequest


def classify_failure(failure) -> str:
    """``http_<status>``, ``timeout``, ``too_large``, ``robots``, ``offsite``, ``connection`` or the error class."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, OffsiteRequest):
        return str(exc).split(":", 1)[0]
    if isinstance(exc, IgnoreRequest):
        return "robots" if "robots.txt" in str(exc) else "ignored"
    if isinstance(exc, (TimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(exc, defer.CancelledError):
        # Scrapy cancels a download that exceeds DOWNLOAD_MAXSIZE.
        return "too_large"
    if isinstance(exc, (ConnectionRefusedError, DNSLookupError)):
        return "connection"
    return type(exc).__name__
