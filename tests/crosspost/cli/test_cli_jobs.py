"""`crosspost run --jobs N`: sites in worker processes, same partitions, failures counted, progress
shown, bad values refused, and no process left behind when the run is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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
