"""crosspost.pipeline.run_report: the per-date run report."""

from __future__ import annotations

import json

import pytest

from crosspost.lake import layout
from crosspost.lake.jsonl import dump_jsonl_gz
from crosspost.lake.store import open_store
from crosspost.pipeline.run_report import (
    build_report,
    format_report,
    stage_timer,
    summarize,
    write_report,
)

DATE = "2026-11-20"


def _ok(n, dated=True):
    return [{"status": "ok", "reason": None, "published_at": "2026-11-20T08:00:00Z" if dated else None}] * n


def _fill(store_url):
    """Two sites that arrived (one with poor extraction), one that did not, dedupe and one manifest."""
    store = open_store(store_url)
    crawl = {"discovered": {"sitemap": 10, "feed": 2}, "fetched": 9, "failed": {"http_500": 1}, "bytes": 5000}
    store.put_bytes(layout.crawl_report_key("alpha", DATE), json.dumps(crawl).encode())
    store.put_bytes(layout.extracted_key("alpha", DATE), dump_jsonl_gz(_ok(9)))
    poor = _ok(1, dated=False) + [{"status": "empty", "reason": "no_text"}] * 3
    store.put_bytes(layout.extracted_key("beta", DATE), dump_jsonl_gz(poor))
    clusters = [{"cluster_id": "c1", "cluster_size": 2, "is_original": True},
                {"cluster_id": "c1", "cluster_size": 2, "is_original": False},
                {"cluster_id": "c2", "cluster_size": 1, "is_original": True}]
    store.put_bytes(layout.dedupe_key(DATE), dump_jsonl_gz(clusters))
    manifest = {"rows": 1, "run_id": "scheduled__x", "sites": {"alpha": "complete", "gamma": "missing"}}
    store.put_bytes(layout.manifest_key("crossposts", DATE), json.dumps(manifest).encode())
    return store


def test_report_counts_sites_clusters_and_new_crossposts(local_store_url):
    store = _fill(local_store_url)
    report = build_report(store, DATE, ["gamma", "alpha", "beta"], mode="crawl")
    alpha, beta, gamma = (report["sites"][s] for s in ("alpha", "beta", "gamma"))
    assert (alpha["discovered"], alpha["fetched"], alpha["failed"], alpha["extracted"]) == (12, 9, 1, 9)
    assert alpha["status"] == "complete" and gamma["status"] == "missing" and beta["extracted"] == 1
    assert report["clusters"] == {"articles": 3, "clusters": 2, "crosspost_clusters": 1, "copies": 1}
    assert report["new_crossposts"] == 1 and report["tables"]["articles"] is None
    assert report["mode"] == "crawl"


def test_report_warnings(local_store_url):
    store = _fill(local_store_url)
    store.put_bytes(layout.extracted_key("empty", DATE), dump_jsonl_gz([]))
    warnings = build_report(store, DATE, ["alpha", "beta", "gamma", "empty"])["warnings"]
    assert "gamma: no extracted records (crawl or extract failed)" in warnings
    assert "empty: returned no article pages" in warnings
    assert "beta: extraction empty rate above 50%" in warnings
    assert "beta: no publication date on more than 50% of articles" in warnings
    assert not [w for w in warnings if w.startswith("alpha")]


def test_stage_timer_records_durations_per_stage_and_site(local_store_url):
    _fill(local_store_url)
    for site in ("alpha", "beta"):
        with stage_timer(local_store_url, DATE, "crawl", site):
            pass
    with pytest.raises(ValueError), stage_timer(local_store_url, DATE, "dedupe"):
        raise ValueError("dedupe broke")
    report = build_report(open_store(local_store_url), DATE, ["alpha", "beta"])
    assert set(report["durations"]) == {"crawl", "dedupe"}
    assert set(report["sites"]["alpha"]["seconds"]) == {"crawl"}
    timing = json.loads(open_store(local_store_url).get_bytes("reports/dt=2026-11-20/stages/dedupe.json"))
    assert timing["status"] == "failed" and timing["reason"] == "dedupe broke"


def test_a_failed_site_stage_gives_its_reason(local_store_url):
    _fill(local_store_url)
    with pytest.raises(RuntimeError), stage_timer(local_store_url, DATE, "crawl", "gamma"):
        raise RuntimeError("gamma is being crawled by the nightly run, still after waiting 300 s\nmore detail")
    report = build_report(open_store(local_store_url), DATE, ["alpha", "gamma"])
    reason = "gamma is being crawled by the nightly run, still after waiting 300 s"
    assert report["sites"]["gamma"]["failed_stage"] == {"stage": "crawl", "reason": reason}
    assert f"gamma: crawl failed: {reason}" in report["warnings"]
    assert "failed_stage" not in report["sites"]["alpha"]


def test_stage_timer_never_hides_the_stage_error(tmp_path):
    bad_store = str(tmp_path / "file-not-dir")
    (tmp_path / "file-not-dir").write_text("")  # the store root is a file: every write fails
    with pytest.raises(KeyError), stage_timer(bad_store, DATE, "publish"):
        raise KeyError("the real error")


def test_write_report_stores_json_and_returns_a_summary(local_store_url):
    store = _fill(local_store_url)
    summary = write_report(local_store_url, DATE, ["alpha", "beta", "gamma"], mode="reprocess")
    stored = json.loads(store.get_bytes(layout.run_report_key(DATE)))
    assert stored["date"] == DATE and stored["mode"] == "reprocess"
    assert summary == format_report(stored)
    assert "crosspost run report for 2026-11-20 (reprocess)" in summary
    assert "gamma" in summary and "[missing]" in summary and "new cross-posts 1" in summary
    assert "WARNING beta: extraction empty rate above 50%" in summary


def test_summarize_writes_nothing(local_store_url):
    store = _fill(local_store_url)
    assert "alpha" in summarize(local_store_url, DATE, ["alpha"])
    assert not store.exists(layout.run_report_key(DATE))


def test_format_report_reads_reports_of_the_older_layout():
    old = {"date": DATE, "sites": {"alpha": {"crawl": {"fetched": 3, "failed": {"x": 1}}, "status": "complete",
                                             "extracted": 2}}, "clusters": {}, "warnings": []}
    assert "fetched    3  failed   1  extracted    2" in format_report(old)
