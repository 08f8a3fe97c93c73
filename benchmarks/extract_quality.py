#!/usr/bin/env python3
"""Extraction quality: crosspost's extract vs bare trafilatura on the same pages, same run.

Corpora (the real ones live in ``../shared/bench``, see its README):
- ``extraction``: real pages with their true article body, scored with the benchmark's own
  scorer (word 4-grams, per-page normalised precision/recall, F1); bare = ``trafilatura.extract``;
- ``fundus`` and ``trafilatura-eval`` (``peers/``): publishers' pages with the body, title, date
  and authors fundus's parsers expect, and trafilatura's evaluation pages with must/must-not
  snippets; figures and bare run (``bare_extraction(..., with_metadata=True)``) exactly as
  ``peers/score.py`` computes them, but in-process (``score.py`` runs the ``crosspost extract``
  command per page: slower, same records);
- ``demo``: the demo republisher pages, each page's text against its true text and every exact
  copy against its ORIGINAL's text.

Usage: benchmarks/extract_quality.py [--bench DIR] [--suite extraction,fundus,trafilatura-eval,demo]
       [--workers 2] [--worst N] [--out FILE.jsonl]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.page import extract_page  # noqa: E402

# ../shared/bench beside the project (or beside a folder of worktrees holding it)
DEFAULT_BENCH = next((p / "shared" / "bench" for p in ROOT.parents if (p / "shared" / "bench").is_dir()),
                     ROOT.parent / "shared" / "bench")
SUITES = ("extraction", "fundus", "trafilatura-eval", "demo")
_JOBS: dict = {}  # set before the pool forks: {"suite": ..., "folder": ..., "truth": ...}


def load_module(path: Path, name: str):
    """A scorer module of the benchmark (so the metric is exactly the published one)."""
    if not path.exists():
        sys.exit(f"no benchmark scorer at {path} (use --bench DIR)")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(body: bytes, url: str) -> dict:
    """crosspost's record for one page, in the peers scorer's shape (empty text when not an article)."""
    record = extract_page(body, url, content_type="text/html")
    text = record.get("text") or "" if record["status"] == "ok" else ""
    return {"status": record["status"], "reason": record["reason"], "text": text, "title": record.get("title"),
            "authors": record.get("authors") or [], "date": record.get("published_at")}


def bare_extract(body: bytes, url: str) -> dict:
    """Bare ``trafilatura.extract``, as the extraction benchmark's README measures it."""
    import trafilatura

    return {"text": trafilatura.extract(body, url=url, include_comments=False) or ""}


def _run_page(key: str) -> tuple[str, dict]:
    """Both extractors on one page of the current suite (runs in a pool worker)."""
    suite, folder, truth = _JOBS["suite"], _JOBS["folder"], _JOBS["truth"]
    body = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
    url = truth[key]["url"]
    started = time.perf_counter()
    mine = ours(body, url)
    mine["seconds"] = time.perf_counter() - started
    theirs = bare_extract(body, url) if suite == "extraction" else _JOBS["peers"].run_bare(body, url)
    return key, {"cp": mine, "bare": theirs}


def run_suite(suite: str, folder: Path, workers: int, peers) -> tuple[dict, dict]:
    """``(truth, {id: {"cp": ..., "bare": ...}})`` of one folder, ``workers`` processes."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    _JOBS.update(suite=suite, folder=folder, truth=truth, peers=peers)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = dict(pool.imap_unordered(_run_page, sorted(truth), chunksize=4))
    return truth, results


def extraction_figures(scorer, truth: dict, results: dict) -> dict:
    """``{"cp": {P, R, F1, exact}, "bare": ...}`` with the extraction benchmark's scorer."""
    out = {}
    for who in ("cp", "bare"):
        p, r, f1, exact = scorer.score(truth, {k: results[k][who]["text"] for k in truth})
        out[who] = {"P": p, "R": r, "F1": f1, "exact": exact}
    return out


FIGURES = {"extraction": ("P", "R", "F1", "exact"),
           "fundus": ("P", "R", "F1", "exact", "title", "date", "authors"),
           "trafilatura-eval": ("must", "must_not", "title", "date", "authors")}


def suite_figures(suite: str, truth: dict, results: dict, scorer, peers) -> dict:
    """Every figure of one suite for both extractors."""
    if suite == "extraction":
        return extraction_figures(scorer, truth, results)
    if suite == "fundus":
        return peers.fundus_figures(truth, results)
    return peers.snippet_figures(truth, results, True)


def print_suite(suite: str, truth: dict, results: dict, figures: dict) -> list[tuple[str, float, float]]:
    """Print one suite's figures; return ``(figure, crosspost, bare)`` rows."""
    not_ok = {}
    for row in results.values():
        if row["cp"]["status"] != "ok":
            why = f"{row['cp']['status']}/{row['cp']['reason']}"
            not_ok[why] = not_ok.get(why, 0) + 1
    seconds = sum(r["cp"]["seconds"] for r in results.values())
    print(f"== {suite}: {len(truth)} pages; crosspost not ok: {sum(not_ok.values())} {not_ok or ''};"
          f" {1000 * seconds / len(truth):.0f} ms/page")
    rows = []
    for name in FIGURES[suite]:
        mine, theirs = figures["cp"][name], figures["bare"][name]
        counted = figures["cp"].get(name + "_n")
        detail = f"  ({counted[0]}/{counted[1]} vs {figures['bare'][name + '_n'][0]})" if counted else ""
        print(f"  {name:<9} crosspost {mine:.3f}  bare {theirs:.3f}  {mine - theirs:+.3f}{detail}")
        rows.append((name, mine, theirs))
    return rows


def page_delta(suite: str, truth: dict, row: dict, peers) -> float:
    """How much worse crosspost is than bare trafilatura on one page (positive = worse)."""
    if suite == "trafilatura-eval":
        return peers.page_delta(suite, truth, row)[0]
    f1 = {}
    for who in ("cp", "bare"):
        counts = peers.page_counts(truth["articleBody"], row[who]["text"])
        p, r = peers.precision(*counts), peers.recall(*counts)
        f1[who] = 2 * p * r / (p + r) if p + r else 0.0
    return f1["bare"] - f1["cp"]


def print_worst(suite: str, truth: dict, results: dict, peers, count: int) -> None:
    """The pages where crosspost trails bare trafilatura most (for finding causes)."""
    rows = sorted(((page_delta(suite, truth[k], results[k], peers), k) for k in truth), reverse=True)[:count]
    for delta, key in rows:
        if delta <= 0:
            break
        cp = results[key]["cp"]
        print(f"    {delta:+.2f} {key[:40]:<40} [{cp['status']}/{cp['reason']}] {truth[key]['url'][:70]}")


def fetch(url: str) -> tuple[int, str | None, bytes]:
    """Status, content type and body of one demo page."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def demo_records(rows: list[dict]) -> tuple[dict, dict]:
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
        bare_by_url.update((url, bare_extract(body, url)["text"]) for url, (_, _, body) in pages)
    return ours_by_url, bare_by_url


def run_demo(scorer) -> list[tuple[str, float, float]]:
    """Score both extractors on the demo sites: each page against its own text, copies against their original."""
    from tests.demoweb import DemoWeb, planted_truth

    with DemoWeb(base_port=0) as web:
        rows = planted_truth(web)["articles"]
        ours_by_url, bare_by_url = demo_records(rows)
    text_of = {r["url"]: r["text"] for r in rows}
    copies = [r for r in rows if r["relation"] == "exact"]
    ok = sum(ours_by_url[r["url"]]["status"] == "ok" for r in rows)
    print(f"== demo: {len(rows)} article pages, {ok} extracted as articles by crosspost")
    out = []
    for label, subset, truth_of in (("F1", rows, lambda r: r["text"]),
                                    ("copy F1", copies, lambda r: text_of[r["original_url"]])):
        truth = {r["url"]: {"articleBody": truth_of(r)} for r in subset}
        mine = scorer.score(truth, {u: ours_by_url[u]["text"] or "" for u in truth})[2]
        theirs = scorer.score(truth, {u: bare_by_url[u] for u in truth})[2]
        print(f"  {label:<9} crosspost {mine:.3f}  bare {theirs:.3f}  {mine - theirs:+.3f}  ({len(subset)} pages)")
        out.append((label, mine, theirs))
    return out


def write_out(path: Path, suite: str, truth: dict, results: dict) -> None:
    """Append each page's outputs (both extractors) as JSON lines."""
    with path.open("a", encoding="utf-8") as out:
        for key in sorted(truth):
            out.write(json.dumps({"suite": suite, "id": key, "url": truth[key]["url"], **results[key]},
                                 ensure_ascii=False) + "\n")


def main(argv=None) -> None:
    """Score every requested suite, then print one summary line per suite (crosspost/bare per figure)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--suite", default=",".join(SUITES), help="suites, joined by commas")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where crosspost trails bare most")
    parser.add_argument("--out", type=Path, help="write every page's outputs here (JSON lines)")
    args = parser.parse_args(argv)
    scorer = load_module(args.bench / "score_extraction.py", "score_extraction")
    peers = load_module(args.bench / "peers" / "score.py", "peers_score")
    if args.out:
        args.out.write_text("")
    summary = {}
    for suite in args.suite.split(","):
        if suite == "demo":
            summary[suite] = run_demo(scorer)
            continue
        folder = args.bench / suite if suite == "extraction" else args.bench / "peers" / suite
        truth, results = run_suite(suite, folder, args.workers, peers)
        summary[suite] = print_suite(suite, truth, results, suite_figures(suite, truth, results, scorer, peers))
        if args.worst:
            print_worst(suite, truth, results, peers, args.worst)
        if args.out:
            write_out(args.out, suite, truth, results)
    print("== crosspost/bare trafilatura")
    for suite, rows in summary.items():
        print(f"  {suite}: " + "; ".join(f"{name} {mine:.3f}/{theirs:.3f}" for name, mine, theirs in rows))


if __name__ == "__main__":
    main()
