"""Dedupe on the fixture web: every planted cross-post found, every distractor kept apart, copies
that arrive nights after their original join its cluster, reruns are identical."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from crosspost.common.urls import normalize
from crosspost.dedupe import signature_index
from crosspost.dedupe.clusters import dedupe_records
from crosspost.lake import layout
from crosspost.lake.jsonl import dump_jsonl_gz, load_jsonl_gz
from crosspost.lake.store import open_store
from crosspost.pipeline.stages import dedupe_date
from tests.demoweb import DEMO_DATE, planted_truth
from tests.demoweb.articles import DISPLAY_NAMES

# The planted relation a copy should get (an uncredited copy is an exact copy without credit).
EXPECTED = {"exact": "exact", "uncredited": "exact", "near": "near", "truncated": "truncated",
            "extended": "extended", "original": "original", "excerpt": "excerpt"}


@pytest.fixture(scope="module")
def planted(demo_web):
    """(truth, records): one extracted-like record per planted article and short page."""
    truth = planted_truth(demo_web)
    pages = {demo_web.url(a.site, a.path): a for a in demo_web.corpus.articles if a.site in demo_web.sites}
    records = []
    credits = {a["url"]: a for a in truth["articles"]}
    for url in [a["url"] for a in truth["articles"]] + truth["short_pages"]:
        page, credit = pages[url], credits.get(url, {})
        records.append({"url": url, "site": page.site, "status": "ok", "text": page.text, "title": page.title,
                        "site_name": DISPLAY_NAMES[page.site],
                        "published_at": page.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "fetched_at": f"{page.published.date()}T23:30:00Z",
                        "credited_source_url": credit.get("credited_source_url"),
                        "credited_source_name": credit.get("credited_source_name")})
    return truth, records


def check_against_truth(truth: dict, got: dict[str, dict], clusters: dict[str, dict]) -> None:
    """Every planted copy in its original's cluster with the planted original, relation and
    credit; every cluster's current state with the planted original, the evidence for it and
    the origin (crawled or not); every distractor pair apart."""
    for art in truth["articles"]:
        a, original = got[art["url"]], got[art["original_url"]]
        assert a["cluster_id"] == original["cluster_id"], art["url"]
        assert normalize(a["original_url"]) == normalize(art["original_url"]), art["url"]
        assert a["relation"] == EXPECTED[art["relation"]], (art["url"], a)
        if art["relation"] != "original":
            assert a["credits_original"] == art["credited"], art["url"]
        state = clusters[a["cluster_id"]]
        assert (state["original_url"], state["origin_url"]) == (art["original_url"], art["origin_url"]), state
        if art["original_evidence"]:
            assert state["original_evidence"] == art["original_evidence"], (art["url"], state)
    for url_a, url_b, why in truth["distractors"]:
        assert got[url_a]["cluster_id"] != got[url_b]["cluster_id"], why


def test_one_night_finds_every_planted_crosspost(planted):
    truth, records = planted
    night = dedupe_records(records)
    check_against_truth(truth, {a["url"]: a for a in night.assignments}, {c["cluster_id"]: c for c in night.clusters})
    copies = collections.Counter(a["relation"] for a in truth["articles"])
    assert copies["truncated"] and copies["extended"] and copies["near"] and copies["excerpt"] and truth["distractors"]
    assert {a["origin_url"] for a in truth["articles"]} - {a["url"] for a in truth["articles"]}  # an uncrawled source


def night_by_night(store_url: str, records: list[dict]) -> tuple[dict, list[str], list[str]]:
    """Put each record in its publication date's extracted partition, dedupe the dates in order."""
    store = open_store(store_url)
    parts = collections.defaultdict(list)
    for r in records:
        parts[(r["site"], r["published_at"][:10])].append(r)
    for (site, day), rows in parts.items():
        store.put_bytes(layout.extracted_key(site, day), dump_jsonl_gz(rows))
    days, sites = sorted({d for _, d in parts}), sorted({s for s, _ in parts})
    got, clusters = {}, {}
    for day in days:
        dedupe_date(store_url, day, sites)
        got.update({a["url"]: a for a in load_jsonl_gz(store.get_bytes(layout.dedupe_key(day)))})
        clusters.update({c["cluster_id"]: c for c in load_jsonl_gz(store.get_bytes(layout.cluster_state_key(day)))})
    return got, clusters, days, sites


def test_night_by_night_late_copies_join_and_reruns_are_identical(planted, local_store_url):
    truth, records = planted
    got, clusters, days, sites = night_by_night(local_store_url, records)
    check_against_truth(truth, got, clusters)
    published = {r["url"]: dt.date.fromisoformat(r["published_at"][:10]) for r in records}
    late = [a for a in truth["articles"] if (published[a["url"]] - published[a["original_url"]]).days >= 2]
    assert late and all(got[a["url"]]["original_url"] == a["original_url"] for a in late)
    store = open_store(local_store_url)
    for day in (days[len(days) // 2], days[-1]):
        keys = [layout.dedupe_key(day), layout.cluster_state_key(day), layout.signature_index_key(day),
                layout.signature_sketch_key(day)]
        before = [store.get_bytes(k) for k in keys]
        dedupe_date(local_store_url, day, sites)
        assert [store.get_bytes(k) for k in keys] == before, day
    assert signature_index.stale_dates(store) == []


def test_real_crawl_and_extract_then_dedupe(demo_web, sites_file, local_store_url):
    """One end-to-end check through the real crawl and extraction of the fixture web."""
    from crosspost.pipeline.runner import run_date

    truth = planted_truth(demo_web)
    run_date(sites_file, local_store_url, DEMO_DATE.isoformat())
    store = open_store(local_store_url)
    provenance_cases = set()
    got = {normalize(a["url"]): a for a in load_jsonl_gz(store.get_bytes(layout.dedupe_key(DEMO_DATE)))}
    clusters = {c["cluster_id"]: c for c in load_jsonl_gz(store.get_bytes(layout.cluster_state_key(DEMO_DATE)))}
    pairs = 0
    for art in truth["articles"]:
        url, original = normalize(art["url"]), normalize(art["original_url"])
        if url in got and art["origin_url"] != art["original_url"]:  # an uncrawled source, even alone
            assert clusters[got[url]["cluster_id"]]["origin_url"] == art["origin_url"]
            provenance_cases.add("origin")
        if url in got and original in got and url != original:
            pairs += 1
            a = got[url]
            assert a["cluster_id"] == got[original]["cluster_id"], art["url"]
            assert normalize(a["original_url"]) == original, art["url"]
            assert (a["relation"], a["credits_original"]) == (EXPECTED[art["relation"]], art["credited"]), a
            state = clusters[a["cluster_id"]]
            assert normalize(state["origin_url"]) == normalize(art["origin_url"]), state
            assert state["original_evidence"] == (art["original_evidence"] or state["original_evidence"]), state
            provenance_cases.update({art["relation"], state["original_evidence"]})
    assert pairs >= 20
    assert {"excerpt", "origin", "credited_name"} <= provenance_cases  # extracted from the real pages
    for url_a, url_b, why in truth["distractors"]:
        a, b = got.get(normalize(url_a)), got.get(normalize(url_b))
        assert not (a and b and a["cluster_id"] == b["cluster_id"]), why
    assert signature_index.segment_dates(store) == [DEMO_DATE.isoformat()]
