"""One small storage interface with two backends: a local folder and S3 (boto3).

Keys are `/`-separated relative paths (``articles/dt=2026-11-20/_SUCCESS``); both
backends lay them out identically, so a local lake can be synced to a bucket as is.
Every write is atomic per object: a reader sees the old bytes or the new, never half.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from crosspost.exceptions import CommitConflict, ObjectNotFound, StoreConfigError, StoreError


class Store:
    """The operations every stage needs; subclasses implement them per backend."""

    url: str

    def put_bytes(self, key: str, data: bytes, *, if_absent: bool = False) -> None:
        """Write ``data`` at ``key`` atomically; with ``if_absent`` fail if it exists."""
        raise NotImplementedError

    def put_file(self, key: str, path: str | os.PathLike) -> None:
        """Upload a local file to ``key`` atomically."""
        raise NotImplementedError

    def get_bytes(self, key: str) -> bytes:
        """Read the object at ``key``; raise ObjectNotFound when missing."""
        raise NotImplementedError

    def get_file(self, key: str, path: str | os.PathLike) -> None:
        """Download ``key`` into the local file ``path``."""
        raise NotImplementedError

    def list(self, prefix: str) -> list[str]:
        """All keys under ``prefix`` (recursively), sorted."""
        raise NotImplementedError

    def size(self, key: str) -> int:
        """Size in bytes of the object at ``key``."""
        raise NotImplementedError

    def delete(self, keys: list[str]) -> None:
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

    def check(self) -> None:
        """Fail fast with StoreConfigError if the store cannot be used."""


class LocalStore(Store):
    """A folder on disk; writes go to a temp file in the same folder, then rename."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).absolute()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents and path != self.root.resolve():
            raise StoreError(f"key escapes the store root: {key!r}")
        return path

    def put_bytes(self, key, data, *, if_absent=False):
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        self._publish(tmp, path, if_absent)

    def put_file(self, key, path):
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        os.close(fd)
        shutil.copyfile(path, tmp)
        self._publish(tmp, dest, False)

    @staticmethod
    def _publish(tmp: str, dest: Path, if_absent: bool) -> None:
        if if_absent:
            # os.link fails if dest exists: an atomic create-if-absent.
            try:
                os.link(tmp, dest)
            except FileExistsError:
                raise CommitConflict(f"{dest} already exists") from None
            finally:
                os.unlink(tmp)
            return
        os.replace(tmp, dest)

    def get_bytes(self, key):
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None

    def get_file(self, key, path):
        try:
            shutil.copyfile(self._path(key), path)
        except FileNotFoundError:
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None

    def list(self, prefix):
        base = self._path(prefix) if prefix else self.root
        if base.is_file():
            return [prefix]
        if not base.is_dir():
            return []
        found = (p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))
        return sorted(p.relative_to(self.root).as_posix() for p in found)

    def size(self, key):
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(f"no object at {self.uri(key)}") from None

    def delete(self, keys):
        for key in keys:
            self._path(key).unlink(missing_ok=True)

    def check(self):
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreConfigError(f"cannot use local store {self.root}: {exc}") from exc


class S3Store(Store):
    """An S3 bucket and prefix through boto3 (AWS, MinIO, Ceph RGW, R2 via endpoint_url)."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client=None):
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.endpoint_url = endpoint_url or os.environ.get("CROSSPOST_S3_ENDPOINT_URL") or None
        self._client = client

    @property
    def client(self):
        """A boto3 S3 client with adaptive retries (created lazily: boto3 is slow to import)."""
        if self._client is None:
            self._client = make_s3_client(self.endpoint_url)
        return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_bytes(self, key, data, *, if_absent=False):
        extra = {"IfNoneMatch": "*"} if if_absent else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **extra)
        except self.client.exceptions.ClientError as exc:
            raise _translate(exc, self.uri(key)) from exc

    def put_file(self, key, path):
        from boto3.s3.transfer import TransferConfig

        # Multipart above 64 MB; a failed multipart upload is aborted by boto3, so the
        # previously committed object stays intact.
        config = TransferConfig(multipart_threshold=64 * 2**20, multipart_chunksize=64 * 2**20)
        try:
            self.client.upload_file(str(path), self.bucket, self._key(key), Config=config)
        except Exception as exc:  # boto3 wraps ClientError in S3UploadFailedError
            raise StoreError(f"upload of {self.uri(key)} failed: {exc}") from exc

    def get_bytes(self, key):
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.ClientError as exc:
            raise _translate(exc, self.uri(key)) from exc

    def get_file(self, key, path):
        Path(path).write_bytes(self.get_bytes(key))

    def list(self, prefix):
        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix)
        strip = len(self.prefix) + 1 if self.prefix else 0
        keys = []
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
                keys.extend(obj["Key"][strip:] for obj in page.get("Contents", []))
        except self.client.exceptions.ClientError as exc:
            raise _translate(exc, self.uri(prefix)) from exc
        return sorted(keys)

    def size(self, key):
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"]
        except self.client.exceptions.ClientError as exc:
            raise _translate(exc, self.uri(key)) from exc

    def delete(self, keys):
        for start in range(0, len(keys), 1000):
            batch = [{"Key": self._key(k)} for k in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def check(self):
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            raise StoreConfigError(
                f"cannot use bucket {self.bucket!r} at {self.endpoint_url or 'AWS'}: {exc}"
            ) from exc


def make_s3_client(endpoint_url: str | None = None):
    """A boto3 client: standard credential chain, adaptive retries, optional endpoint."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 8, "mode": "adaptive"}, connect_timeout=10, read_timeout=60)
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


def _translate(exc, where: str) -> StoreError:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code in ("404", "NoSuchKey", "NotFound"):
        return ObjectNotFound(f"no object at {where}")
    if code in ("412", "PreconditionFailed", "ConditionalRequestConflict"):
        return CommitConflict(f"{where} was written by another run first")
    if code in ("NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"):
        return StoreConfigError(f"{where}: {code}")
    return StoreError(f"{where}: {exc}")


def open_store(url: str | os.PathLike) -> Store:
    """Open a store from ``s3://bucket/prefix[?endpoint_url=...]``, ``file://path`` or a path."""
    url = str(url)
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise StoreConfigError(f"S3 store URL has no bucket: {url!r}")
        endpoint = parse_qs(parsed.query).get("endpoint_url", [None])[0]
        return S3Store(parsed.netloc, parsed.path, endpoint_url=endpoint)
    if parsed.scheme == "file":
        return LocalStore(parsed.path)
    if parsed.scheme in ("", ) or len(parsed.scheme) == 1:  # plain path (or a Windows drive)
        return LocalStore(url)
    raise StoreConfigError(f"unsupported store URL scheme {parsed.scheme!r} in {url!r}")
