#!/usr/bin/env python3
"""Crawl speed: crosspost's crawler vs a bare Scrapy spider on the same static site, same run.

A generated site of N article pages (default 10,000: a homepage, listing pages of 100 links,
robots.txt and a sitemap index) is served by nginx (Debian's ``nginx`` or ``nginx-light``;
without it, a threaded Python server, which is then the bottleneck and the ratio means little).
Both crawlers run in child processes with throttling off and the same concurrency:

- ours: ``crawler.runner.crawl_command`` (robots.txt, sitemaps, date window, WARC archive, report);
- bare: a Scrapy spider that follows every link from the homepage and appends each body to a file.

Pages/s counts every response (articles, and listing pages or sitemaps and robots.txt). Prints
pages/s and peak RSS of both (best of ``--rounds`` alternating rounds), the ratio (target >= 0.8)
and our peak RSS (target < 300 MB). Exit status 1 if a target is missed and ``--strict`` is given.

Usage: benchmarks/crawl.py [--pages N] [--rounds N] [--concurrency N] [--strict]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.runner import crawl_command  # noqa: E402

DATE = "2026-11-20"
PER_LIST = 100
PER_SITEMAP = 5000
WORDS = ("harbour council budget vote ferry school road hospital court water plan mayor report "
         "debate funding bridge station market library museum inquiry police union strike").split()


# --------------------------------------------------------------------------- the site


def article_path(i: int) -> str:
    return f"/2026/11/20/story-about-the-{WORDS[i % len(WORDS)]}-{i:05d}.html"


def article_html(i: int, n: int) -> str:
    """A ~6 KB article with a few links (home, neighbours), like a real page."""
    paras = []
    for p in range(12):
        words = [WORDS[(i * 7 + p * 13 + k * 3) % len(WORDS)] for k in range(70)]
        paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
    related = "".join(f'<li><a href="{article_path((i + k) % n)}">Related {k}</a></li>' for k in (1, 2, 3))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story {i}</title>'
            f'<meta property="article:published_time" content="{DATE}T08:00:00Z"></head><body>'
            f'<header><a href="/">Bench News</a></header><article><h1>Story {i}</h1>'
            f'<time datetime="{DATE}">{DATE}</time>{"".join(paras)}</article><ul>{related}</ul></body></html>')


def listing_html(page: int, pages: int, n: int) -> str:
    items = "".join(f'<li><a href="{article_path(i)}">Story {i}</a> <time datetime="{DATE}">{DATE}</time></li>'
                    for i in range(page * PER_LIST, min(n, (page + 1) * PER_LIST)))
    nxt = f'<a rel="next" href="/list/{page + 1}/">Older</a>' if page + 1 < pages else ""
    return f"<!DOCTYPE html><html><head><title>List {page}</title></head><body><ul>{items}</ul>{nxt}</body></html>"


def build_site(root: Path, n: int, base: str) -> None:
    """Write the static site for ``n`` articles under ``root``."""
    pages = -(-n // PER_LIST)
    for i in range(n):
        path = root / article_path(i).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_html(i, n), encoding="utf-8")
    for page in range(pages):
        (root / "list" / str(page)).mkdir(parents=True, exist_ok=True)
        (root / "list" / str(page) / "index.html").write_text(listing_html(page, pages, n), encoding="utf-8")
    nav = "".join(f'<a href="/list/{p}/">Page {p}</a> ' for p in range(pages))
    (root / "index.html").write_text(f"<!DOCTYPE html><html><head><title>Bench News</title></head>"
                                     f"<body><nav>{nav}</nav></body></html>", encoding="utf-8")
    (root / "robots.txt").write_text(f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n")
    _sitemaps(root, n, base)


def _sitemaps(root: Path, n: int, base: str) -> None:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    children = []
    for k, start in enumerate(range(0, n, PER_SITEMAP)):
        urls = "".join(f"<url><loc>{base}{article_path(i)}</loc><lastmod>{DATE}T08:00:00+00:00</lastmod></url>\n"
                       for i in range(start, min(n, start + PER_SITEMAP)))
        (root / f"sitemap-{k}.xml").write_text(f'<?xml version="1.0"?>\n<urlset {ns}>\n{urls}</urlset>\n')
        children.append(f"<sitemap><loc>{base}/sitemap-{k}.xml</loc><lastmod>{DATE}</lastmod></sitemap>")
    (root / "sitemap_index.xml").write_text(f'<?xml version="1.0"?>\n<sitemapindex {ns}>{"".join(children)}'
                                            f"</sitemapindex>\n")


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(root: Path, port: int, work: Path) -> tuple[subprocess.Popen, str]:
    """nginx when installed (2 workers), else Python's threaded http.server."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if nginx:
        conf = work / "nginx.conf"
        conf.write_text(textwrap.dedent(f"""\
            daemon off; worker_processes 2; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
            events {{ worker_connections 1024; }}
            http {{
              access_log off; sendfile on; keepalive_requests 100000;
              client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
              uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
              types {{ text/html html; application/xml xml; text/plain txt; }}
              server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
            }}"""))
        (work / "tmp").mkdir(exist_ok=True)
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL)
        kind = "nginx"
    else:
        code = ("import http.server, functools, sys; h = functools.partial(http.server.SimpleHTTPRequestHandler, "
                "directory=sys.argv[2]); h.log_message = lambda *a: None; "
                "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), h).serve_forever()")
        proc = subprocess.Popen([sys.executable, "-c", code, str(port), str(root)])
        kind = "python http.server (slow: install nginx-light for a meaningful ratio)"
    _wait_for(port)
    return proc, kind


def _wait_for(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the benchmark server did not start on port {port}")


# --------------------------------------------------------------------------- the crawlers

BARE_SPIDER = '''
import scrapy

class Bare(scrapy.Spider):
    """Follow every link on the site from the homepage; append every body to one file."""
    name = "bare"

    def __init__(self, start="", out="", **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.allowed_domains = ["127.0.0.1"]
        self.fh = open(out, "wb")

    def parse(self, response):
        self.fh.write(response.body)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse)

    def closed(self, reason):
        self.fh.close()
'''


def common_settings(concurrency: int) -> dict:
    # CONCURRENT_ITEMS as in crawler/settings.py for both, so the ratio measures our work,
    # not that knob (Scrapy's default of 100 costs a bare spider ~10%).
    return {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "CONCURRENT_ITEMS": 8, "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False, "LOG_LEVEL": "INFO"}


def run_measured(cmd: list[str], env: dict, cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} exited with {proc.returncode}")
    return time.monotonic() - started, usage.ru_maxrss * 1024


def run_ours(base: str, n: int, work: Path, concurrency: int) -> tuple[int, float, int]:
    sites = work / "sites.yaml"
    sites.write_text(f"sites:\n  - name: bench\n    url: {base}/\n    max_pages: {n + 100}\n    lookback_days: 0\n")
    cmd, env, result = crawl_command(str(sites), "bench", DATE, work / "ours", settings=common_settings(concurrency))
    for stale in (result.warc, result.report, result.archived, result.log):
        stale.unlink(missing_ok=True)
    seconds, rss = run_measured(cmd, env)
    report = json.loads(result.report.read_text())
    if report["fetched"] != n or report["failed"]:
        raise RuntimeError(f"our crawl fetched {report['fetched']} of {n}; failed {report['failed']}")
    return report["responses"], seconds, rss  # articles, robots.txt, sitemaps, homepage


def run_bare(base: str, n: int, work: Path, concurrency: int) -> tuple[int, float, int]:
    spider = work / "bare_spider.py"
    spider.write_text(BARE_SPIDER)
    log = work / "bare.log"
    log.unlink(missing_ok=True)
    settings = {**common_settings(concurrency), "LOG_FILE": str(log), "ROBOTSTXT_OBEY": False}
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"start={base}/",
           "-a", f"out={work / 'bare.bin'}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONWARNINGS"] = "ignore"
    # Run outside the repository: its scrapy.cfg would load crosspost's settings.
    seconds, rss = run_measured(cmd, env, cwd=work)
    text = log.read_text(errors="replace")
    count = int(text.split("'response_received_count': ", 1)[1].split(",", 1)[0])
    if count < n + -(-n // PER_LIST):  # every article, every listing page
        raise RuntimeError(f"the bare spider fetched only {count} pages for {n} articles")
    return count, seconds, rss


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        work, port = Path(tmp), free_port()
        work.chmod(0o755)  # nginx workers run as an unprivileged user and must read the site
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        build_site(work / "site", args.pages, base)
        print(f"site: {args.pages} articles built in {time.monotonic() - started:.1f}s")
        server, kind = start_server(work / "site", port, work)
        try:
            print(f"server: {kind} on 127.0.0.1:{port}; concurrency {args.concurrency}, throttling off")
            results = _rounds(base, args, work)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return _summary(results, args)


def _rounds(base: str, args, work: Path) -> dict:
    results: dict[str, list] = {"bare": [], "ours": []}
    for r in range(args.rounds):
        for name, fn in (("bare", run_bare), ("ours", run_ours)):
            pages, seconds, rss = fn(base, args.pages, work, args.concurrency)
            results[name].append((pages / seconds, rss))
            print(f"round {r + 1} {name:4}: {pages} pages in {seconds:.1f}s = {pages / seconds:.0f} pages/s, "
                  f"peak RSS {rss / 2**20:.0f} MB")
    return results


def _summary(results: dict, args) -> int:
    bare = max(speed for speed, _ in results["bare"])
    ours = max(speed for speed, _ in results["ours"])
    rss = max(mem for _, mem in results["ours"])
    bare_rss = max(mem for _, mem in results["bare"])
    ratio = ours / bare
    ok = ratio >= 0.8 and rss < 300 * 2**20
    print(f"bare scrapy: {bare:.0f} pages/s, peak RSS {bare_rss / 2**20:.0f} MB")
    print(f"crosspost:   {ours:.0f} pages/s, peak RSS {rss / 2**20:.0f} MB")
    print(f"ratio {ratio:.2f} (target >= 0.80); peak RSS {rss / 2**20:.0f} MB (target < 300 MB): "
          f"{'PASS' if ok else 'MISS'}")
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
