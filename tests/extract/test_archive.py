"""extract_archive: one record per archived article page, two passes, learning per site and date."""

from __future__ import annotations

import datetime as dt

import pytest

from extract.archive import extract_archive
from extract.boilerplate import BoilerplateModel
from extract.exceptions import ArchiveError
from extract_testlib import article_html, golden_cases, load_case, prose, write_warc

DAY = dt.date(2026, 11, 20)
PROMO = ("Our reporting is free to read because readers like you chip in every month. "
         "Join the thousands of supporters who keep this newsroom going.")


def page(i: int, *, promo: bool = True, extra: str | None = None, title: str | None = None) -> dict:
    paragraphs = [prose(i), prose(i + 100)] + ([extra] if extra else []) + ([PROMO] if promo else []) + [prose(i + 200)]
    return {"url": f"http://site.test/news/{i}", "body": article_html(title or f"Story number {i}", paragraphs),
            "listed_date": "2026-11-19"}


def run(pages: list[dict], model: BoilerplateModel | None = None, day: dt.date = DAY) -> list[dict]:
    return list(extract_archive(write_warc(pages), "site", day, boilerplate=model))


def test_one_record_per_article_response_with_crawl_fields():
    pages = [page(1), page(2), {"url": "http://site.test/", "body": "<html></html>", "kind": "listing"}]
    records = run(pages)
    assert [r["url"] for r in records] == ["http://site.test/news/1", "http://site.test/news/2"]
    assert all(r["site"] == "site" and r["http_status"] == 200 and r["fetched_at"] for r in records)
    assert {r["listed_date"] for r in records} == {"2026-11-19"}


def test_a_block_repeated_across_the_batch_is_removed():
    records = run([page(i) for i in range(4)])
    assert all(r["status"] == "ok" for r in records)
    assert all("chip in every month" not in r["text"] for r in records)
    assert all(prose(i + 200)[:60] in r["text"] for i, r in enumerate(records))
    assert all(r["boilerplate_paragraphs"] >= 1 for r in records)


def test_a_single_page_keeps_everything_it_cannot_compare():
    (record,) = run([page(1)])
    assert "chip in every month" in record["text"]


def test_paragraphs_of_one_or_two_articles_are_never_removed():
    quote = prose(999)
    records = run([page(1, extra=quote), page(2, extra=quote), page(3), page(4)])
    assert quote in records[0]["text"] and quote in records[1]["text"]


def test_the_same_article_at_several_urls_counts_once():
    pages = [page(7, title="One story")] * 1 + [dict(page(7, title="One story"), url=f"http://site.test/x{i}")
                                                for i in range(3)]
    records = run(pages)
    assert all("chip in every month" in r["text"] for r in records)


def test_the_model_learns_the_date_and_reruns_are_identical():
    model = BoilerplateModel()
    first = run([page(i) for i in range(4)], model)
    assert list(model.days) == [DAY.isoformat()]
    stored = BoilerplateModel.from_bytes(model.to_bytes())
    again = run([page(i) for i in range(4)], stored)
    assert [r["text"] for r in again] == [r["text"] for r in first]
    assert stored.to_bytes() == model.to_bytes()


def test_a_later_date_uses_what_earlier_dates_taught():
    model = BoilerplateModel()
    run([page(i) for i in range(4)], model)
    (record,) = run([page(50)], model, DAY + dt.timedelta(days=1))
    assert "chip in every month" not in record["text"]
    (earlier,) = run([page(51)], model, DAY - dt.timedelta(days=1))  # backfill: later dates do not count
    assert "chip in every month" in earlier["text"]


def test_a_page_left_with_too_little_text_is_no_article():
    short = {"url": "http://site.test/short", "body": article_html("Short note", [PROMO, PROMO[:90] + " More."])}
    records = run([page(i) for i in range(3)] + [short])
    assert (records[-1]["status"], records[-1]["reason"]) == ("no_article", "too_short")


def test_bad_pages_are_records_and_lose_nothing():
    pages = [page(1), {"url": "http://site.test/empty", "body": b""},
             {"url": "http://site.test/png", "body": b"\x89PNG\r\n\x1a\n" + bytes(64)},
             {"url": "http://site.test/gone", "body": "<html><body>gone</body></html>", "status": 404}, page(2)]
    records = run(pages)
    assert [(r["status"], r["reason"]) for r in records] == [
        ("ok", None), ("no_article", "empty_body"), ("no_article", "binary_content"),
        ("no_article", "http_error"), ("ok", None)]


def test_golden_pages_of_a_site_through_a_warc():
    cases = [c for c in golden_cases() if c.parent.name == "truthecho"]
    pages = []
    for case in cases:
        body, meta, _ = load_case(case)
        pages.append({"url": meta["url"], "body": body, "status": meta["http_status"],
                      "content_type": meta["content_type"]})
    records = run(pages)
    expected = [load_case(c)[2] for c in cases]
    assert [(r["status"], r["reason"]) for r in records] == [(e["status"], e["reason"]) for e in expected]
    assert all(r["text"] == e["text"] for r, e in zip(records, expected) if "text" in e)


@pytest.mark.parametrize("data", [b"<html>not a WARC</html>\n", b"WARC/1.0\r\nWARC-Type: response\r\n\r\n"])
def test_an_unreadable_warc_is_a_typed_error(data):
    import io

    with pytest.raises(ArchiveError, match="unreadable WARC"):
        list(extract_archive(io.BytesIO(data), "site", DAY))
