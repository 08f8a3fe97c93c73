"""Item pipelines: every response the spider reads is archived to a gzipped WARC first."""

from __future__ import annotations

from typing import BinaryIO

from scrapy.exceptions import NotConfigured

from crawler.warc import WarcArchive


class WarcArchivePipeline:
    """Append each ``{"response", "kind"}`` item to the WARC at ``CROSSPOST_WARC_PATH``."""

    def __init__(self, path: str):
        self.path = path
        self.fh: BinaryIO | None = None
        self.archive: WarcArchive | None = None

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("CROSSPOST_WARC_PATH")
        if not path:
            raise NotConfigured("CROSSPOST_WARC_PATH is not set")
        return cls(path)

    def open_spider(self):
        self.fh = open(self.path, "wb")
        self.archive = WarcArchive(self.fh)

    def process_item(self, item):
        response = item["response"]
        assert self.archive is not None, "open_spider opens the archive"
        self.archive.write(response, item["kind"], response.meta.get("listed_date"))
        # Nothing downstream needs the body: keep memory flat on big crawls.
        return {"url": response.url, "kind": item["kind"], "status": response.status}

    def close_spider(self):
        if self.fh is not None:
            self.fh.close()
