"""Clusters, the original, and each copy's relation to it (one night)."""

from __future__ import annotations

import random

import pytest

from crosspost.dedupe.clusters import (
    Member,
    assign_clusters,
    cluster_id_for,
    credits,
    lag_hours,
    pick_original,
    published_order,
    relation,
)

KEYS = {"url", "site", "cluster_id", "cluster_size", "original_url", "is_original", "relation", "similarity",
        "jaccard", "containment", "lag_hours", "credits_original", "title_changed"}


def story(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice([f"w{i}" for i in range(3000)]) for _ in range(n))


def rec(url: str, text: str, published: str | None = "2026-11-20T10:00:00Z", **extra) -> dict:
    return {"url": url, "site": url.split("/")[2], "status": "ok", "text": text, "title": "T",
            "published_at": published, "fetched_at": "2026-11-21T02:00:00Z", **extra}


def member(url: str, published=None, fetched=None, credited=None) -> Member:
    meta = {"url": url, "published_at": published, "fetched_at": fetched, "credited_source_url": credited}
    return Member(url, url, "x", 100, meta, pos=0)


def test_credited_member_beats_an_earlier_publication():
    a = member("http://a/1", "2026-11-20T09:00:00Z")
    b = member("http://b/1", "2026-11-20T12:00:00Z")
    c = member("http://c/1", "2026-11-20T08:00:00Z", credited="http://b/1")
    assert pick_original([a, b, c]).url == "http://b/1"


def test_earliest_published_then_fetched_then_url():
    assert pick_original([member("http://a/1", "2026-11-20T09:00:00Z"),
                          member("http://b/1", "2026-11-20T08:00:00+00:00")]).url == "http://b/1"
    assert pick_original([member("http://a/1", None, "2026-11-21T02:00:00Z"),
                          member("http://b/1", None, "2026-11-21T01:00:00Z")]).url == "http://b/1"
    assert pick_original([member("http://b/1"), member("http://a/1")]).url == "http://a/1"


def test_a_page_crediting_itself_is_not_a_credit():
    a = member("http://a/1", "2026-11-20T09:00:00Z", credited="http://a/1")
    b = member("http://b/1", "2026-11-20T08:00:00Z")
    assert pick_original([a, b]).url == "http://b/1"


def test_a_date_without_time_comes_after_a_precise_time_that_day():
    assert published_order("2026-11-20T13:39:00Z") < published_order("2026-11-20T00:00:00Z")
    assert published_order("2026-11-19T00:00:00Z") < published_order("2026-11-20T13:39:00Z")
    assert published_order(None) > published_order("2030-01-01T00:00:00Z")
    assert published_order("not a date") == published_order(None)


@pytest.mark.parametrize("copy, original, shared, expected", [
    (500, 500, 500, "exact"),
    (510, 500, 500, "exact"),  # a credit line
    (560, 500, 500, "extended"),  # an editor's intro
    (300, 500, 300, "truncated"),
    (500, 500, 470, "near"),  # edited words
    (480, 500, 430, "near"),
])
def test_relation(copy, original, shared, expected):
    assert relation(copy, original, shared) == expected


def test_lag_and_credit():
    assert lag_hours("2026-11-20T10:00:00Z", "2026-11-22T13:30:00Z") == 51.5
    assert lag_hours("2026-11-20T10:00:00", "2026-11-20T11:00:00Z") == 1.0
    assert lag_hours(None, "2026-11-20T11:00:00Z") is None
    assert lag_hours("yesterday", "2026-11-20T11:00:00Z") is None
    original = {"url": "http://a.example/x?utm_source=feed", "site": "northwire", "site_name": "Northwire"}
    assert credits({"credited_source_url": "http://a.example/x"}, original)
    assert credits({"credited_source_name": "Northwire"}, original)
    assert not credits({"credited_source_name": "Other"}, original)


def test_assignments_carry_every_key_and_one_original_per_cluster():
    text = story(1)
    records = [
        rec("http://b.example/copy", text, "2026-11-20T12:00:00Z", credited_source_url="http://a.example/orig"),
        rec("http://a.example/orig", text, "2026-11-20T09:00:00Z"),
        rec("http://c.example/cut", " ".join(text.split()[:250]), "2026-11-21T09:00:00Z", title="Other"),
        rec("http://d.example/alone", story(2)),
        {"url": "http://e.example/empty", "status": "no_article", "text": None},
    ]
    out = {a["url"]: a for a in assign_clusters(records)}
    assert set(out) == {"http://a.example/orig", "http://b.example/copy", "http://c.example/cut",
                        "http://d.example/alone"}
    assert all(set(a) >= KEYS for a in out.values())
    orig, copy, cut = out["http://a.example/orig"], out["http://b.example/copy"], out["http://c.example/cut"]
    assert orig["cluster_id"] == copy["cluster_id"] == cut["cluster_id"] == cluster_id_for("http://a.example/orig")
    assert orig["is_original"] and not copy["is_original"] and not cut["is_original"]
    assert orig["cluster_size"] == 3 and out["http://d.example/alone"]["cluster_size"] == 1
    assert (copy["relation"], copy["credits_original"], copy["lag_hours"]) == ("exact", True, 3.0)
    assert (cut["relation"], cut["credits_original"], cut["title_changed"]) == ("truncated", False, True)
    assert cut["containment"] == 1.0 and cut["jaccard"] < 0.7


def test_urls_that_normalise_alike_are_one_article():
    text = story(3)
    out = assign_clusters([rec("http://a.example/x", text), rec("http://a.example/x?utm_source=rss", text),
                           rec("http://b.example/y", story(4))])
    by_url = {a["url"]: a for a in out}
    assert len(by_url) == 3
    assert by_url["http://a.example/x"]["cluster_size"] == 1
    assert by_url["http://a.example/x?utm_source=rss"]["cluster_id"] == by_url["http://a.example/x"]["cluster_id"]


def test_assignments_do_not_depend_on_record_order():
    text = story(5)
    records = [rec(f"http://s{i}.example/a", text if i < 4 else story(10 + i), f"2026-11-2{i}T10:00:00Z")
               for i in range(6)]
    assert assign_clusters(records) == assign_clusters(list(reversed(records)))


def test_assignments_carry_exactly_the_assignment_fields():
    from crosspost.common.records import ASSIGNMENT_FIELDS

    text = " ".join(f"word{i}" for i in range(80))
    records = [{"url": f"http://{s}.x/a", "site": s, "status": "ok", "text": text} for s in ("one", "two")]
    assert all(set(a) == set(ASSIGNMENT_FIELDS) for a in assign_clusters(records))
