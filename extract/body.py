"""The article body as trafilatura sees it: main text, one entry per paragraph."""

from __future__ import annotations

import trafilatura

from crosspost.common.text import clean_paragraphs
from extract.exceptions import NotAnArticle


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
