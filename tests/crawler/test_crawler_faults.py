"""The fault site, crawled once: the crawl finishes, each fault is counted under its reason,
and every good page is still archived. One crawl, many assertions (see conftest.fault_crawl)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawltest_helpers import article_urls, read_warc
from crosspost.common.urls import normalize


@pytest.fixture(scope="module")
def fault(fault_crawl):
    return fault_crawl


@pytest.fixture(scope="module")
def archived(fault):
    """URL -> archived response (articles only)."""
    return {r.url: r for r in read_warc(fault.warc) if r.kind == "article"}


@pytest.fixture(scope="module")
def fault_urls(fresh_fault_web):
    from tests.demoweb import FAULT_SITE
    from tests.demoweb.faults import FAULTS

    return {kind: fresh_fault_web.url(FAULT_SITE, path) for path, (kind, _) in FAULTS.items()}


def test_the_crawl_finishes(fault):
    assert fault.report["finish_reason"] == "finished"
    assert fault.report["site"] == "faultyreprint"
    assert fault.report["fetched"] > 30
    assert fault.report.get("failed", {}).get("spider_error", 0) == 0
    assert "Traceback" not in fault.log


@pytest.mark.parametrize("reason, count", [
    ("http_404", 1),  # /faults/status-404-missing/
    ("timeout", 1),  # the slow page, after its retries
    ("too_large", 2),  # the 20 MB page and the gzip bomb
    ("robots", 1),  # /private/ is disallowed, but linked from the homepage
    ("redirect_loop", 1),
    ("bad_sitemap", 1),  # /sitemap-broken.xml, named in robots.txt
    ("bad_feed", 1),  # /feed.xml answers HTML
])
def test_each_fault_is_counted_under_its_reason(fault, reason, count):
    assert fault.report["failed"].get(reason) == count, fault.report["failed"]


def test_transient_errors_are_retried_and_archived(fault, archived, fault_urls):
    retries = fault.report["retry_reasons"]
    assert any(k.startswith("500") for k in retries) and any(k.startswith("429") for k in retries)
    for kind in ("flaky_500", "rate_limited"):
        page = archived[normalize(fault_urls[kind])]
        assert page.status == 200 and b"fr-article" in page.body


def test_retry_after_was_honoured(fault, fresh_fault_web, fault_urls):
    # The 429 says Retry-After: 1; backoff in tests is 0.2 s, so only honouring it waits >= 1 s.
    assert fault.report["retry_wait_s"] >= 1.0
    path = fault_urls["rate_limited"].split(str(fresh_fault_web.url("faultyreprint", "")), 1)[-1]
    statuses = [status for site, p, status in fault.requests if p == path]
    assert statuses == [429, 200]


def test_redirect_chain_reaches_its_article(fault, archived, fresh_fault_web, fault_urls):
    from tests.demoweb.faults import fault_truth

    serves = {t["kind"]: t["serves"] for t in fault_truth(fresh_fault_web.context("faultyreprint"))}
    assert normalize(serves["redirect_chain"]) in archived
    paths = [p for _, p, _ in fault.requests]
    assert "/faults/redirect-chain-hop-3/" in paths


def test_pages_with_wrong_charsets_are_archived_as_raw_bytes(archived, fault_urls):
    cyrillic = archived[normalize(fault_urls["cp1251"])].body
    assert "Совет утвердил план".encode("cp1251") in cyrillic
    for kind in ("latin1_wrong_charset", "latin1_no_charset"):
        body = archived[normalize(fault_urls[kind])].body
        assert b"\xe9" in body or b"\xf1" in body  # é / ñ in latin-1, not re-encoded


@pytest.mark.parametrize("kind", ["malformed", "empty", "binary_as_html", "soft_404"])
def test_odd_but_successful_pages_are_archived(archived, fault_urls, kind):
    assert archived[normalize(fault_urls[kind])].status == 200


def test_png_served_as_html_keeps_its_bytes(archived, fault_urls):
    assert archived[normalize(fault_urls["binary_as_html"])].body.startswith(b"\x89PNG")


def test_every_good_article_is_archived_once(fault, fresh_fault_web):
    from tests.demoweb import FAULT_SITE

    good = {normalize(fresh_fault_web.url(FAULT_SITE, a.path)) for a in fresh_fault_web.corpus.site(FAULT_SITE)}
    urls = article_urls(fault.warc)
    assert good <= set(urls)
    assert len(urls) == len(set(urls)), "an article was archived twice"
    assert good <= fault.archived  # and they go to the seen-URL index


def test_tracking_parameter_variants_are_fetched_once(fault, fresh_fault_web):
    from tests.demoweb import FAULT_SITE
    from tests.demoweb.faults import TRACKING_SUFFIXES

    first = fresh_fault_web.corpus.site(FAULT_SITE)[0]
    assert fault.report["skipped"]["url_variant"] == len(TRACKING_SUFFIXES)
    hits = [p for _, p, _ in fault.requests if p.split("?")[0] == first.path]
    assert len(hits) == 1 and "?" not in hits[0]


def test_nothing_left_the_site(fault):
    assert {site for site, _, _ in fault.requests} == {"faultyreprint"}
    assert fault.report["skipped"]["offsite"] >= 3  # example.com and northwire articles
    assert fault.report["skipped"]["scheme"] >= 4  # mailto:, ftp:, javascript:, tel:
    assert "example.com" not in " ".join(line for line in fault.log.splitlines() if "Crawled (" in line)


def test_robots_disallowed_path_is_never_requested(fault):
    assert not [p for _, p, _ in fault.requests if p.startswith("/private/")]


def test_the_big_pages_are_not_archived(archived, fault_urls):
    for kind in ("huge", "gzip_bomb", "slow"):
        assert normalize(fault_urls[kind]) not in archived
    assert max(len(r.body) for r in archived.values()) <= 10 * 1024 * 1024


def test_report_counts_add_up(fault):
    report = fault.report
    assert set(report["discovered"]) <= {"sitemap", "feed", "home", "listing"}
    assert report["in_window"] == report["requested"] + report["skipped"].get("seen", 0) \
        + report["skipped"].get("max_pages", 0)
    lost = sum(v for k, v in report["failed"].items() if k not in ("bad_sitemap", "bad_feed"))
    assert report["fetched"] + lost + report["skipped"].get("duplicate_request", 0) == report["requested"]
    assert report["bytes"] > 0 and report["duration_s"] > 0 and report["requests"] >= report["requested"]


@pytest.mark.parametrize("command", [["check", "-v"], ["index"]])
def test_warc_is_readable_by_warcio(fault, command):
    warcio = Path(sys.executable).with_name("warcio")
    proc = subprocess.run([str(warcio), *command, str(fault.warc)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    if command[0] == "index":
        assert proc.stdout.count('"warc-type": "response"') == len(read_warc(fault.warc))
    else:
        assert "digest pass" in proc.stdout and "fail" not in proc.stdout.lower()
