"""Write Scrapy responses as WARC request/response record pairs (warcio, gzipped)."""

from __future__ import annotations

import io
from http import HTTPStatus
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosspost.common.warc import KIND_HEADER, LISTED_DATE_HEADER

# The body Scrapy hands us is already decoded, so these headers no longer describe it.
_DROP = {b"content-encoding", b"transfer-encoding", b"content-length"}


class WarcArchive:
    """An open gzipped WARC file; ``write(response, kind)`` appends a request+response pair."""

    def __init__(self, fileobj, software: str = "crosspost"):
        self.writer = WARCWriter(fileobj, gzip=True)
        info = self.writer.create_warcinfo_record("crawl.warc.gz", {"software": software, "format": "WARC/1.1"})
        self.writer.write_record(info)
        self.records = 0

    def write(self, response, kind: str, listed_date: str | None = None) -> None:
        """Archive one response (and the request that produced it)."""
        extra = {KIND_HEADER: kind or "other"}
        if listed_date:
            extra[LISTED_DATE_HEADER] = listed_date
        record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=_response_headers(response), warc_headers_dict=extra,
        )
        request = self.writer.create_warc_record(
            response.url, "request", payload=io.BytesIO(response.request.body or b""),
            length=len(response.request.body or b""),
            http_headers=_request_headers(response.request),
            warc_headers_dict={"WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
        )
        self.writer.write_record(record)
        self.writer.write_record(request)
        self.records += 1


def _response_headers(response) -> StatusAndHeaders:
    headers = [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items() if k.lower() not in _DROP
        for v in values
    ]
    headers.append(("Content-Length", str(len(response.body))))
    return StatusAndHeaders(f"{response.status} {_reason(response.status)}", headers, protocol="HTTP/1.1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_headers(request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] + [
        (k.decode("latin-1"), v.decode("latin-1")) for k, values in request.headers.items() for v in values
    ]
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)
