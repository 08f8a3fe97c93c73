"""extract.selectors: the same elements as trafilatura's expressions, in the same order."""

from __future__ import annotations

import importlib
import random
from copy import copy

import pytest
import trafilatura
from lxml.etree import XPath
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

from extract import selectors
from extract.decode import decode_html
from extract.exceptions import ExtractError
from extract.tree import parse_page
from extract_testlib import golden_cases, load_case

TAGS = ["div", "section", "aside", "article", "main", "p", "span", "list", "item", "ol", "ul", "details", "h1",
        "script", "style", "footer", "svg", "template", "fencedframe", "a", "li"]
ATTRIBUTES = ["id", "class", "style", "role", "aria-hidden", "itemprop", "data-component",
              "data-lp-replacement-content"]
# words of the expressions, in and out of their case, anchors and neighbours
WORDS = ["comment", "Comments", "commentary", "comol", "disqus_thread", "dsq-comments", "post-comments",
         "article-comments", "mvp-post-add-box", "mvp-post-add-wrap", "infinite-scroll", "infinitescroll",
         "elementor-share-buttons", "cookie", "cookie-banner", "Cookie_Notice", "notice--cookie", "CMPLZ", "share-x",
         "shared", "Share", "nav", "Nav", "NAV", "navigation", "ad-top", "ad", "x-ad-y", "dfpAd", "hidden",
         "display:none", "display: none", "reply-x", "comments-title", "teaser", "Teaser", "caption", "post", "entry",
         "articleBody", "articleContent", "article-body", "article__body", "fulltext", "FullText", "article", "story",
         "story-content", "content", "main-content", "Main-Content", "MAIN-CONTENT", "page-content", "Page-Content",
         "mainx", "main", "primary", "footer", "Footer", "true", "false", "MostPopularStories", "yin", "meta",
         "widget", "hide-x", "x-hide-y", "noprint", "premium", "related", "menu", "sidebar", "byline", "text", "cell",
         "postarea", "content-main", "contentBody", "akismet", "reader-comments", "message", "", " "]


def random_page(seed: int, elements: int = 600) -> str:
    """A page of nested elements whose attributes, in random order, mix the expressions' words."""
    rng = random.Random(seed)
    out, open_tags = ["<html><body>"], []
    for _ in range(elements):
        if open_tags and (rng.random() < 0.4 or len(open_tags) > 12):
            out.append(f"</{open_tags.pop()}>")
        tag = rng.choice(TAGS)
        attributes = rng.sample(ATTRIBUTES, rng.randint(0, 4))
        values = [rng.choice([" ", "-", "_", ""]).join(rng.sample(WORDS, rng.randint(1, 2))) for _ in attributes]
        attrs = "".join(f' {name}="{value}"' for name, value in zip(attributes, values))
        out.append(f"<{tag}{attrs}>{rng.choice(['text ', '', '<!-- c -->', '<?pi x?>'])}")
        if tag in ("script", "style", "template"):
            out.append(f"</{tag}>")
        else:
            open_tags.append(tag)
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out) + "</body></html>"


def trees_of(html: str) -> list:
    """The page's tree as parsed, and as trafilatura's cleaning and tag conversion leave it
    (``list``, ``item``, ``head``... where the expressions also look)."""
    tree = parse_page(html, "https://news.example/a").tree
    converted = convert_tags(tree_cleaning(copy(tree), Extractor()), Extractor())
    return [tree, converted]


def assert_same_selection(trees: list) -> None:
    for _, key, original, replacement in selectors._swaps():
        for tree in trees:
            for context in [tree, *tree.iterdescendants("div", "body")][:6]:
                assert replacement(context) == original(context), (key, original.path[:80])


@pytest.mark.parametrize("seed", range(12))
def test_each_selector_selects_what_trafilaturas_expression_selects(seed):
    assert_same_selection(trees_of(random_page(seed)))


@pytest.mark.parametrize("folder", golden_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_same_on_the_golden_pages(folder):
    body, meta, _ = load_case(folder)
    try:
        trees = trees_of(decode_html(body, meta.get("content_type")))
    except ExtractError:  # not HTML (an image, a feed, nothing): nothing to select
        pytest.skip("not an HTML page")
    assert_same_selection(trees)


def test_the_attribute_that_comes_first_is_the_one_tested():
    # re:test(@id|@class, 'cookie') and contains(@class|@id, 'footer') read the first attribute only
    page = ('<html><body><div class="cookie" id="x">a</div><div id="x" class="cookie">b</div>'
            '<div class="footer" id="y">c</div><div id="y" class="footer">d</div><div id="hidden" style="s">e</div>'
            '<div style="s" id="hidden">f</div></body></html>')
    assert_same_selection(trees_of(page))
    tree = parse_page(page, "https://news.example/a").tree
    assert [e.text for e in selectors.boilerplate_sections(tree)] == ["a", "c", "d"]  # c, d: "footer" anywhere
    assert [e.text for e in selectors.basic_clean(tree)] == ["c"]
    assert [e.text for e in selectors.hidden_elements(tree)] == ["e"]


def test_each_elements_first_matching_child_is_selected():
    # BODY_XPATH[0] ends in [1]: the first match among each element's children, not the page's first
    page = ('<html><body><div class="post">a<div class="entry">b</div><div class="entry">c</div></div>'
            '<div class="post">d</div></body></html>')
    tree = parse_page(page, "https://news.example/a").tree
    assert [e.text for e in selectors.article_content(tree)] == ["a", "b"]
    assert_same_selection([tree])


def test_every_translation_matches_the_installed_trafilatura():
    # a trafilatura whose expressions changed keeps them (slower, not wrong): this says to translate again
    assert len(selectors._swaps()) == len(selectors._REPLACES)


def test_an_expression_whose_text_changed_is_left_alone(monkeypatch):
    key = next(iter(selectors._REPLACES))
    monkeypatch.setitem(selectors._REPLACES, key, (selectors._REPLACES[key][0], "0" * 64))
    selectors._swaps.cache_clear()
    try:
        assert len(selectors._swaps()) == len(selectors._REPLACES) - 1
    finally:
        monkeypatch.undo()
        selectors._swaps.cache_clear()


def test_trafilatura_gets_its_own_expressions_back_after_the_block():
    from trafilatura import xpaths

    with pytest.raises(RuntimeError), selectors.trafilatura_selectors():
        assert not isinstance(xpaths.OVERALL_DISCARD_XPATH[0], XPath)
        raise RuntimeError
    assert all(isinstance(x, XPath) for x in xpaths.OVERALL_DISCARD_XPATH + xpaths.BODY_XPATH)
    assert isinstance(importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH, XPath)


@pytest.mark.parametrize("seed", range(4))
def test_trafilatura_extracts_the_same_text_with_the_selectors(seed):
    html = random_page(seed, 300).replace("text ", "Some words of a sentence long enough to count. ")
    plain = trafilatura.extract(html, fast=False)
    with selectors.trafilatura_selectors():
        assert trafilatura.extract(html, fast=False) == plain



def blocks_take_turns(block_a, block_b) -> bool:
    """Whether a thread entering ``block_b`` waits while another thread is inside ``block_a``."""
    import threading

    inside, leave, order = threading.Event(), threading.Event(), []

    def first():
        with block_a:
            inside.set()
            leave.wait(5)
            order.append("a leaves")

    def second():
        inside.wait(5)
        with block_b:
            order.append("b enters")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(0.3)  # b must still be waiting at the door
    leave.set()
    for thread in threads:
        thread.join(5)
    return order == ["a leaves", "b enters"]


def test_the_patching_blocks_of_two_threads_take_turns():
    from extract.dates import date_languages

    assert blocks_take_turns(selectors.trafilatura_selectors(), selectors.trafilatura_selectors())
    assert blocks_take_turns(date_languages("es"), date_languages(None))  # every language waits too


def test_threads_extracting_at_once_get_the_records_of_one_at_a_time(crawl_date):
    # the selectors and htmldate's language patch change module state for their block: threads take turns
    from concurrent.futures import ThreadPoolExecutor

    from extract.page import extract_page

    pages = [load_case(folder) for folder in golden_cases()]
    pages = [(body, meta) for body, meta, _ in pages if meta.get("url")]

    def extract(page):
        body, meta = page
        record = extract_page(body, meta["url"], crawl_date=crawl_date, content_type=meta.get("content_type"))
        return {k: v for k, v in record.items() if k != "extracted_at"}

    alone = [extract(page) for page in pages]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(extract, pages * 3)) == alone * 3
