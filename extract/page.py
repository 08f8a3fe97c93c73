"""One page in, one record out: trafilatura for the text, then crosspost's clean-up and metadata."""

from __future__ import annotations

import datetime as dt
import logging

from crosspost.common.records import new_record
from crosspost.common.text import count_words, join_paragraphs
from extract.body import main_paragraphs
from extract.decode import check_response, decode_html
from extract.edges import strip_edges
from extract.exceptions import NotAnArticle, PageTooComplex
from extract.limits import check_structure
from extract.metadata import page_metadata, title_variants
from extract.pagekind import check_article
from extract.source import credited_source
from extract.tree import parse_page

log = logging.getLogger(__name__)


def extract_page(body: bytes | str, url: str, *, site: str | None = None, crawl_date: dt.date | None = None,
                 content_type: str | None = None, **extra) -> dict:
    """Extract one article page; never raises for bad input: ``status``/``reason`` say what went wrong.

    ``extra`` carries the crawl's fields (``http_status``, ``fetched_at``, ``listed_date``).
    """
    record = new_record(url=url, site=site, content_type=content_type, **extra)
    try:
        check_response(body, content_type, extra.get("http_status"))
        html = body if isinstance(body, str) else decode_html(body, content_type)
        check_structure(html)
        record.update(_extract(html, url, crawl_date, extra.get("listed_date")))
        record["status"] = "ok"
    except NotAnArticle as exc:
        record.update(status="no_article", reason=exc.reason)
    except PageTooComplex as exc:
        log.warning("%s not extracted: %s", url, exc)
        record.update(status="error", reason=exc.reason)
    except Exception as exc:  # a parser crash on one page must not stop the batch
        record.update(status="error", reason=f"{type(exc).__name__}: {str(exc)[:200]}")
    return record


def _extract(html: str, url: str, crawl_date: dt.date | None, listed_date: str | None) -> dict:
    page = parse_page(html, url)
    raw = main_paragraphs(page)
    meta = page_metadata(page, crawl_date, listed_date, "\n".join(raw[:30]))
    titles = title_variants(page)
    paragraphs = strip_edges(raw, titles + [meta["title"]], meta["authors"], page.link_texts)
    source = credited_source(page, meta["site_name"], crawl_date)
    # a short page that credits another page by URL is a teaser of it, kept for dedupe
    text = join_paragraphs(paragraphs)
    words = count_words(text)
    doubt = check_article(page, paragraphs, meta["title"], teaser=bool(source["credited_source_url"]), count=words)
    return {**meta, **source, "reason": doubt, "text": text, "word_count": words,
            "boilerplate_paragraphs": len(raw) - len(paragraphs)}
