"""Map a failed request to one short reason, for the crawl report."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from crawler.middlewares import OffsiteRequest

# (exception types, reason), checked in order.
_BY_TYPE = (
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
    # The HTTP handler cancels a body that grows past DOWNLOAD_MAXSIZE.
    ((DownloadCancelledError, defer.CancelledError), "too_large"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError, CannotResolveHostError, DNSLookupError), "connection"),
    ((ResponseDataLossError,), "data_loss"),
)
# Substrings of IgnoreRequest messages raised by Scrapy's own middlewares.
_BY_MESSAGE = (
    ("robots.txt", "robots"),
    ("DOWNLOAD_MAXSIZE", "too_large"),  # HttpCompressionMiddleware: a decompression bomb
    ("max redirections", "too_many_redirects"),
    ("offsite", "offsite"),
)


def classify_failure(failure) -> str:
    """``http_<status>``, ``timeout``, ``too_large``, ``robots``, ``offsite``, ``scheme``,
    ``too_many_redirects``, ``connection``, ``data_loss`` or the error's class name."""
    return classify_error(failure.value)


def classify_error(exc: BaseException) -> str:
    """The reason for one exception (see :func:`classify_failure`)."""
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, OffsiteRequest):
        return str(exc).split(":", 1)[0]
    for types, reason in _BY_TYPE:
        if isinstance(exc, types):
            return reason
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        return next((reason for needle, reason in _BY_MESSAGE if needle in text), "ignored")
    return type(exc).__name__
