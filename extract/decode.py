"""Bytes to text: declared charset first, detection when the declaration is wrong."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, resolve_encoding

from extract.exceptions import NotAnArticle

_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body; raise NotAnArticle for empty or binary content."""
    if not body or not body.strip():
        raise NotAnArticle("empty_body")
    if body.startswith(_BINARY_MAGIC) or b"\x00" in body[:2048]:
        raise NotAnArticle("binary_content", (content_type or "")[:60])
    encoding, text = html_to_unicode(content_type, body)
    if "\ufffd" in text and not _decodes_cleanly(body, encoding):
        # The declared charset is wrong (a latin-1 page sent as utf-8...): detect instead.
        encoding, text = html_to_unicode(None, body, auto_detect_fun=_detect)
    return text


def _decodes_cleanly(body: bytes, encoding: str) -> bool:
    try:
        body.decode(resolve_encoding(encoding) or encoding)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None
