#!/usr/bin/env python3
"""Extraction quality: crosspost's extract vs bare ``trafilatura.extract`` on the same pages, same run.

Two corpora:
- ``../shared/bench/extraction`` (real pages with their true article body), scored with the
  benchmark's own scorer (word 4-grams, per-page normalised precision/recall, F1);
- the demo republisher pages (``tests.demoweb``): each page's text against the text of the
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
    if not (bench / "score_extraction.py").exists():
        sys.exit(f"no benchmark scorer at {bench / 'score_extraction.py'} (use --bench DIR)")
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
    return f1, f"{name:<22} precision {p:.3f} recall {r:.3f} F1 {f1:.3f} exact {exact:.3f}"


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


def fetch(url: str) -> tuple[int, str | None, bytes]:
    """Status, content type and body of one demo page."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def demo_records(web, rows: list[dict]) -> tuple[dict, dict]:
    """crosspost's records (two passes per site, as extract_archive does) and bare trafilatura's texts."""
    from extract.boilerplate import BoilerplateModel
    from extract.learned import strip_learned
    from tests.demoweb import DEMO_DATE

    ours_by_url, bare_by_url = {}, {}
    for site in sorted({r["site"] for r in rows}):
        pages = [(r["url"], fetch(r["url"])) for r in rows if r["site"] == site]
        records = [extract_page(body, url, site=site, crawl_date=DEMO_DATE, content_type=ctype, http_status=status)
                   for url, (status, ctype, body) in pages]
        ours_by_url.update((r["url"], r) for r in strip_learned(records, BoilerplateModel(), DEMO_DATE))
        bare_by_url.update((url, bare(body, url)) for url, (_, _, body) in pages)
    return ours_by_url, bare_by_url


def run_demo(scorer) -> None:
    """Score both extractors on the demo sites: each page against its true text, copies against their original."""
    from tests.demoweb import DemoWeb, planted_truth

    with DemoWeb(base_port=0) as web:
        rows = planted_truth(web)["articles"]
        ours_by_url, bare_by_url = demo_records(web, rows)
    text_of = {r["url"]: r["text"] for r in rows}
    copies = [r for r in rows if r["relation"] != "original"]
    same = [r for r in copies if r["relation"] == "exact"]
    print(f"== demo sites ({len(rows)} article pages, {len(copies)} republished)")
    for label, subset, truth_of in (("every page vs its own text", rows, lambda r: r["text"]),
                                    ("exact copies vs the original", same, lambda r: text_of[r["original_url"]])):
        truth = {r["url"]: {"articleBody": truth_of(r)} for r in subset}
        print(f"-- {label} ({len(subset)} pages)")
        print(score_line("crosspost", scorer, truth, {u: ours_by_url[u]["text"] or "" for u in truth})[1])
        print(score_line("bare trafilatura", scorer, truth, {u: bare_by_url[u] for u in truth})[1])
    ok = sum(ours_by_url[r["url"]]["status"] == "ok" for r in rows)
    print(f"crosspost: {ok}/{len(rows)} article pages extracted as articles")


def main(argv=None) -> None:
    """Score the shared benchmark pages, then the demo sites."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--show-worst", type=int, default=0)
    args = parser.parse_args(argv)
    run_bench(args.bench, args.show_worst)
    if not args.skip_demo:
        run_demo(load_scorer(args.bench))


if __name__ == "__main__":
    main()
