"""One small storage interface with two backends: a local folder and S3 (boto3).

Keys are `/`-separated relative paths (``articles/dt=2026-11-20/_SUCCESS``); both
backends lay them out identically, so a local lake can be synced to a bucket as is.
Every write is atomic per object: a reader sees the old bytes or the new, never half.
Conditional writes (``if_absent``, ``if_match``) let two writers of one key find out
that the other came first; on S3 they are the server's If-None-Match / If-Match, on a
local folder a lock on the key's folder around check-and-rename.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import parse_qs, unquote, urlparse

from crosspost.exceptions import CommitConflict, ObjectNotFound, StoreConfigError, StoreError

log = logging.getLogger(__name__)

MULTIPART_THRESHOLD = 64 * 2**20  # larger objects go up in parts (parallel, retried one by one)
MULTIPART_CHUNK = 16 * 2**20
MAX_ATTEMPTS_ENV = "CROSSPOST_S3_MAX_ATTEMPTS"
TEMP_DIR = ".tmp"  # a local store's writes in progress
StrPath: TypeAlias = str | os.PathLike[str]


class Store:
    """The operations every stage needs; subclasses implement them per backend."""

    url: str

    def put_bytes(self, key: str, data: bytes, *, if_absent: bool = False, if_match: str | None = None) -> None:
        """Write ``data`` at ``key`` atomically.

        With ``if_absent``, fail with CommitConflict if the key exists; with ``if_match``,
        fail with CommitConflict unless the current object's ETag is ``if_match``.
        """
        raise NotImplementedError

    def put_file(self, key: str, path: StrPath) -> None:
        """Upload a local file to ``key`` atomically."""
        raise NotImplementedError

    def get_bytes(self, key: str) -> bytes:
        """Read the object at ``key``; raise ObjectNotFound when missing."""
        return self.get_with_etag(key)[0]

    def get_with_etag(self, key: str) -> tuple[bytes, str]:
        """The object at ``key`` and its ETag (the version a conditional write compares)."""
        raise NotImplementedError

    def get_file(self, key: str, path: StrPath) -> None:
        """Download ``key`` into the local file ``path``."""
        raise NotImplementedError

    def list(self, prefix: str) -> builtins.list[str]:
        """All keys under ``prefix`` (recursively), sorted."""
        raise NotImplementedError

    def size(self, key: str) -> int:
        """Size in bytes of the object at ``key``."""
        raise NotImplementedError

    def delete(self, keys: builtins.list[str]) -> None:
        """Delete keys; missing keys are ignored."""
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        """Whether an object exists at ``key``."""
        try:
            self.size(key)
            return True
        except ObjectNotFound:
            return False

    def uri(self, key: str) -> str:
        """A URL for ``key`` that engines (DuckDB, Spark, pyarrow) understand."""
        return f"{self.url.rstrip('/')}/{key}"

    def check(self, *, write: bool = True) -> None:
        """Fail fast with StoreConfigError if the store cannot be used (for writing, or only reading)."""


class LocalStore(Store):
    """A folder on disk; a write goes to a temp file in ``<root>/.tmp/``, then is renamed into
    place (same file system: atomic). A killed writer leaves its temp file there, never in a
    table's folder."""

    def __init__(self, root: StrPath):
        self.root = Path(root).absolute()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        parts = Path(key).parts
        if Path(key).is_absolute() or ".." in parts:
            raise StoreError(f"key escapes the store root: {key!r}")
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents and path != self.root.resolve():
            raise StoreError(_symlink_message(self.root, parts))
        return path

    def put_bytes(self, key: str, data: bytes, *, if_absent: bool = False, if_match: str | None = None) -> None:
        path = self._path(key)
        with _disk_errors(self.uri(key)):
            fd, tmp = self._temp(path)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            except BaseException:
                os.unlink(tmp)
                raise
        self._publish(tmp, path, if_absent, if_match)

    def put_file(self, key: str, path: StrPath) -> None:
        dest = self._path(key)
        with _disk_errors(self.uri(key)):
            fd, tmp = self._temp(dest)
            os.close(fd)
            try:
                shutil.copyfile(path, tmp)
            except BaseException:
                os.unlink(tmp)
                raise
        self._publish(tmp, dest, False, None)

    def _temp(self, dest: Path) -> tuple[int, str]:
        dest.parent.mkdir(parents=True, exist_ok=True)
        (self.root / TEMP_DIR).mkdir(exist_ok=True)
        return tempfile.mkstemp(dir=self.root / TEMP_DIR, prefix=".tmp-")

    def _publish(self, tmp: str, dest: Path, if_absent: bool, if_match: str | None) -> None:
        if not (if_absent or if_match):
            with _disk_errors(str(dest)):
                os.replace(tmp, dest)
            return
        try:
            # Conditional writers of one folder take turns: check, then rename.
            with _folder_lock(dest.parent):
                self._check_condition(dest, if_absent, if_match)
                os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def _check_condition(self, dest: Path, if_absent: bool, if_match: str | None) -> None:
        current = _etag(dest.read_bytes()) if dest.exists() else None
        if if_absent and current is not None:
            raise CommitConflict(f"{dest} already exists")
        if if_match and current != if_match:
            raise CommitConflict(f"{dest} was replaced by another writer")

    def get_with_etag(self, key: str) -> tuple[bytes, str]:
        try:
            data = self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None
        return data, _etag(data)

    def get_file(self, key: str, path: StrPath) -> None:
        try:
            shutil.copyfile(self._path(key), path)
        except FileNotFoundError:
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None

    def list(self, prefix: str) -> builtins.list[str]:
        base = self._path(prefix) if prefix else self.root
        if base.is_file():
            return [prefix]
        if not base.is_dir():
            return []
        found = (p for p in base.rglob("*") if p.is_file() and TEMP_DIR not in p.relative_to(self.root).parts)
        return sorted(p.relative_to(self.root).as_posix() for p in found)

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None

    def delete(self, keys: builtins.list[str]) -> None:
        for key in keys:
            self._path(key).unlink(missing_ok=True)

    def check(self, *, write: bool = True) -> None:
        if not write:
            if not self.root.is_dir():
                raise StoreConfigError(f"no local store at {self.root}")
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # Write and remove a probe: a read-only store fails here, before any crawl.
            (self.root / TEMP_DIR).mkdir(exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.root / TEMP_DIR, prefix=".write-check-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise StoreConfigError(f"cannot write to local store {self.root}: {exc.strerror or exc}") from exc


def _symlink_message(root: Path, parts: tuple[str, ...]) -> str:
    """Name the symlink that leads out of the store, and why it is not followed."""
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return (f"{path} is a symlink to {os.path.realpath(path)}, outside the store {root}: crosspost does "
                    "not follow links out of a store (its atomic renames need one file system); move the folder "
                    "into the store, or make the store itself the link")
    return f"key escapes the store root: {'/'.join(parts)!r}"


@contextlib.contextmanager
def _disk_errors(where: str) -> Iterator[None]:
    """A failed local write (disk full, read-only, quota) as a StoreError naming the object."""
    try:
        yield
    except OSError as exc:
        raise StoreError(f"cannot write {where}: {exc.strerror or exc}; nothing was committed by this write, "
                         "what was committed before is unchanged") from exc


def _etag(data: bytes) -> str:
    # S3's ETag of a single-part object is its MD5 too.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive flock on the folder itself: no lock file for engines to trip over."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class S3Store(Store):
    """An S3 bucket and prefix through boto3 (AWS, MinIO, Ceph RGW, R2 via endpoint_url)."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client: Any = None):
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.endpoint_url = endpoint_url or os.environ.get("CROSSPOST_S3_ENDPOINT_URL") or None
        self._client = client

    @property
    def client(self) -> Any:
        """A boto3 S3 client with adaptive retries (created lazily: boto3 is slow to import)."""
        if self._client is None:
            self._client = make_s3_client(self.endpoint_url)
        return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_bytes(self, key: str, data: bytes, *, if_absent: bool = False, if_match: str | None = None) -> None:
        conditions = {"IfNoneMatch": "*"} if if_absent else {"IfMatch": if_match} if if_match else {}
        if len(data) > MULTIPART_THRESHOLD and not conditions:
            self._upload(key, self.client.upload_fileobj, io.BytesIO(data))
            return
        with _errors(self.uri(key)):
            self._put_object(key, data, conditions)

    def _put_object(self, key: str, data: bytes, conditions: dict[str, str]) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **conditions)
        except self.client.exceptions.ClientError as exc:
            if not conditions or _code(exc) not in ("NotImplemented", "501"):
                raise
            # An S3-compatible server without conditional writes: the best we can do is
            # check first. Concurrent runs of one date are then not detected reliably.
            log.warning("%s does not support conditional writes; writing %s unconditionally",
                        self.endpoint_url or "the server", key)
            self._check_unconditionally(key, conditions)
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def _check_unconditionally(self, key: str, conditions: dict[str, str]) -> None:
        try:
            current = self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ETag"]
        except self.client.exceptions.ClientError as exc:
            if _code(exc) not in ("404", "NoSuchKey", "NotFound"):
                raise
            current = None
        if ("IfNoneMatch" in conditions and current) or conditions.get("IfMatch", current) != current:
            raise CommitConflict(f"{self.uri(key)} was written by another run first")

    def put_file(self, key: str, path: StrPath) -> None:
        self._upload(key, self.client.upload_file, str(path))

    def _upload(self, key: str, method: Callable[..., None], source: Any) -> None:
        from boto3.s3.transfer import TransferConfig

        # Multipart above the threshold, parts in parallel, each retried by botocore; when
        # an upload fails for good, s3transfer aborts it, so no object is created and the
        # committed one (if any) is untouched.
        config = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=MULTIPART_CHUNK,
                                max_concurrency=10)
        try:
            method(source, self.bucket, self._key(key), Config=config)
        except Exception as exc:  # boto3 wraps ClientError in S3UploadFailedError
            raise StoreError(f"upload of {self.uri(key)} failed: {exc}") from exc

    def get_with_etag(self, key: str) -> tuple[bytes, str]:
        with _errors(self.uri(key)):
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            return response["Body"].read(), response["ETag"]

    def get_file(self, key: str, path: StrPath) -> None:
        Path(path).write_bytes(self.get_bytes(key))

    def list(self, prefix: str) -> builtins.list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix)
        strip = len(self.prefix) + 1 if self.prefix else 0
        keys: builtins.list[str] = []
        with _errors(self.uri(prefix)):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
                keys.extend(obj["Key"][strip:] for obj in page.get("Contents", []))
        return sorted(keys)

    def size(self, key: str) -> int:
        with _errors(self.uri(key)):
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"])

    def delete(self, keys: builtins.list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": self._key(k)} for k in keys[start : start + 1000]]
            with _errors(self.uri(keys[start])):
                response = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if response.get("Errors"):
                raise StoreError(f"could not delete from {self.url}: {response['Errors'][:3]}")

    def check(self, *, write: bool = True) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            raise StoreConfigError(_check_message(exc, self.bucket, self.client.meta.endpoint_url)) from exc
        if write:
            self._check_writable()

    def _check_writable(self) -> None:
        # Credentials that may read but not write pass head_bucket: probe with a tiny object,
        # so a crawl does not run for an hour before its first PUT is refused.
        probe = f"{TEMP_DIR}/write-check-{os.getpid()}-{os.urandom(4).hex()}"
        try:
            self.put_bytes(probe, b"")
            self.delete([probe])
        except StoreError as exc:
            raise StoreConfigError(f"cannot write to {self.url}: {exc}") from exc


def make_s3_client(endpoint_url: str | None = None, *, max_attempts: int | None = None) -> Any:
    """A boto3 client: standard credential chain, adaptive retries, optional endpoint.

    Adaptive retries back off on throttling and retry 500/503 answers and dropped
    connections; ``CROSSPOST_S3_MAX_ATTEMPTS`` (default 8) bounds the attempts.
    """
    import boto3
    from botocore.config import Config

    attempts = max_attempts or int(os.environ.get(MAX_ATTEMPTS_ENV, "8"))
    config = Config(retries={"total_max_attempts": attempts, "mode": "adaptive"}, connect_timeout=10, read_timeout=60,
                    max_pool_connections=16)
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


@contextlib.contextmanager
def _errors(where: str) -> Iterator[None]:
    """botocore's errors as ours: ClientError by its code, anything else (connection lost
    after every retry, no credentials) as StoreError."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        raise _translate(exc, where) from exc
    except BotoCoreError as exc:
        raise StoreError(f"{where}: {exc}") from exc


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _translate(exc: Exception, where: str) -> StoreError:
    code = _code(exc)
    if code in ("404", "NoSuchKey", "NotFound"):
        return ObjectNotFound(f"no object at {where}")
    if code in ("412", "PreconditionFailed", "ConditionalRequestConflict"):
        return CommitConflict(f"{where} was written by another run first")
    if code == "NoSuchBucket":
        return StoreConfigError(f"{where}: the bucket does not exist")
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"):
        return StoreConfigError(f"{where}: access denied ({code}); check the AWS credentials and the bucket policy")
    return StoreError(f"{where}: {exc}")


def _check_message(exc: Exception, bucket: str, endpoint: str) -> str:
    where = f"bucket {bucket!r} at {endpoint}"
    code = _code(exc)
    if code in ("404", "NoSuchBucket", "NotFound"):
        return f"{where} does not exist"
    if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden"):
        return f"{where}: access denied ({code}); check the AWS credentials and the bucket policy"
    if type(exc).__name__ in ("NoCredentialsError", "PartialCredentialsError"):
        return f"{where}: no AWS credentials found (env vars, ~/.aws or an instance role)"
    return f"cannot use {where}: {exc}"


def open_store(url: StrPath) -> Store:
    """Open a store from ``s3://bucket/prefix[?endpoint_url=...]``, ``file://path`` or a path."""
    url = str(url)
    if not url.strip():
        raise StoreConfigError("the store URL is empty: give a folder, file:///absolute/path or s3://bucket/prefix")
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise StoreConfigError(f"S3 store URL has no bucket: {url!r}")
        endpoint = parse_qs(parsed.query).get("endpoint_url", [None])[0]
        return S3Store(parsed.netloc, parsed.path, endpoint_url=endpoint)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise StoreConfigError(f"{url!r} names the host {parsed.netloc!r}: a file URL needs three slashes and "
                                   f"an absolute path (file:///data/lake), or give a plain folder ({parsed.netloc}"
                                   f"{parsed.path})")
        if not parsed.path:
            raise StoreConfigError(f"{url!r} has no path: use file:///absolute/path or a plain folder")
        return LocalStore(unquote(parsed.path))
    if parsed.scheme in ("", ) or len(parsed.scheme) == 1:  # plain path (or a Windows drive)
        return LocalStore(url)
    raise StoreConfigError(f"unsupported store URL scheme {parsed.scheme!r} in {url!r}")


def table_uri(store_url: str, table: str) -> str:
    """The URI of an output table (its Airflow asset): ``s3://bucket/prefix/<table>`` or ``file:///…/<table>``."""
    store = open_store(store_url)
    if isinstance(store, LocalStore):
        return (store.root / table).as_uri()
    return store.uri(table)
