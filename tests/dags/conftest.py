"""Fixtures of the DAG tests: run the whole DAG with ``dag.test()``; an environment without AWS keys."""

from __future__ import annotations

import pytest

from dag_helpers import DAG_ID, parse_dags


@pytest.fixture
def run_dag(airflow_db, monkeypatch):
    """Run the whole DAG once with ``dag.test()`` for a date, with the given settings.

    Every dag.test() of the session shares one metadata database, so depends_on_past is
    switched off here (a failed run in one test must not block the next); the real-scheduler
    test keeps it on.
    """

    def run(date: str, store: str, sites: str, *, mode: str = "crawl", env: dict | None = None,
            conf: dict | None = None):
        monkeypatch.setenv("CROSSPOST_STORE", store)
        monkeypatch.setenv("CROSSPOST_SITES", sites)
        monkeypatch.setenv("CROSSPOST_TASK_RETRIES", "0")
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        dag = parse_dags().dags[DAG_ID]
        for task in dag.tasks:
            task.depends_on_past = False
        return dag.test(run_conf={"date": date, "mode": mode, **(conf or {})})

    return run


@pytest.fixture
def clean_aws_env(monkeypatch):
    """No AWS settings in the environment: S3 must be reached through the Airflow Connection."""
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN",
                "CROSSPOST_S3_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch
