"""What a page credits as its source, with the evidence, the original's date and relative links resolved."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extract.page import extract_page
from extract_testlib import article_html, prose

URL = "https://reprints.example/2025/09/21/story/"
DAY = dt.date(2025, 9, 22)


def extract(html: str, url: str = URL, **kw) -> dict:
    record = extract_page(html, url, crawl_date=DAY, **kw)
    assert record["status"] == "ok", record["reason"]
    return record


def page(after: str = "", *, head: str = "", before: str = "") -> str:
    return article_html("Ferry service restored", [prose(1), prose(2), prose(3)], head=head, before=before,
                        after=after)


def credit(record: dict) -> tuple:
    return record["credited_source_name"], record["credited_source_url"], record["credited_source_evidence"]


def test_the_seed_page_keeps_both_dates():
    """Global Research style: republished 21 September, originally published 20 September."""
    html = page(
        '<p>The original source of this article is '
        '<a href="https://origin.example/2025/09/20/ferry/">Origin Post</a></p>'
        "<p>This article was first published on September 20, 2025.</p>"
        "<p>Copyright © Jane Doe, Origin Post, 2025</p>",
        head='<meta property="article:published_time" content="2025-09-21T08:00:00+02:00">')
    record = extract(html)
    assert credit(record) == ("Origin Post", "https://origin.example/2025/09/20/ferry/", "attribution_text")
    assert (record["published_at"], record["published_evidence"]) == ("2025-09-21T06:00:00Z", "meta")
    assert (record["original_published_at"], record["original_published_evidence"]) == (
        "2025-09-20T00:00:00Z", "attribution_text")
    assert "original source" not in record["text"] and "Copyright" not in record["text"]


@pytest.mark.parametrize("line, name", [
    ('<p><em>This article was originally published on <a href="{u}">The Conversation</a>.</em></p>',
     "The Conversation"),
    ('<p>Originally published by <a href="{u}">Harbour Herald</a> on 20 September 2025.</p>', "Harbour Herald"),
    ('<p>First published by <a href="{u}">Harbour Herald</a>.</p>', "Harbour Herald"),
    ('<p><strong>Source</strong>: <a href="{u}">Harbour Herald</a></p>', "Harbour Herald"),
    ('<p>Republished from <a href="{u}">Harbour Herald</a> under a Creative Commons licence.</p>', "Harbour Herald"),
    ('<p><a href="{u}">Read the rest at Harbour Herald</a></p>', "Harbour Herald"),
    ('<p>This story first appeared in <a href="{u}">Harbour Herald</a>.</p>', "Harbour Herald"),
])
def test_attribution_lines(line, name):
    origin = "https://herald.example/news/ferry-restored"
    record = extract(page(line.format(u=origin)))
    assert credit(record) == (name, origin, "attribution_text")
    assert "Harbour Herald" not in record["text"] and "Conversation" not in record["text"]


def test_a_name_without_a_link_and_a_url_in_text():
    assert credit(extract(page("<p>First published by the Harbour Herald on May 2, 2025.</p>"))) == (
        "the Harbour Herald", None, "attribution_text")
    record = extract(page("<p>Originally published at https://herald.example/a/1.</p>"))
    assert credit(record) == ("herald.example", "https://herald.example/a/1", "attribution_text")


def test_relative_links_are_resolved():
    protocol_relative = extract(page('<p>Source: <a href="//herald.example/a/2">Harbour Herald</a></p>'))
    assert protocol_relative["credited_source_url"] == "https://herald.example/a/2"
    with_base = extract(page('<p>Source: <a href="a/3">Harbour Herald</a></p>',
                             head='<base href="https://herald.example/news/">'))
    assert with_base["credited_source_url"] == "https://herald.example/news/a/3"


def test_json_ld_is_based_on_and_source_organization():
    based = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferry service restored",
             "isBasedOn": {"@type": "NewsArticle", "url": "/orig/1", "datePublished": "2025-09-20T07:00:00Z",
                           "publisher": {"@type": "Organization", "name": "Origin Post"}}}
    record = extract(page(head=f'<script type="application/ld+json">{json.dumps(based)}</script>'))
    assert credit(record) == ("Origin Post", "https://reprints.example/orig/1", "json-ld:isBasedOn")
    assert record["original_published_at"] == "2025-09-20T07:00:00Z"
    org = {"@type": "NewsArticle", "sourceOrganization": {"@type": "Organization", "name": "Wire Service",
                                                          "url": "https://wire.example/"}}
    record = extract(page(head=f'<script type="application/ld+json">{json.dumps(org)}</script>'))
    assert credit(record) == ("Wire Service", "https://wire.example/", "json-ld:sourceOrganization")


def test_cross_domain_canonical_and_og_url():
    record = extract(page(head='<link rel="canonical" href="https://origin.example/a/9">'))
    assert credit(record) == (None, "https://origin.example/a/9", "canonical")
    assert record["canonical_url"] == "https://origin.example/a/9"
    record = extract(page(head='<meta property="og:url" content="https://origin.example/a/10">'))
    assert credit(record) == (None, "https://origin.example/a/10", "og:url")
    same = extract(page(head=f'<link rel="canonical" href="{URL}"><meta property="og:url" content="/x">'))
    assert credit(same) == (None, None, None)


def test_the_attribution_line_wins_over_the_canonical():
    record = extract(page('<p>Source: <a href="https://herald.example/a/4">Harbour Herald</a></p>',
                          head='<link rel="canonical" href="https://other.example/a/4">'))
    assert credit(record) == ("Harbour Herald", "https://herald.example/a/4", "attribution_text")


def test_a_page_crediting_itself_credits_nothing():
    html = page('<div class="box"><p>The original source of this article is <a href="/2025/09/21/story/">Test Site</a>'
                "</p><p>Copyright © Jane Doe, Test Site, 2025</p></div>")
    assert credit(extract(html)) == (None, None, None)


@pytest.mark.parametrize("line", [
    "<p>Source: Getty Images</p>",
    "<p>Source: census data, 2024</p>",
    "<p>The bridge, which was first published in plans in 1998, will reopen in May after repairs.</p>",
])
def test_picture_credits_and_article_sentences_are_not_sources(line):
    assert credit(extract(page(line))) == (None, None, None)


def test_a_future_original_date_is_rejected():
    record = extract(page('<p>Originally published by <a href="https://h.example/1">Herald</a> on May 2, 2031.</p>'))
    assert record["credited_source_url"] == "https://h.example/1"
    assert record["original_published_at"] is None


def test_a_page_linking_its_credit_to_itself_credits_nothing_even_without_a_site_name():
    html = page(f'<p>The original source of this article is <a href="{URL}">Reprints Weekly</a></p>')
    html = html.replace('<meta property="og:site_name" content="Test Site">', "").replace(" | Test Site", "")
    assert credit(extract(html)) == (None, None, None)
