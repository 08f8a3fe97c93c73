"""Text normalisation shared by extraction, boilerplate learning and dedupe."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width characters
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_paragraphs(text: str) -> list[str]:
    """NFC, invisible characters dropped, collapsed whitespace, one entry per non-empty line."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def split_paragraphs(text: str | None) -> list[str]:
    """The inverse of :func:`join_paragraphs`."""
    return [p for p in (text or "").split("\n\n") if p]


def words(text: str) -> list[str]:
    """Lower-cased word tokens (what dedupe shingles and hashes)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normal_key(text: str | None) -> str:
    """Words only, lower-cased: equal for texts that differ only in case, punctuation or spacing."""
    return " ".join(words(text or ""))


def fingerprint(text: str | None, size: int = 6) -> str:
    """A short stable hash of :func:`normal_key` (hex, ``2 * size`` characters)."""
    return hashlib.blake2b(normal_key(text).encode("utf-8"), digest_size=size).hexdigest()


def text_hash(text: str) -> str:
    """Hash of the normalised words: equal for copies that differ only in spacing or case."""
    return exact_hash(words(text))


def exact_hash(tokens: list[str]) -> str:
    """SHA-1 of the space-joined tokens (the articles table's ``text_hash``)."""
    return hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
