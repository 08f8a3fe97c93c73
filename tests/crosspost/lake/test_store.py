"""The Store backends: atomic and conditional writes, clear configuration errors, and S3 that
survives a flaky server (through the fault proxy, over HTTP to moto)."""

from __future__ import annotations

import os

import boto3
import pytest

from crosspost.exceptions import CommitConflict, ObjectNotFound, StoreConfigError, StoreError
from crosspost.lake.store import S3Store, make_s3_client, open_store

# Sockets that boto3/moto leave to the garbage collector in these S3 tests surface as
# ResourceWarnings at random moments: third-party, ignored here only.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def test_round_trip_list_delete(store):
    store.put_bytes("t/dt=1/a.bin", b"one")
    store.put_bytes("t/dt=1/b.bin", b"two")
    assert store.get_bytes("t/dt=1/a.bin") == b"one" and store.size("t/dt=1/b.bin") == 3
    assert store.list("t/") == ["t/dt=1/a.bin", "t/dt=1/b.bin"]
    store.delete(["t/dt=1/a.bin", "t/dt=1/missing"])
    assert store.list("t/") == ["t/dt=1/b.bin"] and not store.exists("t/dt=1/a.bin")
    with pytest.raises(ObjectNotFound):
        store.get_bytes("t/dt=1/a.bin")


def test_conditional_writes(store):
    store.put_bytes("k", b"first", if_absent=True)
    with pytest.raises(CommitConflict):
        store.put_bytes("k", b"second", if_absent=True)
    data, etag = store.get_with_etag("k")
    assert data == b"first"
    store.put_bytes("k", b"second", if_match=etag)
    with pytest.raises(CommitConflict):  # the ETag read before is stale now
        store.put_bytes("k", b"third", if_match=etag)
    assert store.get_bytes("k") == b"second"


def test_local_conditional_write_leaves_no_temp_files(local_store_url):
    store = open_store(local_store_url)
    store.put_bytes("p/k", b"x", if_absent=True)
    with pytest.raises(CommitConflict):
        store.put_bytes("p/k", b"y", if_absent=True)
    assert os.listdir(os.path.join(local_store_url, "p")) == ["k"]
    assert os.listdir(os.path.join(local_store_url, ".tmp")) == [] and store.list("") == ["p/k"]


def test_large_objects_go_up_in_parts(s3_bucket, monkeypatch):
    from crosspost.lake import store as store_module

    monkeypatch.setattr(store_module, "MULTIPART_THRESHOLD", 5 * 2**20)
    monkeypatch.setattr(store_module, "MULTIPART_CHUNK", 5 * 2**20)
    store = open_store(f"s3://{s3_bucket}/lake")
    data = os.urandom(11 * 2**20)
    store.put_bytes("big.bin", data)
    head = boto3.client("s3").head_object(Bucket=s3_bucket, Key="lake/big.bin")
    assert head["ETag"].endswith('-3"') and store.get_bytes("big.bin") == data  # a 3-part upload


def test_missing_bucket_is_a_clear_error(moto_endpoint):
    with pytest.raises(StoreConfigError, match="'no-such-bucket' .* does not exist"):
        open_store("s3://no-such-bucket/lake").check()


def test_wrong_credentials_are_a_clear_error(strict_moto_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1")
    store = S3Store("some-bucket", "lake", endpoint_url=strict_moto_endpoint)
    with pytest.raises(StoreConfigError, match="access denied .* credentials"):
        store.check()


def test_unwritable_local_store_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreConfigError, match="cannot write to local store .*Not a directory"):
        open_store(blocker / "lake").check()


def test_reading_a_missing_local_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreConfigError, match="no local store at"):
        open_store(tmp_path / "nothing").check(write=False)
    assert not (tmp_path / "nothing").exists()


def test_put_retried_after_500_and_503(fault_proxy, s3_bucket):
    fault_proxy.fail("PUT", "/lake/k", 500)
    fault_proxy.fail("PUT", "/lake/k", 503)
    store = fault_proxy.store(s3_bucket)
    store.put_bytes("k", b"payload")
    assert store.get_bytes("k") == b"payload"
    assert fault_proxy.outcomes("PUT", "/lake/k") == ["500", "503", "ok"]


def test_server_without_conditional_writes_gets_a_checked_fallback(fault_proxy, s3_bucket, caplog):
    store = fault_proxy.store(s3_bucket)
    store.put_bytes("k", b"one")
    etag = store.get_with_etag("k")[1]
    fault_proxy.fail("PUT", "/lake/k", 501)
    store.put_bytes("k", b"two", if_match=etag)
    assert store.get_bytes("k") == b"two" and "does not support conditional writes" in caplog.text
    fault_proxy.fail("PUT", "/lake/k", 501)
    with pytest.raises(CommitConflict):
        store.put_bytes("k", b"three", if_match=etag)
    assert store.get_bytes("k") == b"two"


def test_dropped_connection_mid_multipart_is_retried(fault_proxy, s3_bucket, monkeypatch):
    from crosspost.lake import store as store_module

    monkeypatch.setattr(store_module, "MULTIPART_THRESHOLD", 5 * 2**20)
    monkeypatch.setattr(store_module, "MULTIPART_CHUNK", 5 * 2**20)
    fault_proxy.fail("PUT", "partNumber=2", "drop")
    store = fault_proxy.store(s3_bucket)
    data = os.urandom(11 * 2**20)
    store.put_bytes("big.bin", data)
    assert store.get_bytes("big.bin") == data
    assert fault_proxy.outcomes("PUT", "partNumber=2") == ["drop", "ok"]


def test_upload_that_keeps_failing_leaves_the_old_object_and_no_upload(fault_proxy, s3_bucket, monkeypatch):
    from crosspost.lake import store as store_module

    monkeypatch.setattr(store_module, "MULTIPART_THRESHOLD", 5 * 2**20)
    monkeypatch.setattr(store_module, "MULTIPART_CHUNK", 5 * 2**20)
    store = fault_proxy.store(s3_bucket, max_attempts=2)
    store.put_bytes("big.bin", b"old version")
    fault_proxy.fail("PUT", "partNumber=2", "drop", times=10)
    with pytest.raises(StoreError, match="upload of .*big.bin failed"):
        store.put_bytes("big.bin", os.urandom(11 * 2**20))
    assert store.get_bytes("big.bin") == b"old version"
    assert not boto3.client("s3").list_multipart_uploads(Bucket=s3_bucket).get("Uploads")


def test_client_bounds_attempts(monkeypatch):
    monkeypatch.setenv("CROSSPOST_S3_MAX_ATTEMPTS", "3")
    client = make_s3_client("http://127.0.0.1:9")
    assert client.meta.config.retries == {"total_max_attempts": 3, "mode": "adaptive"}


def test_open_store_urls(tmp_path):
    assert open_store(f"file://{tmp_path}").url == str(tmp_path)
    s3 = open_store("s3://bucket/some/prefix/?endpoint_url=http://127.0.0.1:9000")
    assert (s3.bucket, s3.prefix, s3.endpoint_url) == ("bucket", "some/prefix", "http://127.0.0.1:9000")
    with pytest.raises(StoreConfigError):
        open_store("gs://bucket/x")
