#!/usr/bin/env python3
"""A whole night, end to end, through the real CLI: how much ``--jobs`` buys.

1. Polite crawls (``--crawl``): a fixture web of 20 sites (four copies of the bundled demo
   web, on their own ports, served by this process) with a politeness delay per site;
   ``crosspost run --jobs 1``, ``--jobs 2`` and ``--jobs 8``, each into a fresh store, wall
   time of the whole run (crawl, extract, dedupe, publish). Goal: ``--jobs 8`` <= 0.3x
   ``--jobs 1``: crawls wait on the delay, not on the CPU.
2. Reprocessing (``--reprocess``): a night of >= 5,000 archived real pages (the pages of
   ``../shared/bench``, extraction/html and peers/*/html, each in several variants whose
   words differ, so neither the bytes nor the texts are copies), written as WARCs in the
   store layout of 20 sites; ``crosspost run --reprocess --jobs 2`` (extract + dedupe +
   publish, no network) in pages/s, against the bound of bare ``trafilatura.extract`` on
   the same pages over 2 processes, measured in the same run. Goal: >= 0.8x.

Usage: benchmarks/night.py [--crawl] [--reprocess] [--delay 0.5] [--pages 5000] [--rounds 1]
[--jobs 1,2,8] [--baseline CHECKOUT] (neither flag: both). ``--rounds N`` runs each side of the
reprocessing N times in turns and compares the fastest of each (every round is printed).
The machine may be shared: both sides of each ratio run in this run; ``--baseline ../main``
runs the crawls of another checkout too, in turns with this one's, for a before/after
measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ../shared/bench beside the checkout (or beside a parent folder: worktrees live one level down)
BENCH = next((p / "shared" / "bench" for p in ROOT.parents if (p / "shared" / "bench").is_dir()),
             ROOT.parent / "shared" / "bench")
DATE = "2026-11-20"
N_SITES = 20


def crosspost(*args: str, env: dict | None = None, tree: Path | None = None) -> float:
    """Run the console script (of the checkout ``tree``, default this one); return its wall
    time (it must succeed)."""
    if tree is not None:  # its code first on the path, for this process and its children (Scrapy, extraction)
        env = {**(env or os.environ), "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "crosspost.cli", *args], capture_output=True, text=True,
                            env=env, cwd=tree)
    if result.returncode:
        raise SystemExit(f"crosspost {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


# ------------------------------------------------------------------ 1. polite crawls

def fixture_sites(webs, delay: float, path: Path) -> None:
    """A sites file naming 20 of the demo webs' sites, each with a politeness delay."""
    import yaml

    sites = [{"name": f"{site}-{i}", "url": web.urls[site], "download_delay": delay}
             for i, web in enumerate(webs) for site in web.sites][:N_SITES]
    path.write_text(yaml.safe_dump({"sites": sites}, sort_keys=False))


def bench_crawl(delay: float, jobs: list[int], trees: dict[str, Path | None]) -> dict[str, dict[int, float]]:
    """Wall time of ``crosspost run --jobs N`` over 20 polite sites, for each N and each
    checkout of ``trees`` (label -> folder; None: this one), taken in turns so that a
    change of the machine's load falls on all of them alike."""
    from tests.demoweb import DemoWeb

    env = {k: v for k, v in os.environ.items() if k != "CROSSPOST_SCRAPY_SETTINGS"}
    webs = [DemoWeb(base_port=0).start() for _ in range((N_SITES + 5) // 6)]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-night-") as tmp:
            sites = Path(tmp) / "sites.yaml"
            fixture_sites(webs, delay, sites)
            times: dict[str, dict[int, float]] = {label: {} for label in trees}
            for n in jobs:
                for label, tree in trees.items():
                    store = str(Path(tmp) / f"lake-{label}-jobs{n}")
                    times[label][n] = crosspost("run", "--sites", str(sites), "--store", store, "--date", DATE,
                                                "--jobs", str(n), env=env, tree=tree)
                    print(f"  {label} --jobs {n}: {times[label][n]:.1f} s", flush=True)
            return times
    finally:
        for web in webs:
            web.stop()


# ------------------------------------------------------------------ 2. reprocessing

def real_pages() -> list[tuple[str, bytes]]:
    """(url, html) of every page of ../shared/bench (extraction and both peer suites)."""
    pages = []
    for folder in (BENCH / "extraction", *sorted((BENCH / "peers").glob("*/"))):
        truth_file = folder / "truth.json"
        if not truth_file.exists():
            continue
        for key, info in sorted(json.loads(truth_file.read_text(encoding="utf-8")).items()):
            html = folder / "html" / f"{key}.html.gz"
            if html.exists() and info.get("url"):
                pages.append((info["url"], gzip.decompress(html.read_bytes())))
    return pages


_WORD = re.compile(rb">([^<]{40,})<")


def vary(html: bytes, rng: random.Random) -> bytes:
    """The page with ~8% of the words of its longer text runs swapped for others: a different
    text (and bytes) with the same structure, so extraction does the same work."""
    pool = [b"river", b"council", b"market", b"report", b"winter", b"station", b"letter", b"garden"]

    def swap(match):
        words = match.group(1).split(b" ")
        for i in range(len(words)):
            if words[i].isalpha() and rng.random() < 0.08:
                words[i] = rng.choice(pool)
        return b">" + b" ".join(words) + b"<"
    return _WORD.sub(swap, html)


def night_pages(n: int) -> list[tuple[str, bytes]]:
    """At least ``n`` pages: every real page in variants (variant 0 is the page as it is)."""
    base = real_pages()
    rounds = -(-n // len(base))
    rng = random.Random(15)
    return [(f"{url.rstrip('/')}/v{k}" if k else url, vary(html, rng) if k else html)
            for k in range(rounds) for url, html in base]


def write_archives(store_url: str, pages: list[tuple[str, bytes]]) -> Path:
    """The pages as 20 sites' WARCs (and crawl reports) in the store; returns a sites file."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from crosspost.common.warc import KIND_HEADER
    from crosspost.lake import layout
    from crosspost.lake.store import open_store

    store = open_store(store_url)
    for s in range(N_SITES):
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        mine = pages[s::N_SITES]
        for url, html in mine:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(html)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                          http_headers=headers,
                                                          warc_headers_dict={KIND_HEADER: "article"}))
        site = f"site{s:02d}"
        store.put_bytes(layout.raw_warc_key(site, DATE), buf.getvalue())
        store.put_bytes(layout.crawl_report_key(site, DATE), json.dumps({"site": site, "fetched": len(mine)}).encode())
    sites = Path(store.url).parent / "sites.yaml"
    sites.write_text("sites:\n" + "".join(f"  - name: site{s:02d}\n    url: http://127.0.0.1:9/\n"
                                          for s in range(N_SITES)))
    return sites


_URLS: list[str] = []
_FOLDER: list[Path] = []


def _bare(index: int) -> int:
    import trafilatura

    html = (_FOLDER[0] / f"{index}.html").read_bytes()
    return len(trafilatura.extract(html, url=_URLS[index]) or "")


def _load(folder, urls):
    _FOLDER[:], _URLS[:] = [folder], urls


def bare_bound(folder: Path, urls: list[str], processes: int = 2) -> float:
    """Wall time of bare ``trafilatura.extract`` on every page (read from ``folder``, as
    extraction reads its WARC) over ``processes`` processes."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes, initializer=_load, initargs=(folder, urls)) as pool:
        pool.map(_bare, range(min(processes * 2, len(urls))))  # imports and first-call warm-up
        started = time.perf_counter()
        pool.map(_bare, range(len(urls)), chunksize=8)
        return time.perf_counter() - started


def bench_reprocess(n: int, rounds: int = 1) -> tuple[int, list[float], list[float]]:
    """(pages, our wall times, bare trafilatura's wall times on 2 processes): ``rounds`` of
    each, in turns (ours, bare, ours, ...), so that a neighbour's load hits both alike."""
    with tempfile.TemporaryDirectory(prefix="bench-reprocess-") as tmp:
        pages = night_pages(n)
        store = str(Path(tmp) / "lake")
        sites = write_archives(store, pages)
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i, (_, html) in enumerate(pages):
            (folder / f"{i}.html").write_bytes(html)
        urls = [url for url, _ in pages]
        del pages
        print(f"  {len(urls)} pages archived in {N_SITES} sites' WARCs; running ...", flush=True)
        ours, bare = [], []
        for k in range(rounds):  # a rerun reprocesses the same archives into the same partitions
            ours.append(crosspost("run", "--sites", str(sites), "--store", store, "--date", DATE, "--reprocess",
                                  "--jobs", "2"))
            bare.append(bare_bound(folder, urls))
            print(f"  round {k + 1}: crosspost {ours[-1]:.1f} s, bare {bare[-1]:.1f} s, "
                  f"ratio {bare[-1] / ours[-1]:.2f}x", flush=True)
    return len(urls), ours, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crawl", action="store_true")
    parser.add_argument("--reprocess", action="store_true")
    parser.add_argument("--delay", type=float, default=0.5, help="politeness delay per site, seconds")
    parser.add_argument("--jobs", default="1,2,8")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=1, help="reprocessing: rounds of each side, in turns")
    parser.add_argument("--baseline", type=Path, default=None, metavar="CHECKOUT",
                        help="also run --crawl with another checkout's code (e.g. main), in turns: before/after")
    args = parser.parse_args()
    both = not (args.crawl or args.reprocess)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (may be shared)")
    if args.crawl or both:
        print(f"1. {N_SITES} polite sites (download_delay {args.delay} s), crosspost run wall time:")
        trees = {"baseline": args.baseline.resolve(), "this": None} if args.baseline else {"this": None}
        for label, times in bench_crawl(args.delay, [int(j) for j in args.jobs.split(",")], trees).items():
            first = times[min(times)]
            for n, t in times.items():
                print(f"  {label} --jobs {n}: {t:7.1f} s  {t / first:.2f}x of --jobs {min(times)}")
            if 8 in times and 1 in times:
                print(f"  {label} goal --jobs 8 <= 0.30x --jobs 1: {'PASS' if times[8] <= 0.3 * times[1] else 'FAIL'}")
    if args.reprocess or both:
        print(f"2. reprocessing a night of >= {args.pages} archived real pages:")
        n, ours, bare = bench_reprocess(args.pages, args.rounds)
        best, bound = min(ours), min(bare)
        ratio = bound / best
        label = "" if args.rounds == 1 else f" (fastest of {args.rounds} rounds each)"
        print(f"  crosspost run --reprocess --jobs 2 (extract+dedupe+publish): {best:.1f} s, "
              f"{n / best:.1f} pages/s{label}")
        print(f"  bare trafilatura.extract, 2 processes:                     {bound:.1f} s, {n / bound:.1f} pages/s")
        print(f"  ratio {ratio:.2f}x (goal >= 0.80x): {'PASS' if ratio >= 0.8 else 'FAIL'}; "
              f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
