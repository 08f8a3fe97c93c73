"""Read article responses back out of a crawl's WARC and extract each one."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from contextlib import nullcontext

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crosspost.common.warc import KIND_HEADER, LISTED_DATE_HEADER
from extract.boilerplate import BoilerplateModel
from extract.exceptions import ArchiveError
from extract.learned import strip_learned
from extract.worker import PAGE_CPU_SECONDS, PageWorker

# What warcio raises on a file that is not a WARC or whose records are broken.
_UNREADABLE = (ArchiveLoadFailed, AttributeError, ValueError, EOFError, OSError, zlib.error)


def iter_article_responses(fileobj) -> Iterator[dict]:
    """Each archived article response as ``{url, body, content_type, http_status, fetched_at, listed_date}``."""
    try:
        for record in ArchiveIterator(fileobj):
            if record.rec_type != "response" or record.rec_headers.get_header(KIND_HEADER) != "article":
                continue
            yield _response(record)
    except _UNREADABLE as exc:
        raise ArchiveError(f"unreadable WARC: {type(exc).__name__}: {exc}") from exc


def _response(record) -> dict:
    http = record.http_headers
    return {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "body": record.content_stream().read(),
        "content_type": http.get_header("Content-Type") if http else None,
        "http_status": int(http.get_statuscode()) if http else None,
        "fetched_at": record.rec_headers.get_header("WARC-Date"),
        "listed_date": record.rec_headers.get_header(LISTED_DATE_HEADER),
    }


def extract_archive(fileobj, site: str, crawl_date: dt.date, boilerplate: BoilerplateModel | None = None,
                    page_cpu_seconds: int = PAGE_CPU_SECONDS, worker: PageWorker | None = None) -> Iterator[dict]:
    """One record per archived article page, in archive order.

    Two passes: every page is extracted first, then paragraphs that repeat across the
    site's articles (this batch plus ``boilerplate``'s dates before ``crawl_date``) are
    removed.  ``boilerplate`` is updated with this batch: save it once the iterator is
    exhausted. A page that needs more than ``page_cpu_seconds`` is an error record (``timeout``).
    ``worker``: a PageWorker to use and leave open (a process extracting many archives starts
    its extraction child once); by default one is started and closed here.
    """
    records = []
    # a hostile page is stopped after a few CPU seconds (extract.worker)
    with nullcontext(worker) if worker is not None else PageWorker(page_cpu_seconds) as worker:
        for page in iter_article_responses(fileobj):
            body = page.pop("body")
            records.append(worker.extract(body, page.pop("url"), site=site, crawl_date=crawl_date, **page))
    yield from strip_learned(records, boilerplate if boilerplate is not None else BoilerplateModel(), crawl_date)
