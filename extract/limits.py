"""Structural limits checked before the heavy parse, so that one hostile page costs little.

lxml checks each new attribute against the element's earlier ones (200,000 attributes on one
``<p>``: minutes in C), and trafilatura's cost grows with the number of elements. Real
article pages stay far below these limits (on 600 publishers' pages: at most 73 attributes on
one element, 10,106 elements, depth 51), so a page beyond them is refused as ``too_complex``
instead of being parsed. The per-page time limit (extract.worker) catches the rest.
"""

from __future__ import annotations

import re

from extract.exceptions import PageTooComplex

MAX_ATTRIBUTES = 1000  # on one element
MAX_ELEMENTS = 30_000
MAX_DEPTH = 200  # libxml2 silently cuts trees at depth 255: a deeper page is mangled anyway

# A start tag long enough to hold MAX_ATTRIBUTES attributes (each at least "a " long), or a
# script or style element: its start tag is checked, but a "<" in its code starts no element
# (minified code such as "i<vendors.length&&..." is text to the parser).
# (Letters as [sS][cC]..., not re.I: a case-insensitive part makes the scan ten times slower.)
_RAW_TEXT = "(?:" + "|".join("".join(f"[{c}{c.upper()}]" for c in name) for name in ("script", "style")) + ")"
_LONG_TAG = re.compile(r"<(?:(?P<raw>" + _RAW_TEXT + r"\b[^>]*)>[^<]*(?:<(?!/" + _RAW_TEXT + r")[^<]*)*"
                       r"|(?P<tag>[A-Za-z][^>]{" + str(2 * MAX_ATTRIBUTES) + ",}))")
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_ATTRIBUTE = re.compile(r"[^\s=/>]+(?:\s*=[^\s>]*)?")  # name, or name=value once values are blanked
_START_TAG = re.compile(r"<[A-Za-z]")


def check_structure(html: str) -> None:
    """Raise PageTooComplex if ``html`` has an element with too many attributes or too many
    elements. A scan of the text (no parse): a few milliseconds on a large page."""
    for found in _LONG_TAG.finditer(html):
        tag = found.group("tag") or found.group("raw")  # without its "<"
        if len(tag) < 2 * MAX_ATTRIBUTES:
            continue
        count = len(_ATTRIBUTE.findall(_QUOTED.sub(" ", tag))) - 1  # minus the tag name
        if count > MAX_ATTRIBUTES:
            raise PageTooComplex(f"an element with {count} attributes (limit {MAX_ATTRIBUTES})")
    if html.count("<") > MAX_ELEMENTS:  # cheap bound first; count start tags only when needed
        elements = sum(1 for _ in _START_TAG.finditer(html))
        if elements > MAX_ELEMENTS:
            raise PageTooComplex(f"{elements} elements (limit {MAX_ELEMENTS})")


def check_depth(tree) -> None:
    """Raise PageTooComplex if the parsed ``tree`` nests elements deeper than MAX_DEPTH
    (one XPath step per level, evaluated in C)."""
    if tree.xpath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")"):
        raise PageTooComplex(f"elements nested more than {MAX_DEPTH} deep")
