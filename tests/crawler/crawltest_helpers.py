"""Helpers for the crawler tests: crawls watched while they run, a tiny local site, WARC reading."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.runner import crawl_command
from crawler.safety import listening_ports
from crawler.urlfiles import read_url_file
from crawler.warc import KIND_HEADER, LISTED_DATE_HEADER

# Small timeouts and backoffs: the fault site's slow page sleeps 4 s.
FAST = {"DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 2, "RETRY_BACKOFF_BASE": 0.2, "RETRY_BACKOFF_MAX": 1.0}


@dataclass
class Crawl:
    """What one finished crawl left: its report, files, and what was seen while it ran."""

    report: dict
    warc: Path
    log: str
    archived: set[str]
    requests: list = field(default_factory=list)  # the fixture web's request log during the crawl
    ports_seen: set = field(default_factory=set)  # LISTEN sockets of the child, polled while it ran
    polls: int = 0


def finish(result, **extra) -> Crawl:
    """Read what a finished crawl (a CrawlOutput) left behind."""
    return Crawl(json.loads(result.report.read_text()), result.warc, result.log.read_text(errors="replace"),
                 read_url_file(result.archived), **extra)


def watched_crawl(sites_file, site, date, out_dir, settings=None, lookback=None, timeout=180) -> Crawl:
    """Run a crawl and poll the child's TCP sockets every 50 ms while it runs."""
    cmd, env, result = crawl_command(sites_file, site, date, out_dir, settings=settings, lookback=lookback)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ports, polls, deadline = set(), 0, time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        ports.update(listening_ports(proc.pid))
        polls += 1
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    stderr = proc.communicate()[1]
    assert proc.returncode == 0, stderr[-2000:]
    return finish(result, ports_seen=ports, polls=polls)



# --------------------------------------------------------------------------- a tiny local site


class LocalSite:
    """A small site on 127.0.0.1 (port 0) whose routes are callables ``handler -> (status, headers, body)``;
    every request is recorded as ``(path, user_agent, monotonic time)``."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: list[tuple[str, str, float]] = []
        self.counts: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                site.hits.append((path, self.headers.get("User-Agent", ""), time.monotonic()))
                site.counts[path] = site.counts.get(path, 0) + 1
                route = site.routes.get(path)
                status, headers, body = route(site.counts[path]) if route else (404, {}, b"not found")
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def times(self, path: str) -> list[float]:
        """When each request for ``path`` arrived."""
        return [t for p, _, t in self.hits if p == path]


def html_page(body: str) -> bytes:
    """A minimal HTML page around ``body``."""
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


@dataclass(frozen=True)
class Archived:
    """One archived response."""

    url: str
    kind: str
    status: int
    body: bytes
    content_type: str
    listed_date: str | None


def read_warc(path) -> list[Archived]:
    """Every response record of a gzipped WARC, in order."""
    out = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            headers = record.http_headers
            out.append(Archived(
                record.rec_headers.get_header("WARC-Target-URI"), record.rec_headers.get_header(KIND_HEADER),
                int(headers.get_statuscode()), record.content_stream().read(),
                headers.get_header("Content-Type") or "", record.rec_headers.get_header(LISTED_DATE_HEADER)))
    return out


def article_urls(path) -> list[str]:
    """URLs of the archived article pages (with repeats, if any)."""
    return [r.url for r in read_warc(path) if r.kind == "article"]
