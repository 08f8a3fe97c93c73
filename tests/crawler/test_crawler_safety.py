"""Politeness and safety: Scrapy's own machinery, configured; no listening ports."""

from __future__ import annotations

import os
import re
import socket

import pytest

from crawler.safety import listening_ports

_ENABLED = re.compile(r"Enabled (extensions|downloader middlewares):\n(\[.*?\])", re.S)


def _enabled(log: str, what: str) -> str:
    return next(m.group(2) for m in _ENABLED.finditer(log) if m.group(1) == what)


def test_no_port_listens_while_crawling(fault_crawl):
    # Polled every 50 ms while the child ran (seconds, thanks to the slow page and retries).
    assert fault_crawl.polls >= 20
    assert fault_crawl.ports_seen == set()
    assert fault_crawl.report["listening_ports"] == []  # the spider's own check at close


def test_telnet_and_remote_control_are_not_enabled(fault_crawl):
    extensions = _enabled(fault_crawl.log, "extensions")
    assert "TelnetConsole" not in extensions and "RemoteControl" not in extensions
    assert "Telnet console listening" not in fault_crawl.log
    assert "Remote control" not in fault_crawl.log


def test_the_port_probe_sees_a_listening_socket():
    # The check above would be vacuous if listening_ports could not see a LISTEN socket.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert any(addr.endswith(f":{port}") for addr in listening_ports(os.getpid()))
    assert not any(addr.endswith(f":{port}") for addr in listening_ports(os.getpid()))


def test_politeness_middlewares_are_on(fault_crawl):
    middlewares = _enabled(fault_crawl.log, "downloader middlewares")
    for name in ("RobotsTxtMiddleware", "OffsiteMiddleware", "crawler.middlewares.SiteBoundaryMiddleware",
                 "crawler.retry.BackoffRetryMiddleware", "DownloadTimeoutMiddleware", "RedirectMiddleware",
                 "HttpCompressionMiddleware"):
        assert name in middlewares
    assert "scrapy.downloadermiddlewares.retry.RetryMiddleware" not in middlewares


@pytest.fixture
def project_settings(monkeypatch):
    from scrapy.utils.project import get_project_settings

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_project_settings()


def test_project_settings(project_settings):
    s = project_settings
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED")
    assert not s.getbool("TELNETCONSOLE_ENABLED") and not s.getbool("REMOTE_CONTROL_ENABLED")
    assert s.getint("DOWNLOAD_MAXSIZE") == 10 * 1024 * 1024
    assert s.getint("REDIRECT_MAX_TIMES") == 5 and s.getint("DOWNLOAD_TIMEOUT") == 30
    assert {429, 500, 503} <= set(s.getlist("RETRY_HTTP_CODES"))
    assert "crosspost" in s.get("USER_AGENT")
    handlers = s.getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "data", "s3", "ftp"))


def test_retry_after_parsing():
    import datetime as dt

    from crawler.retry import backoff_seconds, retry_after_seconds

    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Fri, 20 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Fri, 20 Nov 2026 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    assert [backoff_seconds(n, 1.0, 5.0) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
