"""Per-site boilerplate learning: counts distinct articles, per date, and persists deterministically."""

from __future__ import annotations

import datetime as dt

import pytest

from crosspost.common.text import fingerprint
from extract.boilerplate import (
    KEEP_DAYS,
    BoilerplateModel,
    article_keys,
    batch_articles,
)
from extract.exceptions import BoilerplateStateError

DAY = dt.date(2026, 11, 20)
PROMO = "Sign the petition and keep independent media alive."


def record(title: str | None, *paragraphs: str, url: str | None = None, status: str = "ok") -> dict:
    return {"title": title, "url": url or f"http://site/{title}", "status": status,
            "text": "\n\n".join(paragraphs)}


def articles(*records: dict) -> list:
    return batch_articles(records)


def test_a_paragraph_on_three_distinct_articles_is_boilerplate():
    batch = articles(*(record(f"Story {i}", f"Body of story {i}.", PROMO) for i in range(3)))
    detector = BoilerplateModel().detector(DAY, batch)
    assert detector.is_boilerplate(PROMO)
    assert detector.is_boilerplate("  sign the PETITION, and keep independent media alive  ")  # same words
    assert not detector.is_boilerplate("Body of story 1.")


def test_two_articles_sharing_a_paragraph_keep_it():
    """An article and its follow-up quoting it: shared text, but not boilerplate."""
    batch = articles(record("Story", "Quoted paragraph."), record("Follow-up", "Quoted paragraph."))
    assert not BoilerplateModel().detector(DAY, batch).is_boilerplate("Quoted paragraph.")


def test_one_article_under_several_urls_counts_once():
    batch = articles(*(record("Same story", "Its only paragraph.", url=f"http://site/{i}") for i in range(4)))
    detector = BoilerplateModel().detector(DAY, batch)
    assert detector.articles == 1
    assert not detector.is_boilerplate("Its only paragraph.")


def test_one_url_retitled_counts_once():
    """Headline edits: the same URL under three titles, and a second URL under the last title."""
    batch = articles(*(record(f"Title {i}", "Its paragraph.", url="http://site/a") for i in range(3)),
                     record("Title 2", "Its paragraph.", url="http://site/b"))
    assert BoilerplateModel().detector(DAY, batch).articles == 1


def test_pages_without_an_article_do_not_count():
    assert articles(*(record(f"Index {i}", PROMO, status="no_article") for i in range(5))) == []


def test_on_a_big_site_a_paragraph_needs_five_percent_of_articles():
    batch = articles(*(record(f"Story {i}", f"Body {i}.", *([PROMO] if i < 5 else [])) for i in range(100)))
    detector = BoilerplateModel().detector(DAY, batch)
    assert detector.threshold == 5
    assert detector.is_boilerplate(PROMO)
    fewer = articles(*(record(f"Story {i}", f"Body {i}.", *([PROMO] if i < 4 else [])) for i in range(100)))
    assert not BoilerplateModel().detector(DAY, fewer).is_boilerplate(PROMO)


def test_earlier_dates_count_later_ones_do_not():
    model = BoilerplateModel()
    model.update(DAY - dt.timedelta(days=1), articles(record("A", PROMO), record("B", PROMO)))
    model.update(DAY + dt.timedelta(days=1), articles(record("X", PROMO), record("Y", PROMO)))
    today = articles(record("C", PROMO))
    assert model.detector(DAY, today).is_boilerplate(PROMO)  # A, B (yesterday) + C
    assert not model.detector(DAY).is_boilerplate(PROMO)  # tomorrow's X, Y do not count for today
    assert not model.detector(DAY - dt.timedelta(days=1)).is_boilerplate(PROMO)


def test_the_window_forgets_old_dates():
    model = BoilerplateModel()
    model.update(DAY - dt.timedelta(days=30), articles(*(record(f"Old {i}", PROMO) for i in range(5))))
    assert not model.detector(DAY).is_boilerplate(PROMO)
    assert model.detector(DAY - dt.timedelta(days=20)).is_boilerplate(PROMO)


def test_an_article_seen_on_three_dates_counts_once():
    model = BoilerplateModel()
    for days_ago in (1, 2, 3):
        model.update(DAY - dt.timedelta(days=days_ago), articles(record("Long-running story", "Its paragraph.")))
    assert not model.detector(DAY).is_boilerplate("Its paragraph.")


def test_update_replaces_the_date_and_prunes_long_past_dates():
    model = BoilerplateModel()
    model.update(DAY - dt.timedelta(days=KEEP_DAYS + 1), articles(record("Ancient", PROMO)))
    model.update(DAY, articles(record("A", PROMO)))
    model.update(DAY, articles(record("B", PROMO)))  # a rerun of the date replaces its contribution
    assert list(model.days) == [DAY.isoformat()]
    assert model.days[DAY.isoformat()] == [{"keys": article_keys(record("B")), "paragraphs": [fingerprint(PROMO)]}]


def test_bytes_round_trip_is_deterministic():
    model = BoilerplateModel()
    model.update(DAY, articles(record("B", PROMO, "b"), record("A", "a", PROMO)))
    data = model.to_bytes()
    again = BoilerplateModel.from_bytes(data)
    assert again.days == model.days and again.to_bytes() == data
    assert BoilerplateModel.from_bytes(b"").days == {}
    assert BoilerplateModel.from_bytes(b'{"version": 0, "days": {"x": 1}}').days == {}  # older format: start over


def test_per_date_segments_merge_into_the_model_they_came_from():
    model = BoilerplateModel()
    model.update(DAY - dt.timedelta(days=1), articles(record("A", PROMO)))
    model.update(DAY, articles(record("B", PROMO)))
    merged = BoilerplateModel()
    for day in (DAY, DAY - dt.timedelta(days=1)):  # in any order: each segment holds its own date only
        merged.merge(model.segment(day))
    assert merged.to_bytes() == model.to_bytes()
    assert BoilerplateModel.from_bytes(model.segment(DAY)).days == {DAY.isoformat(): model.days[DAY.isoformat()]}
    with pytest.raises(BoilerplateStateError):
        merged.merge(b"{not json")


@pytest.mark.parametrize("data", [b"{not json", b"[]", b'{"version": 2}', b'{"version": 2, "days": []}',
                                  b'{"version": 2, "days": {"2026-11-20": [{"keys": []}]}}',
                                  b'{"version": 2, "days": {"someday": []}}'])
def test_an_unreadable_model_is_a_typed_error(data):
    with pytest.raises(BoilerplateStateError, match="unreadable boilerplate model"):
        BoilerplateModel.from_bytes(data)


def test_article_keys():
    assert article_keys({"title": None, "url": "http://a/1"}) == ["u:" + fingerprint("http://a/1")]
    assert article_keys({"title": "Same", "url": "http://a/1"})[1] == article_keys({"title": "same!", "url": "x"})[1]
