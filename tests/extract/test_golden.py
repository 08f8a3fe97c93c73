"""Golden pages of every demo template: expected fields (fundus style) and snippets (trafilatura style)."""

from __future__ import annotations

import datetime as dt

import pytest

from extract.page import extract_page
from extract_testlib import f1, golden_cases, load_case

CASES = golden_cases()
IDS = [f"{c.parent.name}/{c.name}" for c in CASES]
FIELDS = ("title", "authors", "language", "credited_source_url", "credited_source_name", "credited_source_evidence")


def _extract(folder):
    body, meta, expected = load_case(folder)
    record = extract_page(body, meta["url"], site=meta["site"], crawl_date=dt.date.fromisoformat(meta["crawl_date"]),
                          content_type=meta["content_type"], http_status=meta["http_status"])
    return record, expected


def test_every_template_has_golden_pages():
    sites = {c.parent.name for c in CASES}
    assert sites == {"northwire", "worldreprint", "freepressmirror", "commonsdigest", "newsbeacon", "truthecho",
                     "faultyreprint"}
    assert len(CASES) >= 30


@pytest.mark.parametrize("folder", CASES, ids=IDS)
def test_golden_fields(folder):
    record, expected = _extract(folder)
    assert (record["status"], record["reason"]) == (expected["status"], expected["reason"])
    for field in FIELDS:
        if field in expected:
            assert record[field] == expected[field], field
    if "site_name" in expected:  # as the page writes it ("TRUTH ECHO" in its <title>)
        assert record["site_name"].casefold() == expected["site_name"].casefold()
    if "published_date" in expected:
        assert record["published_at"][:10] == expected["published_date"]


@pytest.mark.parametrize("folder", CASES, ids=IDS)
def test_golden_snippets(folder):
    record, expected = _extract(folder)
    text = record["text"] or ""
    for snippet in expected.get("must_contain", []):
        assert snippet in text
    for snippet in expected.get("must_not_contain", []):
        assert snippet not in text


@pytest.mark.parametrize("folder", [c for c in CASES if "text" in load_case(c)[2]],
                         ids=[i for c, i in zip(CASES, IDS) if "text" in load_case(c)[2]])
def test_golden_text_matches_the_article(folder):
    """A copy's text reads like the article: F1 >= 0.98 against the true text, paragraphs kept."""
    record, expected = _extract(folder)
    assert f1(expected["text"], record["text"]) >= 0.98
    assert record["text"].count("\n\n") == expected["text"].count("\n\n")


@pytest.mark.parametrize("folder", [c for c in CASES if "title" in load_case(c)[2]],
                         ids=[i for c, i in zip(CASES, IDS) if "title" in load_case(c)[2]])
def test_no_empty_field_on_articles(folder):
    """Fundus' check: every article page of a template yields every basic field."""
    record, _ = _extract(folder)
    for field in ("title", "authors", "published_at", "published_evidence", "language", "site_name",
                  "text", "word_count"):
        assert record[field], field
