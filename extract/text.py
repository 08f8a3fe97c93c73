"""Text normalisation shared by extraction and dedupe."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_paragraphs(text: str) -> list[str]:
    """NFC, collapsed whitespace, one entry per non-empty paragraph (line)."""
    text = unicodedata.normalize("NFC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (what dedupe shingles and hashes)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
