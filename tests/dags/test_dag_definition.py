"""The DAG file as the dag-processor sees it: no import error, fast to parse, the promised policies."""

from __future__ import annotations

import datetime as dt

import pytest

from dag_helpers import DAG_FILE, DAG_ID, parse_dags, write_sites

FULL_SITE_LIST = 500


@pytest.fixture
def dag_env(monkeypatch, tmp_path):
    """Settings as in production: a store URL and a long sites file in the environment."""
    sites = write_sites(tmp_path / "sites.yaml",
                        {f"site{i:03d}": f"http://127.0.0.1:{20000 + i}/" for i in range(FULL_SITE_LIST)})
    monkeypatch.setenv("CROSSPOST_STORE", "s3://crosspost-lake/lake")
    monkeypatch.setenv("CROSSPOST_SITES", sites)
    return monkeypatch


def test_dagbag_has_no_import_errors_and_parses_under_a_second(dag_env):
    parse_dags()  # the first parse pays for importing Airflow's own modules
    bag = parse_dags()
    assert bag.import_errors == {}
    assert list(bag.dags) == [DAG_ID]
    (stat,) = bag.dagbag_stats
    assert stat.duration < dt.timedelta(seconds=1), stat


def test_schedule_catchup_and_run_bounds(dag_env):
    dag = parse_dags().dags[DAG_ID]
    assert dag.catchup is False
    assert 1 <= dag.max_active_runs <= 4
    assert dag.timetable.expression == "0 0 * * *"
    assert dag.params["mode"] == "crawl"
    assert dag.params.get_param("mode").schema["enum"] == ["crawl", "reprocess"]


def test_schedule_and_policies_are_configurable(dag_env):
    dag_env.setenv("CROSSPOST_SCHEDULE", "30 3 * * *")
    dag_env.setenv("CROSSPOST_MAX_ACTIVE_RUNS", "2")
    dag_env.setenv("CROSSPOST_TASK_RETRIES", "4")
    dag = parse_dags().dags[DAG_ID]
    assert dag.timetable.expression == "30 3 * * *"
    assert dag.max_active_runs == 2
    assert {t.retries for t in dag.tasks} == {4}


def test_every_task_retries_with_backoff_and_has_a_timeout(dag_env):
    dag_env.setenv("CROSSPOST_TASK_RETRIES", "2")
    dag = parse_dags().dags[DAG_ID]
    for task in dag.tasks:
        assert task.retries == 2 and task.retry_exponential_backoff, task.task_id
        assert task.execution_timeout and task.max_retry_delay, task.task_id
        assert task.on_failure_callback, task.task_id
    assert dag.get_task("site.crawl").execution_timeout > dag.get_task("site.extract").execution_timeout


def test_dates_commit_in_order_and_a_failed_site_does_not_stop_the_date(dag_env):
    dag = parse_dags().dags[DAG_ID]
    past = {t.task_id for t in dag.tasks if t.depends_on_past}
    assert past == {"dedupe", "publish"}
    assert dag.get_task("dedupe").trigger_rule == "all_done"
    assert dag.get_task("report").trigger_rule == "all_success"  # a failed publish fails the date
    assert {t.task_id for t in dag.get_task("dedupe").upstream_list} >= {"site.extract"}


def test_publish_declares_each_table_as_an_asset(dag_env):
    dag = parse_dags().dags[DAG_ID]
    outlets = {a.name: a.uri for a in dag.get_task("publish").outlets}
    uris = ["s3://crosspost-lake/lake/articles", "s3://crosspost-lake/lake/crossposts",
            "s3://crosspost-lake/lake/clusters"]
    assert outlets == {uri: uri for uri in uris}
    assert {a.group for a in dag.get_task("publish").outlets} == {"crosspost"}


def test_assets_have_stable_names_without_a_store_in_the_environment(dag_env):
    dag_env.delenv("CROSSPOST_STORE")
    dag = parse_dags().dags[DAG_ID]
    assert {a.name for a in dag.get_task("publish").outlets} == {"crosspost_articles", "crosspost_crossposts",
                                                                 "crosspost_clusters"}


def test_alert_email_forwards_the_report_to_an_airflow_notifier(dag_env):
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    dag_env.setenv("CROSSPOST_ALERT_EMAIL", "oncall@example.org,data@example.org")
    dag = parse_dags().dags[DAG_ID]
    (notifier,) = dag.get_task("publish").on_failure_callback
    assert type(notifier).__name__ == "RunReportNotifier"
    (email,) = notifier.forward
    assert isinstance(email, SmtpNotifier) and email.to == ["oncall@example.org", "data@example.org"]
    assert "{{ crosspost_report }}" in email.html_content


def test_without_alert_settings_the_report_is_only_logged(dag_env):
    (notifier,) = parse_dags().dags[DAG_ID].get_task("publish").on_failure_callback
    assert notifier.forward == []


def test_no_credentials_in_the_dag_file():
    text = DAG_FILE.read_text()
    for word in ("aws_secret_access_key", "password=", "AKIA", "AIRFLOW_CONN_"):
        assert word not in text


def test_the_failure_callback_logs_the_report_and_hands_it_to_the_notifiers(dag_env, airflow_db, local_store_url):
    from airflow.sdk import BaseNotifier

    from crosspost.pipeline.run_report import stage_timer

    class Recorder(BaseNotifier):
        template_fields = ("text",)

        def __init__(self):
            super().__init__()
            self.text, self.sent = "{{ ti.task_id }}: {{ crosspost_report }}", []

        def notify(self, context):
            self.sent.append(self.text)

    class Broken(BaseNotifier):
        def notify(self, context):
            raise RuntimeError("smtp is down")

    class FakeTI:
        task_id, map_index = "publish", -1

        def xcom_pull(self, task_ids):
            return {"store": local_store_url, "date": "2026-11-20", "sites": ["alpha"], "mode": "crawl"}

    with stage_timer(local_store_url, "2026-11-20", "crawl", "alpha"):
        pass
    (notifier,) = parse_dags().dags[DAG_ID].get_task("publish").on_failure_callback
    recorder = Recorder()
    notifier.forward = [Broken(), recorder]
    notifier({"ti": FakeTI(), "exception": ValueError("bucket gone")})
    (sent,) = recorder.sent
    assert sent.startswith("publish: crosspost run report for 2026-11-20 (crawl)")
    assert "alpha" in sent and "[missing]" in sent
