"""`crosspost run --jobs N`: sites in worker processes, same partitions, failures counted, progress
shown, bad values refused, and no process left behind when the run is stopped."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.crosspost.cli.test_cli import crosspost
from tests.demoweb import DEMO_DATE

DATE = DEMO_DATE.isoformat()
# Differ between two crawls of the same pages: when they were fetched.
RUN_FIELDS = {"fetched_at"}


def run(sites_file, store, *extra, check=True):
    return crosspost("run", "--sites", sites_file, "--store", store, "--date", DATE, *extra, check=check)


def committed_rows(store: str, table: str) -> list[dict]:
    """The rows of a committed partition, in a fixed order, without the fields of the fetch time."""
    from crosspost.lake.reader import read_table
    from crosspost.lake.store import open_store

    rows = read_table(open_store(store), table, DATE).to_pylist()
    return sorted(({k: v for k, v in r.items() if k not in RUN_FIELDS} for r in rows), key=lambda r: r["url"])


@pytest.fixture(scope="module")
def lakes(sites_file, tmp_path_factory):
    """The demo date crawled with --jobs 1 and with --jobs 2."""
    root = tmp_path_factory.mktemp("jobs")
    out = {}
    for jobs in ("1", "2"):
        store = str(root / f"lake{jobs}")
        out[jobs] = (store, run(sites_file, store, "--jobs", jobs))
    return out


def test_jobs_2_gives_the_partitions_of_jobs_1(lakes):
    (one, _), (two, _) = lakes["1"], lakes["2"]
    for table in ("articles", "crossposts"):
        rows = committed_rows(two, table)
        assert rows and rows == committed_rows(one, table), table


def test_progress_lines_on_stderr_when_not_a_terminal(lakes, demo_web):
    _, result = lakes["2"]
    lines = [line for line in result.stderr.splitlines() if line.startswith("sites ")]
    n = len(demo_web.urls)
    assert any(f"sites 0/{n} done, 2 running" in line for line in lines), lines
    assert lines[-1].startswith(f"sites {n}/{n} done, 0 running, 0 failed, ")
    pages = int(lines[-1].split(", ")[3].split()[0])
    assert pages > 50  # every site's fetched pages, counted as each site ends


def test_a_failing_site_is_counted_and_the_others_are_kept(lakes, sites_file, tmp_path):
    import shutil

    store = str(tmp_path / "lake")
    shutil.copytree(lakes["1"][0], store)
    for stage, name in (("raw", "crawl.warc.gz"), ("extracted", "records.jsonl.gz")):  # its archive is lost
        (Path(store) / stage / "site=worldreprint" / f"dt={DATE}" / name).unlink()
    refused = run(sites_file, store, "--reprocess", "--jobs", "2", check=False)
    assert refused.returncode == 2 and "worldreprint" in refused.stderr  # its committed rows are kept...
    assert "Traceback" not in refused.stderr
    assert committed_rows(store, "articles") == committed_rows(lakes["1"][0], "articles")
    result = run(sites_file, store, "--reprocess", "--jobs", "2", "--allow-shrink")  # ...unless asked
    assert "1 of 6 sites failed: worldreprint" in result.stderr
    assert "sites 6/6 done, 0 running, 1 failed, " in result.stderr
    rows = committed_rows(store, "articles")
    kept = {r["site"] for r in rows}
    assert "worldreprint" not in kept and len(kept) == 5
    before = committed_rows(lakes["1"][0], "articles")
    assert [r["url"] for r in rows] == [r["url"] for r in before if r["site"] != "worldreprint"]


@pytest.mark.parametrize("value", ["0", "-3", "abc"])
def test_bad_jobs_is_a_clear_error(value, tmp_path):
    result = crosspost("run", "--sites", "x.yaml", "--store", str(tmp_path), "--date", DATE, "--jobs", value,
                       check=False)
    assert result.returncode == 2
    assert "argument --jobs/-j: wants a whole number of worker processes >= 1, got" in result.stderr
    assert "Traceback" not in result.stderr


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def scrapy_running(pids: set[int]) -> bool:
    for pid in pids:
        try:
            if b"scrapy" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            pass
    return False


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c", "sigkill"])
def test_stopping_the_run_leaves_no_process_behind(how, sites_file, tmp_path):
    # Politeness slows the crawls down so that the run is stopped in the middle of them.
    slow = '{"AUTOTHROTTLE_ENABLED": false, "DOWNLOAD_DELAY": 0.5}'
    env = {**os.environ, "CROSSPOST_SCRAPY_SETTINGS": slow}
    proc = subprocess.Popen([sys.executable, "-m", "crosspost.cli", "run", "--sites", sites_file, "--store",
                             str(tmp_path / "lake"), "--date", DATE, "--jobs", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not scrapy_running(seen):
        seen |= descendants(proc.pid)
        time.sleep(0.2)
    seen |= descendants(proc.pid)
    assert scrapy_running(seen), "no crawl started"
    if how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the whole foreground group
    else:
        proc.kill()
    _, err = proc.communicate(timeout=60)
    expected = {"sigterm": 128 + signal.SIGTERM, "ctrl-c": 130, "sigkill": -signal.SIGKILL}[how]
    assert proc.returncode == expected, err[-2000:]
    if how != "sigkill":
        assert "crosspost: interrupted" in err and "Traceback" not in err
    deadline = time.monotonic() + 30
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(seen)


def slow_run(sites_file: str, store: str, *extra: str, delay: float = 0.5, **popen) -> subprocess.Popen:
    """`crosspost run --jobs 2` with a politeness delay that makes each crawl last seconds."""
    slow = json.dumps({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": delay, "RANDOMIZE_DOWNLOAD_DELAY": False})
    env = {**os.environ, "CROSSPOST_SCRAPY_SETTINGS": slow}
    popen.setdefault("stderr", subprocess.PIPE)
    popen.setdefault("stdout", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "crosspost.cli", "run", "--sites", sites_file, "--store", store,
                             "--date", DATE, "--jobs", "2", *extra], env=env,
                            text=True, start_new_session=True, **popen)


def workers_crawling(pid: int) -> list[int]:
    """The run's worker processes (its spawned children) that have a Scrapy child running."""
    out = []
    for child in descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            parent = int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"spawn_main" in cmdline and scrapy_running(descendants(child)):
            out.append(child)
    return out


def test_a_dead_worker_costs_only_its_site(sites_file, demo_web, tmp_path):
    store = str(tmp_path / "lake")
    proc = slow_run(sites_file, store, delay=0.3)
    deadline = time.monotonic() + 120
    while not (crawling := workers_crawling(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert crawling, "no worker crawled"
    seen = descendants(proc.pid)
    os.kill(crawling[0], signal.SIGKILL)  # out of memory, a stray kill: the worker dies mid-crawl
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    n = len(demo_web.urls)
    assert f"sites {n}/{n} done, 0 running, 1 failed, " in err
    failed = re.search(r"1 of \d+ sites failed: ([a-z0-9_-]+) \(its worker process died \(exit code -9\)\)", err)
    assert failed, err[-3000:]
    kept = {r["site"] for r in committed_rows(store, "articles")}
    assert kept == set(demo_web.urls) - {failed.group(1)}  # every other site ran, the replacement worker too
    # the lease the dead worker held was freed by the run (a nightly run need not wait for it to expire)
    assert not [p for p in (Path(store) / "state" / "leases").rglob("*") if p.is_file()]
    deadline = time.monotonic() + 30
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(seen)
    assert not list(Path(tempfile.gettempdir()).glob(f"crawl-*{crawling[0]}.*"))  # its temp folder was swept


def test_pages_fetched_show_while_the_crawls_run_on_a_terminal(sites_file, demo_web, tmp_path):
    import pty

    ours, theirs = pty.openpty()
    proc = slow_run(sites_file, str(tmp_path / "lake"), "--only", "northwire", "--only", "worldreprint",
                    delay=0.2, stderr=theirs, stdout=subprocess.DEVNULL)
    os.close(theirs)
    out = b""
    while True:
        try:
            chunk = os.read(ours, 65536)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        out += chunk
    os.close(ours)
    assert proc.wait(timeout=60) == 0, out.decode(errors="replace")[-3000:]
    redraws = out.decode(errors="replace").split("\r\x1b[K")
    early = [line for line in redraws if re.match(r"sites 0/2 done, 2 running, 0 failed, [1-9]\d* pages fetched", line)]
    assert early, redraws[:20]  # counted while both crawls still ran, not only when a site ended
    counts = [int(re.search(r"(\d+) pages fetched", line).group(1)) for line in redraws if "pages fetched" in line]
    assert counts == sorted(counts) and len(set(counts)) > 3  # a refreshing line that only goes up


def test_more_jobs_than_memory_holds_are_lowered_with_a_warning(tmp_path):
    from crosspost.pipeline.parallel import memory_bound_jobs

    result = crosspost("run", "--sites", str(tmp_path / "missing.yaml"), "--store", str(tmp_path / "lake"),
                       "--date", DATE, "--jobs", "1000000", check=False)
    assert f"--jobs 1000000 is more crawls than this machine's memory holds at once; using {memory_bound_jobs()}" \
        in result.stderr
    assert result.returncode == 2 and "missing.yaml" in result.stderr and "Traceback" not in result.stderr
