"""The report of two demo nights says what the committed partitions say (checked with DuckDB),
every cluster and link in it resolves, and bad input gets a clear error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from crosspost.lake import layout
from crosspost.lake.reader import committed_files
from crosspost.lake.store import open_store
from crosspost.report import build_report, night_report_key, write_report_file
from report_html import links, parse, table
from report_nights import NIGHTS

FIRST, LAST = (n.isoformat() for n in NIGHTS)
RELATION = "CASE relation WHEN 'near' THEN 'edited' WHEN 'truncated' THEN 'excerpt' ELSE relation END"


@pytest.fixture(scope="module")
def page(demo_nights):
    return parse(build_report(open_store(demo_nights), FIRST, LAST))


@pytest.fixture(scope="module")
def db(demo_nights):
    """DuckDB over the committed files of both nights: views ``c`` (crossposts), ``a`` (articles)
    and ``k`` (clusters)."""
    con = duckdb.connect()
    store = open_store(demo_nights)
    for view, name in (("c", "crossposts"), ("a", "articles"), ("k", "clusters")):
        files = committed_files(store, name, FIRST, LAST)
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet({files!r}, hive_partitioning=true)")
    return con


def rows(db, sql: str) -> list[list]:
    return [list(r) for r in db.execute(sql).fetchall()]


def test_copies_per_night_match_duckdb(page, db):
    expected = rows(db, f"""SELECT strftime(dt, '%Y-%m-%d'), count(*),
        {', '.join(f"count(*) FILTER (WHERE {RELATION} = '{r}')" for r in ('exact', 'excerpt', 'extended', 'edited'))}
        FROM c WHERE NOT is_original GROUP BY dt ORDER BY dt""")
    assert table(page, "nights") == expected
    assert int(page.get_element_by_id("total-copies").text) == sum(r[1] for r in expected) > 0


def test_who_republishes_whom_matches_duckdb(page, db):
    # each copy's original is its cluster's current answer (the clusters row of the latest night)
    expected = rows(db, """WITH cur AS (SELECT cluster_id, original_url FROM k
            QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY dt DESC) = 1),
        copies AS (SELECT c.*, coalesce(cur.original_url, c.original_url) AS current_original
            FROM c LEFT JOIN cur USING (cluster_id))
        SELECT copies.site, a.site, count(*), count(*) FILTER (WHERE credits_original)
        FROM copies LEFT JOIN a ON a.url = copies.current_original
        WHERE NOT copies.is_original AND copies.url <> copies.current_original GROUP BY ALL""")
    assert all(origin for _, origin, _, _ in expected), "every original of the two nights is in them"
    every = [r[:4] for r in table(page, "pairs") + table(page, "pairs-more")]
    got = [r for r in every if not str(r[1]).endswith("not crawled")]  # uncrawled origins: not crossposts rows
    assert sorted(got) == sorted(expected), (sorted(got), sorted(expected))
    assert [r[2] for r in got] == sorted((r[2] for r in got), reverse=True)  # most copies first


def test_lags_match_duckdb(page, db):
    expected = {r[0]: r[1:] for r in rows(db, """SELECT site, count(*), min(lag_hours),
        quantile_cont(lag_hours, 0.25), quantile_cont(lag_hours, 0.5), quantile_cont(lag_hours, 0.75),
        max(lag_hours) FROM c WHERE NOT is_original AND lag_hours IS NOT NULL GROUP BY site""")}
    got = {r[0]: r[1:] for r in table(page, "lags")}
    assert got.keys() == expected.keys()
    for site, values in got.items():
        assert values == pytest.approx(expected[site], abs=1e-6), site


def test_relations_per_republisher_match_duckdb(page, db):
    expected = rows(db, f"""SELECT site, count(*),
        {', '.join(f"count(*) FILTER (WHERE {RELATION} = '{r}')" for r in ('exact', 'excerpt', 'extended', 'edited'))}
        FROM c WHERE NOT is_original GROUP BY site""")
    assert sorted(table(page, "relations")) == sorted(expected)
    retitled = dict(rows(db, "SELECT site, count(*) FILTER (WHERE title_changed) FROM c "
                             "WHERE NOT is_original GROUP BY site"))
    assert {r[0]: r[5] for r in table(page, "changes")} == retitled


def test_run_health_matches_the_partitions(page, db):
    extracted = dict(rows(db, "SELECT site, count(*) FILTER (WHERE status = 'ok') FROM a GROUP BY site"))
    health = {r[0]: r for r in table(page, "health-table")}
    assert {site: r[5] for site, r in health.items()} == extracted
    assert all(r[2] > 0 and r[1] >= r[2] for r in health.values())  # discovered >= fetched > 0
    assert not page.xpath('//tr[@class="missing"]') and not page.xpath('//*[@id="missing"]')


def test_every_cluster_and_link_resolves(page, db):
    members = {}
    for cluster, url, original in rows(db, "SELECT cluster_id, url, original_url FROM c"):
        members.setdefault(cluster, set()).update({url, original})
    shown = page.xpath('//div[@class="cluster"]')
    assert len(shown) == min(8, len(members))
    for block in shown:
        cluster = block.get("data-cluster")
        assert block.get("id") == f"cluster-{cluster}" and cluster in members
        assert links(block) and set(links(block)) <= members[cluster]
    ids = set(page.xpath("//@id"))
    assert all(href[1:] in ids for href in links(page) if href.startswith("#"))


def test_every_url_shown_is_a_link(page):
    bare = parse(build_report_text(page))
    for element in bare.xpath('//a | //div[contains(@class, "text")]'):
        element.drop_tree()
    assert "http://" not in bare.text_content()


def build_report_text(page) -> str:
    from lxml import html as lxml_html

    return lxml_html.tostring(page, encoding="unicode")


def test_the_report_is_the_same_bytes_every_time(demo_nights):
    store = open_store(demo_nights)
    assert build_report(store, FIRST, LAST) == build_report(store, FIRST, LAST)


def test_each_night_has_its_html_report_in_the_store(demo_nights):
    store = open_store(demo_nights)
    for night in NIGHTS:
        night_page = parse(store.get_bytes(night_report_key(night)).decode("utf-8"))
        assert table(night_page, "nights")[0][0] == night.isoformat() and len(table(night_page, "nights")) == 1
        assert store.exists(layout.run_report_key(night))


def test_a_missing_site_is_flagged(demo_copy, demo_web):
    from crosspost.pipeline.runner import write_reports
    from crosspost.pipeline.stages import publish_date

    sites = [*demo_web.urls, "ghostsite"]  # in the sites file, but nothing of it arrived
    publish_date(demo_copy, LAST, sites, run_id="test")
    summary = write_reports(demo_copy, LAST, sites)
    assert "ghostsite" in summary and night_report_key(LAST) in summary
    night_page = parse(open_store(demo_copy).get_bytes(night_report_key(LAST)).decode("utf-8"))
    row = night_page.xpath('//tr[@data-site="ghostsite"]')[0]
    assert row.get("class") == "missing" and "missing 1 of 1" in row.text_content()
    assert "ghostsite (" + LAST in night_page.get_element_by_id("missing").text_content()


def crosspost(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosspost.cli", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_cli_writes_the_report(demo_nights, tmp_path):
    out = tmp_path / "report.html"
    result = crosspost("report", "--store", demo_nights, "--from", FIRST, "--to", LAST, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert out.read_text(encoding="utf-8") == build_report(open_store(demo_nights), FIRST, LAST)


def test_cli_a_range_without_partitions_is_a_clear_error(demo_nights, tmp_path):
    out = tmp_path / "report.html"
    result = crosspost("report", "--store", demo_nights, "--from", "2026-10-01", "--to", "2026-10-03", "-o", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr and not out.exists()
    assert result.stderr.startswith(f"crosspost: error: no committed partition in {demo_nights}/crossposts/ "
                                    "for 2026-10-01 to 2026-10-03")


@pytest.mark.parametrize("args, message", [
    (("--date", "2026-10-01"), "no committed partition in "),
    (("--from", LAST, "--to", FIRST), "the range ends before it starts"),
    (("--from", FIRST), "report needs --date D, or --from D1 --to D2"),
    (("--date", "20/11/2026"), "not a date"),
])
def test_cli_bad_input_is_a_clear_error(demo_nights, tmp_path, capsys, args, message):
    from crosspost.cli.main import main

    out = tmp_path / "report.html"
    assert main(["report", "--store", demo_nights, *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crosspost: error: ") and message in err and not out.exists()


def test_an_unwritable_output_is_a_clear_error(demo_nights, tmp_path):
    with pytest.raises(Exception, match="cannot write the report to"):
        write_report_file(demo_nights, LAST, LAST, tmp_path / "no" / "such" / "dir.html")
    assert not Path(tmp_path / "no").exists()
