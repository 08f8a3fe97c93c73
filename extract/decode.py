"""Bytes to text: declared charset first, detection when the declaration is wrong."""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode, resolve_encoding

from extract.exceptions import NotAnArticle

MAX_BODY_BYTES = 5_000_000  # beyond this lxml and trafilatura get slow; such pages are not articles
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF",
                 b"\x00\x00\x01\x00")
_SINGLE_BYTE = re.compile(r"^(?:cp125[0-8]|iso8859-\d+|latin-?1|ascii|windows-125\d)$", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/octet-stream")


def check_response(body: bytes | str | None, content_type: str | None, http_status: int | None) -> None:
    """Raise NotAnArticle for error statuses, empty, huge, binary or non-HTML responses."""
    if http_status is not None and int(http_status) >= 400:
        raise NotAnArticle("http_error", str(http_status))
    if not body or not body.strip():
        raise NotAnArticle("empty_body")
    if len(body) > MAX_BODY_BYTES:
        raise NotAnArticle("too_large", f"{len(body)} bytes")
    media = (content_type or "").split(";")[0].strip().lower()
    if media and media not in _HTML_TYPES:
        raise NotAnArticle("not_html", media[:60])
    if isinstance(body, bytes) and (body.startswith(_BINARY_MAGIC) or b"\x00" in body[:2048]):
        raise NotAnArticle("binary_content", media[:60])


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body: the declared charset when it fits the bytes, else a better one."""
    encoding, text = html_to_unicode(content_type, body)
    if _SINGLE_BYTE.match(encoding) and not body.isascii() and _decodes(body, "utf-8"):
        return body.decode("utf-8")  # UTF-8 declared as latin-1: decoding it as declared gives mojibake
    if "\ufffd" in text and not _decodes(body, encoding):
        detected = _detect(body)  # the declared charset is wrong (a latin-1 page sent as utf-8...)
        if detected:
            return body.decode(detected, errors="replace")
    return text


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(resolve_encoding(encoding) or encoding)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None
