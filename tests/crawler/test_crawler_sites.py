"""The sites file is validated before any request goes out; errors name the site and the key."""

from __future__ import annotations

import pytest
import yaml

from crawler.exceptions import SitesFileError, UnknownSite
from crawler.runner import run_crawl
from crawler.sites import get_site, load_sites


def _write(tmp_path, *sites, **top):
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump({"sites": list(sites), **top}))
    return path


def test_a_homepage_is_enough(tmp_path):
    site = get_site(_write(tmp_path, {"name": "wire", "url": "http://127.0.0.1:8001/"}), "wire")
    assert site.netloc == "127.0.0.1:8001" and site.lookback_days == 2 and site.max_pages == 2000
    assert site.scrapy_settings() == {}


def test_overrides_are_read(tmp_path):
    entry = {"name": "wire", "url": "https://news.example/", "sitemaps": ["/extra.xml"], "feeds": ["/rss"],
             "allow": [r"/\d{4}/"], "deny": ["/video/"], "article_pattern": "/news/.+", "max_pages": 50,
             "max_listing_pages": 10, "listing_depth": 1, "lookback_days": 3, "download_delay": 1.5,
             "download_timeout": 20, "concurrency": 2, "user_agent": "bot/1 (+mailto:x@example.org)"}
    site = get_site(_write(tmp_path, entry), "wire")
    assert site.sitemaps == ("/extra.xml",) and site.deny == ("/video/",)
    assert site.scrapy_settings() == {"DOWNLOAD_DELAY": 1.5, "DOWNLOAD_TIMEOUT": 20,
                                      "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                                      "USER_AGENT": "bot/1 (+mailto:x@example.org)"}


@pytest.mark.parametrize("extra, key", [
    ({"sitemap": ["/x.xml"]}, "sitemap"),  # unknown key (typo)
    ({"allow": ["/(unclosed"]}, "allow"),  # bad regex
    ({"deny": ["*bad"]}, "deny"),
    ({"article_pattern": "[z-a]"}, "article_pattern"),
    ({"max_pages": "many"}, "max_pages"),
    ({"max_pages": True}, "max_pages"),  # YAML 'yes'
    ({"lookback_days": -1}, "lookback_days"),
    ({"download_delay": "slow"}, "download_delay"),
    ({"feeds": "/rss"}, "feeds"),  # a string, not a list
    ({"sitemaps": ["http://elsewhere.example/sitemap.xml"]}, "sitemaps"),  # off the site
    ({"user_agent": ""}, "user_agent"),
])
def test_bad_values_name_the_site_and_the_key(tmp_path, extra, key):
    path = _write(tmp_path, {"name": "good", "url": "http://a.example/"},
                  {"name": "wire", "url": "http://b.example/", **extra})
    with pytest.raises(SitesFileError, match=rf"site 'wire'.*'?{key}'?"):
        load_sites(path)


@pytest.mark.parametrize("entry, message", [
    ({"name": "Bad Name", "url": "http://a.example/"}, "key 'name'"),
    ({"name": "wire", "url": "ftp://a.example/"}, "key 'url'"),
    ({"name": "wire"}, "key 'url' is required"),
])
def test_bad_names_and_urls(tmp_path, entry, message):
    with pytest.raises(SitesFileError, match=message):
        load_sites(_write(tmp_path, entry))


def test_file_level_errors(tmp_path):
    with pytest.raises(SitesFileError, match="duplicate site names: wire"):
        load_sites(_write(tmp_path, {"name": "wire", "url": "http://a.example/"},
                          {"name": "wire", "url": "http://b.example/"}))
    with pytest.raises(SitesFileError, match="unknown top-level key"):
        load_sites(_write(tmp_path, {"name": "wire", "url": "http://a.example/"}, defaults={}))
    (tmp_path / "broken.yaml").write_text("sites: [\n")
    with pytest.raises(SitesFileError, match="cannot read"):
        load_sites(tmp_path / "broken.yaml")
    with pytest.raises(UnknownSite):
        get_site(_write(tmp_path, {"name": "wire", "url": "http://a.example/"}), "other")


def test_a_bad_file_fails_before_any_request(tmp_path, local_site):
    path = _write(tmp_path, {"name": "wire", "url": local_site.url, "deny": ["(("]})
    with pytest.raises(SitesFileError, match="site 'wire'.*'deny'"):
        run_crawl(str(path), "wire", "2026-11-20", tmp_path / "out")
    assert local_site.hits == []
