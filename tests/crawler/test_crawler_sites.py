"""The sites file is validated before any request goes out; errors name the site and the key."""

from __future__ import annotations

import json
import subprocess
import sys

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


# --------------------------------------------------------------------------- issue 10: hostile sites files

def _raw(tmp_path, text: str | bytes):
    path = tmp_path / "sites.yaml"
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


@pytest.mark.parametrize("url, message", [
    ("http://[::1", "key 'url' is not a valid URL"),
    ("http://127.0.0.1:99999/", "key 'url' is not a valid URL: Port out of range"),
    ("http://127.0.0.1:abc/", "key 'url' is not a valid URL"),
    ("http://:8001/", "key 'url' must be an http"),
    ("http://127.0.0.1:0/", "key .url. has port 0"),
])
def test_malformed_urls_and_ports(tmp_path, url, message):
    with pytest.raises(SitesFileError, match=rf"site 'wire': {message}"):
        load_sites(_write(tmp_path, {"name": "wire", "url": url}))


def test_credentials_in_the_url_are_refused_without_echoing_them(tmp_path):
    with pytest.raises(SitesFileError, match="site 'wire': key 'url' must not contain a user name or password") as err:
        load_sites(_write(tmp_path, {"name": "wire", "url": "http://scraper:hunter2@127.0.0.1:8001/"}))
    assert "hunter2" not in str(err.value) and "scraper" not in str(err.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    text = "sites:\n  - name: wire\n    url: http://a.example/\n    user_agent: caf\xe9\n"
    path = _raw(tmp_path, text.encode("latin-1"))
    with pytest.raises(SitesFileError, match=rf"cannot read sites file {path}: not UTF-8"):
        load_sites(path)


def test_a_duplicated_key_is_an_error_not_last_wins(tmp_path):
    path = _raw(tmp_path, "sites:\n  - name: wire\n    url: http://a.example/\n    url: http://b.example/\n")
    with pytest.raises(SitesFileError, match=r"duplicate key 'url' \(line 4"):
        load_sites(path)


def test_an_integer_key_is_an_unknown_key(tmp_path):
    path = _raw(tmp_path, "sites:\n  - name: wire\n    url: http://a.example/\n    1: x\n")
    with pytest.raises(SitesFileError, match="site 'wire': unknown key"):
        load_sites(path)


@pytest.mark.parametrize("extra, key", [
    ({"concurrency": 0}, "concurrency"),  # Scrapy would wait forever for a free slot
    ({"max_pages": 0}, "max_pages"),
    ({"download_timeout": 0}, "download_timeout"),
    ({"download_delay": float("inf")}, "download_delay"),
    ({"download_timeout": float("nan")}, "download_timeout"),
    ({"allow": [r"(\w+)\1"]}, "allow"),  # a backreference: RE2 cannot run it
    ({"deny": ["foo(?=bar)"]}, "deny"),  # lookahead
])
def test_nonsensical_numbers_and_backtracking_patterns(tmp_path, extra, key):
    with pytest.raises(SitesFileError, match=rf"site 'wire': key '{key}'"):
        load_sites(_write(tmp_path, {"name": "wire", "url": "http://a.example/", **extra}))


def test_a_catastrophic_pattern_does_not_hang_the_crawl(local_site, tmp_path):
    """``(a+)+$`` against ``/aaa…a!`` backtracks for hours with Python's re; RE2 answers at once."""
    base = local_site.url.rstrip("/")
    hostile, kept = "/" + "a" * 40 + "!", "/news/story-aaaa"
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>2026-11-20</lastmod></url>" for p in (hostile, kept))
    local_site.routes.update({
        "/": lambda n: (200, {}, b"<html><body><p>home</p></body></html>"),
        "/sitemap.xml": lambda n: (200, {"Content-Type": "application/xml"}, f"<urlset>{urls}</urlset>".encode()),
        kept: lambda n: (200, {}, b"<html><body><p>kept</p></body></html>"),
    })
    path = _write(tmp_path, {"name": "wire", "url": local_site.url, "allow": ["(a+)+$"]})
    out = run_crawl(str(path), "wire", "2026-11-20", tmp_path / "out", timeout=180)
    report = json.loads(out.report.read_text())
    assert report["skipped"]["filtered"] == 1 and report["fetched"] == 1
    assert hostile not in [p for p, _, _ in local_site.hits]


def test_cli_reports_a_bad_sites_file_in_one_line(tmp_path):
    path = _write(tmp_path, {"name": "wire", "url": "http://user:pass@127.0.0.1:8001/"})
    result = subprocess.run([sys.executable, "-m", "crosspost.cli", "run", "--sites", str(path), "--store",
                             str(tmp_path / "lake"), "--date", "2026-11-20"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.startswith("crosspost: error: ")
    assert "Traceback" not in result.stderr and "pass@" not in result.stderr
