"""Faults a user meets through the console script, and what they see (docs/reliability.md): sites
down on a rerun, a crash inside a commit, damaged files, unusable stores, odd dates, bad paths.

Everything runs ``python -m crosspost.cli`` in a child process against the fixture web on
127.0.0.1 and a local folder or moto's S3 server over HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crosspost.lake import layout
from crosspost.lake.publish import CRASH_EXIT
from crosspost.lake.reader import read_date, read_manifest
from crosspost.lake.store import open_store
from tests.demoweb import DEMO_DATE

DATE = DEMO_DATE.isoformat()
SITES = ("northwire", "freepressmirror")  # the second copies the first: both tables have rows


def crosspost(*args: str, env: dict | None = None, prefix: tuple = (), timeout: int = 600,
              **kw) -> subprocess.CompletedProcess:
    """The console script as a user runs it (never raising: the test reads the exit code)."""
    return subprocess.run([*prefix, sys.executable, "-m", "crosspost.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, **kw)


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def write_sites(path: Path, urls: dict[str, str]) -> str:
    path.write_text(yaml.safe_dump({"sites": [{"name": n, "url": u} for n, u in urls.items()]}), encoding="utf-8")
    return str(path)


def rows(store: str, table: str = "articles", *extra: str) -> list[dict]:
    result = crosspost("read", "--store", store, "--table", table, "--date", DATE, *extra)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def objects(root: Path, *prefixes: str) -> dict[str, bytes]:
    """Every file under the prefixes of a local store, by key."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for prefix in prefixes
            for p in sorted((root / prefix).rglob("*")) if p.is_file()}


def committed(root: Path) -> dict[str, bytes]:
    """What readers and a rerun depend on: archives, manifests, parts, commit records (not the
    arrival notes, which record each attempt)."""
    return {k: v for k, v in objects(root, "raw", "articles", "crossposts", "commits").items()
            if not k.endswith("arrival.json")}


@pytest.fixture(scope="module")
def live_sites(demo_web, tmp_path_factory) -> str:
    return write_sites(tmp_path_factory.mktemp("live") / "sites.yaml", {s: demo_web.urls[s] for s in SITES})


@pytest.fixture(scope="module")
def lake_template(live_sites, tmp_path_factory) -> Path:
    """The demo date committed once by `crosspost run` for two sites."""
    root = tmp_path_factory.mktemp("template") / "lake"
    result = crosspost("run", "--sites", live_sites, "--store", str(root), "--date", DATE)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def lake(lake_template, tmp_path) -> Path:
    """A private copy of the committed lake."""
    root = tmp_path / "lake"
    shutil.copytree(lake_template, root)
    return root


# -- 1. a rerun while sites are down ------------------------------------------------------------

def test_rerun_with_every_site_down_keeps_the_committed_date(lake, tmp_path):
    before, count = committed(lake), len(rows(str(lake)))
    down = write_sites(tmp_path / "down.yaml", {s: dead_url() for s in SITES})
    result = crosspost("run", "--sites", down, "--store", str(lake), "--date", DATE)
    assert result.returncode == 2, result.stderr
    assert "no site arrived for 2026-11-20: freepressmirror, northwire all missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert committed(lake) == before  # archives, parts, manifests: byte for byte
    assert len(rows(str(lake))) == count
    arrival = json.loads((lake / layout.arrival_key("northwire", DATE)).read_text())
    assert arrival["arrived"] is False and arrival["source"] == "crawl"


def test_rerun_with_one_site_down_refuses_to_shrink_unless_asked(lake, tmp_path, demo_web):
    before, everything = committed(lake), rows(str(lake))
    lost = sum(r["site"] == "freepressmirror" for r in everything)
    half = write_sites(tmp_path / "half.yaml", {"northwire": demo_web.urls["northwire"], "freepressmirror": dead_url()})
    result = crosspost("run", "--sites", half, "--store", str(lake), "--date", DATE)
    assert result.returncode == 2 and f"freepressmirror ({lost} rows) did not arrive" in result.stderr
    assert "--allow-shrink" in result.stderr
    live = "raw/site=northwire/"  # crawled again, and archived anew: the live site did answer
    assert {k: v for k, v in committed(lake).items() if not k.startswith(live)} == \
        {k: v for k, v in before.items() if not k.startswith(live)}

    result = crosspost("run", "--sites", half, "--store", str(lake), "--date", DATE, "--allow-shrink")
    assert result.returncode == 0, result.stderr
    manifest = read_manifest(open_store(str(lake)), "articles", DATE)
    assert manifest["sites"] == {"freepressmirror": "missing", "northwire": "complete"}
    assert {r["site"] for r in rows(str(lake))} == {"northwire"}  # its stale records are not used
    warc = layout.raw_warc_key("freepressmirror", DATE)
    assert (lake / warc).read_bytes() == before[warc]  # the archive with pages is kept

    # Reprocessing from the kept archive (no network) brings the site back whole.
    result = crosspost("run", "--sites", half, "--store", str(lake), "--date", DATE, "--reprocess")
    assert result.returncode == 0, result.stderr
    assert sorted(r["url"] for r in rows(str(lake))) == sorted(r["url"] for r in everything)
    assert read_manifest(open_store(str(lake)), "articles", DATE)["sites"]["freepressmirror"] == "complete"


def test_crawl_stage_alone_on_a_down_site_keeps_its_archive(lake, tmp_path):
    down = write_sites(tmp_path / "down.yaml", {s: dead_url() for s in SITES})
    warc = lake / layout.raw_warc_key("northwire", DATE)
    before = warc.read_bytes()
    result = crosspost("crawl", "--sites", down, "--store", str(lake), "--date", DATE, "--site", "northwire")
    assert result.returncode == 2 and "crosspost: error: northwire did not answer on 2026-11-20" in result.stderr
    assert warc.read_bytes() == before


# -- 2. a date is published whole ---------------------------------------------------------------

@pytest.mark.parametrize("step", ["read", "list", "commit", "success"])
def test_publish_killed_at_any_step_leaves_both_tables_from_one_run(lake, live_sites, step):
    result = crosspost("publish", "--sites", live_sites, "--store", str(lake), "--date", DATE, "--run-id", "second",
                       env={"CROSSPOST_TEST_CRASH_AFTER": step})
    assert result.returncode == CRASH_EXIT, result.stderr
    store = open_store(str(lake))
    run_ids = {read_manifest(store, t, DATE)["run_id"] for t in layout.TABLES}
    assert run_ids == ({"second"} if step in ("commit", "success") else {"cli"})
    tables = read_date(store, DATE)
    assert tables["articles"].num_rows and tables["crossposts"].num_rows
    clustered = {c for c, n in zip(tables["articles"]["cluster_id"].to_pylist(),
                                   tables["articles"]["cluster_size"].to_pylist()) if n and n > 1}
    assert clustered == set(tables["crossposts"]["cluster_id"].to_pylist())
    markers = {json.loads((lake / layout.manifest_key(t, DATE)).read_text())["run_id"] for t in layout.TABLES}
    assert len(markers) == 1  # the _SUCCESS copies agree with each other too


# -- 3. damaged files ---------------------------------------------------------------------------

def _part(root: Path) -> Path:
    return sorted((root / layout.table_prefix("articles", DATE)).glob("*.parquet"))[0]


def test_a_flipped_bit_is_refused_and_no_verify_is_the_opt_out(lake):
    part = _part(lake)
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0x10  # inside the column data: the file still parses
    part.write_bytes(bytes(data))
    result = crosspost("read", "--store", str(lake), "--date", DATE)
    assert result.returncode == 2 and result.stdout == ""
    assert "does not match the SHA-256 its manifest records" in result.stderr and part.name in result.stderr
    part.write_bytes(os.urandom(len(data)))  # same size, garbage
    result = crosspost("read", "--store", str(lake), "--date", DATE, "--no-verify")
    assert result.returncode == 2 and "is not a readable Parquet file" in result.stderr
    assert "Traceback" not in result.stderr
    part.write_bytes(bytes(data[: len(data) // 2]))  # truncated
    result = crosspost("read", "--store", str(lake), "--date", DATE)
    assert result.returncode == 2 and "truncated" in result.stderr


@pytest.mark.s3
def test_a_flipped_bit_on_s3_is_refused(s3_store_url, rows_v1_on):
    store = rows_v1_on(s3_store_url)
    [key] = [k for k in store.list("articles/") if k.endswith(".parquet")]
    data = bytearray(store.get_bytes(key))
    data[len(data) // 2] ^= 0x01
    store.put_bytes(key, bytes(data))
    result = crosspost("read", "--store", s3_store_url, "--date", DATE)
    assert result.returncode == 2 and "does not match the SHA-256" in result.stderr


@pytest.fixture
def rows_v1_on():
    def commit(url: str):
        from crosspost.lake.publish import write_partition

        store = open_store(url)
        rows = [{"url": f"http://a.test/{n}", "site": "a", "status": "ok", "text": f"body {n} " * 200}
                for n in range(5)]
        write_partition(store, "articles", DATE, rows, run_id="v1")
        return store

    return commit


@pytest.mark.parametrize("damage, message", [
    ({"files": [{}]}, "file entry 0 has no usable path"),
    ({"files": ["str"]}, "file entry 0 is str, not an object"),
    ({"files": [{"path": None, "size": 1}]}, "file entry 0 has no usable path (None)"),
    ({"files": [{"path": "../../../etc/passwd", "size": 1}]}, "has no usable path"),
    ("not json", "is not valid JSON"),
    ([1, 2], "has no table list"),
])
def test_damaged_manifests_are_clear_errors_and_publish_replaces_them(lake, live_sites, damage, message):
    record = lake / layout.commit_key(DATE)
    if isinstance(damage, dict):
        good = json.loads(record.read_text())
        good["tables"]["articles"] = {**good["tables"]["articles"], **damage}
        record.write_text(json.dumps(good))
    else:
        record.write_text(damage if isinstance(damage, str) else json.dumps(damage))
    result = crosspost("read", "--store", str(lake), "--date", DATE)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    result = crosspost("publish", "--sites", live_sites, "--store", str(lake), "--date", DATE)
    assert result.returncode == 0, result.stderr
    assert rows(str(lake)) and rows(str(lake), "crossposts")


def test_a_damaged_history_segment_stops_the_next_night_until_its_date_is_rerun(lake, live_sites):
    """The next night matches against every earlier signature segment: one it cannot read stops
    dedupe with its name and the way out (nothing of the night is committed), never a traceback
    and never a match against part of the history."""
    key = layout.signature_index_key(DATE)  # the sketches: tests/crosspost/dedupe/test_signature_index.py
    (lake / key).write_bytes(b"PAR1 cut short")
    night = (DEMO_DATE + dt.timedelta(days=1)).isoformat()
    result = crosspost("run", "--sites", live_sites, "--store", str(lake), "--date", night)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"{key} cannot be read" in result.stderr and "rerun the date it belongs to" in result.stderr
    assert not (lake / layout.commit_key(night)).exists()
    fixed = crosspost("run", "--sites", live_sites, "--store", str(lake), "--date", DATE, "--reprocess")
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    again = crosspost("run", "--sites", live_sites, "--store", str(lake), "--date", night)
    assert again.returncode == 0, again.stderr[-3000:]


# -- clear errors: stores ----------------------------------------------------------------------

def test_store_urls(tmp_path, live_sites):
    result = crosspost("read", "--store", "file://lake", "--date", DATE, cwd=tmp_path)
    assert result.returncode == 2 and "needs three slashes" in result.stderr
    result = crosspost("run", "--sites", live_sites, "--store", "", "--date", DATE, cwd=tmp_path)
    assert result.returncode == 2 and "the store URL is empty" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder
    result = crosspost("publish", "--sites", live_sites, "--store", f"file://{tmp_path}/a%20b", "--date", DATE)
    assert result.returncode == 2 and "no site arrived" in result.stderr
    assert (tmp_path / "a b").is_dir() and not (tmp_path / "a%20b").exists()  # the URL is decoded


def test_read_only_store_fails_before_the_crawl(tmp_path, live_sites, demo_web):
    store = tmp_path / "lake"
    store.mkdir()
    store.chmod(0o555)
    # root writes anywhere: the child runs without the capability that lets it
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all") \
        if os.geteuid() == 0 else ()
    requests = len(demo_web.request_log)
    result = crosspost("run", "--sites", live_sites, "--store", str(store), "--date", DATE, prefix=prefix)
    assert result.returncode == 2, result.stderr
    assert f"crosspost: error: cannot write to local store {store}: Permission denied" in result.stderr
    assert len(demo_web.request_log) == requests  # found out before any crawl


def test_table_folder_symlinked_out_of_the_store(lake, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(lake / "articles", elsewhere)
    (lake / "articles").symlink_to(elsewhere)
    result = crosspost("read", "--store", str(lake), "--date", DATE)
    assert result.returncode == 2
    assert f"{lake / 'articles'} is a symlink to {elsewhere}, outside the store" in result.stderr


def test_disk_full_during_publish_is_a_clear_error_and_keeps_the_date(lake, live_sites):
    before = committed(lake)
    result = crosspost("publish", "--sites", live_sites, "--store", str(lake), "--date", DATE, "--run-id", "full",
                       preexec_fn=_small_files)
    assert result.returncode == 2, result.stderr
    assert "File too large" in result.stderr and "nothing was committed" in result.stderr
    assert "Traceback" not in result.stderr
    assert committed(lake) == before
    assert not list((lake / ".tmp").iterdir())  # no half-written temp file left behind


def _small_files():
    # A file-size limit makes writes fail the way a full disk does (Python ignores SIGXFSZ).
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


# -- clear errors: dates and paths ---------------------------------------------------------------

def test_every_command_normalises_dates(lake, tmp_path):
    assert rows(str(lake))  # committed as 2026-11-20
    result = crosspost("read", "--store", str(lake), "--date", "20261120")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == len(rows(str(lake)))
    result = crosspost("crawl", "--sites", "nowhere.yaml", "--store", str(lake), "--date", "2026-13-01",
                       "--site", "northwire")
    assert result.returncode == 2 and "not a date (want YYYY-MM-DD): '2026-13-01'" in result.stderr


def test_read_ranges(lake):
    store = str(lake)
    result = crosspost("read", "--store", store, "--from", "2026-11-21", "--to", "2026-11-20")
    assert result.returncode == 2 and "--from 2026-11-21 is later than --to 2026-11-20" in result.stderr
    result = crosspost("read", "--store", store, "--date", DATE, "--from", "2026-11-01")
    assert result.returncode == 2 and "either --date or --from/--to, not both" in result.stderr
    result = crosspost("read", "--store", store, "--to", DATE)
    assert result.returncode == 2 and "--to needs --from" in result.stderr
    # Centuries: the partitions are listed, not looked up one day at a time (this took minutes).
    result = crosspost("read", "--store", store, "--from", "0001-01-01", "--to", "9999-12-31", timeout=60)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == len(rows(store))


def test_read_output_into_a_missing_folder(lake, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "out.csv"
    for fmt in ("csv", "parquet"):
        result = crosspost("read", "--store", str(lake), "--date", DATE, "--format", fmt, "-o", str(target))
        assert result.returncode == 2 and f"cannot write {target}: the folder {target.parent} does not exist" \
            in result.stderr
