"""URL normalisation: one key per article, whatever tracking junk a link carries."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit, urlunsplit

from courlan import normalize_url

_INDEX_PAGE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.I)


def normalize(url: str) -> str:
    """Canonical form of ``url``: lower-case host, no default port, no tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``...), sorted query, no fragment, no trailing ``index.html``.

    courlan's non-strict mode is used on purpose: strict mode also drops every query
    parameter it does not know, which would merge distinct ``?id=`` style articles.
    """
    try:
        cleaned: str = normalize_url(urldefrag(url)[0], strict=False)
    except (ValueError, TypeError):
        return urldefrag(url)[0]
    parts = urlsplit(cleaned)
    path = _INDEX_PAGE.sub("/", parts.path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_netloc(url: str) -> str:
    """``host[:port]`` of ``url``, lower-case, without the scheme's default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def is_http(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL (no mailto:, javascript:, ftp:, file:...)."""
    return urlsplit(url).scheme.lower() in ("http", "https")
