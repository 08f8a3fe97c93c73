"""The bundled demo web: sites, discovery files, planted truth, determinism and faults."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import itertools
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import yaml

from tests.demoweb import DEMO_DATE, FAULTS, SITE_NAMES, DemoWeb, faults, planted_truth

SLOW = 0.5
REPUBLISHERS = ("worldreprint", "freepressmirror", "commonsdigest", "newsbeacon", "truthecho", "faultyreprint")
WINDOW = {DEMO_DATE - dt.timedelta(days=i) for i in range(7)}
REPO = Path(__file__).resolve().parents[2]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


# ProxyHandler({}): never send 127.0.0.1 through an HTTP(S)_PROXY from the environment
_RAW = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
_FOLLOW = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, timeout: float = 5.0, method: str = "GET", follow: bool = False):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method)
    opener = _FOLLOW if follow else _RAW
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def xml_root(body: bytes):
    """Parse XML (raises ParseError on invalid documents)."""
    return ET.fromstring(body)


def page(body: bytes):
    """lxml tree of an HTML page."""
    return lxml.html.fromstring(body)


@pytest.fixture(scope="module")
def web():
    with DemoWeb(faults=True, slow_seconds=SLOW) as demo:
        yield demo


@pytest.fixture(scope="module")
def truth(web):
    return planted_truth(web)


def site_truth(truth, site):
    return [a for a in truth["articles"] if a["site"] == site]


# --------------------------------------------------------------------------- basics

def test_sites_and_ports(web):
    assert SITE_NAMES == ("northwire", "worldreprint", "freepressmirror", "commonsdigest", "newsbeacon", "truthecho")
    assert list(web.urls) == list(SITE_NAMES) + ["faultyreprint"]
    ports = {urlsplit(u).port for u in web.urls.values()}
    assert len(ports) == 7
    assert all(u.startswith("http://127.0.0.1:") and u.endswith("/") for u in web.urls.values())


@pytest.mark.parametrize("site", list(SITE_NAMES) + ["faultyreprint"])
def test_homepage_robots_and_about(web, site):
    status, headers, body = fetch(web.urls[site])
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    tree = page(body)
    assert tree.get("lang", "").startswith("en")
    hrefs = tree.xpath("//a/@href")
    assert any("about" in h for h in hrefs), "homepage links a non-article about page"
    status, headers, robots = fetch(web.urls[site] + "robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert robots.startswith(b"User-agent: *")


EXPECTED_SITEMAPS = {
    "northwire": ["/sitemap_index.xml"], "worldreprint": [], "freepressmirror": ["/sitemap_index.xml"],
    "commonsdigest": [], "newsbeacon": ["/news-sitemap.xml"], "truthecho": [],
    "faultyreprint": ["/sitemap.xml", "/sitemap-broken.xml"],
}


@pytest.mark.parametrize("site", list(EXPECTED_SITEMAPS))
def test_robots_sitemap_lines(web, site):
    robots = fetch(web.urls[site] + "robots.txt")[2].decode()
    listed = [line.split(": ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")]
    assert listed == [web.bases[site] + p for p in EXPECTED_SITEMAPS[site]]


def test_unknown_path_is_404_and_query_is_ignored(web, truth):
    status, _, body = fetch(web.urls["northwire"] + "no/such/page/")
    assert status == 404 and b"Page not found" in body
    url = site_truth(truth, "northwire")[0]["url"]
    assert fetch(url + "?utm_source=x")[2] == fetch(url)[2]


def test_head_request(web):
    status, headers, body = fetch(web.urls["northwire"], method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


# --------------------------------------------------------------------------- discovery per site

def alternate(web, site, kind):
    """href of the homepage's <link rel=alternate type=kind>."""
    tree = page(fetch(web.urls[site])[2])
    hrefs = tree.xpath(f'//link[@rel="alternate"][@type="{kind}"]/@href')
    assert len(hrefs) == 1
    return urljoin(web.urls[site], hrefs[0])


def sitemap_locs(url):
    """(kind, [(loc, lastmod)]) of a sitemap, gunzipping .gz children."""
    status, headers, body = fetch(url)
    assert status == 200
    if url.endswith(".gz"):
        assert body[:2] == b"\x1f\x8b" and headers["Content-Type"] == "application/gzip"
        body = gzip.decompress(body)
    else:
        assert headers["Content-Type"] == "application/xml"
    root = xml_root(body)
    kind = root.tag.split("}")[1]
    entries = [(e.findtext("{*}loc"), e.findtext("{*}lastmod")) for e in root]
    return kind, entries


def test_northwire_sitemap_index_and_rss(web, truth):
    kind, children = sitemap_locs(web.urls["northwire"] + "sitemap_index.xml")
    assert kind == "sitemapindex"
    found = {}
    for loc, lastmod in children:
        kind, entries = sitemap_locs(loc)
        assert kind == "urlset"
        if re.search(r"/\d{4}-\d\d-\d\d\.xml$", loc):
            assert lastmod and all(mod for _, mod in entries)
            found.update(entries)
    expected = {a["url"] for a in site_truth(truth, "northwire")}
    assert set(found) == expected
    feed = fetch(alternate(web, "northwire", "application/rss+xml"))
    assert feed[1]["Content-Type"] == "application/rss+xml"
    items = xml_root(feed[2]).findall("./channel/item")
    assert len(items) >= 20 and {i.findtext("link") for i in items} <= expected


def test_worldreprint_rss_is_complete(web, truth):
    url = alternate(web, "worldreprint", "application/rss+xml")
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "application/rss+xml"
    root = xml_root(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert all(i.findtext("pubDate", "").endswith("GMT") for i in items)
    assert {i.findtext("link") for i in items} == {a["url"] for a in site_truth(truth, "worldreprint")}


def test_freepressmirror_sitemap_index_with_gzip_child(web, truth):
    kind, children = sitemap_locs(web.urls["freepressmirror"] + "sitemap_index.xml")
    assert kind == "sitemapindex" and any(loc.endswith(".xml.gz") for loc, _ in children)
    found = set()
    for loc, _ in children:
        if "/posts-" in loc:
            found |= {u for u, _ in sitemap_locs(loc)[1]}
    assert found == {a["url"] for a in site_truth(truth, "freepressmirror")}


def test_commonsdigest_paginated_listing(web, truth):
    url, found, pages, dates = web.urls["commonsdigest"], [], 0, []
    while url:
        tree = page(fetch(url)[2])
        entries = tree.xpath('//div[@class="cd-entry"]')
        assert all(e.xpath('.//p[@class="cd-entry-date"]') for e in entries)
        dates += [dt.datetime.strptime(e.xpath('.//p[@class="cd-entry-date"]')[0].text, "%B %d, %Y") for e in entries]
        found += [urljoin(url, e.xpath(".//h3/a/@href")[0]) for e in entries]
        nxt = tree.xpath('//link[@rel="next"]/@href')
        if nxt:
            assert len(entries) == 10 and tree.xpath('//a[contains(., "Older posts")]')
        url, pages = (nxt[0] if nxt else None), pages + 1
    assert pages >= 3 and dates == sorted(dates, reverse=True)
    assert found == [a["url"] for a in site_truth(truth, "commonsdigest")]  # truth is newest first too


def test_newsbeacon_news_sitemap(web, truth):
    status, headers, body = fetch(web.urls["newsbeacon"] + "news-sitemap.xml")
    assert b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in body
    root = xml_root(body)
    urls = {u.findtext("{*}loc"): u.findtext(".//{*}publication_date") for u in root}
    assert all(urls.values())
    assert set(urls) == {a["url"] for a in site_truth(truth, "newsbeacon")}


def test_truthecho_atom_feed(web, truth):
    status, headers, body = fetch(alternate(web, "truthecho", "application/atom+xml"))
    assert headers["Content-Type"] == "application/atom+xml"
    root = xml_root(body)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed" and root.findtext("{*}updated")
    entries = root.findall("{*}entry")
    assert all(e.findtext("{*}updated") for e in entries)
    links = {e.find("{*}link").get("href") for e in entries}
    assert links == {a["url"] for a in site_truth(truth, "truthecho")} | set(truth["short_pages"])


# --------------------------------------------------------------------------- planted truth

@pytest.mark.parametrize("site", list(SITE_NAMES) + ["faultyreprint"])
def test_at_least_30_articles_on_5_dates(truth, site):
    arts = site_truth(truth, site)
    dates = {a["published"] for a in arts}
    assert len(arts) >= 30 and len(dates) >= 5
    assert {dt.date.fromisoformat(d) for d in dates} <= WINDOW


def test_truth_records(truth):
    by_url = {a["url"]: a for a in truth["articles"]}
    assert len(by_url) == len(truth["articles"])
    for art in truth["articles"]:
        assert set(art) == {"url", "site", "title", "authors", "published", "published_at", "text", "original_url",
                            "relation", "credited", "credited_source_url", "credited_source_name", "origin_url",
                            "original_evidence"}
        assert art["relation"] in ("original", "exact", "near", "truncated", "extended", "uncredited", "excerpt")
        assert (art["relation"] == "original") == (art["original_url"] == art["url"])
        if art["relation"] != "original":
            orig = by_url[art["original_url"]]
            assert orig["relation"] == "original" and orig["site"] != art["site"]
            lag = dt.date.fromisoformat(art["published"]) - dt.date.fromisoformat(orig["published"])
            assert dt.timedelta(0) <= lag <= dt.timedelta(days=2)
            uncrawled_source = art["origin_url"] != art["original_url"]  # it credits the outlet, not the original
            assert art["credited"] == (art["relation"] != "uncredited" and not uncrawled_source)


def test_provenance_cases_are_planted(truth):
    """Teasers with and without a canonical link, name-only credits claiming an earlier time,
    and an outlet that is never crawled, credited by two sites."""
    arts = truth["articles"]
    by_url = {a["url"]: a for a in arts}
    assert {a["site"] for a in arts if a["relation"] == "excerpt"} == {"freepressmirror", "truthecho"}
    named = [a for a in arts if a["credited_source_name"]]
    assert named and all(a["published_at"] < by_url[a["original_url"]]["published_at"] for a in named)
    uncrawled = [a for a in arts if a["origin_url"] != a["original_url"]]
    assert len({a["origin_url"] for a in uncrawled}) == 2 and {a["site"] for a in uncrawled} == {
        "worldreprint", "commonsdigest"}
    assert all("eastwire.example" in a["origin_url"] for a in uncrawled)


@pytest.mark.parametrize("site", REPUBLISHERS)
def test_republishers_have_originals_and_copies(truth, site):
    relations = {a["relation"] for a in site_truth(truth, site)}
    assert "original" in relations and relations - {"original"}


def test_relation_variety(web, truth):
    echo = {a["relation"] for a in site_truth(truth, "truthecho")}
    assert {"truncated", "extended", "near", "exact", "original"} <= echo
    uncredited = [a for a in site_truth(truth, "newsbeacon") if a["relation"] == "uncredited"]
    assert uncredited and not any(a["credited"] for a in uncredited)
    sources = {a["original_url"] for a in truth["articles"] if a["site"] in ("worldreprint", "truthecho")}
    assert any(u.startswith(web.bases["northwire"]) for u in sources)
    assert any(u.startswith(web.bases["newsbeacon"]) for u in sources), "newsbeacon is republished too"


def words(text):
    return re.findall(r"\w+", text.casefold())


def shingles(text, n=3):
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def containment(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / min(len(sa), len(sb))


def test_original_bodies_are_long_and_distinct(truth):
    originals = [a for a in truth["articles"] if a["relation"] == "original"]
    for art in originals:
        if art["site"] in ("northwire", "newsbeacon"):
            paras = art["text"].split("\n\n")
            assert 5 <= len(paras) <= 12 and 300 <= len(art["text"].split()) <= 700
    sets = [shingles(a["text"]) for a in originals]
    worst = max(len(a & b) / min(len(a), len(b)) for a, b in itertools.combinations(sets, 2))
    assert worst < 0.6


def test_copies_resemble_their_original(truth):
    by_url = {a["url"]: a for a in truth["articles"]}
    for art in truth["articles"]:
        if art["relation"] == "original":
            continue
        orig = by_url[art["original_url"]]["text"]
        if art["relation"] in ("exact", "uncredited"):
            assert art["text"] == orig
        else:
            assert containment(art["text"], orig) > 0.9


SENTENCE = re.compile(r'(?:(?<=[.?!])|(?<=[.?!]"))\s+(?=[A-Z"])')


def test_distractors(truth):
    by_url = {a["url"]: a for a in truth["articles"]}
    whys = " ".join(why for _, _, why in truth["distractors"])
    assert "same event" in whys and "follow-up" in whys and "short" in whys
    for a, b, why in truth["distractors"]:
        if a in by_url and b in by_url:
            assert by_url[a]["original_url"] != by_url[b]["original_url"]
            assert containment(by_url[a]["text"], by_url[b]["text"]) < 0.5
            if "same event" in why:  # one or two quote sentences taken verbatim
                quotes = [q for q in SENTENCE.split(by_url[a]["text"]) if '"' in q]
                assert 1 <= sum(q in by_url[b]["text"] for q in quotes) <= 3, why
            else:  # follow-up: exactly two whole paragraphs of the original
                paras = by_url[b]["text"].split("\n\n")
                assert sum(p in paras for p in by_url[a]["text"].split("\n\n")) == 2, why
        else:
            assert {a, b} <= set(truth["short_pages"])
    for url in truth["short_pages"]:
        body = page(fetch(url)[2]).xpath('string(//div[@class="te-post-text"])')
        assert len(body.split()) < 50


def test_every_article_page_shows_its_text(truth):
    for art in truth["articles"]:
        status, headers, body = fetch(art["url"])
        assert status == 200, art["url"]
        doc = body.decode("utf-8")
        assert html.escape(art["title"], quote=False) in doc
        for para in art["text"].split("\n\n"):
            assert html.escape(para, quote=False) in doc, (art["url"], para[:60])


# --------------------------------------------------------------------------- site styles

def first_article(truth, site, relation):
    return next(a for a in site_truth(truth, site) if a["relation"] == relation)


def test_northwire_article_metadata(truth):
    art = first_article(truth, "northwire", "original")
    tree = page(fetch(art["url"])[2])
    assert tree.get("lang") == "en" and tree.findtext(".//title") == f"{art['title']} | Northwire"
    assert tree.xpath('//link[@rel="canonical"]/@href') == [art["url"]]
    assert tree.xpath('//meta[@property="og:url"]/@content') == [art["url"]]
    assert tree.xpath('//meta[@property="og:title"]/@content') == [art["title"]]
    assert tree.xpath('//meta[@property="article:published_time"]/@content')[0].startswith(art["published"])
    ld = json.loads(tree.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert ld["@type"] == "NewsArticle" and ld["headline"] == art["title"]
    assert [p["name"] for p in ld["author"]] == art["authors"]
    assert ld["datePublished"].startswith(art["published"]) and ld["dateModified"]


def test_worldreprint_boilerplate(truth):
    art = first_article(truth, "worldreprint", "exact")
    doc = fetch(art["url"])[2].decode()
    assert "The original source of this article is" in doc and art["original_url"] in doc
    assert f"Copyright &copy; {art['authors'][0]}" in doc and "Northwire</a>, 2026" in doc
    assert "fair use" in doc and "Dear Readers" in doc and "Order our new book" in doc
    assert doc.index("The original source") > doc.index(art["text"].split("\n\n")[-1][:40])


def test_freepressmirror_copy(truth):
    art = first_article(truth, "freepressmirror", "exact")
    tree = page(fetch(art["url"])[2])
    assert tree.xpath('//link[@rel="canonical"]/@href') == [art["original_url"]]
    content = tree.xpath('//section[@class="fpm-content"]')[0]
    assert content.text_content().strip().startswith("This article was originally published on Northwire.")
    assert tree.xpath('//section[@class="fpm-related"]') and tree.xpath('//div[@class="fpm-newsletter"]')


def test_commonsdigest_licence(truth):
    art = first_article(truth, "commonsdigest", "exact")
    text = page(fetch(art["url"])[2]).text_content()
    assert "Republished from Northwire under a Creative Commons licence (CC BY-ND 4.0)." in text


def test_truthecho_variants(truth):
    art = first_article(truth, "truthecho", "truncated")
    tree = page(fetch(art["url"])[2])
    link = tree.xpath('//p[@class="te-readmore"]/a')[0]
    assert link.text == "Read the rest at Northwire" and link.get("href") == art["original_url"]
    ext = first_article(truth, "truthecho", "extended")
    assert ext["text"].startswith("Editor's note:")


# --------------------------------------------------------------------------- determinism

def normalised(web, body: bytes) -> bytes:
    """Body with every site's base URL replaced by a placeholder (ports differ per run)."""
    if body[:2] == b"\x1f\x8b":  # gzipped sitemap: the ports are inside the compressed bytes
        body = gzip.decompress(body)
    for site, base in web.bases.items():
        body = body.replace(base.encode(), f"http://{site}.demo".encode())
    return body


def test_deterministic_across_instances(web, truth):
    with DemoWeb(faults=True, slow_seconds=SLOW) as other:
        other_truth = planted_truth(other)
        strip = lambda t, w: json.loads(normalised(w, json.dumps(t).encode()))  # noqa: E731
        assert strip(truth, web) == strip(other_truth, other)
        paths = ["/", "/robots.txt", "/sitemap_index.xml", "/feed.xml", "/feed/", "/news-sitemap.xml",
                 "/atom.xml", "/page/2/", "/sitemaps/posts-2.xml.gz", "/sitemap.xml", "/about/"]
        compared = 0
        for site in web.sites:
            urls = [web.bases[site] + p for p in paths] + [a["url"] for a in site_truth(truth, site)]
            for url in urls:
                path = url[len(web.bases[site]):]
                if path.startswith("/faults/"):
                    continue
                mine, theirs = fetch(url), fetch(other.bases[site] + path)
                assert mine[0] == theirs[0], url
                assert normalised(web, mine[2]) == normalised(other, theirs[2]), url
                compared += 1
        assert compared > 250


# --------------------------------------------------------------------------- faults

def fault_url(web, path):
    return web.bases["faultyreprint"] + path


def test_fault_catalogue_is_linked(web, truth):
    sitemap = {loc for loc, _ in sitemap_locs(fault_url(web, "/sitemap.xml"))[1]}
    for path in FAULTS:
        if path.startswith("/faults/"):
            assert fault_url(web, path) in sitemap
    kinds = {f["kind"] for f in truth["faults"]}
    assert {k for k, _ in FAULTS.values()} <= kinds and "tracking_variant" in kinds


def test_fault_404(web):
    assert fetch(fault_url(web, "/faults/status-404-missing/"))[0] == 404


def test_fault_500_then_ok(web):
    url = fault_url(web, "/faults/flaky-500-then-ok/")
    assert fetch(url)[0] == 500
    status, _, body = fetch(url)
    assert status == 200 and b'rel="canonical"' in body


def test_fault_429_then_ok(web):
    url = fault_url(web, "/faults/rate-limited-429-then-ok/")
    status, headers, _ = fetch(url)
    assert status == 429 and headers["Retry-After"] == "1"
    assert fetch(url)[0] == 429  # too soon: Retry-After not honoured
    time.sleep(1.05)
    assert fetch(url)[0] == 200


def test_fault_slow(web):
    url = fault_url(web, "/faults/slow-response-page/")
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(url, timeout=SLOW / 4)
    start = time.monotonic()
    assert fetch(url, timeout=SLOW * 4)[0] == 200
    assert time.monotonic() - start >= SLOW * 0.9


def test_fault_redirect_chain_and_loop(web, truth):
    url, hops = fault_url(web, "/faults/redirect-chain-start/"), []
    while True:
        status, headers, _ = fetch(url)
        if status not in (301, 302, 303, 307, 308):
            break
        hops.append(status)
        url = headers["Location"]
    assert hops == [301, 302, 307] and status == 200
    assert url in {a["url"] for a in site_truth(truth, "faultyreprint")}
    status, headers, _ = fetch(fault_url(web, "/faults/redirect-loop-a/"))
    assert status == 302 and headers["Location"].endswith("/faults/redirect-loop-b/")
    assert fetch(headers["Location"])[1]["Location"].endswith("/faults/redirect-loop-a/")
    with pytest.raises(urllib.error.HTTPError):
        _FOLLOW.open(fault_url(web, "/faults/redirect-loop-a/"), timeout=5)


def test_fault_encodings(web):
    status, headers, body = fetch(fault_url(web, "/faults/cyrillic-windows-1251-page/"))
    assert headers["Content-Type"] == "text/html" and b'charset="windows-1251"' in body
    assert "Северогорска" in body.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, body = fetch(fault_url(web, "/faults/latin1-wrong-charset-utf8/"))
    assert headers["Content-Type"] == "text/html; charset=utf-8" and "approuvé" in body.decode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, body = fetch(fault_url(web, "/faults/latin1-no-charset-header/"))
    assert headers["Content-Type"] == "text/html" and b"charset" not in body
    assert "Núñez" in body.decode("latin-1")


def test_fault_malformed(web):
    status, _, body = fetch(fault_url(web, "/faults/malformed-truncated-html/"))
    assert status == 200 and not body.rstrip().endswith(b"</html>")
    assert body.count(b"<b>") > body.count(b"</b>")


def test_fault_huge_page(web):
    url = fault_url(web, "/faults/huge-20mb-page/")
    status, headers, _ = fetch(url, method="HEAD")
    assert int(headers["Content-Length"]) == 20 * 1024 * 1024
    body = fetch(url, timeout=20)[2]
    assert len(body) == 20 * 1024 * 1024 and body.startswith(b"<!DOCTYPE html>") and body.endswith(b"</html>\n")


def test_fault_gzip_bomb_headers_and_first_bytes(web):
    url = fault_url(web, "/faults/gzip-bomb-1gb/")
    with _FOLLOW.open(url, timeout=5) as resp:
        assert resp.headers["Content-Encoding"] == "gzip"
        assert int(resp.headers["Content-Length"]) < 2 * 1024 * 1024
        head = resp.read(64 * 1024)
    assert head[:2] == b"\x1f\x8b"
    inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1 << 20)
    assert inflated.startswith(b"<!DOCTYPE html>") and inflated.endswith(b"\0" * 1000)


def test_gzip_bomb_stream_is_valid_gzip(monkeypatch):
    # Same construction at 1/4000 of the size: 70 blocks of 64 KiB (not a multiple of 64).
    monkeypatch.setattr(faults, "_BOMB_CHUNK", 64 << 10)
    monkeypatch.setattr(faults, "BOMB_SIZE", 70 * (64 << 10))
    faults._bomb_parts.cache_clear()
    faults._bomb_trailer.cache_clear()
    try:
        resp = faults.gzip_bomb()
        wire = b"".join(resp.chunks())
        assert len(wire) == resp.length
        data = gzip.decompress(wire)
        assert data == faults._BOMB_PREFIX + bytes(faults.BOMB_SIZE)
    finally:
        faults._bomb_parts.cache_clear()
        faults._bomb_trailer.cache_clear()


def test_fault_small_bodies(web):
    status, headers, body = fetch(fault_url(web, "/faults/empty-200-body/"))
    assert status == 200 and body == b"" and headers["Content-Length"] == "0"
    status, headers, body = fetch(fault_url(web, "/faults/png-served-as-html/"))
    assert headers["Content-Type"].startswith("text/html") and body.startswith(b"\x89PNG\r\n\x1a\n")
    status, _, body = fetch(fault_url(web, "/faults/soft-404-page-not-found/"))
    assert status == 200 and b"Page not found" in body


def test_fault_site_links_and_discovery_traps(web):
    robots = fetch(fault_url(web, "/robots.txt"))[2].decode()
    assert "Disallow: /private/" in robots
    home = page(fetch(web.urls["faultyreprint"])[2])
    hrefs = home.xpath("//a/@href")
    assert "/private/members-only-notes/" in hrefs
    assert any(h.endswith("?utm_source=x") for h in hrefs) and any(h.endswith("?fbclid=y") for h in hrefs)
    assert any(h.endswith("#frag") for h in hrefs)
    assert any(h.startswith("http://example.com/") for h in hrefs)
    assert any(h.startswith("mailto:") for h in hrefs) and any(h.startswith("ftp://") for h in hrefs)
    assert web.urls["northwire"] in hrefs
    twin = next(h for h in hrefs if h.endswith("?fbclid=y"))
    assert fetch(fault_url(web, twin))[2] == fetch(fault_url(web, twin.split("?")[0]))[2]
    with pytest.raises(ET.ParseError):
        xml_root(fetch(fault_url(web, "/sitemap-broken.xml"))[2])
    feed = alternate(web, "faultyreprint", "application/rss+xml")
    status, headers, body = fetch(feed)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    with pytest.raises(ET.ParseError):
        xml_root(body)


# --------------------------------------------------------------------------- API odds and ends

def test_request_log_and_sites_yaml(web, tmp_path):
    fetch(web.urls["truthecho"] + "about/")
    assert ("truthecho", "/about/", 200) in web.request_log
    target = tmp_path / "sites.yaml"
    web.write_sites_yaml(target)
    data = yaml.safe_load(target.read_text())
    assert data == {"sites": [{"name": s, "url": web.urls[s]} for s in web.sites]}


def test_without_faults_there_is_no_fault_site():
    with DemoWeb() as plain:
        assert list(plain.urls) == list(SITE_NAMES)
        truth = planted_truth(plain)
        assert "faults" not in truth and {a["site"] for a in truth["articles"]} == set(SITE_NAMES)


def test_command_line_serves_until_sigterm(tmp_path):
    sites = tmp_path / "sites.yaml"
    with subprocess.Popen([sys.executable, "-m", "tests.demoweb", "--base-port", "0", "--sites-file", str(sites)],
                          cwd=REPO, stdout=subprocess.PIPE, text=True) as proc:  # closes the pipe at the end
        try:
            lines = [proc.stdout.readline().split() for _ in SITE_NAMES]
            assert [name for name, _ in lines] == list(SITE_NAMES)
            assert fetch(lines[0][1])[0] == 200
            assert yaml.safe_load(sites.read_text())["sites"][0]["url"] == lines[0][1]
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=5) == 0
