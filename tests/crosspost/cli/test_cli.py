"""The console script, end to end: `run` on the fixture web, then `read` and `extract`."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest

from tests.demoweb import DEMO_DATE

ARTICLE_FIELDS = {"url", "site", "title", "authors", "published_at", "text", "language", "canonical_url",
                  "cluster_id", "original_url", "is_original"}
CROSSPOST_FIELDS = {"cluster_id", "url", "original_url", "similarity"}


def crosspost(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the console script as a user would."""
    return subprocess.run([sys.executable, "-m", "crosspost.cli.main", *args], capture_output=True, text=True,
                          check=check, timeout=600)


def read_rows(store: str, table: str) -> list[dict]:
    out = crosspost("read", "--store", store, "--table", table, "--date", DEMO_DATE.isoformat()).stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def demo_lake(sites_file, tmp_path_factory) -> str:
    """One `crosspost run` of the demo date into a local store."""
    store = str(tmp_path_factory.mktemp("cli") / "lake")
    result = crosspost("run", "--sites", sites_file, "--store", store, "--date", DEMO_DATE.isoformat())
    assert "cross-post clusters" in result.stdout
    return store


def test_run_then_read_articles(demo_lake, demo_web):
    rows = read_rows(demo_lake, "articles")
    assert rows and ARTICLE_FIELDS <= set(rows[0])
    assert {r["site"] for r in rows} == set(demo_web.urls)
    ok = [r for r in rows if r["status"] == "ok"]
    assert all(r["text"] and r["cluster_id"] and r["original_url"] for r in ok)
    alone = [r for r in ok if r["cluster_size"] == 1]
    assert all(r["original_url"] == r["url"] and r["is_original"] for r in alone)


def test_run_then_read_crossposts(demo_lake):
    rows = read_rows(demo_lake, "crossposts")
    assert rows and CROSSPOST_FIELDS <= set(rows[0])
    clusters = {}
    for row in rows:
        clusters.setdefault(row["cluster_id"], []).append(row)
    for members in clusters.values():
        assert len({m["original_url"] for m in members}) == 1
        assert sum(m["is_original"] for m in members) <= 1


def test_run_writes_the_clusters_table_and_each_copys_changes(demo_lake):
    clusters = {r["cluster_id"]: r for r in read_rows(demo_lake, "clusters")}
    copies = [r for r in read_rows(demo_lake, "crossposts") if not r["is_original"]]
    assert copies and all(clusters[r["cluster_id"]]["original_url"] == r["original_url"] for r in copies)
    assert all(0 < r["kept_share"] <= 1 and 0 <= r["added_share"] < 1 and r["spans"] for r in copies)
    assert {r["relation"] for r in copies} >= {"excerpt", "exact", "truncated"}
    assert {"credited_url", "credited_name"} <= {c["original_evidence"] for c in clusters.values()}
    assert any(c["origin_evidence"] == "credited_url" and "eastwire" in c["origin_url"] for c in clusters.values())
    current = crosspost("read", "--store", demo_lake, "--table", "clusters", "--date", DEMO_DATE.isoformat(),
                        "--originals-only").stdout
    assert len(current.splitlines()) == len(clusters)


def test_read_formats_and_originals_only(demo_lake, tmp_path):
    everything = read_rows(demo_lake, "articles")
    once = crosspost("read", "--store", demo_lake, "--date", DEMO_DATE.isoformat(), "--originals-only").stdout
    assert 0 < len(once.splitlines()) < len(everything)
    csv_out = crosspost("read", "--store", demo_lake, "--date", DEMO_DATE.isoformat(), "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("url,")
    target = tmp_path / "a.parquet"
    crosspost("read", "--store", demo_lake, "--date", DEMO_DATE.isoformat(), "--format", "parquet", "-o", str(target))
    import pyarrow.parquet as pq

    assert pq.read_table(target).num_rows == len(everything)


def test_read_missing_partition_is_a_clear_error(demo_lake):
    result = crosspost("read", "--store", demo_lake, "--date", "1999-01-01", check=False)
    assert result.returncode == 2 and "no committed data" in result.stderr


def test_extract_one_page(demo_web, tmp_path):
    from tests.demoweb import planted_truth

    article = next(a for a in planted_truth(demo_web)["articles"] if a["relation"] == "original")
    page = tmp_path / "page.html"
    page.write_bytes(urllib.request.urlopen(article["url"]).read())
    out = json.loads(crosspost("extract", "--url", article["url"], str(page)).stdout)
    assert {"url", "title", "authors", "published_at", "text", "language", "status"} <= set(out)
    assert out["status"] == "ok" and out["title"] == article["title"]


def test_bad_sites_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "sites.yaml"
    bad.write_text("sites:\n  - name: x\n    url: http://127.0.0.1:9/\n    colour: blue\n")
    result = crosspost("run", "--sites", str(bad), "--store", str(tmp_path / "lake"), "--date", "2026-11-20",
                       check=False)
    assert result.returncode == 2 and "colour" in result.stderr and "'x'" in result.stderr


@pytest.mark.parametrize("args, message", [
    (("extract", "--url", "http://x.test/a", "/no/such/page.html"), "cannot read /no/such/page.html: No such file"),
    (("extract", "--url", "http://x.test/a", "/"), "cannot read /: Is a directory"),
    (("extract-warc", "--store", "lake", "--date", "2026-11-20", "--site", "../../x"), "invalid site name '../../x'"),
    (("crawl", "--sites", "s.yaml", "--store", "lake", "--date", "2026-11-20", "--site", "A/B"),
     "invalid site name 'A/B'"),
    (("run", "--sites", "s.yaml", "--store", "lake", "--date", "2026-11-20", "--only", ".."), "invalid site name '..'"),
])
def test_user_mistakes_are_one_line_errors(tmp_path, args, message):
    result = subprocess.run([sys.executable, "-m", "crosspost.cli", *args], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"crosspost: error: {message}")
    assert not (tmp_path / "lake").exists() and not (tmp_path.parent / "x").exists()


def test_serve_demo_on_a_port_in_use_is_a_clear_error():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tests.demoweb", "--base-port", str(port)],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"error: cannot serve the demo sites on 127.0.0.1 from port {port}: Address already in use" in result.stderr
