"""The whole DAG with ``dag.test()``: real Airflow task runner, real crawls of the fixture web, S3 on moto."""

from __future__ import annotations

import json
import uuid

import pytest

from crosspost.lake import layout
from crosspost.lake.reader import read_partition
from crosspost.lake.store import open_store
from crosspost.report import night_report_key
from dag_helpers import aws_connection, s3_store, snapshot, task_states, write_sites
from tests.demoweb import DEMO_DATE

DATE = DEMO_DATE.isoformat()


def _asset_events(run_id: str) -> dict[str, set]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.execute(select(AssetModel.name, AssetEvent.partition_key, AssetEvent.extra)
                               .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
                               .where(AssetEvent.source_run_id == run_id)).all()
    return {name: {(key, extra.get("dt")) for n, key, extra in rows if n == name} for name, _, _ in rows}


def _xcom_values(run_id: str) -> str:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        return json.dumps([str(v) for v in session.scalars(select(XComModel.value).where(XComModel.run_id == run_id))])


@pytest.mark.s3
def test_a_night_on_s3_then_its_reprocess(run_dag, demo_web, sites_file, moto_endpoint, s3_bucket, clean_aws_env,
                                          capfd):
    secret = f"crosspost-secret-{uuid.uuid4().hex}"
    env = {"AIRFLOW_CONN_AWS_DEFAULT": aws_connection(moto_endpoint, secret)}  # keys and endpoint: only here
    store_url = f"s3://{s3_bucket}/lake"

    night = run_dag(DATE, store_url, sites_file, env=env)
    assert night.state == "success", task_states(night)
    store = s3_store(s3_bucket, moto_endpoint)
    articles, crossposts = read_partition(store, "articles", DATE), read_partition(store, "crossposts", DATE)
    assert articles.num_rows > 0 and crossposts.num_rows > 0
    assert set(articles.column("site").to_pylist()) == set(demo_web.urls)
    manifest = json.loads(store.get_bytes(layout.manifest_key("articles", DATE)))
    assert manifest["sites"] == {site: "complete" for site in demo_web.urls}
    assert manifest["run_id"] == night.run_id

    report = json.loads(store.get_bytes(layout.run_report_key(DATE)))
    assert report["mode"] == "crawl" and report["new_crossposts"] == crossposts.num_rows
    assert b'id="who"' in store.get_bytes(night_report_key(DATE))  # the HTML report, next to the JSON
    assert set(report["durations"]) == {"crawl", "extract", "dedupe", "publish"}
    assert all(e["fetched"] > 0 and e["extracted"] > 0 for e in report["sites"].values())

    events = _asset_events(night.run_id)  # one event per table, partition key = the date
    assert events == {f"{store_url}/{t}": {(DATE, DATE)} for t in layout.TABLES}

    published = snapshot(store, "articles/", "crossposts/", "clusters/", "raw/")
    requests = len(demo_web.request_log)
    again = run_dag(DATE, store_url, sites_file, mode="reprocess", env=env)
    assert again.state == "success", task_states(again)
    assert len(demo_web.request_log) == requests, "reprocess must not touch the network"
    assert _parts(snapshot(store, "articles/", "crossposts/", "clusters/", "raw/")) == _parts(published)
    assert json.loads(store.get_bytes(layout.run_report_key(DATE)))["mode"] == "reprocess"

    out, err = capfd.readouterr()
    assert "crosspost run report for 2026-11-20" in out + err  # the task log has the summary
    for where, text in (("task logs", out + err), ("XCom", _xcom_values(night.run_id)),
                        ("run report", json.dumps(report)), ("manifest", json.dumps(manifest))):
        assert secret not in text, f"the secret leaked into the {where}"


def _parts(objects: dict[str, bytes]) -> dict[str, bytes]:
    """Data files and manifests without the fields that name the run and write attempt (each
    dag.test() is a new run; a reprocess backfill reuses the run ids, see test_scheduler)."""
    out = {}
    for key, data in objects.items():
        if key.endswith(layout.MANIFEST):
            manifest = json.loads(data)
            for field in ("write_id", "run_id"):
                manifest.pop(field, None)
            data = json.dumps(manifest, sort_keys=True).encode()
        out[key] = data
    return out


def test_a_failing_site_leaves_the_date_committed_and_a_rerun_completes_it(run_dag, demo_web, local_store_url,
                                                                           tmp_path, capfd):
    from scheduler_harness import free_port

    sites = {"northwire": demo_web.urls["northwire"]}  # one live site keeps the test short
    sites_file = write_sites(tmp_path / "sites.yaml", {**sites, "deadsite": f"http://127.0.0.1:{free_port()}/"})

    first = run_dag(DATE, local_store_url, sites_file)
    states = task_states(first)
    assert first.state == "success", states
    # deadsite is the second site (map index 1); a task that never ran has no rendered name
    assert states["site.crawl[deadsite]"] == "failed" and states["site.extract[1]"] == "upstream_failed"
    assert {states[t] for t in ("dedupe", "publish", "report")} == {"success"}
    store = open_store(local_store_url)
    for table in layout.TABLES:
        manifest = json.loads(store.get_bytes(layout.manifest_key(table, DATE)))
        assert manifest["sites"] == {"deadsite": "missing", "northwire": "complete"}
    report = json.loads(store.get_bytes(layout.run_report_key(DATE)))
    assert ("deadsite: did not answer in the latest attempt (its archive of the date, if any, is kept)"
            in report["warnings"])
    html = store.get_bytes(night_report_key(DATE)).decode("utf-8")
    assert '<tr class="missing" data-site="deadsite">' in html  # the night's HTML report flags it
    assert read_partition(store, "articles", DATE).num_rows > 0
    out, err = capfd.readouterr()
    assert "deadsite did not answer" in out + err
    assert "run report so far" in out + err  # the failure callback logged the report

    # The site is back (here: its name now points at a live server); rerunning completes the date.
    write_sites(tmp_path / "sites.yaml", {**sites, "deadsite": demo_web.urls["freepressmirror"]})
    second = run_dag(DATE, local_store_url, sites_file)
    assert second.state == "success" and set(task_states(second).values()) == {"success"}
    manifest = json.loads(store.get_bytes(layout.manifest_key("articles", DATE)))
    assert manifest["sites"] == {"deadsite": "complete", "northwire": "complete"}
    crossposts = read_partition(store, "crossposts", DATE)
    assert crossposts.num_rows > 0  # the returning site copies northwire
    clusters = {c["cluster_id"]: c for c in read_partition(store, "clusters", DATE).to_pylist()}
    for row in crossposts.to_pylist():  # the third table, from the same publish task
        assert clusters[row["cluster_id"]]["original_url"] == row["original_url"]
        assert row["is_original"] or (row["kept_share"] > 0 and row["spans"]), row
    assert "deadsite" in set(read_partition(store, "articles", DATE).column("site").to_pylist())


def test_a_rerun_with_a_site_down_keeps_the_date_until_asked(run_dag, demo_web, local_store_url, tmp_path, capfd):
    """The same policy as `crosspost run` (crosspost.pipeline.arrival): a site that does not answer is
    missing, never complete from its older records; its archive is kept; the committed date does
    not shrink unless the run says allow_shrink; reprocessing the kept archive restores it."""
    from scheduler_harness import free_port

    live = {s: demo_web.urls[s] for s in ("northwire", "freepressmirror")}
    sites_file = write_sites(tmp_path / "sites.yaml", live)
    assert run_dag(DATE, local_store_url, sites_file).state == "success"
    store = open_store(local_store_url)
    first = read_partition(store, "articles", DATE)
    committed = snapshot(store, "articles/", "crossposts/", "commits/", "raw/site=freepressmirror/")
    committed.pop(layout.arrival_key("freepressmirror", DATE))

    write_sites(tmp_path / "sites.yaml", {**live, "freepressmirror": f"http://127.0.0.1:{free_port()}/"})
    refused = run_dag(DATE, local_store_url, sites_file)
    states = task_states(refused)
    assert refused.state == "failed" and states["site.crawl[freepressmirror]"] == "failed"
    assert states["dedupe"] == "failed" and states["publish"] == "upstream_failed"
    out, err = capfd.readouterr()
    assert "freepressmirror (" in out + err and "refusing to shrink it" in out + err
    now = snapshot(store, "articles/", "crossposts/", "commits/", "raw/site=freepressmirror/")
    assert json.loads(now.pop(layout.arrival_key("freepressmirror", DATE)))["arrived"] is False
    assert now == committed  # the date, and the archive of the site that did not answer, as they were

    shrunk = run_dag(DATE, local_store_url, sites_file, conf={"allow_shrink": True})
    assert shrunk.state == "success", task_states(shrunk)
    manifest = json.loads(store.get_bytes(layout.manifest_key("articles", DATE)))
    assert manifest["sites"] == {"freepressmirror": "missing", "northwire": "complete"}
    assert set(read_partition(store, "articles", DATE).column("site").to_pylist()) == {"northwire"}

    restored = run_dag(DATE, local_store_url, sites_file, mode="reprocess")
    assert restored.state == "success", task_states(restored)
    assert sorted(read_partition(store, "articles", DATE).column("url").to_pylist()) == \
        sorted(first.column("url").to_pylist())


def test_a_failed_plan_skips_dedupe_instead_of_a_second_failure(run_dag, local_store_url, tmp_path, capfd):
    bad = tmp_path / "sites.yaml"
    bad.write_text("sites:\n  - name: x\n    url: http://127.0.0.1:9/\n    colour: blue\n")
    run = run_dag(DATE, local_store_url, str(bad))
    states = task_states(run)
    assert run.state == "failed" and states["plan"] == "failed"
    assert states["dedupe"] == "skipped" and states["publish"] in ("skipped", "upstream_failed")
    out, err = capfd.readouterr()
    assert "TypeError" not in out + err and "colour" in out + err
