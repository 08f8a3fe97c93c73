"""`crosspost run` and `crosspost crawl` hold the site's crawl lease, as the Airflow crawl task
does: a busy site is waited for with a message, then fails alone with its reason (counted in
the run report), and the lease is released on every way out (real CLI, fixture web, stores)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosspost.lake.layout import lease_key, run_report_key
from crosspost.lake.lease import acquire, release
from crosspost.lake.store import open_store
from tests.crosspost.cli.test_cli import crosspost
from tests.demoweb import DEMO_DATE

DATE = DEMO_DATE.isoformat()
NIGHTLY = "airflow crosspost_nightly run 2026-11-20 crawl[northwire]"


def hold(store_url: str, site: str = "northwire"):
    """Another run (the nightly DAG) holds the site's lease for an hour."""
    return acquire(open_store(store_url), site, NIGHTLY, now=time.time(), ttl_s=3600)


def holder(store_url: str, site: str = "northwire") -> str | None:
    store = open_store(store_url)
    return json.loads(store.get_bytes(lease_key(site)))["holder"] if store.exists(lease_key(site)) else None


def test_run_waits_for_a_busy_site_then_fails_it_alone(sites_file, local_store_url):
    hold(local_store_url)
    result = crosspost("run", "--sites", sites_file, "--store", local_store_url, "--date", DATE, "--jobs", "2",
                       "--only", "northwire", "--only", "worldreprint", "--lease-wait", "2")
    assert f"crosspost: northwire is being crawled by {NIGHTLY}" in result.stderr
    assert "waiting up to 2 s for it (--lease-wait)" in result.stderr
    assert "1 of 2 sites failed: northwire (northwire is being crawled by" in result.stderr
    assert "still after waiting 2 s" in result.stderr and "Traceback" not in result.stderr
    report = json.loads(open_store(local_store_url).get_bytes(run_report_key(DATE)))
    assert report["sites"]["northwire"]["status"] == "missing"
    assert "still after waiting 2 s" in report["sites"]["northwire"]["failed_stage"]["reason"]
    assert report["sites"]["worldreprint"]["status"] == "complete"
    assert any(w.startswith("northwire: crawl failed: northwire is being crawled") for w in report["warnings"])
    assert "WARNING northwire: crawl failed" in result.stdout
    assert holder(local_store_url) == NIGHTLY  # the other run's lease is left alone...
    assert holder(local_store_url, "worldreprint") is None  # ...and ours is given back


def test_crawl_waits_while_another_run_crawls_then_crawls(sites_file, s3_store_url):
    lease = hold(s3_store_url)
    proc = subprocess.Popen([sys.executable, "-m", "crosspost.cli", "crawl", "--sites", sites_file, "--store",
                             s3_store_url, "--date", DATE, "--site", "northwire", "--lease-wait", "120"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()
    assert "northwire is being crawled by" in first and "waiting up to 120 s" in first, first
    release(open_store(s3_store_url), lease)  # the nightly crawl ends
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    assert out.strip().endswith(f"raw/site=northwire/dt={DATE}/crawl.warc.gz")
    assert holder(s3_store_url) is None


def test_crawl_of_a_busy_site_is_a_clear_error(sites_file, local_store_url):
    hold(local_store_url)
    result = crosspost("crawl", "--sites", sites_file, "--store", local_store_url, "--date", DATE,
                       "--site", "northwire", "--lease-wait", "0", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"crosspost: error: northwire is being crawled by {NIGHTLY}, still after waiting 0 s" in result.stderr
    assert holder(local_store_url) == NIGHTLY


def test_a_stopped_crawl_gives_its_lease_back(sites_file, local_store_url):
    slow = json.dumps({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0.5})
    proc = subprocess.Popen([sys.executable, "-m", "crosspost.cli", "crawl", "--sites", sites_file, "--store",
                             local_store_url, "--date", DATE, "--site", "northwire"],
                            env={**os.environ, "CROSSPOST_SCRAPY_SETTINGS": slow},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while holder(local_store_url) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert holder(local_store_url, "northwire").startswith("crosspost crawl on ")
    time.sleep(1)  # in the middle of the crawl
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err[-2000:]
    assert holder(local_store_url) is None
    assert not (Path(local_store_url) / "raw" / "site=northwire").exists()


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_bad_lease_wait_is_a_clear_error(value, tmp_path):
    result = crosspost("crawl", "--sites", "x.yaml", "--store", str(tmp_path), "--date", DATE, "--site", "a",
                       "--lease-wait", value, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "argument --lease-wait: wants a number of seconds >= 0, got" in result.stderr


def test_a_damaged_lease_does_not_block_the_crawl(sites_file, local_store_url):
    """A lease object cut short (a full disk, a hand edit) counts as expired: the crawl replaces
    it, says so, crawls, and gives its own lease back."""
    open_store(local_store_url).put_bytes(lease_key("northwire"), b'{"holder": "airflow crosspost_ni')
    result = crosspost("crawl", "--sites", sites_file, "--store", local_store_url, "--date", DATE,
                       "--site", "northwire", "--lease-wait", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the crawl lease of northwire is damaged" in result.stderr and "Traceback" not in result.stderr
    assert holder(local_store_url) is None
