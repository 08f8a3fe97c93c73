"""Bytes to text: declared charset first, detection when the declaration is wrong."""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_to_unicode, resolve_encoding

from extract.exceptions import NotAnArticle

MAX_BODY_BYTES = 5_000_000  # beyond this lxml and trafilatura get slow; such pages are not articles
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF",
                 b"\x00\x00\x01\x00")
_SINGLE_BYTE = re.compile(r"^(?:cp125[0-8]|iso8859-\d+|latin-?1|ascii|windows-125\d)$", re.I)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))  # 32 first: same start
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
    if isinstance(body, bytes) and (body.startswith(_BINARY_MAGIC) or b"\x00" in body[:2048]) \
            and not wide_encoding(body):
        raise NotAnArticle("binary_content", media[:60])


def wide_encoding(body: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` when ``body`` is HTML in one (NUL bytes are then text).

    Told by the byte-order mark, else by ``<`` and a letter or ``!`` with NUL bytes around them.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    head = body[:16]
    for name, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        try:
            text = head.decode(name) if len(head) >= 2 * width else ""
        except UnicodeDecodeError:
            continue
        if re.match(r"^\s*<[!a-zA-Z?]", text) and "\x00" not in text:
            return name
    return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body: the declared charset when it fits the bytes, else a better one."""
    wide = wide_encoding(body) if b"\x00" in body[:64] else None
    if wide:  # the byte-order mark or the NUL bytes tell more than any declaration
        return body.decode(wide, errors="replace").lstrip("\ufeff")
    encoding, text = html_to_unicode(content_type, body)
    if _SINGLE_BYTE.match(encoding) and not body.isascii() and _decodes(body, "utf-8"):
        return body.decode("utf-8")  # UTF-8 declared as latin-1: decoding it as declared gives mojibake
    if "\ufffd" in text and not _decodes(body, encoding) and not _mostly_utf8(encoding, text):
        detected = _detect(body)  # the declared charset is wrong (a latin-1 page sent as utf-8...)
        if detected:
            return body.decode(detected, errors="replace")
    return text


def _mostly_utf8(encoding: str, text: str) -> bool:
    """Whether ``text`` is UTF-8 with a few broken bytes: nearly every non-ASCII character decoded.

    Other text almost never passes as UTF-8, so the page is what it says and guessing another
    charset would garble all of it.  (Not so for a multi-byte charset such as GBK: UTF-8 bytes
    mostly decode in it, as nonsense.)
    """
    if (resolve_encoding(encoding) or encoding).replace("_", "-").lower() not in ("utf-8", "utf8"):
        return False
    broken = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return broken * 10 <= non_ascii - broken


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
