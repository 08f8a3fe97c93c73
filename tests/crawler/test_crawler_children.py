"""Killing `crosspost run` mid-crawl leaves no Scrapy process and no temporary folder behind.

The real CLI crawls a local site that answers very slowly, so the Scrapy child is certainly
running when the parent is signalled. SIGTERM (what `timeout` and `kill` send) is cleaned up
at once; SIGKILL cannot be caught, so the kernel kills the child (PR_SET_PDEATHSIG) and the
next run removes the dead run's folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from crawltest_helpers import html_page

DATE = "2026-11-20"
GUARD = 120  # seconds: generous bounds that only a hang exceeds


def children_of(pid: int) -> list[int]:
    """Live (non-zombie) processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper (a container's PID 1 may never reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, what: str):
    deadline = time.monotonic() + GUARD
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def slow(_count):
    time.sleep(60)
    return 200, {}, html_page("late")


@pytest.fixture
def slow_site(local_site, tmp_path):
    """A site whose every page takes a minute, its sites file, and a private temp folder."""
    for path in ("/robots.txt", "/", "/sitemap.xml"):
        local_site.routes[path] = slow
    sites = tmp_path / "sites.yaml"
    sites.write_text(yaml.safe_dump({"sites": [{"name": "slow", "url": local_site.url, "download_timeout": 90}]}))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return local_site, sites, tmp


def start_run(sites: Path, store: Path, tmp: Path) -> tuple[subprocess.Popen, int]:
    """`crosspost run` in the background, once its Scrapy child is running: (process, child pid)."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "crosspost.cli", "run", "--sites", str(sites),
                             "--store", str(store), "--date", DATE], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    child = wait_for(lambda: children_of(proc.pid), "the Scrapy child")[0]
    return proc, child


def test_sigterm_kills_the_crawl_and_removes_its_folder(slow_site, tmp_path):
    site, sites, tmp = slow_site
    proc, child = start_run(sites, tmp_path / "lake", tmp)
    wait_for(lambda: site.hits, "the crawl's first request")
    assert [p.name for p in tmp.iterdir() if p.name.startswith("crawl-slow-")]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=GUARD) == 128 + signal.SIGTERM
    wait_for(lambda: not alive(child), "the Scrapy child to die")
    assert list(tmp.iterdir()) == []


def test_sigkill_of_the_parent_kills_the_crawl_and_the_next_run_sweeps_its_folder(slow_site, tmp_path):
    site, sites, tmp = slow_site
    proc, child = start_run(sites, tmp_path / "lake", tmp)
    wait_for(lambda: site.hits, "the crawl's first request")
    proc.kill()
    proc.wait(timeout=GUARD)
    wait_for(lambda: not alive(child), "the orphaned Scrapy child to die")
    [left] = [p for p in tmp.iterdir() if p.name.startswith("crawl-slow-")]  # SIGKILL: no cleanup possible
    site.routes.clear()  # the site answers at once now (404 everywhere): the next run is quick
    env = {**os.environ, "TMPDIR": str(tmp)}
    subprocess.run([sys.executable, "-m", "crosspost.cli", "crawl", "--sites", str(sites), "--store",
                    str(tmp_path / "lake"), "--date", DATE, "--site", "slow"], env=env, capture_output=True,
                   timeout=GUARD)
    assert not left.exists() and list(tmp.iterdir()) == []
