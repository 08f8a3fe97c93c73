#!/usr/bin/env python3
"""Report size and build time for a synthetic month of a 50-site crawl.

Writes ``--nights`` committed nights of ``--sites`` sites (10 outlets that write originals,
the rest republish them: exact copies, excerpts, extended and edited ones; some credit an outlet
nobody crawled; a few sites miss a few nights) into a temporary local store with crosspost's own
publish code, then builds the provenance report of the whole range. Prints the HTML's size
(target: a few MB, at most ``--max-mb``) and the build time against the time to read the same
partitions with ``crosspost.reader.read_table`` (the baseline, same run). Exits 1 over the size.

Usage: benchmarks/report_size.py [--sites 50] [--nights 30] [--per-site 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ("council port river budget school hospital workers union plan vote court energy water rail "
         "museum farmers housing market police minister protest report weather grid storage trust").split()
UNCRAWLED = {"RT News": "http://rt.example/news/", "Sputnik": "http://sputnik.example/", "Xinhua": "http://xinhua.example/"}
RELATIONS = ("exact",) * 6 + ("truncated", "extended", "near")


def _text(rng: random.Random, words: int) -> str:
    paragraphs = []
    while words > 0:
        n = min(words, rng.randint(40, 90))
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    return "\n\n".join(paragraphs)


def _copy_text(rng: random.Random, text: str, relation: str) -> str:
    if relation == "truncated":
        return text[: len(text) // 3] + "\n\nRead the full article at the original."
    if relation == "extended":
        return "Editor's note: we republish this report in full.\n\n" + text
    if relation == "near":
        return text.replace(" port ", " harbour ").replace(" vote ", " ballot ")
    return text


def night_rows(rng: random.Random, night: dt.date, sites: list[str], per_site: int, missing: set[str]):
    """Articles and crossposts rows of one night."""
    writers, republishers = sites[:10], [s for s in sites[10:] if s not in missing]
    articles, crossposts = [], []
    for w in (w for w in writers if w not in missing):
        for i in range(per_site):
            url = f"http://{w}.example/{night}/{i}"
            text = _text(rng, rng.randint(300, 700))
            published = dt.datetime.combine(night, dt.time(rng.randint(0, 20)), dt.UTC)
            cluster = f"{w}-{night}-{i}"
            copiers = rng.sample(republishers, k=min(len(republishers), rng.choice((0, 0, 1, 2, 3, 5))))
            size = 1 + len(copiers)
            articles.append(_article(url, w, text, published, cluster, url, True, size))
            if copiers:
                crossposts.append(_member(cluster, url, w, url, True, "original", 0.0, None))
            for c in copiers:
                relation, lag = rng.choice(RELATIONS), rng.lognormvariate(2.0, 1.0)
                copy_url = f"http://{c}.example/{night}/{w}-{i}"
                when = published + dt.timedelta(hours=lag)
                articles.append(_article(copy_url, c, _copy_text(rng, text, relation), when, cluster, url, False,
                                         size, credited=(w, url) if rng.random() < 0.8 else None))
                crossposts.append(_member(cluster, copy_url, c, url, False, relation, lag, rng.random() < 0.8))
    for r in republishers:  # their own pieces, some crediting an outlet nobody crawled
        for i in range(per_site // 2):
            name = rng.choice(list(UNCRAWLED)) if rng.random() < 0.3 else None
            url = f"http://{r}.example/{night}/own-{i}"
            articles.append(_article(url, r, _text(rng, 300), dt.datetime.combine(night, dt.time(9), dt.UTC),
                                     f"{r}-{night}-own{i}", url, True, 1,
                                     credited=(name, UNCRAWLED[name] + str(i)) if name else None))
    return articles, crossposts


def _article(url, site, text, published, cluster, original, is_original, size, credited=None) -> dict:
    return {"url": url, "site": site, "status": "ok", "title": f"Story {url.rsplit('/', 1)[-1]}", "text": text,
            "published_at": published.isoformat(), "fetched_at": published.isoformat(), "cluster_id": cluster,
            "original_url": original, "is_original": is_original, "cluster_size": size, "word_count": len(text.split()),
            "credited_source_name": credited[0] if credited else None,
            "credited_source_url": credited[1] if credited else None, "site_name": site.title()}


def _member(cluster, url, site, original, is_original, relation, lag, credits) -> dict:
    return {"cluster_id": cluster, "url": url, "site": site, "original_url": original, "is_original": is_original,
            "relation": relation, "similarity": 1.0, "jaccard": 1.0, "containment": 1.0, "lag_hours": lag,
            "credits_original": credits, "title_changed": relation == "near"}


def run_report(rng: random.Random, night: dt.date, sites: list[str], missing: set[str], articles: list[dict]) -> dict:
    """A run report in the shape crosspost.report writes."""
    extracted = {s: sum(a["site"] == s for a in articles) for s in sites}
    entries = {}
    for s in sites:
        failed = {"http_500": rng.randint(0, 2), "timeout": rng.randint(0, 1)} if rng.random() < 0.3 else {}
        crawl = {"discovered": {"sitemap": extracted[s] + 10}, "fetched": extracted[s], "failed": failed}
        entries[s] = ({"status": "missing", "extracted": 0, "crawl": None, "discovered": 0, "fetched": 0, "failed": 0}
                      if s in missing else {"status": "complete", "extracted": extracted[s], "crawl": crawl,
                                            "discovered": extracted[s] + 10, "fetched": extracted[s],
                                            "failed": sum(failed.values())})
    return {"date": night.isoformat(), "sites": entries, "warnings": []}


def write_month(store_url: str, sites: int, nights: int, per_site: int, first: dt.date) -> list[dt.date]:
    """Commit the synthetic nights into the store; return them."""
    from crosspost.lake import layout
    from crosspost.lake.publish import write_partition
    from crosspost.lake.store import open_store

    store, rng = open_store(store_url), random.Random(14)
    names = [f"site{i:02d}" for i in range(sites)]
    days = [first + dt.timedelta(days=n) for n in range(nights)]
    for night in days:
        missing = {s for s in names if rng.random() < 0.02}
        articles, crossposts = night_rows(rng, night, names, per_site, missing)
        status = {s: "missing" if s in missing else "complete" for s in names}
        write_partition(store, "articles", night, articles, run_id="bench", sites=status)
        write_partition(store, "crossposts", night, crossposts, run_id="bench", sites=status)
        report = run_report(rng, night, names, missing, articles)
        store.put_bytes(layout.run_report_key(night), json.dumps(report).encode())
    return days


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sites", type=int, default=50)
    p.add_argument("--nights", type=int, default=30)
    p.add_argument("--per-site", type=int, default=20, help="originals per writing site and night")
    p.add_argument("--max-mb", type=float, default=5.0)
    p.add_argument("--keep", help="write the store and report.html here instead of a temporary folder")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        size = measure(Path(args.keep or tmp), args)
    return 0 if size <= args.max_mb * 1e6 else 1


def measure(folder: Path, args) -> int:
    """Write the month, time reading it and building its report; print the figures; return the size."""
    from crosspost.lake.reader import read_table
    from crosspost.lake.store import open_store
    from crosspost.report import build_report

    store_url = str(folder / "lake")
    days = write_month(store_url, args.sites, args.nights, args.per_site, dt.date(2026, 10, 1))
    store = open_store(store_url)
    started = time.perf_counter()
    rows = sum(read_table(store, t, days[0], days[-1]).num_rows for t in ("articles", "crossposts"))
    baseline = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    html = build_report(store, days[0], days[-1]).encode("utf-8")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    (folder / "report.html").write_bytes(html)
    print(f"{args.sites} sites x {args.nights} nights ({rows} rows): report {len(html) / 1e6:.2f} MB, built in "
          f"{seconds:.1f}s ({cpu:.1f}s CPU); reading the partitions alone {baseline:.1f}s ({seconds / baseline:.1f}x)"
          + (f"; {folder / 'report.html'}" if args.keep else ""))
    return len(html)


if __name__ == "__main__":
    sys.exit(main())
