"""Publishing a partition: layout and format, idempotent reruns, and the commit protocol under
kills, concurrent runs and failing uploads (local folder and moto's S3 over HTTP)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosspost.exceptions import CommitConflict, StoreConfigError, StoreError
from crosspost.lake import layout, publish
from crosspost.lake.publish import write_partition
from crosspost.lake.reader import read_manifest, read_table
from crosspost.lake.schema import SCHEMA_VERSION
from crosspost.lake.store import LocalStore, open_store, table_uri

DATE = "2026-11-20"
PREFIX = layout.table_prefix("articles", DATE)
STEPS = ["read", "part-0", "part-1", "list", "commit", "success", "sweep"]


def titles(store) -> set[str]:
    """The versions visible to a reader (one per whole version)."""
    return {t.split()[0] for t in read_table(store, "articles", DATE)["title"].to_pylist()}


def assert_clean(store, table="articles"):
    """Exactly the manifest and the files it lists: nothing stray for engines that glob."""
    manifest = read_manifest(store, table, DATE)
    prefix = layout.table_prefix(table, DATE)
    listed = sorted([prefix + "_SUCCESS"] + [prefix + f["path"] for f in manifest["files"]])
    assert store.list(prefix) == listed
    if isinstance(store, LocalStore):  # not even hidden files
        assert sorted(p.name for p in (store.root / prefix).iterdir()) == sorted(k.rsplit("/", 1)[1] for k in listed)


def test_layout_manifest_and_parquet_format(store, rows):
    key = write_partition(store, "articles", DATE, rows("v1")[::-1], run_id="r1", data_interval=(DATE, "2026-11-21"),
                          sites={"site0": "complete", "site1": "missing"})
    assert key == "articles/dt=2026-11-20/_SUCCESS"
    manifest = read_manifest(store, "articles", DATE)
    assert manifest["schema_version"] == SCHEMA_VERSION and manifest["run_id"] == "r1"
    assert manifest["data_interval"] == [DATE, "2026-11-21"] and manifest["rows"] == 4
    assert manifest["sites"] == {"site0": "complete", "site1": "missing"}
    assert manifest["site_rows"] == {"site0": 2, "site1": 2} and manifest["code_version"]
    [entry] = manifest["files"]
    assert entry["path"] == f"part-{manifest['write_id']}-0.parquet" and entry["rows"] == 4
    data = store.get_bytes(PREFIX + entry["path"])
    assert len(data) == entry["size"]
    meta = pq.ParquetFile(io.BytesIO(data)).metadata
    assert meta.metadata[b"crosspost.schema_version"] == SCHEMA_VERSION.encode()
    assert meta.row_group(0).column(0).compression == "ZSTD"
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table["url"].to_pylist() == sorted(r["url"] for r in rows("v1"))  # deterministic order
    assert table["fetched_at"][0].as_py().microsecond == 123456
    assert_clean(store)


def test_big_tables_are_split_into_parts_and_row_groups(local_store_url, rows, monkeypatch):
    store = open_store(local_store_url)
    one = publish.to_table("articles", rows("v1", 1)).nbytes
    monkeypatch.setattr(publish, "PART_BYTES", one * 4)
    monkeypatch.setattr(publish, "ROW_GROUP_BYTES", one * 2)
    write_partition(store, "articles", DATE, rows("v1", 10), run_id="r")
    files = read_manifest(store, "articles", DATE)["files"]
    assert [f["rows"] for f in files] == [4, 4, 2] and [f["path"][-10:] for f in files][0] == "-0.parquet"
    first = pq.ParquetFile(io.BytesIO(store.get_bytes(PREFIX + files[0]["path"])))
    assert first.num_row_groups == 2
    assert read_table(store, "articles", DATE)["url"].to_pylist() == sorted(r["url"] for r in rows("v1", 10))


def test_empty_partition_is_committed_with_its_schema(store):
    write_partition(store, "crossposts", DATE, [], run_id="r")
    table = read_table(store, "crossposts", DATE)
    assert table.num_rows == 0 and "similarity" in table.column_names


def test_rerun_with_same_rows_writes_no_file(store, rows):
    write_partition(store, "articles", DATE, rows("v1"), run_id="first")
    before = read_manifest(store, "articles", DATE)
    write_partition(store, "articles", DATE, rows("v1"), run_id="second")
    after = read_manifest(store, "articles", DATE)
    assert after["files"] == before["files"] and after["run_id"] == "second"
    assert_clean(store)


def test_rerun_with_new_rows_replaces_the_partition_whole(store, rows):
    write_partition(store, "articles", DATE, rows("v1", 6), run_id="first")
    write_partition(store, "articles", DATE, rows("v2", 3), run_id="second")
    assert titles(store) == {"v2"} and read_table(store, "articles", DATE).num_rows == 3
    assert_clean(store)


def test_bad_timestamp_is_a_clear_error(store, rows):
    bad = rows("v1")
    bad[0]["published_at"] = "last tuesday"
    with pytest.raises(ValueError, match="published_at: not an ISO 8601 timestamp"):
        write_partition(store, "articles", DATE, bad, run_id="r")


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_any_step_readers_see_one_whole_version(store, rows, child_commit, step):
    url = store.url
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    result = child_commit(url, rows("v2", 3), crash_after=step)
    assert result.returncode == publish.CRASH_EXIT, result.stderr
    expected = {"v2"} if step in ("commit", "success", "sweep") else {"v1"}
    assert titles(store) == expected
    write_partition(store, "articles", DATE, rows("v2", 3), run_id="rerun")  # the next run heals it
    assert titles(store) == {"v2"}
    assert_clean(store)


def test_child_commit_without_crash(store, rows, child_commit):
    result = child_commit(store.url, rows("v2", 3))
    assert result.returncode == 0, result.stderr
    assert titles(store) == {"v2"} and len(read_manifest(store, "articles", DATE)["files"]) == 3


def _run(name, target):
    thread = threading.Thread(target=target, name=name)
    thread.start()
    return thread


def test_concurrent_runs_one_wins_the_other_fails_cleanly(store, rows, monkeypatch):
    """B reads the manifest, A commits and sweeps, then B tries to commit."""
    write_partition(store, "articles", DATE, rows("v0"), run_id="v0")
    b_has_read, a_done, errors = threading.Event(), threading.Event(), {}

    def after(step):
        if threading.current_thread().name == "A" and step == "read":
            b_has_read.wait(30)
        if threading.current_thread().name == "B" and step == "read":
            b_has_read.set()
            a_done.wait(30)

    def commit(version):
        try:
            write_partition(store, "articles", DATE, rows(version), run_id=version)
        except Exception as exc:
            errors[version] = exc
        finally:
            a_done.set() if version == "A" else None

    monkeypatch.setattr(publish, "_after", after)
    threads = [_run("A", lambda: commit("A")), _run("B", lambda: commit("B"))]
    for thread in threads:
        thread.join(60)
    assert set(errors) == {"B"} and isinstance(errors["B"], CommitConflict)
    assert "another run committed this partition first" in str(errors["B"])
    assert titles(store) == {"A"}
    assert_clean(store)


def test_run_starting_after_a_commit_survives_that_runs_sweep(store, rows, monkeypatch):
    """A commits; B reads A's manifest, writes and commits; only then does A sweep."""
    write_partition(store, "articles", DATE, rows("v0"), run_id="v0")
    a_committed, b_done = threading.Event(), threading.Event()

    def after(step):
        if threading.current_thread().name == "A" and step == "commit":
            a_committed.set()
            b_done.wait(30)

    monkeypatch.setattr(publish, "_after", after)
    a = _run("A", lambda: write_partition(store, "articles", DATE, rows("A"), run_id="A"))
    a_committed.wait(30)
    write_partition(store, "articles", DATE, rows("B", 3), run_id="B")
    b_done.set()
    a.join(60)
    assert titles(store) == {"B"} and read_table(store, "articles", DATE).num_rows == 3
    assert_clean(store)


def test_failed_part_upload_keeps_the_committed_version(fault_proxy, s3_bucket, rows, monkeypatch):
    store = fault_proxy.store(s3_bucket, max_attempts=2)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    monkeypatch.setattr(publish, "PART_BYTES", 1)
    fault_proxy.fail("PUT", "-1.parquet", "drop", times=5)
    with pytest.raises(StoreError, match=r"-1\.parquet: Connection was closed"):
        write_partition(store, "articles", DATE, rows("v2"), run_id="v2")
    assert titles(store) == {"v1"}
    assert_clean(store)  # the failed run removed the parts it had written


def test_manifest_put_retried_after_503_and_lost_answer(fault_proxy, s3_bucket, rows):
    store = fault_proxy.store(s3_bucket)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    fault_proxy.fail("PUT", "_SUCCESS", 503)
    write_partition(store, "articles", DATE, rows("v2"), run_id="v2")
    assert fault_proxy.outcomes("PUT", "_SUCCESS") == ["ok", "503", "ok"]
    assert titles(store) == {"v2"}
    assert_clean(store)


def test_manifest_landed_but_retry_refused_counts_as_committed(store, rows, monkeypatch):
    """The first PUT lands, its answer is lost, the retry fails its own If-Match."""
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    real = store.put_bytes

    def put_then_conflict(key, data, **conditions):
        real(key, data, **conditions)
        if key.endswith(("_SUCCESS", "commit.json")):  # the record (the commit) and the marker
            raise CommitConflict("412 on the retry")

    monkeypatch.setattr(store, "put_bytes", put_then_conflict)
    write_partition(store, "articles", DATE, rows("v2"), run_id="v2")
    assert titles(store) == {"v2"}
    assert_clean(store)


def test_publish_date_checks_the_bucket_before_any_work(moto_endpoint):
    from crosspost.pipeline.stages import publish_date

    with pytest.raises(StoreConfigError, match="does not exist"):
        publish_date("s3://no-such-bucket/lake", DATE, ["site0"], run_id="r")


def test_publish_date_with_wrong_credentials(strict_moto_endpoint, monkeypatch):
    from crosspost.pipeline.stages import publish_date

    with pytest.raises(StoreConfigError, match="access denied"):
        publish_date(f"s3://some-bucket/lake?endpoint_url={strict_moto_endpoint}", DATE, ["site0"], run_id="r")


def test_crosspost_run_on_a_missing_bucket_fails_before_any_work(sites_file, moto_endpoint):
    result = subprocess.run([sys.executable, "-m", "crosspost.cli.main", "run", "--sites", sites_file,
                             "--store", "s3://no-such-bucket/lake", "--date", DATE],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "crawl report" not in result.stderr


def test_table_uri(tmp_path):
    from airflow.sdk import Asset

    local = table_uri(str(tmp_path / "lake"), "articles")
    assert local == f"file://{tmp_path}/lake/articles"
    s3 = table_uri("s3://bucket/crosspost/?endpoint_url=http://127.0.0.1:9000", "crossposts")
    assert s3 == "s3://bucket/crosspost/crossposts"
    assert Asset(name="crosspost_articles", uri=s3).uri == s3
    assert Asset(name="crosspost_articles", uri=local).uri == local


def test_manifest_is_json_with_every_field(local_store_url, rows):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="r")
    manifest = json.loads(store.get_bytes(PREFIX + "_SUCCESS"))
    assert set(manifest) == {"table", "dt", "schema_version", "code_version", "run_id", "write_id", "data_interval",
                             "files", "rows", "bytes", "sort_keys", "sites", "site_rows"}
    assert set(manifest["files"][0]) == {"path", "size", "rows", "sha256"}
