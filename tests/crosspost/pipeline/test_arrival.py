"""crosspost.pipeline.arrival: whether a site arrived for a date."""

from __future__ import annotations

import json

import pytest

from crosspost.exceptions import NoSiteArrived, SiteUnreachable
from crosspost.lake import layout
from crosspost.lake.store import open_store
from crosspost.pipeline.arrival import check_site_reached, require_some_site

DATE = "2026-11-20"


def _crawl_report(store_url, site, **counts):
    report = {"site": site, "date": DATE, "fetched": 0, "bytes": 0, "responses": 0, "failed": {}, **counts}
    open_store(store_url).put_bytes(layout.crawl_report_key(site, DATE), json.dumps(report).encode())


def test_a_site_that_never_answered_is_unreachable(local_store_url):
    _crawl_report(local_store_url, "deadsite", failed={"connection": 4})
    with pytest.raises(SiteUnreachable, match="deadsite did not answer.*connection"):
        check_site_reached(local_store_url, DATE, "deadsite")


def test_a_site_that_answered_with_nothing_useful_did_arrive(local_store_url):
    _crawl_report(local_store_url, "quiet", responses=3, bytes=1200, failed={"http_404": 2})
    assert check_site_reached(local_store_url, DATE, "quiet")["responses"] == 3


def test_a_site_without_crawl_report_is_unreachable(local_store_url):
    with pytest.raises(SiteUnreachable, match="no crawl report"):
        check_site_reached(local_store_url, DATE, "never")


def test_require_some_site(local_store_url):
    store = open_store(local_store_url)
    with pytest.raises(NoSiteArrived, match="a, b all missing"):
        require_some_site(local_store_url, DATE, ["b", "a"])
    store.put_bytes(layout.extracted_key("a", DATE), b"")
    assert require_some_site(local_store_url, DATE, ["b", "a"]) == {"a": "complete", "b": "missing"}
    assert require_some_site(local_store_url, DATE, []) == {}
