"""Bad input gives a record with ``status`` and ``reason``, never an exception that stops the batch."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from extract import page as page_module
from extract.page import extract_page
from extract_testlib import article_html, prose

URL = "https://site.example/news/story"
DAY = dt.date(2026, 11, 20)
ARTICLE = article_html("Ferry service restored", [prose(1), prose(2), prose(3)])


def outcome(body, content_type="text/html", **kw) -> tuple:
    record = extract_page(body, URL, crawl_date=DAY, content_type=content_type, **kw)
    return record["status"], record["reason"]


@pytest.mark.parametrize("body, content_type, reason", [
    (b"", "text/html", "empty_body"),
    (b"  \n\t ", "text/html", "empty_body"),
    (None, "text/html", "empty_body"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "text/html", "binary_content"),
    (b"%PDF-1.7\n" + bytes(100), None, "binary_content"),
    (gzip.compress(ARTICLE.encode()), "text/html", "binary_content"),
    (b"GIF89a" + bytes(50), "text/html", "binary_content"),
    (ARTICLE.encode(), "application/pdf", "not_html"),
    (b'{"title": "not a page"}', "application/json", "not_html"),
    (b"\x00\x01\x02\x03" * 100, None, "binary_content"),
])
def test_non_html_bodies(body, content_type, reason):
    assert outcome(body, content_type) == ("no_article", reason)


def test_error_statuses():
    assert outcome(ARTICLE.encode(), http_status=404) == ("no_article", "http_error")
    assert outcome(ARTICLE.encode(), http_status=503) == ("no_article", "http_error")
    assert outcome(ARTICLE.encode(), http_status=200) == ("ok", None)


def test_a_huge_page_is_refused_before_parsing():
    huge = ARTICLE.replace("</article>", "<p>filler text</p>" * 400_000 + "</article>").encode()
    assert len(huge) > 5_000_000
    assert outcome(huge) == ("no_article", "too_large")


def test_truncated_html_keeps_what_arrived():
    cut = ARTICLE[: ARTICLE.index(prose(3)) + 200]
    record = extract_page(cut.encode(), URL, crawl_date=DAY, content_type="text/html")
    assert record["status"] == "ok" and prose(2) in record["text"] and prose(1)[:50] in record["text"]


@pytest.mark.parametrize("encoding, content_type, meta", [
    ("latin-1", "text/html; charset=utf-8", ""),  # latin-1 bytes served as utf-8
    ("latin-1", "text/html", ""),  # no charset anywhere
    ("utf-8", "text/html; charset=iso-8859-1", ""),  # utf-8 bytes declared latin-1
    ("cp1251", "text/html", '<meta charset="windows-1251">'),
])
def test_mis_declared_encodings(encoding, content_type, meta):
    text = ("Le conseil municipal a approuvé jeudi un budget révisé pour l'année prochaine. " * 3
            if encoding != "cp1251" else "Городской совет утвердил новый план ремонта дорог. " * 6)
    html = f"<!DOCTYPE html><html><head>{meta}<title>Budget</title></head><body><article>" + \
        "".join(f"<p>{text} {i}</p>" for i in range(4)) + "</article></body></html>"
    record = extract_page(html.encode(encoding), URL, crawl_date=DAY, content_type=content_type)
    assert record["status"] == "ok"
    assert text.split(".")[0] in record["text"]
    assert "\ufffd" not in record["text"] and "Ã" not in record["text"]


def test_a_not_found_page_served_with_200():
    html = article_html("Page not found", ["Sorry, the page you were looking for does not exist or has moved.",
                                           "Try the homepage or search the archive for older stories."])
    assert outcome(html.encode()) == ("no_article", "not_found_page")


def test_an_index_page():
    rows = "".join(f'<li><a href="/news/{i}">Council approves plan number {i} for harbour</a> '
                   f"<time datetime='2026-11-1{i % 9}'>Nov</time></li>" for i in range(12))
    html = (f"<!DOCTYPE html><html><head><title>Latest news | Test Site</title></head><body><h1>Latest news</h1>"
            f"<ul>{rows}</ul></body></html>")
    assert outcome(html.encode()) == ("no_article", "index_page")


def test_a_stub_page_is_too_short():
    html = article_html("Members only", ["Notes for subscribers."])
    assert outcome(html.encode()) == ("no_article", "too_short")


def test_text_input_and_garbage_markup_never_raise():
    assert extract_page(ARTICLE, URL)["status"] == "ok"
    for body in (b"<html", b"<<<>>>", b"</p></div>", "<p>\udcff</p>".encode("utf-8", "surrogatepass"),
                 b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</body></html>"):
        assert extract_page(body, URL)["status"] in ("no_article", "error")


def test_an_unexpected_crash_is_an_error_record(monkeypatch):
    def boom(*args, **kw):
        raise RuntimeError("parser exploded")
    monkeypatch.setattr(page_module, "main_paragraphs", boom)
    record = extract_page(ARTICLE, URL, site="s", fetched_at="2026-11-20T01:00:00Z")
    assert (record["status"], record["reason"]) == ("error", "RuntimeError: parser exploded")
    assert (record["url"], record["site"], record["fetched_at"]) == (URL, "s", "2026-11-20T01:00:00Z")


@pytest.mark.parametrize("depth", [500, 5_000, 100_000])
def test_hostile_json_ld_nesting_leaves_the_article(depth):
    """JSON-LD nested deeper than Python's stack is ignored (or walked without recursion): the
    article still comes out, it is not lost to a RecursionError."""
    blob = '{"@type": "NewsArticle", "x": ' + '{"a": [' * depth + "1" + "]}" * depth + "}"
    body = ARTICLE.replace("</head>", f'<script type="application/ld+json">{blob}</script></head>').encode()
    assert outcome(body)[0] == "ok"
