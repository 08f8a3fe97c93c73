#!/usr/bin/env python3
"""Dedupe speed: docs/s and peak memory at 10k, 50k and 200k documents of 400-800 words.

Each size runs in its own child process (so peak RSS is per size) on synthetic text from
``benchmarks/dedupe_data.synthetic_texts`` (10% near copies). Timed: the whole
``clusters.dedupe_records`` (signatures, LSH, verification, clusters, originals,
assignments), and within it the signature step (tokens -> shingle hashes -> MinHash).
Untimed: generating the text.

Baseline, same run: a plain datasketch loop (``MinHash(num_perm=128).update_batch`` over
the encoded shingle strings of each doc, same tokeniser) on the first docs of the 10k set,
against ``minhash.sign`` on the same docs; and ``MinHashLSH`` insert+query against our
sorted-band LSH on the same signatures.

Also: a night of 10k docs matched against a 200k-doc history read from a store segment
(``--history``).

Usage: benchmarks/dedupe_speed.py [--sizes 10000,50000,200000] [--baseline-docs 3000] [--history 200000,10000]
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
    if baseline_docs:
        out.update(baseline([r["text"] for r in recs[:baseline_docs]]))
    return out


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
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--history-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.baseline_docs)))
        return
    if args.history_child:
        print(json.dumps(history_child(*map(int, args.history_child.split(",")))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print("CPU seconds of this process (the machine may be shared; wall clock in the last column)")
    print(f"{'docs':>8} {'total s':>8} {'docs/s':>8} {'sign s':>7} {'sign docs/s':>11} {'match s':>7} "
          f"{'peak MB':>8} {'pre-run MB':>10} {'in clusters':>11} {'wall s':>7}")
    for i, n in enumerate(sizes):
        cmd = [sys.executable, __file__, "--child", str(n), "--baseline-docs", str(args.baseline_docs if i == 0 else 0)]
        row = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        rows.append(row)
        print(f"{n:8} {row['total_s']:8.1f} {n / row['total_s']:8.0f} {row['sign_s']:7.1f} "
              f"{n / row['sign_s']:11.0f} {row['match_s']:7.1f} {row['peak_mb']:8.0f} "
              f"{row['rss_before_mb']:10.0f} {row['in_clusters']:11} "
              f"{row['wall_s']:7.1f}")
    first, last = rows[0], rows[-1]
    print(f"\ngrowth {last['n'] // first['n']}x docs -> {last['total_s'] / first['total_s']:.1f}x CPU time "
          f"(target <= 25x for 10k -> 200k)")
    if "ds_sign_s" in first:
        b = first
        print(f"signature step on {b['baseline_docs']} docs: plain datasketch loop {b['ds_sign_s']:.2f} s, ours "
              f"{b['our_sign_s']:.2f} s -> {b['ds_sign_s'] / b['our_sign_s']:.1f}x faster")
        print(f"LSH on the same docs: datasketch MinHashLSH insert+query {b['ds_lsh_s']:.2f} s, sorted bands "
              f"{b['our_lsh_s']:.2f} s -> {b['ds_lsh_s'] / b['our_lsh_s']:.1f}x faster")
    if args.history:
        cmd = [sys.executable, __file__, "--history-child", args.history]
        h = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        print(f"a night of {h['n_new']} docs against {h['n_old']} earlier docs from the store: "
              f"{h['total_s']:.1f} s CPU ({h['n_new'] / h['total_s']:.0f} docs/s), of which loading the "
              f"history {h['load_s']:.1f} s; {h['joined']} new docs in clusters "
              "(~10% planted copies of old docs, ~10% of each other)")


if __name__ == "__main__":
    main()
