#!/usr/bin/env python3
"""Tail speed: the stages of a night that run after the last site is extracted (dedupe, publish,
report), this tree's code against a baseline tree's (e.g. main's), same run, same store.

The store must hold the date's extracted records (e.g. a store left by
``benchmarks/night.py --reprocess``, or any ``crosspost run``). Each side runs in a fresh
process (imports count, as they do in ``crosspost run``) on its own copy of the store, sides
interleaved over ``--repeat`` rounds; the figure of a stage is its median. The two sides'
outputs (the three committed tables, the assignments and cluster state) must be equal:
exits 1 if they differ.

Usage: benchmarks/tail_speed.py --store LAKE --sites SITES_FILE --date D --baseline /work/main [--repeat 3]
       [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("dedupe", "publish", "report")

# Run by each side's interpreter with PYTHONPATH set to its tree: the three stages, timed.
CHILD = """
import json, sys, time
from crawler.sites import load_sites
from crosspost.pipeline.runner import write_reports
from crosspost.pipeline.stages import dedupe_date, publish_date
store, sites_file, day, jobs = sys.argv[1:5]
sites = [s.name for s in load_sites(sites_file)]
extra = {"jobs": int(jobs)} if int(jobs) > 1 else {}  # a baseline may not know the option
out = {}
for stage, run in (("dedupe", lambda: dedupe_date(store, day, sites, **extra)),
                   ("publish", lambda: publish_date(store, day, sites, run_id="cli", data_interval=(day, day))),
                   ("report", lambda: write_reports(store, day, sites))):
    started = time.perf_counter()
    run()
    out[stage] = time.perf_counter() - started
print(json.dumps(out))
"""


def run_side(tree: Path, store: Path, sites_file: str, day: str, work: Path, jobs: int) -> tuple[dict, dict]:
    """One side's stage seconds on a fresh copy of the store, and its outputs."""
    copy = work / "lake"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(copy), sites_file, day, str(jobs)], env=env, cwd=tree,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"tail_speed: the stages failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), outputs(copy, day)


def outputs(store: Path, day: str) -> dict:
    """What must not change: committed tables (as Arrow tables), assignments and cluster state (text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    record = json.loads((store / f"commits/dt={day}/commit.json").read_text())
    got: dict = {name: pa.concat_tables([pq.read_table(store / f"{name}/dt={day}/{f['path']}") for f in m["files"]])
                 for name, m in record["tables"].items()}
    for name in ("clusters.jsonl.gz", "cluster-state.jsonl.gz"):
        got[name] = gzip.decompress((store / f"dedupe/dt={day}/{name}").read_bytes())
    return got


def same(a: dict, b: dict) -> list[str]:
    """Names of the outputs that differ."""
    return [k for k in a.keys() | b.keys() if k not in a or k not in b or not (a[k] == b[k] if isinstance(a[k], bytes)
                                                                              else a[k].equals(b[k]))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", required=True, help="a local store holding the date's extracted records")
    p.add_argument("--sites", required=True, help="the sites file of the store")
    p.add_argument("--date", required=True)
    p.add_argument("--baseline", required=True, help="the source tree to compare with (e.g. /work/main)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--jobs", type=int, default=1, help="dedupe_date(jobs=) of this tree (the baseline's: 1)")
    args = p.parse_args()
    sides = {"baseline": Path(args.baseline).resolve(), "this": ROOT}
    seconds: dict[str, list[dict]] = {name: [] for name in sides}
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="tail-speed-") as tmp:
        for _ in range(args.repeat):
            for name, tree in sides.items():
                took, found[name] = run_side(tree, Path(args.store), args.sites, args.date, Path(tmp),
                                             args.jobs if name == "this" else 1)
                seconds[name].append(took)
    print(f"{'stage':<10}{'baseline s':>12}{'this s':>10}{'ratio':>8}")
    for stage in (*STAGES, "tail"):
        base, this = (statistics.median(_stage(run, stage) for run in seconds[name]) for name in sides)
        print(f"{stage:<10}{base:>12.2f}{this:>10.2f}{this / base:>8.2f}")
    differ = same(found["baseline"], found["this"])
    print("outputs: " + (f"DIFFERENT: {', '.join(sorted(differ))}" if differ else "equal"))
    sys.exit(1 if differ else 0)


def _stage(run: dict, stage: str) -> float:
    return sum(run.values()) if stage == "tail" else run[stage]


if __name__ == "__main__":
    main()
