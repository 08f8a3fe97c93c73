"""Crawler test fixtures: one crawl of the fault site per session (watched while it runs),
crawls of the six demo sites, and a tiny local site for behaviours the demo web does not
have (Retry-After timing, the User-Agent header, a redirect to another site).

Every crawl is the real Scrapy engine in a child process, against servers on 127.0.0.1.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.runner import run_crawl
from crawltest_helpers import FAST, Crawl, LocalSite, finish, watched_crawl

DEMO_SITES = ("northwire", "worldreprint", "freepressmirror", "commonsdigest", "newsbeacon", "truthecho")


@pytest.fixture(scope="session")
def fresh_fault_web():
    """A fault web of our own, like the shared ``fault_web`` but with fresh stateful faults:
    its 500-then-OK and 429-then-OK pages answer 500/429 only to the first request ever, and
    other tests in the session may have crawled the shared one already."""
    from tests.demoweb import DemoWeb

    with DemoWeb(base_port=0, faults=True, slow_seconds=4.0) as web:
        yield web


@pytest.fixture(scope="session")
def fault_sites_file(fresh_fault_web, tmp_path_factory) -> str:
    """A sites YAML naming the fault web's sites."""
    path = tmp_path_factory.mktemp("fault-sites") / "sites.yaml"
    fresh_fault_web.write_sites_yaml(path)
    return str(path)


@pytest.fixture(scope="session")
def fault_crawl(fresh_fault_web, fault_sites_file, tmp_path_factory) -> Crawl:
    """The fault site crawled once for the demo date, with a week of lookback (all its articles)."""
    from tests.demoweb import DEMO_DATE, FAULT_SITE

    web = fresh_fault_web
    before = len(web.request_log)
    crawl = watched_crawl(fault_sites_file, FAULT_SITE, DEMO_DATE.isoformat(),
                          tmp_path_factory.mktemp("fault-crawl"), settings=FAST, lookback=7)
    crawl.requests = web.request_log[before:]
    return crawl


@pytest.fixture(scope="session")
def demo_crawls(demo_web, sites_file, tmp_path_factory) -> dict[str, Crawl]:
    """Each of the six demo sites crawled for the demo date with the default lookback (2 days)."""
    from tests.demoweb import DEMO_DATE

    root = tmp_path_factory.mktemp("demo-crawls")

    def crawl(site):
        return site, finish(run_crawl(sites_file, site, DEMO_DATE.isoformat(), root / site, settings=FAST))

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(crawl, DEMO_SITES))


@pytest.fixture
def local_site():
    """A fresh LocalSite, and a second one that plays 'another site'."""
    with LocalSite() as site, LocalSite() as other:
        site.other = other
        yield site

