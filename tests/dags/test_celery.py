"""The distributed engine for real: CeleryExecutor on PostgreSQL and Redis with two Celery workers
(docker/compose.celery.yaml), next to a LocalExecutor installation on PostgreSQL (compose.yaml).

A hand backfill of three dates runs while a nightly run of a fourth date is in flight, and while
"another run" (the test) holds the crawl lease of one site. The backfill must succeed with the
mapped crawl and extract tasks spread over both workers, its partitions must equal those of the
LocalExecutor installation running the same backfill at the same time, and no site may ever be
crawled by two runs at once (the crawl reports' wall-clock intervals per site never overlap).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import boto3
import pytest

from celery_harness import CeleryAirflow, Postgres, Redis, ServiceUnavailable, celery_env
from crosspost.lake import layout
from crosspost.lake.lease import acquire, release
from crosspost.lake.reader import read_partition
from dag_helpers import DAG_ID, aws_connection, s3_store
from scheduler_harness import Airflow, installation

DATES = ("2026-11-18", "2026-11-19", "2026-11-20")
NIGHTLY = "2026-11-21"  # a nightly run in flight while the backfill runs
SITES = ("northwire", "freepressmirror")
BLOCKED = "northwire"  # the site "another run" is crawling when the backfill starts
WORKERS = ("worker-a", "worker-b")
POLL_S = 3  # CROSSPOST_SITE_BUSY_RETRY_SECONDS of the test installations
VOLATILE = {"fetched_at"}  # when the page was fetched: differs between any two crawls


@pytest.fixture
def services():
    """PostgreSQL and Redis for the Celery installation (skipped, saying why, if not installed)."""
    try:
        postgres, redis = Postgres(), Redis()
    except ServiceUnavailable as exc:
        pytest.skip(str(exc))
    with ExitStack() as stack:
        stack.callback(postgres.stop)
        stack.callback(redis.stop)
        postgres.start()
        redis.start()
        yield postgres, redis


@pytest.mark.celery
@pytest.mark.scheduler
@pytest.mark.s3
@pytest.mark.timeout(720)
def test_celery_backfill_on_two_workers_equals_local_executor(tmp_path, services, demo_web, moto_endpoint,
                                                               s3_bucket):
    postgres, redis = services
    local_bucket = f"local-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket=local_bucket)
    secret = f"crosspost-secret-{uuid.uuid4().hex}"
    sites, conn = {n: demo_web.urls[n] for n in SITES}, aws_connection(moto_endpoint, secret)
    celery_setup = installation(tmp_path, "celery", sites, f"s3://{s3_bucket}/lake", conn,
                                celery_env(postgres.create_database("airflow"), redis.url))
    local_setup = installation(tmp_path, "local", sites, f"s3://{local_bucket}/lake", conn, {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": postgres.create_database("reference")})
    store, reference = s3_store(s3_bucket, moto_endpoint), s3_store(local_bucket, moto_endpoint)

    clock = _Phases()
    with ExitStack() as stack:
        celery, local = CeleryAirflow(*celery_setup, workers=WORKERS), Airflow(*local_setup)
        _start_together(stack, celery, local)
        for af in (celery, local):
            af.wait_for("the DAG to be parsed and unpaused", af.dag_ready, timeout=180)
        clock.mark("services up, DAG parsed")

        blocker = acquire(store, BLOCKED, "test/another-run", now=time.time(), ttl_s=600)
        for af in (celery, local):
            _create_backfill(af)
        _trigger_nightly(celery)
        celery.wait_for(f"a crawl of {BLOCKED} to wait for the lease", lambda: _waiting_crawls(celery),
                        timeout=240, every=2)
        time.sleep(2 * POLL_S)  # it keeps waiting while the lease is held: nothing is crawled meanwhile
        assert _waiting_crawls(celery), celery.timeline()
        released_at = time.time()
        release(store, blocker)
        clock.mark("a crawl waited for the lease")

        runs = _wait_finished(celery, len(DATES) + 1, timeout=420)
        assert [r["state"] for r in runs] == ["success"] * len(runs), celery.timeline()
        clock.mark("celery runs done")
        reference_runs = _wait_finished(local, len(DATES), timeout=180)
        assert [r["state"] for r in reference_runs] == ["success"] * len(DATES), local.timeline()
        clock.mark("local executor runs done")
        ran_by = _workers_of_mapped_tasks(celery, runs)
        print(celery.timeline())
    clock.mark("services stopped")
    print(clock)

    print(f"mapped crawl/extract task instances per worker: {dict(ran_by)}")
    assert set(ran_by) == set(WORKERS), ran_by
    in_db = postgres.query("airflow", "SELECT hostname, count(*) FROM task_instance "
                                      "WHERE task_id IN ('site.crawl', 'site.extract') GROUP BY hostname")
    assert dict(in_db) == dict(ran_by), in_db  # the metadata database really is this PostgreSQL
    _assert_one_crawl_per_site_at_a_time(store, DATES + (NIGHTLY,), BLOCKED, released_at)
    assert store.list(layout.LEASES_ROOT) == [], "every lease was given back"
    differ = [(table, date) for date in DATES for table in layout.TABLES
              if _rows(store, table, date) != _rows(reference, table, date)]
    assert not differ, _difference(store, reference, differ)


class _Phases:
    """Wall time of the test's phases, printed at the end (what to look at when it gets slow)."""

    def __init__(self):
        self.start, self.marks = time.monotonic(), []

    def mark(self, what: str) -> None:
        self.marks.append(f"{time.monotonic() - self.start:6.1f} s  {what}")

    def __str__(self) -> str:
        return "\n".join(self.marks)


def _start_together(stack: ExitStack, *installations: Airflow) -> None:
    """Migrate and start the installations in parallel; every one is stopped at the end."""
    with ThreadPoolExecutor(len(installations)) as pool:
        started = [pool.submit(af.start) for af in installations]
    for af in installations:
        stack.callback(af.stop)
    for future in started:
        future.result()


def _create_backfill(af: Airflow) -> None:
    """``airflow backfill create`` for the three dates, one run at a time (a date's crawl skips what
    earlier dates archived, so only date order makes two installations' partitions comparable)."""
    result = af.cli("backfill", "create", "--dag-id", DAG_ID, "--from-date", DATES[0], "--to-date", DATES[-1],
                    "--reprocess-behavior", "failed", "--max-active-runs", "1")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _trigger_nightly(af: Airflow) -> None:
    """A run of the next night, as the scheduler would start it, while the backfill runs."""
    status, body = af.request("POST", f"/dags/{DAG_ID}/dagRuns", {
        "dag_run_id": f"nightly__{NIGHTLY}", "logical_date": f"{NIGHTLY}T00:00:00Z", "conf": {"date": NIGHTLY}})
    assert status == 200, body


def _waiting_crawls(af: Airflow) -> list[dict]:
    """The blocked site's crawl task instances that are running: waiting for the lease the test
    holds (the plan keeps the sites file's order, so the site's map index is its place in SITES)."""
    return [ti for run in af.runs() for ti in af.task_instances(run["dag_run_id"])
            if ti["task_id"] == "site.crawl" and ti["map_index"] == SITES.index(BLOCKED) and ti["state"] == "running"]


def _wait_finished(af: Airflow, count: int, timeout: float) -> list[dict]:
    def check():
        runs = af.runs()
        done = [r for r in runs if r["state"] in ("success", "failed") and r["end_date"]]
        return runs if len(runs) == count == len(done) else None

    return af.wait_for(f"{count} runs to finish", check, timeout=timeout, every=3)


def _workers_of_mapped_tasks(af: Airflow, runs: list[dict]) -> Counter:
    """How many mapped crawl/extract task instances each worker ran (its reported hostname)."""
    ran_by: Counter = Counter()
    for run in runs:
        for ti in af.task_instances(run["dag_run_id"]):
            if ti["task_id"] in ("site.crawl", "site.extract"):
                assert ti["map_index"] >= 0 and ti["hostname"], ti
                ran_by[ti["hostname"]] += 1
    return ran_by


def _urls(store, table: str, date: str) -> list[str]:
    """The URLs (or cluster ids) a partition holds, sorted."""
    rows = read_partition(store, table, date).to_pylist()
    return sorted(str(r.get("url") or r.get("cluster_id")) for r in rows)


def _rows(store, table: str, date: str) -> list[str]:
    """A partition's rows as sorted JSON, without the columns that differ between any two crawls."""
    rows = read_partition(store, table, date).drop_columns(
        [c for c in read_partition(store, table, date).column_names if c in VOLATILE]).to_pylist()
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def _assert_one_crawl_per_site_at_a_time(store, dates, blocked: str, released_at: float) -> None:
    """Per site, the crawls of all dates (from their reports' wall-clock times) never overlap, and
    none of the blocked site's crawls started before the test gave its lease back."""
    for site in SITES:
        spans = sorted(_crawl_span(store, site, d) for d in dates)
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start >= end, f"{site} crawled by two runs at once: {spans}"
        if site == blocked:
            assert spans[0][0].timestamp() >= released_at, (spans, released_at)


def _crawl_span(store, site: str, date: str) -> tuple[dt.datetime, dt.datetime]:
    report = json.loads(store.get_bytes(layout.crawl_report_key(site, date)))
    return dt.datetime.fromisoformat(report["started_at"]), dt.datetime.fromisoformat(report["finished_at"])


def _difference(store, reference, differ) -> str:
    """What to look at when the partitions differ: each crawl's counts, then the differing rows."""
    lines = [f"rows differ from the LocalExecutor reference in {differ}"]
    for site in SITES:
        for date in DATES:
            for name, st in (("celery", store), ("local", reference)):
                report = json.loads(st.get_bytes(layout.crawl_report_key(site, date)))
                lines.append(f"{name} {site} {date} " + json.dumps(
                    {k: report.get(k) for k in ("discovered", "in_window", "fetched", "skipped", "failed")}))
    for table, date in differ:
        ours, theirs = set(_rows(store, table, date)), set(_rows(reference, table, date))
        lines += [f"only celery {table} {date} {r[:800]}" for r in sorted(ours - theirs)[:4]]
        lines += [f"only local {table} {date} {r[:800]}" for r in sorted(theirs - ours)[:4]]
    return "\n".join(lines)
