"""Body text: paragraphs kept, Unicode and whitespace normalised, recognised boilerplate trimmed at the edges."""

from __future__ import annotations

import unicodedata

import pytest

from extract.edges import strip_edges
from extract.page import extract_page
from extract_testlib import article_html, prose

URL = "https://site.example/news/story"


def text_of(html: str) -> str:
    record = extract_page(html, URL)
    assert record["status"] == "ok", record["reason"]
    return record["text"]


def test_paragraphs_are_separated_by_one_blank_line():
    text = text_of(article_html("Ferry service restored", [prose(1), prose(2), prose(3)]))
    assert text.split("\n\n") == [prose(1), prose(2), prose(3)]


def test_unicode_nfc_and_whitespace():
    decomposed = (unicodedata.normalize("NFD", "Café Zoë in Malmö reopened")
                  + "\u00a0\u00a0and\u200b  the\tsoft\u00adhyphen")
    text = text_of(article_html("Cafe", [decomposed + " " + prose(1), prose(2)]))
    first = text.split("\n\n")[0]
    assert first.startswith("Café Zoë in Malmö reopened and the softhyphen ")
    assert unicodedata.is_normalized("NFC", text)


def test_tables_and_lists_come_out_as_text():
    html = article_html("Results", [prose(1)], after=(
        "<ul><li>First item of the list</li><li>Second item of the list</li></ul>"
        "<table><tr><td>Ward</td><td>Votes</td></tr><tr><td>North</td><td>1,204</td></tr></table>"))
    text = text_of(html)
    assert "First item of the list" in text and "Second item of the list" in text
    assert "North" in text and "1,204" in text


def test_title_byline_and_dateline_are_not_body():
    html = article_html("Ferry service restored", [prose(1), prose(2)],
                        before="<p>By Helena Marsh</p><p>November 18, 2026</p>",
                        head='<meta name="author" content="Helena Marsh">')
    text = text_of(html)
    assert text.startswith(prose(1)[:40])
    assert "Ferry service restored" not in text and "Helena Marsh" not in text


HEAD_PROMOS = [
    "<p><strong>Click the share button above to email/forward this article to your friends.</strong></p>",
    '<p><em>This article was originally published on <a href="https://o.example/1">Origin</a>.</em></p>',
]
TAIL_PROMOS = [
    "<p>Sign up for our newsletter to get the best stories in your inbox every morning.</p>",
    "<p>Dear Readers, we are funded by our readers. Please consider a monthly donation.</p>",
    "<p>Copyright © 2026 Test Site. All rights reserved.</p>",
    "<p>Disclaimer: The contents of this article are of sole responsibility of the author(s).</p>",
    "<p>Follow us on Twitter and Facebook for more updates.</p>",
    '<p>Source: <a href="https://o.example/1">Origin</a></p>',
    "<h3>Related articles</h3><ul><li><a href='/a'>Council delays vote on harbour plan</a></li>"
    "<li><a href='/b'>Ferry operator names new chief executive</a></li></ul>",
    "<p>Comments (0)</p>",
]


@pytest.mark.parametrize("promo", HEAD_PROMOS)
def test_promos_and_attribution_at_the_start_are_trimmed(promo):
    text = text_of(article_html("Ferry service restored", [prose(1), prose(2)], before=promo))
    assert text.split("\n\n")[0] == prose(1)


@pytest.mark.parametrize("promo", TAIL_PROMOS)
def test_promos_appeals_and_disclaimers_at_the_end_are_trimmed(promo):
    text = text_of(article_html("Ferry service restored", [prose(1), prose(2)], after=promo))
    assert text.split("\n\n")[-1] == prose(2)


def test_inline_promos_and_their_link_lists_go_anywhere():
    middle = ("<p>Related: <a href='/x'>Ferry operator names new chief</a></p>"
              "<ul><li><a href='/y'>Harbour dredging starts next month</a></li></ul><p>Advertisement</p>")
    html = article_html("Ferry", [prose(1)], after=middle + f"<p>{prose(2)}</p>")
    assert text_of(html).split("\n\n") == [prose(1), prose(2)]


def test_article_text_that_only_looks_like_a_promo_stays():
    notes = ["Correction: An earlier version of this article gave the wrong date for the meeting, which is on "
             "December 3. " + prose(9, 1),
             "Source material for the audit, including the minutes of every meeting, was released by the council "
             "on Friday after a long campaign by residents. " + prose(8, 2)]
    long_promo_like = "Sign up sheets were left at the library. " + prose(7)  # long: article text
    paragraphs = [notes[0], prose(1), notes[1], prose(2), long_promo_like]
    assert strip_edges(paragraphs) == paragraphs


@pytest.mark.parametrize("last", [
    "Copyright lawyers said the ruling would be appealed before the end of the year.",
    "The judge said the quotation was not fair use and ordered the book withdrawn.",
    "The council's newsletter will publish the full results in March.",
    "Support our troops, the mayor told the crowd as the parade ended.",
    "Register of Deeds staff will begin scanning the archive next week.",
])
def test_a_last_paragraph_that_mentions_promo_words_stays(last):
    assert strip_edges([prose(1), last]) == [prose(1), last]


def test_a_related_header_only_cuts_a_list_of_short_lines():
    paragraphs = [prose(1), "Related articles", prose(2), prose(3)]
    assert strip_edges(paragraphs) == [prose(1), prose(2), prose(3)]
    tail = [prose(1), "More from Test Site", "Council delays vote", "Ferry chief named"]
    assert strip_edges(tail) == [prose(1)]
