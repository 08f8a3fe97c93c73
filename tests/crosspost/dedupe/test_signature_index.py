"""The cross-night signature index: segments in the store, matching against earlier nights."""

from __future__ import annotations

import random

import numpy as np
import pytest

from crosspost.dedupe import signature_index
from crosspost.dedupe.clusters import cluster_id_for, dedupe_records
from crosspost.exceptions import DamagedState
from crosspost.lake import layout
from crosspost.lake.jsonl import dump_jsonl_gz, load_jsonl_gz
from crosspost.lake.store import open_store
from crosspost.pipeline.stages import dedupe_date


def story(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice([f"w{i}" for i in range(3000)]) for _ in range(n))


def rec(url: str, text: str, day: str, hour: int = 10, **extra) -> dict:
    return {"url": url, "site": url.split("/")[2].split(".")[0], "status": "ok", "text": text, "title": "T",
            "published_at": f"{day}T{hour:02d}:00:00Z", "fetched_at": f"{day}T23:00:00Z", **extra}


def night(store, day: str, records: list[dict]):
    """Dedupe one night against the store's history and write its segment, as dedupe_date does."""
    history = signature_index.load_history(store, day)
    result = dedupe_records(records, history)
    signature_index.write_segment(store, day, result, history.basis)
    return {a["url"]: a for a in result.assignments}


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "lake")


def test_segment_round_trip_and_history_holds_only_earlier_dates(store):
    first = night(store, "2026-11-18", [rec("http://a.x/1", story(1), "2026-11-18"),
                                         rec("http://b.x/1", "short text", "2026-11-18")])
    assert store.exists(layout.signature_index_key("2026-11-18"))
    assert store.exists(layout.signature_sketch_key("2026-11-18"))
    assert len(signature_index.load_history(store, "2026-11-18")) == 0
    history = signature_index.load_history(store, "2026-11-19")
    assert history.dates == ["2026-11-18"] and sorted(history.keys) == ["http://a.x/1", "http://b.x/1"]
    row = history.keys.index("http://a.x/1")
    assert history.cluster_id[row] == first["http://a.x/1"]["cluster_id"]
    from crosspost.dedupe.minhash import shingle_hashes
    assert np.array_equal(history.sketch(row), shingle_hashes(story(1)))
    assert history.minhash.shape == (2, 128)


def test_copy_two_nights_later_joins_the_old_cluster_and_names_the_old_original(store):
    text = story(2)
    night(store, "2026-11-18", [rec("http://orig.x/a", text, "2026-11-18"),
                                rec("http://other.x/b", story(3), "2026-11-18")])
    night(store, "2026-11-19", [rec("http://other.x/c", story(4), "2026-11-19")])
    cut = " ".join(text.split()[:240]) + " Read the rest at Orig."
    out = night(store, "2026-11-20", [rec("http://copy.x/a", cut, "2026-11-20", 16)])
    a = out["http://copy.x/a"]
    assert a["cluster_id"] == cluster_id_for("http://orig.x/a")
    assert (a["original_url"], a["is_original"], a["relation"], a["cluster_size"]) == (
        "http://orig.x/a", False, "truncated", 2)
    assert a["lag_hours"] == 54.0 and a["credits_original"] is False
    # and the next copy, a night later, joins the same cluster
    out = night(store, "2026-11-21", [rec("http://copy2.x/a", text, "2026-11-21",
                                          credited_source_url="http://orig.x/a")])
    b = out["http://copy2.x/a"]
    assert (b["cluster_id"], b["cluster_size"], b["relation"], b["credits_original"]) == (
        a["cluster_id"], 3, "exact", True)


@pytest.mark.parametrize("part", ["index", "sketch"])
def test_a_damaged_segment_is_a_clear_error_not_a_partial_history(store, part):
    """The index is read for every night after; the sketches when a candidate is verified."""
    text = story(2)
    night(store, "2026-11-18", [rec("http://orig.x/a", text, "2026-11-18")])
    key = layout.signature_index_key("2026-11-18") if part == "index" else layout.signature_sketch_key("2026-11-18")
    store.put_bytes(key, b"PAR1 cut short")
    with pytest.raises(DamagedState, match=f"{key} cannot be read .*rerun the date it belongs to"):
        night(store, "2026-11-19", [rec("http://copy.x/a", text, "2026-11-19")])


def test_an_article_seen_again_keeps_its_cluster_and_is_counted_once(store):
    text = story(5)
    night(store, "2026-11-18", [rec("http://orig.x/a", text, "2026-11-18"),
                                rec("http://copy.x/a", text, "2026-11-18", 12)])
    out = night(store, "2026-11-19", [rec("http://orig.x/a", text + " Updated.", "2026-11-18")])
    a = out["http://orig.x/a"]
    assert (a["cluster_id"], a["cluster_size"], a["is_original"], a["relation"]) == (
        cluster_id_for("http://orig.x/a"), 2, True, "original")


def test_a_new_copy_never_merges_two_earlier_clusters(store):
    left, right = story(6, 300), story(7, 300)
    night(store, "2026-11-18", [rec("http://l.x/a", left, "2026-11-18"), rec("http://r.x/a", right, "2026-11-18")])
    out = night(store, "2026-11-19", [rec("http://both.x/a", left + " " + right, "2026-11-19"),
                                      rec("http://lcopy.x/a", left, "2026-11-19")])
    ids = {out[u]["cluster_id"] for u in out}
    assert out["http://lcopy.x/a"]["cluster_id"] == cluster_id_for("http://l.x/a")
    assert ids <= {cluster_id_for("http://l.x/a"), cluster_id_for("http://r.x/a")}


def test_an_earlier_original_can_be_replaced_by_a_credited_newcomer(store):
    text = story(8)
    night(store, "2026-11-18", [rec("http://copy.x/a", text, "2026-11-18", credited_source_url="http://orig.x/a")])
    out = night(store, "2026-11-19", [rec("http://orig.x/a", text, "2026-11-19")])
    a = out["http://orig.x/a"]
    assert a["cluster_id"] == cluster_id_for("http://copy.x/a")  # the first-seen member names the cluster
    assert a["is_original"] and a["original_url"] == "http://orig.x/a"


def write_records(store, day: str, records: list[dict]) -> list[str]:
    sites = sorted({r["site"] for r in records})
    for site in sites:
        store.put_bytes(layout.extracted_key(site, day), dump_jsonl_gz([r for r in records if r["site"] == site]))
    return sites


def test_dedupe_date_rerun_is_identical_and_backfill_marks_later_dates_stale(store):
    text = story(9)
    days = {"2026-11-18": [rec("http://orig.x/a", text, "2026-11-18")],
            "2026-11-19": [rec("http://x.x/b", story(10), "2026-11-19")],
            "2026-11-20": [rec("http://copy.x/a", text, "2026-11-20")]}
    sites = sorted({s for d, r in days.items() for s in write_records(store, d, r)})
    for day in days:
        dedupe_date(store.url, day, sites)
    keys = [layout.dedupe_key("2026-11-19"), layout.signature_index_key("2026-11-19"),
            layout.signature_sketch_key("2026-11-19")]
    before = [store.get_bytes(k) for k in keys]
    dedupe_date(store.url, "2026-11-19", sites)
    assert [store.get_bytes(k) for k in keys] == before
    assert signature_index.stale_dates(store) == []
    copy = load_jsonl_gz(store.get_bytes(layout.dedupe_key("2026-11-20")))[0]
    assert copy["cluster_id"] == cluster_id_for("http://orig.x/a")
    # a backfill of an earlier date: the dates after it were built without it
    write_records(store, "2026-11-17", [rec("http://new.x/z", story(11), "2026-11-17")])
    dedupe_date(store.url, "2026-11-17", sites + ["new"])
    assert signature_index.stale_dates(store) == ["2026-11-18", "2026-11-19", "2026-11-20"]
    for day in days:
        dedupe_date(store.url, day, sites)
    assert signature_index.stale_dates(store) == []


@pytest.mark.s3
def test_history_over_s3(s3_store_url):
    store = open_store(s3_store_url)
    text = story(12)
    night(store, "2026-11-18", [rec("http://orig.x/a", text, "2026-11-18")])
    out = night(store, "2026-11-19", [rec("http://copy.x/a", text[: len(text) * 2 // 3], "2026-11-19")])
    assert out["http://copy.x/a"]["cluster_id"] == cluster_id_for("http://orig.x/a")
    assert signature_index.segment_dates(store) == ["2026-11-18", "2026-11-19"]


def test_segments_of_another_signature_version_are_refused(store, monkeypatch):
    from crosspost.exceptions import ConfigError

    night(store, "2026-11-18", [rec("http://a.x/1", story(13), "2026-11-18")])
    monkeypatch.setattr(signature_index, "READABLE_VERSIONS", ("999",))
    with pytest.raises(ConfigError, match="rerun dedupe for every date"):
        signature_index.load_history(store, "2026-11-19")


def test_version_1_segments_are_still_read(store, monkeypatch):
    """Version 2 only changed the tokens of unspaced scripts: a segment written by version 1
    is history still (its Latin-script texts sign the same)."""
    text = story(14)
    monkeypatch.setattr(signature_index, "SIGNATURE_VERSION", "1")
    night(store, "2026-11-18", [rec("http://orig.x/a", text, "2026-11-18")])
    monkeypatch.undo()
    assert signature_index.SIGNATURE_VERSION == "2"
    out = night(store, "2026-11-19", [rec("http://copy.x/a", text, "2026-11-19")])
    assert out["http://copy.x/a"]["cluster_id"] == cluster_id_for("http://orig.x/a")
