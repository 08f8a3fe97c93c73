"""Fixtures of the storage tests: both stores, sample rows, a fault-injecting S3 proxy, a moto
that enforces credentials, and a child process that commits a partition (for kill tests).

The proxy is a real HTTP server on 127.0.0.1 in front of moto's standalone server: boto3
talks S3 to it over TCP, and it answers chosen requests with 500/503 or drops the
connection halfway through the request body, the way a flaky network or server would.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from crosspost.lake.store import S3Store, make_s3_client, open_store

DATE = "2026-11-20"
ERRORS = {500: "InternalError", 501: "NotImplemented", 503: "SlowDown"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


def article_rows(version: str, n: int = 4) -> list[dict]:
    """``n`` article rows whose titles say which version wrote them (cluster c1: 0 is the original)."""
    return [{"url": f"http://site{i % 2}.test/news/{i}", "site": f"site{i % 2}", "status": "ok",
             "title": f"{version} title {i}", "authors": ["A. Writer", "B. Editor"], "tags": ["world"],
             "published_at": f"2026-11-20T0{i}:00:00Z", "fetched_at": "2026-11-20T10:00:00.123456Z",
             "text": f"{version} body {i} " * 50, "word_count": 150, "http_status": 200, "language": "en",
             "cluster_id": "c1" if i < 3 else f"c{i}", "original_url": "http://site0.test/news/0" if i < 3 else None,
             "is_original": i == 0 or i >= 3, "cluster_size": 3 if i < 3 else 1} for i in range(n)]


@pytest.fixture(params=["local", "s3"])
def store(request):
    """Each test that takes ``store`` runs on a local folder and on moto's S3 over HTTP."""
    url = request.getfixturevalue("local_store_url" if request.param == "local" else "s3_store_url")
    return open_store(url)


@dataclass
class Fault:
    """Answer requests with ``method`` whose path+query contains ``match`` with ``action``
    (500, 501, 503 or ``"drop"``), ``times`` times."""

    method: str
    match: str
    action: int | str
    times: int = 1


class FaultProxy:
    """An HTTP proxy to moto that fails the requests its faults match, and logs every request."""

    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, str]] = []  # (method, path, outcome)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail(self, method: str, match: str, action: int | str, times: int = 1) -> None:
        """Add a fault: the next ``times`` matching requests get ``action`` (500, 503, "drop")."""
        self.faults.append(Fault(method, match, action, times))

    def outcomes(self, method: str, match: str) -> list[str]:
        """What happened to each request with ``method`` whose path contains ``match``."""
        return [o for m, p, o in self.log if m == method and match in p]

    def take(self, method: str, path: str) -> int | str | None:
        """The fault to apply to this request, if any (counting it down)."""
        with self._lock:
            for fault in self.faults:
                if fault.times and fault.method == method and fault.match in path:
                    fault.times -= 1
                    return fault.action
        return None

    def store(self, bucket: str, prefix: str = "lake", *, max_attempts: int = 4) -> S3Store:
        """An S3 store that talks to moto through this proxy."""
        client = make_s3_client(self.url, max_attempts=max_attempts)
        return S3Store(bucket, prefix, endpoint_url=self.url, client=client)

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


def _handler(proxy: FaultProxy):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and Expect: 100-continue, as boto3 uses them

        def log_message(self, *args):
            pass

        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            fault = proxy.take(self.command, self.path)
            proxy.log.append((self.command, self.path, str(fault or "ok")))
            if fault == "drop":
                self.rfile.read(length // 2)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            body = self.rfile.read(length) if length else None
            if fault:
                self._error(int(fault))
                return
            self._forward(body)

        def _error(self, status: int):
            xml = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{ERRORS[status]}</Code>"
                   f"<Message>injected by the test proxy</Message></Error>").encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(xml)))
            self.end_headers()
            self.wfile.write(xml)

        def _forward(self, body: bytes | None):
            conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"expect"}}
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            finally:
                conn.close()
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            length = response.getheader("Content-Length") if self.command == "HEAD" else None
            self.send_header("Content-Length", length or str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

    return Handler


@pytest.fixture
def fault_proxy(moto_endpoint):
    """A FaultProxy in front of the session's moto server (no faults until a test adds them)."""
    proxy = FaultProxy(moto_endpoint).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def strict_moto_endpoint():
    """A second moto server, in a child process, that checks credentials (none are valid)."""
    code = ("import sys\nfrom moto.server import ThreadedMotoServer\n"
            "s = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)\ns.start()\n"
            "print(s.get_host_and_port()[1], flush=True)\nsys.stdin.read()\n")
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="0")
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        yield f"http://127.0.0.1:{int(child.stdout.readline())}"
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()


CHILD = """
import json, sys
from crosspost.lake import publish
from crosspost.lake.store import open_store
publish.PART_BYTES = int(sys.argv[3])
publish.write_partition(open_store(sys.argv[1]), "articles", sys.argv[4], json.loads(sys.argv[2]), run_id="child")
"""


@pytest.fixture
def rows():
    """``rows(version, n=4)``: sample article rows (see ``article_rows``)."""
    return article_rows


@pytest.fixture
def child_commit():
    """``child_commit(store_url, rows, crash_after=None)``: commit from another process."""
    return commit_in_child


def commit_in_child(store_url: str, rows: list[dict], *, crash_after: str | None = None,
                    part_bytes: int = 1) -> subprocess.CompletedProcess:
    """Commit ``rows`` from a separate process, optionally killed right after a protocol step.

    ``part_bytes=1`` gives one row per part, so a kill can fall between two part uploads.
    """
    import json

    env = dict(os.environ)
    env.pop("CROSSPOST_TEST_CRASH_AFTER", None)
    if crash_after:
        env["CROSSPOST_TEST_CRASH_AFTER"] = crash_after
    return subprocess.run([sys.executable, "-c", CHILD, store_url, json.dumps(rows), str(part_bytes), DATE],
                          env=env, capture_output=True, text=True, timeout=120)
