"""Text normalisation shared by extraction, boilerplate learning and dedupe."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width characters
_WORD = re.compile(r"\w+", re.UNICODE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)
# UTF-8 read as cp1252: a lead byte (Â..ô) followed by one to three continuation bytes shown as cp1252
_CP1252_HIGH = ("\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
                "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")
_MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CP1252_HIGH}]|[\u00e0-\u00ef][{_CP1252_HIGH}]{{2}}"
                       f"|[\u00f0-\u00f4][{_CP1252_HIGH}]{{3}}")
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, Han): there a
# run of \w is a whole clause, so each character counts as one word (Korean has spaces).
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
# A word token: a run of \w, except that each \w character of an unspaced script is a token of its
# own (a Chinese clause is not one "word": a copy with one character changed must still share
# most of its shingles).  ``crosspost.dedupe.minhash`` finds exactly these tokens, vectorised.
WORD_TOKEN = re.compile(f"(?=[{_UNSPACED}])\\w|[^\\W{_UNSPACED}]+")  # the class, not a lookahead per character


def clean_paragraphs(text: str) -> list[str]:
    """NFC, invisible characters dropped, collapsed whitespace, one entry per non-empty line."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def repair_text(text: str) -> str:
    """A metadata value as its author meant it: HTML entities left by double escaping decoded
    (``&quot;``, ``&#8217;``), UTF-8 shown as cp1252 read again (``Â´`` -> ``´``), spaces collapsed."""
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if _MOJIBAKE.search(text):
        text = _MOJIBAKE.sub(_as_utf8, text)
    return " ".join(text.split())


def _as_utf8(match: re.Match[str]) -> str:
    """One mojibake sequence read as the UTF-8 it was (unchanged when it is not UTF-8)."""
    seen: str = match.group(0)
    try:
        return seen.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return seen


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def split_paragraphs(text: str | None) -> list[str]:
    """The inverse of :func:`join_paragraphs`."""
    return [p for p in (text or "").split("\n\n") if p]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, :data:`WORD_TOKEN` (what dedupe shingles and hashes)."""
    return WORD_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def count_words(text: str | None) -> int:
    """Words of ``text`` for length thresholds and ``word_count``: :func:`words`, except that a
    character of a script written without spaces counts as one word (a Chinese article is not "7 words")."""
    if not text:
        return 0
    unspaced = len(UNSPACED_CHAR.findall(text))
    if not unspaced:
        return len(_WORD.findall(text))
    return unspaced + len(_WORD.findall(UNSPACED_CHAR.sub(" ", text)))


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
