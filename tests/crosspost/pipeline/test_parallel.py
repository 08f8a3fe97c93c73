"""map_sites: each stage in its own worker processes, at most its limit at once, a site stops at
its first failed stage, in-process with one job, in the order given."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from crosspost.pipeline.parallel import Stage, map_sites
from crosspost.pipeline.progress import Progress


def _note(folder: str, site: str, stage: str, seconds: float) -> None:
    started = time.time()
    time.sleep(seconds)
    Path(folder, f"{site}.{stage}").write_text(json.dumps([started, time.time()]))


def crawl(folder: str, site: str):
    _note(folder, site, "crawl", 0.3)
    return (False, 1, "no answer") if site == "bad" else (True, 2, None)


def extract(folder: str, site: str):
    _note(folder, site, "extract", 0.3)
    return True, 0, None


STAGES = [Stage(crawl, 3), Stage(extract, 1)]
SITES = ["a", "b", "bad", "c", "d"]


@pytest.mark.parametrize("jobs", [1, 3])
def test_stages_in_order_a_failed_site_stops_and_limits_hold(jobs, tmp_path):
    out = io.StringIO()
    progress = Progress(len(SITES), stream=out)
    outcome = map_sites(STAGES, SITES, {s: (str(tmp_path), s) for s in SITES}, jobs, progress)
    progress.close()
    assert outcome == {"a": True, "b": True, "bad": False, "c": True, "d": True}
    assert not (tmp_path / "bad.extract").exists()
    assert progress.pages == 9 and "1 of 5 sites failed: bad (no answer)" in out.getvalue()
    times = {p.name: json.loads(p.read_text()) for p in tmp_path.iterdir()}
    extracts = sorted(v for k, v in times.items() if k.endswith(".extract"))
    assert all(a[1] <= b[0] for a, b in zip(extracts, extracts[1:]))  # one extraction at a time
    crawls = sorted(v for k, v in times.items() if k.endswith(".crawl"))
    most = max(sum(c[0] < t < c[1] for c in crawls) for t in (c[0] + 0.01 for c in crawls))
    assert most == min(jobs, 3)
    starts = [line.split("(")[-1] for line in out.getvalue().splitlines() if line.endswith("started)")]
    assert starts == [f"{s} started)" for s in SITES]  # in the order given


class _CtrlCInDel:
    """An object whose ``__del__`` takes a Ctrl-C: Python drops the KeyboardInterrupt raised there."""

    def __del__(self):
        import os
        import signal

        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here, inside __del__


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_whose_exception_python_dropped_still_stops_the_pool():
    from crosspost.pipeline import parallel

    with parallel.signals_as_interrupts():
        _CtrlCInDel()  # made and dropped at once: its __del__ swallows the interrupt
        with pytest.raises(KeyboardInterrupt):
            parallel.raise_received()  # what the pool's loop calls after each wait
    parallel.raise_received()  # outside the pool: nothing recorded, nothing raised
