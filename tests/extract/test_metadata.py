"""Metadata fields and the evidence behind the dates."""

from __future__ import annotations

import datetime as dt
import json

from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from extract.authors import split_authors
from extract.bylines import byline_elements, in_discarded
from extract.metadata import strip_site_suffix, title_and_site
from extract.page import extract_page
from extract_testlib import article_html, golden_cases, load_case, prose

DAY = dt.date(2026, 11, 20)


def extract(html: str, url: str = "https://site.example/news/story", **kw) -> dict:
    record = extract_page(html, url, crawl_date=kw.pop("crawl_date", DAY), **kw)
    assert record["status"] == "ok", record["reason"]
    return record


def page(head: str = "", before: str = "", title: str = "Ferry service restored", lang: str = "en") -> str:
    return article_html(title, [prose(1), prose(2), prose(3)], head=head, before=before, lang=lang)


def ld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


# crosspost's byline query as it was written in XPath (extract.bylines runs it in Python)
BYLINE_NODES = ("//*[@rel='author'] | //*[@itemprop='author'] | //*[contains(@class,'author') or "
                "contains(@class,'byline') or contains(@class,'-info') or contains(@class,'-meta') "
                "or contains(@class,'posted')]")


def published(record: dict) -> tuple:
    return record["published_at"], record["published_evidence"]


def test_dates_follow_the_evidence_order():
    head = (ld(datePublished="2026-11-18T09:30:00-05:00", dateModified="2026-11-19T10:00:00Z")
            + '<meta property="article:published_time" content="2026-11-17T00:00:00Z">')
    record = extract(page(head, before='<time datetime="2026-11-16">Nov 16</time>'))
    assert published(record) == ("2026-11-18T14:30:00Z", "json-ld")
    assert (record["modified_at"], record["modified_evidence"]) == ("2026-11-19T10:00:00Z", "json-ld")
    assert published(extract(page(before='<time datetime="2026-11-16T08:00:00+01:00">x</time>'))) == (
        "2026-11-16T07:00:00Z", "time")
    assert published(extract(page(), url="https://site.example/2026/11/15/story/")) == ("2026-11-15T00:00:00Z", "url")
    assert published(extract(page(), listed_date="2026-11-14")) == ("2026-11-14T00:00:00Z", "sitemap/feed")
    assert published(extract(page(before="<p class='date'>Posted November 13, 2026</p>"))) == (
        "2026-11-13T00:00:00Z", "htmldate")


def test_a_date_in_words_is_read_in_the_page_language():
    """htmldate hands "Jueves 28 de Abril ..." to dateparser, which reads it in the page's language
    (extract.dates.date_languages); its answer must not depend on the pages extracted before."""
    from htmldate import extractors

    spanish_date = "<p class='fecha'>Jueves 28 de Abril de 2022 5:03 PM</p>"
    expected = ("2022-04-28T00:00:00Z", "htmldate")
    own_parser = extractors.get_external_parser
    # read as Japanese or English: not that day (htmldate falls back to the bare year)
    assert published(extract(page(before=spanish_date, lang="ja")))[0] != expected[0]
    assert published(extract(page(before=spanish_date, lang="es"))) == expected
    assert extractors.get_external_parser is own_parser  # htmldate's own parser is back
    assert published(extract(page(before=spanish_date, lang="xx"))) == expected  # unknown: every language


def test_future_and_pre_1995_dates_are_rejected():
    head = ld(datePublished="2027-01-01T00:00:00Z") + '<meta property="article:published_time" content="1990-05-01">'
    record = extract(page(head), url="https://site.example/2026/11/10/story/")
    assert published(record) == ("2026-11-10T00:00:00Z", "url")
    late_same_day = extract(page(ld(datePublished="2026-11-20T23:59:00-00:00")))
    assert published(late_same_day) == ("2026-11-20T23:59:00Z", "json-ld")


def test_no_date_at_all():
    record = extract(page())
    assert published(record) == (None, None)


def test_title_without_the_site_name():
    record = extract(page())  # <title>Ferry service restored | Test Site</title>, og:site_name "Test Site"
    assert (record["title"], record["site_name"]) == ("Ferry service restored", "Test Site")
    assert title_and_site("TRUTH ECHO :: Ferry service restored", None, ["Ferry service restored"]) == (
        "Ferry service restored", "TRUTH ECHO")
    assert strip_site_suffix("Ferry - News Beacon", "News Beacon") == "Ferry"
    assert strip_site_suffix("Milan Design Week 2018 | Light installation", "Inexhibit") == (
        "Milan Design Week 2018 | Light installation")


def test_site_name_from_the_title_when_the_page_does_not_say():
    html = page().replace('<meta property="og:site_name" content="Test Site">', "")
    assert extract(html)["site_name"] == "Test Site"


def test_authors_are_names_only():
    assert extract(page(ld(author=[{"@type": "Person", "name": "Ada Okonkwo"}, "By Ravi Chaudhry"])))["authors"] == [
        "Ada Okonkwo", "Ravi Chaudhry"]
    assert extract(page('<meta name="author" content="Helena Marsh and Peter Lindgren">'))["authors"] == [
        "Helena Marsh", "Peter Lindgren"]
    url_author = '<meta property="article:author" content="https://facebook.com/someone">'
    assert extract(page(url_author + '<meta name="author" content="Sofia Brandt">'))["authors"] == ["Sofia Brandt"]
    assert extract(page(before='<p class="byline">By Maeve Kinsella · May 2, 2026</p>'))["authors"] == [
        "Maeve Kinsella"]
    assert split_authors("Jonas Albrecht, Greta Solberg & Owen Pritchard") == [
        "Jonas Albrecht", "Greta Solberg", "Owen Pritchard"]


def test_the_byline_search_is_trafilaturas_and_skips_the_parts_it_discards():
    """An author element in comments, a sidebar, a figure or a <time> is not the byline. The one
    pass over the page selects what trafilatura's author XPaths select (and ours), and the check
    asked of each element's ancestors agrees with its discard XPaths."""
    aside = ('<div class="comments"><span class="author">Anon Commenter</span></div>'
             '<section class="sidebar"><a rel="author">Side Bar</a></section>'
             '<figure><span class="author-name">Photo Credit</span></figure>')
    html = page(before=aside + '<p class="author">Lena Vogel</p>')
    assert extract(html)["authors"] == ["Lena Vogel"]
    every_clause = ('<author>A</author><div><rel>me</rel></div><a data-testid="AuthorURL">B</a>'
                    '<h4 id="zuozhe">C</h4><p class="byl">D</p><i data-component="Byline">E</i>'
                    '<b class="screenname">F</b><em itemprop="author">G</em><span class="post-meta">H</span>'
                    '<p itemprop="author name">I</p><li id="theAuthor">J</li>')
    for text in [html, page(before=every_clause)] + [load_case(case)[0] for case in golden_cases()]:
        tree = load_html(text)
        if tree is None:  # the golden pages that are not HTML
            continue
        found = byline_elements(tree)
        assert list(found.trafilatura) == [expression(tree) for expression in AUTHOR_XPATHS]
        assert found.ours == tree.xpath(BYLINE_NODES)
        dropped = {node for discard in AUTHOR_DISCARD_XPATHS for node in discard(tree)}
        for node in (node for nodes in found.trafilatura for node in nodes):
            expected = node in dropped or any(parent in dropped for parent in node.iterancestors())
            assert in_discarded(node) == expected


def test_language_tags_image_description_canonical():
    head = ('<meta property="og:image" content="/img/ferry.jpg"><meta name="description" content="Ferries are back.">'
            '<meta property="article:tag" content="Transport"><meta property="article:tag" content="Harbour">'
            '<meta name="keywords" content="ferry, transport"><link rel="canonical" href="/news/story">')
    record = extract(page(head, lang="en-GB"))
    assert record["language"] == "en"
    assert record["tags"] == ["Transport", "Harbour", "ferry"]
    assert record["image_url"] == "https://site.example/img/ferry.jpg"
    assert record["description"] == "Ferries are back."
    assert record["canonical_url"] == "https://site.example/news/story"
    undeclared = page(lang="").replace(' lang=""', "")
    assert extract(undeclared)["language"] == "en"  # guessed from the text
