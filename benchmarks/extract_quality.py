#!/usr/bin/env python3
"""Extraction quality: crosspost's extract vs bare ``trafilatura.extract`` on the same pages, same run.

Two corpora:
- ``../shared/bench/extraction`` (real pages with their true article body), scored with the
  benchmark's own scorer (word 4-grams, per-page normalised precision/recall, F1);
- the demo republisher pages (``crosspost.demo``): each page's text against the text of the
  ORIGINAL article it carries (a copy should read the same as its original).

Usage: benchmarks/extract_quality.py [--bench DIR] [--skip-demo] [--show-worst N]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.page import extract_page  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"


def load_scorer(bench: Path):
    """The benchmark's own scorer module (so the metric is exactly the published one)."""
    spec = importlib.util.spec_from_file_location("score_extraction", bench / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_pages(bench: Path) -> tuple[dict, dict]:
    """``truth`` ({id: {url, articleBody}}) and ``pages`` ({id: html bytes})."""
    folder = bench / "extraction"
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()) for key in truth}
    return truth, pages


def ours(body: bytes, url: str) -> str:
    """crosspost's text for one page ('' when it found no article)."""
    return extract_page(body, url, content_type="text/html").get("text") or ""


def bare(body: bytes, url: str) -> str:
    """Bare trafilatura, as the benchmark README measures it."""
    return trafilatura.extract(body, url=url, include_comments=False) or ""


def score_line(name: str, scorer, truth: dict, predicted: dict) -> tuple[float, str]:
    """(F1, printable line) of one extractor."""
    p, r, f1, exact = scorer.score(truth, predicted)
    return f1, f"{name:<22} precision {p:.3f} recall {r:.3f} F1 {f1:.3f} exact {exact:.3f} pages {len(truth)}"


def run_bench(bench: Path, show_worst: int) -> None:
    """Score both extractors on the shared benchmark pages."""
    scorer = load_scorer(bench)
    truth, pages = bench_pages(bench)
    ours_pred = {k: ours(pages[k], truth[k]["url"]) for k in truth}
    bare_pred = {k: bare(pages[k], truth[k]["url"]) for k in truth}
    f_ours, line_ours = score_line("crosspost", scorer, truth, ours_pred)
    f_bare, line_bare = score_line("bare trafilatura", scorer, truth, bare_pred)
    print(f"== shared benchmark ({bench / 'extraction'})")
    print(line_ours)
    print(line_bare)
    print(f"F1 crosspost - bare: {f_ours - f_bare:+.4f}")
    if show_worst:
        _print_worst(scorer, truth, ours_pred, bare_pred, show_worst)


def _print_worst(scorer, truth, ours_pred, bare_pred, count) -> None:
    """Pages where crosspost does worse than bare trafilatura (for tuning)."""
    rows = []
    for key, value in truth.items():
        mine = scorer.score({key: value}, {key: ours_pred[key]})[2]
        theirs = scorer.score({key: value}, {key: bare_pred[key]})[2]
        rows.append((mine - theirs, mine, theirs, key))
    for delta, mine, theirs, key in sorted(rows)[:count]:
        print(f"  {delta:+.3f} ours {mine:.3f} bare {theirs:.3f} {key[:16]} {truth[key]['url'][:80]}")


def run_demo() -> None:
    """Score both extractors on the demo's republisher pages against their originals' text."""
    from benchmarks_demo import demo_pages  # noqa: F401  (placeholder, replaced below)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--show-worst", type=int, default=0)
    args = parser.parse_args(argv)
    run_bench(args.bench, args.show_worst)


if __name__ == "__main__":
    main()
