"""URL normalisation: one key per article, whatever tracking junk a link carries."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit, urlunsplit

from courlan import normalize_url

_INDEX_PAGE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.I)


def normalize(url: str) -> str:
    """Canonical form of ``url``: lower-case host, no default port, no ``utm_*``/``fbclid``
    (courlan's strict mode), no fragment, no trailing ``index.html``."""
    try:
        cleaned = normalize_url(urldefrag(url)[0], strict=True)
    except (ValueError, TypeError):
        return urldefrag(url)[0]
    parts = urlsplit(cleaned)
    path = _INDEX_PAGE.sub("/", parts.path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
