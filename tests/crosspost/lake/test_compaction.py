"""Monthly compaction of the signature index, through the dedupe stage with a real store (local
and moto's S3): same clusters as without compaction, bounded reads, reruns and backfills of
old dates after compaction."""

from __future__ import annotations

import pytest

from crosspost.dedupe import signature_index as signatures
from crosspost.lake import compaction, layout
from crosspost.lake.store import LocalStore, open_store
from crosspost.pipeline.stages import dedupe_date
from tests.crosspost.dedupe.test_signature_index import rec, story, write_records

OCT = ("2026-10-30", "2026-10-31")
NOV = ("2026-11-01", "2026-11-02")
SITES = ["orig", "copy", "other", "late"]


def nights() -> dict[str, list[dict]]:
    """Four nights across the October/November boundary, with copies across nights."""
    a, b, c = story(21), story(22), story(23)
    return {
        "2026-10-30": [rec("http://orig.x/a", a, "2026-10-30"), rec("http://other.x/1", story(24), "2026-10-30")],
        "2026-10-31": [rec("http://orig.x/b", b, "2026-10-31"), rec("http://copy.x/a1", a, "2026-10-31")],
        "2026-11-01": [rec("http://copy.x/b1", " ".join(b.split()[:250]), "2026-11-01"),
                       rec("http://orig.x/c", c, "2026-11-01")],
        "2026-11-02": [rec("http://copy.x/a2", a + " Republished with thanks.", "2026-11-02"),
                       rec("http://copy.x/c1", c, "2026-11-02")],
    }


def run_nights(store, days) -> dict[str, bytes]:
    """dedupe_date for each date in order; the assignments each wrote."""
    data = nights()
    for day in days:
        write_records(store, day, data[day])
        dedupe_date(store.url, day, SITES)
    return {day: store.get_bytes(layout.dedupe_key(day)) for day in days}


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request):
    url = request.getfixturevalue("local_store_url" if request.param == "local" else "s3_store_url")
    return open_store(url)


@pytest.fixture
def uncompacted(tmp_path, monkeypatch):
    """The same nights in a store that is never compacted: what every result must equal."""
    store = open_store(tmp_path / "plain")
    with monkeypatch.context() as m:
        m.setattr(compaction, "compact_before", lambda *a, **k: [])
        out = run_nights(store, OCT + NOV)
    return out, store


class Counting(LocalStore):
    """A local store that records the keys it reads."""

    def __init__(self, root):
        super().__init__(root)
        self.read: list[str] = []

    def get_with_etag(self, key):
        self.read.append(key)
        return super().get_with_etag(key)


def test_a_finished_month_becomes_one_segment_and_clusters_do_not_change(store, uncompacted):
    expected, plain = uncompacted
    assert run_nights(store, OCT + NOV) == expected
    keys = store.list(layout.SIGNATURES_ROOT)
    assert "state/signatures/month=2026-10/_MANIFEST.json" in keys
    assert not [k for k in keys if k.endswith("index.parquet") and "dt=2026-10" in k]  # folded in
    assert all(store.exists(layout.signature_sketch_key(d)) for d in OCT)  # sketches stay per date
    assert all(store.exists(layout.signature_index_key(d)) for d in NOV)  # November is not over
    assert signatures.segment_dates(store) == list(OCT + NOV)
    assert signatures.stale_dates(store) == [] == signatures.stale_dates(plain)
    # the history of every date reads the same rows, in the same order, on the same basis
    for day in ("2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"):
        h, p = signatures.load_history(store, day), signatures.load_history(plain, day)
        assert (h.keys, h.row_dates, h.basis, h.cluster_id) == (p.keys, p.row_dates, p.basis, p.cluster_id)
        assert (h.minhash == p.minhash).all()


def test_a_night_reads_one_object_per_earlier_month(tmp_path):
    store = Counting(tmp_path / "lake")
    run_nights(store, OCT + NOV)
    store.read.clear()
    signatures.load_history(store, "2026-11-02")
    month = [k for k in store.read if "month=2026-10/" in k]
    assert len(month) == 2 and month[0].endswith("_MANIFEST.json")  # the manifest, then its one part
    assert [k for k in store.read if "month=" not in k] == [layout.signature_index_key("2026-11-01")]


def test_a_rerun_of_an_old_date_after_compaction_reads_only_earlier_dates(store, uncompacted):
    expected, _ = uncompacted
    run_nights(store, OCT + NOV)
    assert signatures.load_history(store, "2026-10-31").dates == ["2026-10-30"]
    assert signatures.load_history(store, "2026-10-30").dates == []
    assert run_nights(store, ("2026-10-31",)) == {"2026-10-31": expected["2026-10-31"]}
    assert store.exists(layout.signature_index_key("2026-10-31"))  # written again, as any rerun does ...
    assert signatures.stale_dates(store) == []  # ... with the same bytes: nothing after it is stale
    run_nights(store, ("2026-11-02",))  # the next night folds it back into October
    assert not store.exists(layout.signature_index_key("2026-10-31"))
    assert signatures.load_history(store, "2026-11-02").dates == list(OCT) + ["2026-11-01"]


def test_a_backfill_of_an_old_date_after_compaction(store):
    run_nights(store, OCT + NOV)
    early = rec("http://late.x/a", story(21), "2026-10-15", credited_source_url=None)  # the text of orig.x/a
    write_records(store, "2026-10-15", [early])
    dedupe_date(store.url, "2026-10-15", SITES)
    assert signatures.load_history(store, "2026-10-15").dates == []  # nothing before it
    assert signatures.stale_dates(store) == list(OCT + NOV)  # all were built without the 15th
    assert signatures.load_history(store, "2026-10-31").dates == ["2026-10-15", "2026-10-30"]
    for day in OCT + NOV:  # rerun in date order, as the stale warning says
        dedupe_date(store.url, day, SITES)
    assert signatures.stale_dates(store) == []
    manifest, _ = compaction.read_manifest(store, signatures.INDEX.manifest_key("2026-10"))
    assert list(manifest["dates"]) == ["2026-10-15", *OCT]
    assert not [k for k in store.list(layout.SIGNATURES_ROOT) if "dt=2026-10" in k and k.endswith("index.parquet")]
    assert len([k for k in store.list(layout.SIGNATURES_ROOT) if "month=2026-10/part-" in k]) == 1  # old parts gone
    from crosspost.lake.jsonl import load_jsonl_gz

    copy = {a["url"]: a for a in load_jsonl_gz(store.get_bytes(layout.dedupe_key("2026-10-31")))}
    assert copy["http://copy.x/a1"]["original_url"] == "http://late.x/a"  # the backfilled page came first


def test_compaction_is_idempotent_and_a_crash_before_the_manifest_reads_the_same(tmp_path):
    store = open_store(tmp_path / "lake")
    run_nights(store, OCT)
    before = signatures.load_history(store, "2026-11-01")
    # a compaction that died after writing its part, before the manifest: the part is ignored
    table, _ = compaction.read_before(store, signatures.INDEX, "2026-11-01")
    store.put_bytes(signatures.INDEX.month_prefix("2026-10") + "part-crashed.parquet", compaction.parquet_bytes(table))
    assert signatures.load_history(store, "2026-11-01").keys == before.keys
    assert signatures.compact(store, "2026-11-01") == ["2026-10"]
    listed = store.list(layout.SIGNATURES_ROOT)
    assert signatures.compact(store, "2026-11-01") == []  # nothing left to do
    assert store.list(layout.SIGNATURES_ROOT) == listed and "part-crashed" not in " ".join(listed)
    after = signatures.load_history(store, "2026-11-01")
    assert (after.keys, after.row_dates, after.basis) == (before.keys, before.row_dates, before.basis)
