"""The article body: trafilatura's main text as paragraphs, then crosspost's clean-up."""

from __future__ import annotations

import trafilatura

from extract.edges import strip_edges
from extract.exceptions import NotAnArticle
from extract.text import clean_paragraphs


def main_paragraphs(tree, url: str) -> list[str]:
    """trafilatura's main text (tables and lists as text lines), one entry per paragraph.

    ``fast=True`` skips trafilatura's readability/justext fallback: on the benchmark pages
    the fallback costs time and adds more boilerplate than text.
    """
    doc = trafilatura.bare_extraction(tree, url=url, fast=True, include_comments=False, include_tables=True,
                                      with_metadata=False)
    if doc is None or not doc.text:
        raise NotAnArticle("no_main_text")
    return clean_paragraphs(doc.text)


def clean_body(paragraphs: list[str], titles=(), authors=(), link_texts=frozenset()) -> list[str]:
    """Paragraphs without the repeated title, byline and recognised edge boilerplate."""
    return strip_edges(paragraphs, titles, authors, link_texts)
