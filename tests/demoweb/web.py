"""Serve the demo sites on 127.0.0.1, one ThreadingHTTPServer (and port) per site."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from tests.demoweb import faults as fault_site
from tests.demoweb import templates
from tests.demoweb.articles import (
    ALL_SITES,
    FAULT_SITE,
    SITE_NAMES,
    Corpus,
    build_corpus,
)
from tests.demoweb.faults import FaultState
from tests.demoweb.response import Response
from tests.demoweb.templates import SiteContext, SitePages


class _SiteServer(ThreadingHTTPServer):
    """One demo site.  Daemon threads and no join on close: a slow request never blocks stop()."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128  # crawlers open many connections at once

    demo_site: str
    demo_web: DemoWeb
    pages: SitePages


class _Handler(BaseHTTPRequestHandler):
    """Looks the path up in the site's routes; query strings and fragments never matter."""

    protocol_version = "HTTP/1.1"  # keep-alive, so every answer carries a Content-Length
    server_version = "DemoNews/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections give their thread back eventually

    def version_string(self) -> str:
        """Server header without the Python version."""
        return self.server_version

    def log_message(self, format, *args):
        """Quiet: the request log on DemoWeb is the record."""

    def do_GET(self):
        """Serve a page."""
        self._serve(head_only=False)

    def do_HEAD(self):
        """Headers only."""
        self._serve(head_only=True)

    def _route(self) -> Response:
        """The response for this request's path (calling dynamic routes)."""
        pages = self.server.pages
        route = pages.routes.get(urlsplit(self.path).path)
        if route is None:
            return pages.not_found
        return route() if callable(route) else route

    def _serve(self, head_only: bool) -> None:
        """Answer, log, and swallow clients that hang up mid-body (huge page, bomb)."""
        resp = self._route()
        self.server.demo_web._log(self.server.demo_site, self.path, resp.status)
        try:
            self.send_response(resp.status)
            if resp.content_type:
                self.send_header("Content-Type", resp.content_type)
            for name, value in resp.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(resp.content_length))
            self.end_headers()
            if head_only:
                return
            if resp.chunks is None:
                self.wfile.write(resp.body)
            else:
                for chunk in resp.chunks():
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class DemoWeb:
    """The bundled demo web: six news sites (seven with ``faults=True``) on local ports.

    ``base_port=0`` lets the OS choose ports (tests); ``base_port=8001`` gives
    8001..8006, and 8007 for ``faultyreprint``.  Use as a context manager.
    """

    def __init__(self, host: str = "127.0.0.1", base_port: int = 0, faults: bool = False,
                 slow_seconds: float = 5.0):
        self.host = host
        self.base_port = base_port
        self.faults = faults
        self.slow_seconds = slow_seconds
        self.sites: tuple[str, ...] = SITE_NAMES + ((FAULT_SITE,) if faults else ())
        self.corpus: Corpus = build_corpus()
        self.urls: dict[str, str] = {}
        self.bases: dict[str, str] = {}
        self.request_log: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []
        self.fault_state: FaultState | None = None  # counters of the stateful faults

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> DemoWeb:
        """Bind every site, render its pages with the real ports, start serving."""
        if self._servers:
            return self
        try:
            self._bind()
            self._render()
        except BaseException:
            self.stop()
            raise
        for site, server in self._servers.items():
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"demo-{site}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _bind(self) -> None:
        """Open one listening socket per site (ports base..base+n, or OS-chosen)."""
        url_host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        for i, site in enumerate(self.sites):
            port = self.base_port + i if self.base_port else 0
            server = _SiteServer((self.host, port), _Handler)
            server.demo_site, server.demo_web = site, self
            self._servers[site] = server
            self.bases[site] = f"http://{url_host}:{server.server_address[1]}"
        self.urls = {site: base + "/" for site, base in self.bases.items()}

    def _render(self) -> None:
        """Render all static pages now that absolute URLs are known."""
        self.fault_state = FaultState()
        for site, server in self._servers.items():
            ctx = self.context(site)
            pages = templates.BUILDERS[site](ctx)
            if site == FAULT_SITE:
                fault_site.add_faults(ctx, pages, self.fault_state, self.slow_seconds, self.sites)
            server.pages = pages

    def context(self, site: str) -> SiteContext:
        """Render context of one site (needs the ports, so only after start())."""
        if site not in ALL_SITES:
            raise KeyError(site)
        return SiteContext(site, self.bases, self.corpus)

    def stop(self) -> None:
        """Stop serving and close the sockets (safe to call twice)."""
        if self._threads:  # shut the servers down in parallel: each waits one poll interval
            stoppers = [threading.Thread(target=s.shutdown) for s in self._servers.values()]
            for t in stoppers:
                t.start()
            for t in stoppers:
                t.join()
        for server in self._servers.values():
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoWeb:
        """Start serving (``with DemoWeb() as web:``)."""
        return self.start()

    def __exit__(self, *exc) -> None:
        """Stop serving."""
        self.stop()

    # ------------------------------------------------------------------ helpers

    def _log(self, site: str, path: str, status: int) -> None:
        """Record one served request."""
        with self._log_lock:
            self.request_log.append((site, path, status))

    def url(self, site: str, path: str) -> str:
        """Absolute URL of ``path`` on ``site`` (an uncrawled outlet's own host)."""
        from tests.demoweb.articles import UNCRAWLED

        return (self.bases[site] if site in self.bases else UNCRAWLED[site]) + path

    def write_sites_yaml(self, path) -> None:
        """Write ``{"sites": [{"name", "url"}, ...]}`` for the crawler."""
        sites = [{"name": site, "url": self.urls[site]} for site in self.sites]
        try:
            import yaml
        except ImportError:  # stdlib-only fallback: this YAML subset is trivial to write
            body = "sites:\n" + "".join(f"- name: {s['name']}\n  url: {s['url']}\n" for s in sites)
        else:
            body = yaml.safe_dump({"sites": sites}, sort_keys=False)
        Path(path).write_text(body, encoding="utf-8")
