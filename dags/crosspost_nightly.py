"""crosspost_nightly: crawl, extract, dedupe and publish one day of republished news.

Wiring only: every task calls one crosspost library function with explicit arguments;
heavy imports happen inside tasks; XCom carries store keys and names, never data.
Settings: Variables ``crosspost_store`` / ``crosspost_sites`` (or the environment variables
``CROSSPOST_STORE`` / ``CROSSPOST_SITES``), ``CROSSPOST_SCHEDULE`` for the cron schedule.
"""

from __future__ import annotations

import datetime as dt
import os

import pendulum
from airflow.sdk import Param, dag, task, task_group
from airflow.timetables.interval import CronDataIntervalTimetable

# A data-interval timetable: the run after midnight of the 27th covers the 26th
# (plain "@daily" in Airflow 3 has zero-length intervals).
SCHEDULE = os.environ.get("CROSSPOST_SCHEDULE", "0 2 * * *")


def _setting(variable: str, env: str) -> str:
    from airflow.sdk import Variable

    value = Variable.get(variable, default=None) or os.environ.get(env)
    if not value:
        raise ValueError(f"set the Airflow Variable {variable!r} or the environment variable {env}")
    return value


@dag(
    dag_id="crosspost_nightly",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "execution_timeout": dt.timedelta(hours=3),
    },
    params={
        "mode": Param("crawl", enum=["crawl", "reprocess"], description="reprocess: no network, re-extract the archive"),
        "date": Param(None, type=["null", "string"], description="partition date YYYY-MM-DD (manual runs)"),
    },
    tags=["crosspost"],
    doc_md=__doc__,
)
def crosspost_nightly():
    @task(multiple_outputs=True)
    def plan(params=None, data_interval_start=None, dag_run=None) -> dict:
        from crosspost.runplan import partition_date, plan_run

        date = partition_date(params.get("date"), data_interval_start, getattr(dag_run, "run_after", None))
        return plan_run(_setting("crosspost_sites", "CROSSPOST_SITES"),
                        _setting("crosspost_store", "CROSSPOST_STORE"), date, params.get("mode", "crawl"))

    @task_group
    def site(name: str, sites_file: str, store: str, date: str, mode: str):
        @task(retries=1)
        def crawl(name: str, sites_file: str, store: str, date: str, mode: str) -> str:
            from crosspost.stages import archived_or_crawl

            return archived_or_crawl(sites_file, store, date, name, reprocess=(mode == "reprocess"))

        @task
        def extract(name: str, store: str, date: str) -> str:
            from crosspost.stages import extract_site

            return extract_site(store, date, name)

        crawl(name, sites_file, store, date, mode) >> extract(name, store, date)

    @task(trigger_rule="all_done")
    def dedupe(store: str, date: str, sites: list[str]) -> str:
        from crosspost.stages import dedupe_date

        return dedupe_date(store, date, sites)

    @task
    def publish(store: str, date: str, sites: list[str], dag_run=None, data_interval_start=None,
                data_interval_end=None) -> list[str]:
        from crosspost.stages import publish_date

        interval = tuple(str(x) for x in (data_interval_start, data_interval_end)) if data_interval_start else None
        return publish_date(store, date, sites, run_id=dag_run.run_id, data_interval=interval)

    @task
    def report(store: str, date: str, sites: list[str]) -> str:
        from crosspost.report import write_report

        summary = write_report(store, date, sites)
        print(summary)
        return summary

    p = plan()
    sites = site.partial(sites_file=p["sites_file"], store=p["store"], date=p["date"], mode=p["mode"]).expand(
        name=p["sites"])
    d = dedupe(p["store"], p["date"], p["sites"])
    sites >> d >> publish(p["store"], p["date"], p["sites"]) >> report(p["store"], p["date"], p["sites"])


crosspost_nightly()
