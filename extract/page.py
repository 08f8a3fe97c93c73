"""One page in, one record out: trafilatura for the text, then crosspost's clean-up."""

from __future__ import annotations

import datetime as dt

import trafilatura

from extract.decode import decode_html
from extract.exceptions import NotAnArticle
from extract.metadata import page_metadata
from extract.record import new_record
from extract.text import clean_paragraphs, join_paragraphs, words

MAX_HTML_CHARS = 5_000_000  # beyond this lxml and trafilatura get slow; such pages are not articles
MIN_WORDS = 20


def extract_page(body: bytes | str, url: str, *, site: str | None = None, crawl_date: dt.date | None = None,
                 content_type: str | None = None, **extra) -> dict:
    """Extract one article page; never raises for bad input: ``status``/``reason`` say what went wrong."""
    base = new_record(url=url, site=site, content_type=content_type, **extra)
    try:
        html = body if isinstance(body, str) else decode_html(body, content_type)
        base.update(_extract(html, url, crawl_date))
        base["status"] = "ok"
    except NotAnArticle as exc:
        base.update(status="no_article", reason=exc.reason)
    except Exception as exc:  # a parser crash on one page must not stop the batch
        base.update(status="error", reason=f"{type(exc).__name__}: {str(exc)[:200]}")
    return base


def _extract(html: str, url: str, crawl_date: dt.date | None) -> dict:
    if len(html) > MAX_HTML_CHARS:
        raise NotAnArticle("too_large", f"{len(html)} characters")
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=False, date_extraction_params=_date_params(crawl_date),
    )
    if doc is None or not doc.text:
        raise NotAnArticle("no_main_text")
    meta = page_metadata(html, url, doc, crawl_date)
    paragraphs = _body_paragraphs(doc.text, meta.get("title"))
    text = join_paragraphs(paragraphs)
    count = len(words(text))
    if count < MIN_WORDS:
        raise NotAnArticle("too_short", f"{count} words")
    return {**meta, "text": text, "word_count": count}


def _date_params(crawl_date: dt.date | None) -> dict:
    params = {"extensive_search": True, "original_date": True, "min_date": "1995-01-01"}
    if crawl_date is not None:
        params["max_date"] = (crawl_date + dt.timedelta(days=1)).isoformat()
    return params


def _body_paragraphs(text: str, title: str | None) -> list[str]:
    paragraphs = clean_paragraphs(text)
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # trafilatura keeps the <h1>; the title has its own field
    return paragraphs
