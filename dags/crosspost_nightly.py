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
    @task
    def plan(params=None, data_interval_start=None, dag_run=None) -> dict:
        from crosspost.runplan import partition_date, plan_run

        date = partition_date(params.get("date"), data_interval_start, getattr(dag_run, "run_after", None))
        return plan_run(_setting("crosspost_sites", "CROSSPOST_SITES"),
                        _setting("crosspost_store", "CROSSPOST_STORE"), date, params.get("mode", "crawl"))

    @task
    def site_names(plan: dict) -> list[str]:
        return plan["sites"]

    @task_group
    def site(name: str, plan: dict):
        @task(retries=1)
        def crawl(name: str, plan: dict) -> str:
            from crosspost.stages import archived_or_crawl

            return archived_or_crawl(plan["sites_file"], plan["store"], plan["date"], name,
                                     reprocess=plan["mode"] == "reprocess")

        @task
        def extract(name: str, plan: dict) -> str:
            from crosspost.stages import extract_site

            return extract_site(plan["store"], plan["date"], name)

        crawl(name, plan) >> extract(name, plan)

    @task(trigger_rule="all_done")
    def dedupe(plan: dict) -> str:
        from crosspost.stages import dedupe_date

        return dedupe_date(plan["store"], plan["date"], plan["sites"])

    @task
    def publish(plan: dict, dag_run=None, data_interval_start=None, data_interval_end=None) -> list[str]:
        from crosspost.stages import publish_date

        interval = (str(data_interval_start), str(data_interval_end)) if data_interval_start else None
        return publish_date(plan["store"], plan["date"], plan["sites"], run_id=dag_run.run_id, data_interval=interval)

    @task
    def report(plan: dict) -> str:
        from crosspost.report import write_report

        summary = write_report(plan["store"], plan["date"], plan["sites"])
        print(summary)
        return summary

    p = plan()
    per_site = site.partial(plan=p).expand(name=site_names(p))
    per_site >> dedupe(p) >> publish(p) >> report(p)


crosspost_nightly()
