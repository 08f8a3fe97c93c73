"""Reading committed data: the library reader, `crosspost read`, and DuckDB / pyarrow reading
the same partitions (local folder and moto's S3 over HTTP)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from crosspost.cli.export import write_rows
from crosspost.exceptions import ManifestError, PartitionNotCommitted
from crosspost.lake import layout
from crosspost.lake.publish import write_partition
from crosspost.lake.reader import committed_files, read_partition, read_table
from crosspost.lake.store import open_store

DATE, NEXT = "2026-11-20", "2026-11-21"
PREFIX = layout.table_prefix("articles", DATE)
DOCS = Path(__file__).resolve().parents[3] / "docs" / "schema.md"


def crosspost(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosspost.cli.main", *args], capture_output=True, text=True,
                          timeout=120)


def test_reads_only_what_the_manifest_lists(store, rows):
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    buf = io.BytesIO()  # an uncommitted part of a run in progress, in the same folder
    pq.write_table(pa.table({"url": ["http://stray.test/"]}), buf)
    store.put_bytes(PREFIX + "part-0000000000000000-0.parquet", buf.getvalue())
    table = read_partition(store, "articles", DATE)
    assert table.num_rows == 4 and "http://stray.test/" not in table["url"].to_pylist()
    assert table["dt"].to_pylist() == [dt.date(2026, 11, 20)] * 4
    assert len(committed_files(store, "articles", DATE)) == 1


def test_partition_without_commit_is_invisible(store, rows):
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    write_partition(store, "articles", NEXT, rows("v2"), run_id="v2")
    store.delete([layout.manifest_key("articles", DATE)])  # the record commits, the marker is a copy
    assert read_table(store, "articles", DATE).num_rows == 4
    store.delete([layout.commit_key(DATE)])
    with pytest.raises(PartitionNotCommitted, match="no committed data"):
        read_table(store, "articles", DATE)
    assert set(read_table(store, "articles", DATE, NEXT)["dt"].to_pylist()) == {dt.date(2026, 11, 21)}
    assert committed_files(store, "articles", DATE, NEXT) == committed_files(store, "articles", NEXT)


def test_manifest_listing_a_missing_file_is_a_clear_error(store, rows):
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    [part] = [k for k in store.list(PREFIX) if k.endswith(".parquet")]
    store.delete([part])
    with pytest.raises(ManifestError, match=rf"commit.json lists {part.rsplit('/', 1)[1]}, which is missing"):
        read_table(store, "articles", DATE)


def test_file_changed_behind_the_manifest_is_a_clear_error(local_store_url, rows):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    [part] = [k for k in store.list(PREFIX) if k.endswith(".parquet")]
    store.put_bytes(part, store.get_bytes(part) + b"junk")
    with pytest.raises(ManifestError, match="changed outside crosspost"):
        read_table(store, "articles", DATE)


def test_cli_reports_a_missing_file_and_a_missing_bucket(local_store_url, rows, moto_endpoint):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    store.delete([k for k in store.list(PREFIX) if k.endswith(".parquet")])
    result = crosspost("read", "--store", local_store_url, "--date", DATE)
    assert result.returncode == 2 and "which is missing" in result.stderr
    result = crosspost("read", "--store", "s3://no-such-bucket/lake", "--date", DATE)
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_date_ranges(store, rows):
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    write_partition(store, "articles", "2026-11-22", rows("v2", 2), run_id="v2")
    table = read_table(store, "articles", DATE, "2026-11-22")
    assert table.num_rows == 6
    assert sorted(set(table["dt"].to_pylist())) == [dt.date(2026, 11, 20), dt.date(2026, 11, 22)]
    assert read_table(store, "articles", "2026-10-01", "2026-10-05").num_rows == 0


def test_originals_only_each_article_once_with_its_copies(store, rows):
    write_partition(store, "articles", DATE, rows("v1", 5), run_id="v1")
    table = read_table(store, "articles", DATE, originals_only=True)
    got = {r["url"]: r["reappeared_at"] for r in table.select(["url", "reappeared_at"]).to_pylist()}
    assert got == {"http://site0.test/news/0": ["http://site0.test/news/2", "http://site1.test/news/1"],
                   "http://site1.test/news/3": [], "http://site0.test/news/4": []}


def test_readers_during_rewrites_always_see_one_whole_version(store, rows):
    """A writer replaces the partition again and again; every read is one whole version."""
    versions = {"v1": rows("v1", 4), "v2": rows("v2", 3)}
    write_partition(store, "articles", DATE, versions["v1"], run_id="v1")
    done, seen = threading.Event(), []

    def rewrite():
        for i in range(8):
            write_partition(store, "articles", DATE, versions[f"v{i % 2 + 1}"], run_id=str(i))
        done.set()

    writer = threading.Thread(target=rewrite)
    writer.start()
    while not done.is_set():
        table = read_partition(store, "articles", DATE)
        seen.append((frozenset(t.split()[0] for t in table["title"].to_pylist()), table.num_rows))
    writer.join()
    assert seen and set(seen) <= {(frozenset({"v1"}), 4), (frozenset({"v2"}), 3)}


def test_output_formats(local_store_url, rows, tmp_path):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    table = read_table(store, "articles", DATE)
    write_rows(table, "jsonl", str(tmp_path / "a.jsonl"))
    first = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert first["published_at"] == "2026-11-20T00:00:00Z" and first["dt"] == DATE
    assert first["fetched_at"] == "2026-11-20T10:00:00.123456Z" and first["authors"] == ["A. Writer", "B. Editor"]
    write_rows(table, "csv", str(tmp_path / "a.csv"))
    lines = (tmp_path / "a.csv").read_text().splitlines()
    assert lines[0].startswith("url,site,") and '"[""A. Writer"", ""B. Editor""]"' in lines[1]
    write_rows(table, "parquet", str(tmp_path / "a.parquet"))
    assert pq.read_table(tmp_path / "a.parquet").equals(table)


def test_cli_read_range_originals_and_formats(local_store_url, rows, tmp_path):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1", 5), run_id="v1")
    late = {**rows("v2", 2)[1], "url": "http://site2.test/late", "site": "site2"}  # a copy of c1 a night later
    write_partition(store, "articles", NEXT, [late], run_id="v2")
    out = crosspost("read", "--store", local_store_url, "--from", DATE, "--to", NEXT, "--originals-only")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["dt"], r["url"], r["reappeared_at"]) for r in lines] == [
        (DATE, "http://site0.test/news/0", ["http://site0.test/news/2", "http://site1.test/news/1",
                                             "http://site2.test/late"]),
        (DATE, "http://site0.test/news/4", []), (DATE, "http://site1.test/news/3", [])]
    target = tmp_path / "out.parquet"
    crosspost("read", "--store", local_store_url, "--from", DATE, "--to", NEXT, "--format", "parquet",
              "-o", str(target))
    assert pq.read_table(target).num_rows == 6


def test_duckdb_and_pyarrow_read_a_local_lake(local_store_url, rows):
    store = open_store(local_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    write_partition(store, "articles", NEXT, rows("v2", 2), run_id="v2")
    glob = f"{local_store_url}/articles/*/*.parquet"
    got = duckdb.sql(f"SELECT dt, count(*) FROM read_parquet('{glob}', hive_partitioning=true) GROUP BY dt ORDER BY dt")
    assert got.fetchall() == [(dt.date(2026, 11, 20), 4), (dt.date(2026, 11, 21), 2)]
    files = committed_files(store, "articles", DATE, NEXT)
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r}, hive_partitioning=true)").fetchall() == [(6,)]
    dataset = ds.dataset(f"{local_store_url}/articles", format="parquet", partitioning="hive")
    table = dataset.to_table(filter=ds.field("dt") == DATE)
    assert table.num_rows == 4 and table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")


def test_pyarrow_and_duckdb_read_s3_over_http(s3_store_url, s3_bucket, moto_endpoint, rows):
    from pyarrow.fs import S3FileSystem

    store = open_store(s3_store_url)
    write_partition(store, "articles", DATE, rows("v1"), run_id="v1")
    fs = S3FileSystem(endpoint_override=moto_endpoint, scheme="http", access_key="testing", secret_key="testing",
                      region="us-east-1")
    articles = ds.dataset(f"{s3_bucket}/lake/articles", filesystem=fs, format="parquet", partitioning="hive")  # noqa: F841 (DuckDB scans it by name)
    assert duckdb.sql("SELECT count(*), min(dt) FROM articles").fetchall() == [(4, DATE)]
    files = [u.removeprefix("s3://") for u in committed_files(store, "articles", DATE)]
    committed = ds.dataset(files, filesystem=fs, format="parquet")
    assert committed.to_table().num_rows == 4


def _documented_query() -> str:
    text = DOCS.read_text()
    match = re.search(r"<!-- tested: each-article-once -->\s*```sql\n(.*?)```", text, re.S)
    assert match, "docs/schema.md lost its tested query"
    return match.group(1)


def test_documented_each_article_once_query(local_store_url):
    """Three nights through dedupe and publish; night 3 brings a page published before the
    cluster's original, which becomes the original: the query and the reader agree on it."""
    store = open_store(local_store_url)
    three_nights(local_store_url)
    sql = _documented_query().replace("'lake/", f"'{local_store_url}/")
    got = {r[0]: (r[5], r[-1]) for r in duckdb.sql(sql).fetchall()}
    expected = read_table(store, "articles", NIGHTS[0], NIGHTS[-1], originals_only=True)
    assert got == {u: (o, r) for u, o, r in zip(expected["url"].to_pylist(), expected["original_url"].to_pylist(),
                                                 expected["reappeared_at"].to_pylist())}
    assert got[EARLIER] == (EARLIER, sorted([FIRST, COPY_1, COPY_2]))
    assert got[ALONE] == (ALONE, [])


def test_every_member_shows_the_current_original_over_any_range(local_store_url):
    store = open_store(local_store_url)
    three_nights(local_store_url)
    written = read_table(store, "articles", NIGHTS[0], NIGHTS[-1])
    assert {o for u, o in zip(written["url"].to_pylist(), written["original_url"].to_pylist())
            if u != ALONE} == {FIRST, EARLIER}  # what each night said then
    for start, end in ((NIGHTS[0], NIGHTS[1]), (NIGHTS[0], NIGHTS[2]), (NIGHTS[1], NIGHTS[1])):
        once = read_table(store, "articles", start, end, originals_only=True)
        row = [r for r in once.to_pylist() if r["url"] != ALONE]
        assert len(row) == 1 and row[0]["original_url"] == EARLIER, (start, end)
    clusters = read_table(store, "clusters", NIGHTS[0], NIGHTS[-1], originals_only=True)
    [current] = [c for c in clusters.to_pylist() if c["size"] > 1]
    assert (current["original_url"], current["original_evidence"], current["size"]) == \
        (EARLIER, "earliest_published", 4)
    assert (current["first_seen"], current["last_seen"]) == (dt.date(2026, 11, 18), dt.date(2026, 11, 20))
    out = crosspost("read", "--store", local_store_url, "--table", "clusters", "--from", NIGHTS[0], "--to",
                    NIGHTS[-1])
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["original_url"] for r in rows if r["cluster_id"] == current["cluster_id"]] == [FIRST, FIRST, EARLIER]
    out = crosspost("read", "--store", local_store_url, "--from", NIGHTS[0], "--to", NIGHTS[1], "--originals-only")
    assert out.returncode == 0, out.stderr
    assert {json.loads(line)["original_url"] for line in out.stdout.splitlines()} == {EARLIER, ALONE}


NIGHTS = ("2026-11-18", "2026-11-19", "2026-11-20")
FIRST, COPY_1, COPY_2 = "http://a.test/story", "http://b.test/copy", "http://c.test/copy"
EARLIER, ALONE = "http://d.test/first", "http://a.test/alone"


def _text(seed: int, n: int = 150) -> str:
    import random

    rng = random.Random(seed)
    vocab = [f"w{rng.randrange(10**6)}" for _ in range(400)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def three_nights(store_url: str) -> None:
    """Dedupe and publish three nights: a story and a copy, a second copy, then a page of the
    same text published a day before the story (the new original)."""
    from crosspost.lake.jsonl import dump_jsonl_gz
    from crosspost.pipeline.stages import dedupe_date, publish_date

    story = _text(1)
    pages = {NIGHTS[0]: [(FIRST, "a", "2026-11-18T08:00:00Z", story), (COPY_1, "b", "2026-11-18T12:00:00Z", story),
                         (ALONE, "a", "2026-11-18T09:00:00Z", _text(2))],
             NIGHTS[1]: [(COPY_2, "c", "2026-11-19T07:00:00Z", story + " Read more at A.")],
             NIGHTS[2]: [(EARLIER, "d", "2026-11-17T06:00:00Z", story)]}
    store = open_store(store_url)
    for night, items in pages.items():
        for site in "abcd":
            recs = [{"url": u, "site": s, "status": "ok", "text": t, "title": "T", "published_at": p,
                     "fetched_at": f"{night}T23:00:00Z"} for u, s, p, t in items if s == site]
            store.put_bytes(layout.extracted_key(site, night), dump_jsonl_gz(recs))
        dedupe_date(store_url, night, list("abcd"))
        publish_date(store_url, night, list("abcd"), run_id=f"run-{night}")
