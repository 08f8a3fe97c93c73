#!/usr/bin/env python3
"""Dedupe speed: docs/s and peak memory at 10k, 50k and 200k documents of 400-800 words.

Each size runs in its own child process (so peak RSS is per size) on synthetic text from
``benchmarks/dedupe_data.synthetic_texts`` (10% near copies). Timed: the whole
``clusters.dedupe_records`` (signatures, LSH, verification, clusters, originals,
assignments), and within it the signature step (tokens -> shingle hashes -> MinHash).
Untimed: generating the text. Then, timed apart: aligning every copy with its original
(``align.align_assignments``, what the dedupe stage adds for the ``crossposts`` alignment
columns), as a share of the dedupe time (target <= 10% at 50k).

Baseline, same run: a plain datasketch loop (``MinHash(num_perm=128).update_batch`` over
the encoded shingle strings of each doc, same tokeniser) on the first docs of the 10k set,
against ``minhash.sign`` on the same docs; and ``MinHashLSH`` insert+query against our
sorted-band LSH on the same signatures.

Also: a night of 10k docs matched against a 200k-doc history read from a store segment
(``--history``).

Histories of millions (``--big 1000000``): a night of 100k docs against a history of
signatures only (random MinHash values and plausible metadata, generated deterministically:
full texts of 10^6 documents would take an hour to make and sign), written as daily
segments of 100k and compacted by month as the pipeline does, plus one real segment of 10k
signed texts that 10% of the night copies. Measured: the store's signature state (bytes per
document), loading the history (s, RSS per document of history), the night's dedupe (s).
``--sampled 10000000``: what does not fit this shared machine's memory is measured on a
sample and scaled, and said so: the history-size-dependent LSH step (sort one band of the
history's keys, look the night's keys up in it; x42 bands) at the full size, memory and
load time per document from the ``--big`` run.

Usage: benchmarks/dedupe_speed.py [--sizes 10000,50000,200000] [--baseline-docs 3000] [--history 200000,10000]
       benchmarks/dedupe_speed.py --sizes '' --history '' --big 1000000 --sampled 10000000
Also: the whole dedupe stage (``stages.dedupe_date`` on a local store, ``--stage``) and the
alignment's share of it.

Usage: benchmarks/dedupe_speed.py [--sizes 10000,50000,200000] [--baseline-docs 3000] [--history 200000,10000]
                                  [--stage 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def rss_mb() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak resident set size of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def records(n: int, seed: int = 1) -> list[dict]:
    """n record-like dicts with synthetic text (generated, untimed)."""
    from dedupe_data import synthetic_texts

    return [{"url": f"http://site{i % 20}.bench/a/{i}", "site": f"site{i % 20}", "status": "ok", "text": text,
             "published_at": f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z", "fetched_at": "2026-11-29T00:00:00Z"}
            for i, text in enumerate(synthetic_texts(n, seed))]


def _timed(function, spent: dict, name: str):
    """``function``, adding its CPU time to ``spent[name]``."""
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started
    return timed


def child(n: int, baseline_docs: int) -> dict:
    """Time one size; runs in a child process."""
    from crosspost.dedupe import clusters

    recs = records(n)
    before = rss_mb()
    spent = {"sign": 0.0, "verified_edges": 0.0}
    for name in spent:
        setattr(clusters, name, _timed(getattr(clusters, name), spent, name))
    started, wall = time.process_time(), time.perf_counter()
    night = clusters.dedupe_records(recs)
    total, wall = time.process_time() - started, time.perf_counter() - wall
    multi = sum(1 for a in night.assignments if a["cluster_size"] > 1)
    out = {"n": n, "total_s": total, "wall_s": wall, "sign_s": spent["sign"], "match_s": spent["verified_edges"],
           "rss_before_mb": before, "peak_mb": peak_mb(), "in_clusters": multi}
    out.update(alignment(recs, night.assignments))
    if baseline_docs:
        out.update(baseline([r["text"] for r in recs[:baseline_docs]]))
    return out


def alignment(recs: list[dict], assignments: list[dict]) -> dict:
    """CPU time of aligning every copy with its original (as the dedupe stage does)."""
    from crosspost.dedupe.align import align_assignments

    texts = {r["url"]: r["text"] for r in recs}
    started = time.process_time()
    aligned = align_assignments(assignments, texts.get)
    spent = time.process_time() - started
    return {"align_s": spent, "aligned": sum(a["kept_share"] is not None for a in aligned)}


def stage_child(n: int) -> dict:
    """The whole dedupe stage (``stages.dedupe_date``: read the records from a local store,
    cluster, align, write assignments, cluster state and signature segment) on ``n`` docs, and
    the alignment's share of it (runs in a child process)."""
    import tempfile

    from crosspost.dedupe import align
    from crosspost.lake import layout
    from crosspost.lake.jsonl import dump_jsonl_gz
    from crosspost.pipeline import stages

    recs = records(n)
    spent = {"align": 0.0}
    align.align_assignments = _timed(align.align_assignments, spent, "align")
    with tempfile.TemporaryDirectory(prefix="dedupe-stage-") as tmp:
        for site in sorted({r["site"] for r in recs}):
            data = dump_jsonl_gz([r for r in recs if r["site"] == site])
            Path(tmp, layout.extracted_key(site, "2026-11-29")).parent.mkdir(parents=True, exist_ok=True)
            Path(tmp, layout.extracted_key(site, "2026-11-29")).write_bytes(data)
        del recs
        started = time.process_time()
        stages.dedupe_date(tmp, "2026-11-29", [f"site{i}" for i in range(20)])
        total = time.process_time() - started
    return {"n": n, "stage_s": total, "align_s": spent["align"]}


def history_child(n_old: int, n_new: int) -> dict:
    """Time a night of ``n_new`` docs (10% copies of old ones) against ``n_old`` earlier docs read
    from a store's signature segment (runs in a child process)."""
    import random
    import tempfile

    from crosspost.dedupe import clusters, signature_index
    from crosspost.lake.store import open_store

    old = records(n_old)
    with tempfile.TemporaryDirectory(prefix="dedupe-speed-") as tmp:
        store = open_store(tmp)
        signature_index.write_segment(store, "2026-11-01", clusters.dedupe_records(old))
        rng = random.Random(1)
        new = records(n_new, seed=2)
        for i, rec in enumerate(new):
            rec["url"] = f"http://new{i % 20}.bench/a/{i}"
            if rng.random() < 0.1:
                words = old[rng.randrange(n_old)]["text"].split()
                rec["text"] = " ".join(words[: int(len(words) * 0.7)])
        del old
        started = time.process_time()
        history = signature_index.load_history(store, "2026-11-02")
        loaded = time.process_time() - started
        night = clusters.dedupe_records(new, history)
        total = time.process_time() - started
    joined = sum(1 for a in night.assignments if a["cluster_size"] > 1)
    return {"n_old": n_old, "n_new": n_new, "load_s": loaded, "total_s": total, "joined": joined}


NIGHT_DATE = "2026-12-15"


def synthetic_index(start: int, n: int, day: str):
    """``n`` history rows of signatures only (rows ``start``..), as a daily index table."""
    import datetime as dt
    import hashlib

    import numpy as np
    import pyarrow as pa

    from crosspost.dedupe import minhash as dedupe
    from crosspost.dedupe import signature_index as signatures

    rng = np.random.default_rng(start)
    ids = range(start, start + n)
    urls = [f"https://www.site{i % 50}.example.com/2026/news/world/story-number-{i}-about-the-day" for i in ids]
    exact = [hashlib.sha1(i.to_bytes(8, "little")).hexdigest() for i in ids]
    when = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    words = rng.integers(400, 800, n).astype(np.int32)
    cols = {"key": urls, "url": urls, "site": [f"site{i % 50}" for i in ids],
            "title": [f"Officials say story {i} will change how the region plans its week" for i in ids],
            "site_name": [f"Site {i % 50}" for i in ids], "canonical_url": urls,
            "published_at": [f"{when}T{i % 24:02d}:00:00Z" for i in ids], "fetched_at": [f"{day}T23:00:00Z"] * n,
            "credited_source_url": [None] * n, "credited_source_name": [None] * n, "exact": exact,
            "n_words": words, "n_shingles": words - 2,
            "minhash": pa.FixedSizeListArray.from_arrays(
                pa.array(rng.integers(0, 2**32, n * dedupe.NUM_PERM, dtype=np.uint32)), dedupe.NUM_PERM),
            "cluster_id": ["c" + e[:16] for e in exact], "original_url": urls}
    meta = {signatures.VERSION: dedupe.SIGNATURE_VERSION.encode(), signatures.BASIS: b""}
    return pa.table(cols, schema=signatures.INDEX_SCHEMA.with_metadata(meta))


def build_history(store, n_old: int, per_day: int = 100_000) -> list[dict]:
    """``n_old`` signature-only rows as daily segments before NIGHT_DATE, compacted by month, and
    one real segment of 10k signed texts (the day before the night); returns those texts' records."""
    import datetime as dt

    from crosspost.dedupe import clusters as provenance
    from crosspost.dedupe import signature_index as signatures
    from crosspost.lake import compaction, layout

    night = dt.date.fromisoformat(NIGHT_DATE)
    days = -(-n_old // per_day)
    for d in range(days):
        day = (night - dt.timedelta(days=days + 1 - d)).isoformat()
        n = min(per_day, n_old - d * per_day)
        store.put_bytes(layout.signature_index_key(day), signatures._parquet(synthetic_index(d * per_day, n, day)))
    compaction.compact_before(store, signatures.INDEX, NIGHT_DATE)
    real = records(10_000, seed=3)
    for i, rec in enumerate(real):
        rec["url"] = f"http://recent{i % 20}.bench/a/{i}"
    signatures.write_segment(store, (night - dt.timedelta(days=1)).isoformat(), provenance.dedupe_records(real))
    return real


def big_child(n_old: int, n_new: int) -> dict:
    """A night of ``n_new`` docs (10% copies of the real recent segment) against ``n_old``
    signature-only docs (runs in a child process: RSS is this history's alone)."""
    import gc
    import random
    import tempfile

    from crosspost.dedupe import clusters as provenance
    from crosspost.dedupe import signature_index as signatures
    from crosspost.lake import layout
    from crosspost.lake.store import open_store

    with tempfile.TemporaryDirectory(prefix="dedupe-big-", dir=os.environ.get("BENCH_TMP")) as tmp:
        store = open_store(tmp)
        started = time.perf_counter()
        real = build_history(store, n_old)
        built = time.perf_counter() - started
        sizes = {"index": 0, "sketches": 0}
        for key in store.list(layout.SIGNATURES_ROOT):
            sizes["sketches" if key.endswith(layout.SIGNATURE_SKETCH_FILE) else "index"] += store.size(key)
        rng = random.Random(1)
        new = records(n_new, seed=2)
        for i, rec in enumerate(new):
            rec["url"] = f"http://new{i % 20}.bench/a/{i}"
            if rng.random() < 0.1:
                words = real[rng.randrange(len(real))]["text"].split()
                rec["text"] = " ".join(words[: int(len(words) * 0.7)])
        del real
        started = time.process_time()
        provenance.dedupe_records(new)  # the same night without a history: the baseline
        alone_cpu = time.process_time() - started
        gc.collect()
        before = rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        history = signatures.load_history(store, NIGHT_DATE)
        load_wall, load_cpu = time.perf_counter() - started, time.process_time() - cpu
        gc.collect()
        loaded = rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        night = provenance.dedupe_records(new, history)
        night_wall, night_cpu = time.perf_counter() - started, time.process_time() - cpu
        own = signatures.segment_tables(night)
        own_bytes = [len(signatures._parquet(t)) for t in own]
    joined = sum(1 for a in night.assignments if a["cluster_size"] > 1)
    return {"n_old": n_old, "n_new": n_new, "history_rows": len(history), "build_s": built,
            "store_index_bytes": sizes["index"], "store_sketch_bytes": sizes["sketches"],
            "night_index_bytes": own_bytes[0], "night_sketch_bytes": own_bytes[1],
            "rss_before_mb": before, "rss_history_mb": loaded - before, "peak_mb": peak_mb(),
            "load_wall_s": load_wall, "load_cpu_s": load_cpu, "night_wall_s": night_wall, "night_cpu_s": night_cpu,
            "alone_cpu_s": alone_cpu, "joined": joined}


def sampled_lsh(n_old: int, n_new: int) -> dict:
    """The history-size-dependent part of matching at full size, on one band: sort ``n_old``
    random band keys, look ``n_new`` up (``dedupe.pairs_across`` does this for each of 42
    bands); the same at 1/10 of the size, to check it scales as measured."""
    import numpy as np

    from crosspost.dedupe import minhash as dedupe

    out = {}
    for n in (n_old // 10, n_old):
        rng = np.random.default_rng(n)
        old = rng.integers(0, 2**63, (n, 1), dtype=np.uint64)
        new = rng.integers(0, 2**63, (n_new, 1), dtype=np.uint64)
        started = time.process_time()
        dedupe.pairs_across(new, old)
        out[n] = (time.process_time() - started) * dedupe.BANDS
        del old
    return {"n_old": n_old, "lsh_s": out[n_old], "lsh_tenth_s": out[n_old // 10]}


def report_big(b: dict, sampled: dict | None) -> None:
    """Print the --big and --sampled figures."""
    n, per_doc = b["n_old"], 2**20 / b["n_old"]
    index_per_doc = b["night_index_bytes"] / b["n_new"]
    sketch_per_doc = b["night_sketch_bytes"] / b["n_new"]
    print(f"\nhistory of {n:,} docs (signatures only, {b['history_rows']:,} rows read), a night of {b['n_new']:,}:")
    print(f"  store: signature index {b['store_index_bytes'] / 2**20:,.0f} MiB for this history "
          f"({b['store_index_bytes'] / n:,.0f} B/doc); a real night's segment: index {index_per_doc:,.0f} B/doc + "
          f"sketches {sketch_per_doc:,.0f} B/doc")
    print(f"  load the history: {b['load_wall_s']:.1f} s wall ({b['load_cpu_s']:.1f} s CPU); RSS +"
          f"{b['rss_history_mb']:,.0f} MiB = {b['rss_history_mb'] * per_doc:,.0f} B per doc of history; peak "
          f"{b['peak_mb']:,.0f} MiB")
    print(f"  dedupe the night against it: {b['night_wall_s']:.1f} s wall ({b['night_cpu_s']:.1f} s CPU, "
          f"{b['n_new'] / b['night_cpu_s']:,.0f} docs/s CPU); {b['joined']:,} docs in clusters")
    print(f"  the same night without a history, same run: {b['alone_cpu_s']:.1f} s CPU -> the history costs "
          f"{b['night_cpu_s'] / b['alone_cpu_s']:.2f}x (+ loading it)")
    if sampled:
        k = sampled["n_old"] / n
        print(f"history of {sampled['n_old']:,} docs, SAMPLED (does not fit beside the other work on this machine):")
        print(f"  LSH step measured at full size on one band x{BANDS_TEXT}: {sampled['lsh_s']:.1f} s CPU "
              f"(1/10 of the size: {sampled['lsh_tenth_s']:.1f} s)")
        print(f"  scaled x{k:.0f} from the {n:,} run: RSS ~{b['rss_history_mb'] * k / 1024:,.1f} GiB, load "
              f"~{b['load_cpu_s'] * k:,.0f} s CPU, store: index ~{index_per_doc * sampled['n_old'] / 2**30:,.1f} GiB + "
              f"sketches ~{sketch_per_doc * sampled['n_old'] / 2**30:,.1f} GiB (real-night bytes per doc)")


BANDS_TEXT = "42 bands"


def baseline(texts: list[str]) -> dict:
    """Plain datasketch loops vs ours on the same texts."""
    from datasketch import MinHash, MinHashLSH

    from crosspost.common.text import words
    from crosspost.dedupe import minhash

    started = time.process_time()
    sketches = []
    for text in texts:
        tokens = words(text)
        shingles = {" ".join(tokens[i : i + minhash.SHINGLE]) for i in range(len(tokens) - minhash.SHINGLE + 1)}
        m = MinHash(num_perm=minhash.NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in shingles])
        sketches.append(m)
    ds_sign = time.process_time() - started
    started = time.process_time()
    _, mh = minhash.sign(texts)
    our_sign = time.process_time() - started
    started = time.process_time()
    lsh = MinHashLSH(threshold=0.25, num_perm=minhash.NUM_PERM)
    for i, m in enumerate(sketches):
        lsh.query(m)
        lsh.insert(i, m)
    ds_lsh = time.process_time() - started
    started = time.process_time()
    minhash.pairs_within(minhash.band_keys(mh))
    our_lsh = time.process_time() - started
    return {"baseline_docs": len(texts), "ds_sign_s": ds_sign, "our_sign_s": our_sign, "ds_lsh_s": ds_lsh,
            "our_lsh_s": our_lsh}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--baseline-docs", type=int, default=3000)
    parser.add_argument("--history", default="200000,10000", help="earlier docs,new docs ('' to skip)")
    parser.add_argument("--big", type=int, default=0, help="history of this many docs (signatures only)")
    parser.add_argument("--sampled", type=int, default=0, help="a larger history, measured on a sample")
    parser.add_argument("--night", type=int, default=100_000, help="docs of the night for --big")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--big-child", help=argparse.SUPPRESS)
    parser.add_argument("--history-child", help=argparse.SUPPRESS)
    parser.add_argument("--stage", type=int, default=50000, help="docs for the whole-stage run (0 to skip)")
    parser.add_argument("--stage-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.baseline_docs)))
        return
    if args.stage_child:
        print(json.dumps(stage_child(args.stage_child)))
        return
    if args.history_child:
        print(json.dumps(history_child(*map(int, args.history_child.split(",")))))
        return
    if args.big_child:
        print(json.dumps(big_child(*map(int, args.big_child.split(",")))))
        return
    if args.sizes:
        sizes_table(args)
    if args.history:
        cmd = [sys.executable, __file__, "--history-child", args.history]
        h = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        print(f"a night of {h['n_new']} docs against {h['n_old']} earlier docs from the store: "
              f"{h['total_s']:.1f} s CPU ({h['n_new'] / h['total_s']:.0f} docs/s), of which loading the "
              f"history {h['load_s']:.1f} s; {h['joined']} new docs in clusters "
              "(~10% planted copies of old docs, ~10% of each other)")
    if args.big:
        cmd = [sys.executable, __file__, "--big-child", f"{args.big},{args.night}"]
        b = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        report_big(b, sampled_lsh(args.sampled, args.night) if args.sampled else None)


def sizes_table(args) -> None:
    """docs/s and memory at each size of ``--sizes``, and the datasketch baseline."""
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print("CPU seconds of this process (the machine may be shared; wall clock in the last column)")
    print(f"{'docs':>8} {'total s':>8} {'docs/s':>8} {'sign s':>7} {'sign docs/s':>11} {'match s':>7} "
          f"{'peak MB':>8} {'pre-run MB':>10} {'in clusters':>11} {'wall s':>7} {'align s':>7} {'align %':>7}")
    for i, n in enumerate(sizes):
        cmd = [sys.executable, __file__, "--child", str(n), "--baseline-docs", str(args.baseline_docs if i == 0 else 0)]
        row = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        rows.append(row)
        print(f"{n:8} {row['total_s']:8.1f} {n / row['total_s']:8.0f} {row['sign_s']:7.1f} "
              f"{n / row['sign_s']:11.0f} {row['match_s']:7.1f} {row['peak_mb']:8.0f} "
              f"{row['rss_before_mb']:10.0f} {row['in_clusters']:11} "
              f"{row['wall_s']:7.1f} {row['align_s']:7.2f} {100 * row['align_s'] / row['total_s']:6.1f}%")
    print(f"align: {', '.join(str(r['aligned']) for r in rows)} copies aligned with their original (target <= 10% "
          "of the dedupe time at 50k)")
    first, last = rows[0], rows[-1]
    print(f"\ngrowth {last['n'] // first['n']}x docs -> {last['total_s'] / first['total_s']:.1f}x CPU time "
          f"(target <= 25x for 10k -> 200k)")
    if "ds_sign_s" in first:
        b = first
        print(f"signature step on {b['baseline_docs']} docs: plain datasketch loop {b['ds_sign_s']:.2f} s, ours "
              f"{b['our_sign_s']:.2f} s -> {b['ds_sign_s'] / b['our_sign_s']:.1f}x faster")
        print(f"LSH on the same docs: datasketch MinHashLSH insert+query {b['ds_lsh_s']:.2f} s, sorted bands "
              f"{b['our_lsh_s']:.2f} s -> {b['ds_lsh_s'] / b['our_lsh_s']:.1f}x faster")
    if args.stage:
        cmd = [sys.executable, __file__, "--stage-child", str(args.stage)]
        st = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        print(f"the whole dedupe stage (stages.dedupe_date, local store) on {st['n']} docs: {st['stage_s']:.1f} s CPU, "
              f"of which aligning copies {st['align_s']:.2f} s = {100 * st['align_s'] / st['stage_s']:.1f}% "
              "(target <= 10%)")


if __name__ == "__main__":
    main()
