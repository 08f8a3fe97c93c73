#!/usr/bin/env python3
"""Extraction speed: crosspost's ``extract_page`` vs bare ``trafilatura.extract`` on the same pages, same run.

Prints pages/s of both (best of several alternating rounds, so a noisy neighbour hurts both
alike), their ratio (target >= 0.9), and crosspost's throughput across 2 worker processes
against 1 (target >= 1.8).

Pages: the real pages of ``../shared/bench/extraction`` when present, else the golden pages
under ``tests/extract/golden``.

Usage: benchmarks/extract_speed.py [--bench DIR] [--rounds N] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import sys
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.page import extract_page  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
GOLDEN = ROOT / "tests" / "extract" / "golden"
PAGES: list[tuple[str, bytes]] = []  # (url, body): module level so forked workers share it


def load_pages(bench: Path) -> list[tuple[str, bytes]]:
    """(url, html bytes) of every benchmark page (or golden page)."""
    truth_file = bench / "extraction" / "truth.json"
    if truth_file.exists():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        folder = bench / "extraction" / "html"
        return [(v["url"], gzip.decompress((folder / f"{k}.html.gz").read_bytes())) for k, v in truth.items()]
    pages = []
    for meta in sorted(GOLDEN.glob("*/*/meta.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        pages.append((info["url"], gzip.decompress((meta.parent / "page.html.gz").read_bytes())))
    return pages


def ours(index: int) -> int:
    """crosspost's extraction of one page (returns its word count, so the work cannot be skipped)."""
    url, body = PAGES[index]
    return extract_page(body, url, content_type="text/html").get("word_count") or 0


def bare(index: int) -> int:
    """Bare trafilatura, as the extraction benchmark's README measures it."""
    url, body = PAGES[index]
    return len(trafilatura.extract(body, url=url, include_comments=False) or "")


def rate(func, indices) -> float:
    """Pages per second of ``func`` over ``indices`` in this process."""
    started = time.perf_counter()
    for i in indices:
        func(i)
    return len(indices) / (time.perf_counter() - started)


def single_process(rounds: int) -> tuple[float, float]:
    """Best pages/s of bare trafilatura and of crosspost, alternating rounds."""
    indices = list(range(len(PAGES)))
    rate(bare, indices[:5]), rate(ours, indices[:5])  # warm up imports and caches
    best_bare = best_ours = 0.0
    for _ in range(rounds):
        best_bare = max(best_bare, rate(bare, indices))
        best_ours = max(best_ours, rate(ours, indices))
    return best_bare, best_ours


def pool_rate(workers: int, repeat: int) -> float:
    """crosspost's pages/s across ``workers`` processes (forked, warmed up before timing)."""
    indices = list(range(len(PAGES))) * repeat
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(ours, range(min(len(PAGES), 4 * workers)), chunksize=1)
        started = time.perf_counter()
        pool.map(ours, indices, chunksize=4)
        return len(indices) / (time.perf_counter() - started)


def main(argv=None) -> None:
    """Measure single-process speed, then 1 vs 2 worker processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages in the process test")
    args = parser.parse_args(argv)
    PAGES.extend(load_pages(args.bench))
    print(f"== {len(PAGES)} pages")
    best_bare, best_ours = single_process(args.rounds)
    print(f"bare trafilatura.extract  {best_bare:7.1f} pages/s")
    print(f"crosspost extract_page    {best_ours:7.1f} pages/s   ratio {best_ours / best_bare:.2f} (target >= 0.9)")
    one, two = pool_rate(1, args.repeat), pool_rate(2, args.repeat)
    print(f"crosspost, 1 process      {one:7.1f} pages/s")
    print(f"crosspost, 2 processes    {two:7.1f} pages/s   scaling {two / one:.2f}x (target >= 1.8)")


if __name__ == "__main__":
    main()
