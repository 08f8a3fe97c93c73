#!/usr/bin/env python3
"""Dedupe quality: pairwise precision, recall and F1 on a labelled set (benchmarks/dedupe_data.py).

A pair of docs is *predicted* if dedupe puts them in one cluster and *true* if they are
copies of one article. Target: precision >= 0.995, recall >= 0.98.

Rows, all on the same labelled set in the same run:
- ``one night``: every doc in one ``dedupe_records`` call (the production code);
- ``across nights``: the docs split by publication date and run night by night through
  ``stages.dedupe_date`` on a local store: matching against earlier nights uses only the
  stored signature segments (MinHash + verification sketches), never old text;
- ``bottom-k 128 sketch``: verification on a 128-hash bottom-k sketch per doc instead of
  the full shingle-hash set (what a fixed-size sketch would cost in quality);
- ``Jaccard only``: the containment rule switched off (truncated copies);
- ``Jaccard >= 0.8 only``: web-corpus dedup settings.

Usage: benchmarks/dedupe_quality.py [--bases N] [--show N]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dedupe_data import STRESS_VARIANTS, generated_docs, labelled_set  # noqa: E402

from crosspost.dedupe import minhash  # noqa: E402
from crosspost.dedupe.clusters import assign_clusters  # noqa: E402
from crosspost.lake import layout  # noqa: E402
from crosspost.lake.jsonl import dump_jsonl_gz, load_jsonl_gz  # noqa: E402
from crosspost.lake.store import open_store  # noqa: E402
from crosspost.pipeline.stages import dedupe_date  # noqa: E402


def pairs_of(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of members of each group."""
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def grouped(labels: dict[str, str]) -> dict[str, list[str]]:
    out = collections.defaultdict(list)
    for url, label in labels.items():
        out[label].append(url)
    return out


def score(predicted: dict[str, str], truth: dict[str, str]) -> dict:
    """Pairwise precision / recall / F1 of predicted cluster labels against true labels."""
    pred, true = pairs_of(grouped(predicted)), pairs_of(grouped(truth))
    hit = len(pred & true)
    p = hit / len(pred) if pred else 1.0
    r = hit / len(true) if true else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "pred": len(pred), "true": len(true), "fp": pred - true, "fn": true - pred}


def one_night(docs: list[dict]) -> dict[str, str]:
    """url -> cluster id, all docs in one call."""
    return {a["url"]: a["cluster_id"] for a in assign_clusters(docs)}


def across_nights(docs: list[dict]) -> dict[str, str]:
    """url -> cluster id, docs run night by night (by publication date) through the store."""
    with tempfile.TemporaryDirectory(prefix="dedupe-quality-") as tmp:
        store = open_store(tmp)
        by_night = collections.defaultdict(list)
        for d in docs:
            by_night[(d["site"], d["published_at"][:10])].append(d)
        for (site, day), records in by_night.items():
            store.put_bytes(layout.extracted_key(site, day), dump_jsonl_gz(records))
        sites = sorted({d["site"] for d in docs})
        out = {}
        for day in sorted({day for _, day in by_night}):
            dedupe_date(tmp, day, sites)
            out.update({a["url"]: a["cluster_id"] for a in load_jsonl_gz(store.get_bytes(layout.dedupe_key(day)))})
        return out


def bottom_k_similarity(k: int):
    """A ``similarity`` that sees only the k smallest hashes of each set (plus the set sizes)."""
    def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
        if not len(a) or not len(b):
            return 0.0, 0.0
        union_k = np.union1d(a[:k], b[:k])[:k]
        both = np.isin(union_k, a[:k]) & np.isin(union_k, b[:k])
        jac = both.sum() / len(union_k)
        inter = jac * (len(a) + len(b)) / (1 + jac)
        return float(jac), float(min(1.0, inter / min(len(a), len(b))))
    return similarity


@contextlib.contextmanager
def patched(**values):
    """Temporarily replace attributes of ``crosspost.dedupe.minhash`` (an ablation)."""
    old = {k: getattr(minhash, k) for k in values}
    for k, v in values.items():
        setattr(minhash, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(minhash, k, v)


def per_variant(predicted: dict[str, str], docs: list[dict]) -> dict[str, tuple[int, int]]:
    """variant -> (copies in their original's cluster, copies) for docs that are copies."""
    out = collections.defaultdict(lambda: [0, 0])
    for d in docs:
        if d["label"] != d["url"]:
            found = predicted.get(d["url"]) == predicted.get(d["label"])
            out[d["variant"]][0] += found
            out[d["variant"]][1] += 1
    return {k: tuple(v) for k, v in sorted(out.items())}


def merged_distractors(predicted: dict[str, str], pairs) -> collections.Counter:
    """Distractor pairs that ended in one cluster, by reason."""
    return collections.Counter(why for a, b, why in pairs if predicted.get(a) and predicted.get(a) == predicted.get(b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bases", type=int, default=300, help="generated stories (7 docs each + distractors)")
    parser.add_argument("--show", type=int, default=5, help="false pairs to print per row")
    args = parser.parse_args()
    docs, distractors = labelled_set(args.bases)
    truth = {d["url"]: d["label"] for d in docs}
    print(f"labelled set: {len(docs)} docs, {len(set(truth.values()))} articles, "
          f"{len(pairs_of(grouped(truth)))} true pairs, {len(distractors)} distractor pairs\n")
    runs = {
        "one night": lambda: one_night(docs),
        "across nights (store)": lambda: across_nights(docs),
        "bottom-k 128 sketch": lambda: _with(dict(similarity=bottom_k_similarity(128)), docs),
        "Jaccard only (>= 0.45)": lambda: _with(dict(ACCEPT_CONTAINMENT=1.01), docs),
        "Jaccard >= 0.8 only": lambda: _with(dict(ACCEPT_CONTAINMENT=1.01, ACCEPT_JACCARD=0.8), docs),
    }
    print(f"{'run':26} {'precision':>9} {'recall':>7} {'F1':>7} {'pairs':>6} {'FP':>4} {'FN':>4} "
          f"{'distractors merged':>18} {'secs':>5}")
    results = {}
    for name, run in runs.items():
        started = time.perf_counter()
        predicted = run()
        s = score(predicted, truth)
        results[name] = (predicted, s)
        merged = sum(merged_distractors(predicted, distractors).values())
        print(f"{name:26} {s['precision']:9.4f} {s['recall']:7.4f} {s['f1']:7.4f} {s['pred']:6} "
              f"{len(s['fp']):4} {len(s['fn']):4} {merged:18} {time.perf_counter() - started:5.1f}")
    _details(results, docs, distractors, args.show)
    predicted, s = results["one night"]
    ok = s["precision"] >= 0.995 and s["recall"] >= 0.98
    print(f"\ntarget precision >= 0.995 and recall >= 0.98: {'MET' if ok else 'NOT MET'}")
    same = results["across nights (store)"][0]
    agree = sum(1 for a, b in pairs_of(grouped(truth)) if (same[a] == same[b]) == (predicted[a] == predicted[b]))
    print(f"across nights vs one night: {agree}/{s['true']} true pairs decided alike")
    print(sketch_errors(docs))
    stress(args.bases)
    sizes = [len(sig.sketch) * 4 for sig in minhash.sign(d["text"] for d in docs)[0]]
    print(f"verification sketch size: mean {np.mean(sizes) / 1024:.1f} KB/doc (bottom-128 sketch: 0.5 KB)")


def sketch_errors(docs: list[dict], k: int = 128) -> str:
    """How far a bottom-k sketch's Jaccard/containment are from the full sets', on LSH candidates."""
    sigs, mh = minhash.sign(d["text"] for d in docs)
    near = [i for i, s in enumerate(sigs) if s.n_words >= minhash.MIN_NEAR_WORDS]
    pairs = np.asarray(near)[minhash.pairs_within(minhash.band_keys(mh[near]))]
    side = minhash.Side.of(sigs, mh)
    pairs = minhash._worth_verifying(pairs, side, side)  # the pairs verification sees
    estimate = bottom_k_similarity(k)
    errors, flips = [], 0
    for a, b in pairs.tolist():
        n = (sigs[a].n_words, sigs[b].n_words)
        full, est = minhash.similarity(sigs[a].sketch, sigs[b].sketch), estimate(sigs[a].sketch, sigs[b].sketch)
        errors.append((abs(full[0] - est[0]), abs(full[1] - est[1])))
        flips += minhash.accept(*n, *full) != minhash.accept(*n, *est)
    e = np.array(errors)
    return (f"bottom-{k} sketch vs full shingle sets on the {len(e)} pairs verified: |dJaccard| mean "
            f"{e[:, 0].mean():.3f} max {e[:, 0].max():.3f}, |dContainment| mean {e[:, 1].mean():.3f} max "
            f"{e[:, 1].max():.3f}; accept decisions flipped: {flips}")


def stress(n_bases: int) -> None:
    """Recall on variants harder than the target set's (and precision on the same set)."""
    docs, distractors = generated_docs(n_bases, seed=11, variants=STRESS_VARIANTS, one_each=True)
    truth = {d["url"]: d["label"] for d in docs}
    print(f"\nstress set ({len(docs)} docs, harder variants, one copy per story, not in the target):")
    for name, predicted in (("one night", one_night(docs)),
                            ("Jaccard only", _with(dict(ACCEPT_CONTAINMENT=1.01), docs))):
        s = score(predicted, truth)
        found = per_variant(predicted, docs)
        print(f"  {name:13} precision {s['precision']:.4f}, distractors merged "
              f"{sum(merged_distractors(predicted, distractors).values())}; recall "
              + ", ".join(f"{v} {found[v][0]}/{found[v][1]}" for v in STRESS_VARIANTS))


def _with(values: dict, docs: list[dict]) -> dict[str, str]:
    with patched(**values):
        return one_night(docs)


def _details(results, docs, distractors, show: int) -> None:
    print("\nrecall per variant (copies in their original's cluster):")
    names = list(results)
    print(f"  {'variant':24}" + "".join(f"{n[:14]:>16}" for n in names))
    table = {n: per_variant(results[n][0], docs) for n in names}
    for variant in table[names[0]]:
        cells = "".join(f"{'{}/{}'.format(*table[n][variant]):>16}" for n in names)
        print(f"  {variant:24}{cells}")
    by_url = {d["url"]: d for d in docs}
    for name in names:
        s = results[name][1]
        for kind in ("fp", "fn"):
            for a, b in sorted(s[kind])[:show if name == "one night" else 0]:
                print(f"  {name} {kind.upper()}: {by_url[a]['variant']} {a} | {by_url[b]['variant']} {b}")
        merged = merged_distractors(results[name][0], distractors)
        if merged and name == "one night":
            print(f"  {name}: distractors merged: {dict(merged)}")


if __name__ == "__main__":
    main()
