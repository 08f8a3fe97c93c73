"""crosspost_nightly: crawl, extract, dedupe and publish one day of republished news.

Wiring only: every task calls crosspost library functions with explicit arguments; heavy
imports happen inside tasks; XCom carries store keys and names, never data or credentials.

Settings (Variable first, environment variable as fallback):
``crosspost_store`` / ``CROSSPOST_STORE`` (store URL), ``crosspost_sites`` / ``CROSSPOST_SITES``
(sites YAML path), ``crosspost_aws_conn_id`` (default ``aws_default``: the Connection whose
keys, region and endpoint reach S3). At parse time only: ``CROSSPOST_SCHEDULE`` (cron, default
midnight UTC: the run after day D ingests D), ``CROSSPOST_MAX_ACTIVE_RUNS``, the retry and
timeout variables of ``crosspost.orchestration.settings.task_policy``, ``CROSSPOST_ALERT_EMAIL`` and
``CROSSPOST_ALERT_SLACK_CONN`` (failure alerts carrying the run report).

Params: ``mode`` = ``crawl`` (default) or ``reprocess`` (re-extract, re-dedupe and republish
from the archived WARC, no network); ``date`` (YYYY-MM-DD) for manual runs; ``allow_shrink``
(default false): publish even when sites that did not arrive have rows in the committed date
(crosspost.pipeline.arrival; without it such a run fails at dedupe and the date stays as it was).
See docs/production.md for backfills, reprocessing and reruns.
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import Asset, CronDataIntervalTimetable, Param, dag, task, task_group

from crosspost.lake import layout
from crosspost.orchestration import airflow_runtime as runtime
from crosspost.orchestration import settings as support

SCHEDULE = os.environ.get("CROSSPOST_SCHEDULE", "0 0 * * *")
MAX_ACTIVE_RUNS = support.max_active_runs(os.environ)


def _table_asset(table: str) -> Asset:
    # Outlets are fixed at parse time, where Variables must not be read (each parse would hit
    # the metadata database): the URI comes from CROSSPOST_STORE. The URI is also the asset's
    # name, so another store is another asset (its events never mix with this one's).
    store = os.environ.get(support.STORE_ENV)
    if store:
        return Asset(uri=support.table_asset_uri(store, table), group="crosspost")
    return Asset(name=f"crosspost_{table}", group="crosspost")


ASSETS = {table: _table_asset(table) for table in layout.TABLES}


def _archived_crawl(name: str, plan: dict) -> str:
    """Reprocess: the archived WARC of the site, no network. Retrying cannot make a missing
    archive appear, so that fails the task at once."""
    from airflow.sdk.exceptions import AirflowFailException

    from crosspost.exceptions import ObjectNotFound, SiteUnreachable
    from crosspost.pipeline.stages import archived_or_crawl

    try:
        key = archived_or_crawl(plan["sites_file"], plan["store"], plan["date"], name, reprocess=True)
    except (ObjectNotFound, SiteUnreachable) as exc:
        raise AirflowFailException(str(exc)) from exc
    return key


@dag(
    dag_id="crosspost_nightly",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=MAX_ACTIVE_RUNS,
    default_args={**support.task_policy(os.environ), "on_failure_callback": runtime.failure_notifiers()},
    params={
        "mode": Param("crawl", enum=["crawl", "reprocess"],
                      description="reprocess: re-extract, re-dedupe and republish the archive, no network"),
        "date": Param(None, type=["null", "string"], description="partition date YYYY-MM-DD (manual runs)"),
        "allow_shrink": Param(False, type="boolean",
                              description="publish even if sites that did not arrive have rows in the committed date"),
    },
    tags=["crosspost"],
    doc_md=__doc__,
)
def crosspost_nightly():
    @task
    def plan(params=None, data_interval_start=None, dag_run=None) -> dict:
        from crosspost.orchestration.runplan import partition_date, plan_run

        date = partition_date(params.get("date"), data_interval_start, getattr(dag_run, "run_after", None))
        with runtime.store_access():
            sites_file = runtime.setting(support.SITES_VARIABLE, support.SITES_ENV)
            store = runtime.setting(support.STORE_VARIABLE, support.STORE_ENV)
            return plan_run(sites_file, store, date, params.get("mode", "crawl"),
                            allow_shrink=bool(params.get("allow_shrink")))

    @task
    def site_names(plan: dict) -> list[str]:
        return plan["sites"]

    @task_group
    def site(name: str, plan: dict):
        @task(execution_timeout=support.crawl_task_timeout(os.environ), map_index_template="{{ site_name }}")
        def crawl(name: str, plan: dict, dag_run=None) -> str:
            from airflow.sdk import get_current_context

            get_current_context()["site_name"] = name  # names the map index in the UI
            with runtime.store_access():
                if plan["mode"] == "reprocess":
                    return _archived_crawl(name, plan)
                return runtime.crawl_alone(name, plan, holder=f"{dag_run.dag_id}/{dag_run.run_id}")

        @task(map_index_template="{{ site_name }}")
        def extract(name: str, plan: dict) -> str:
            from airflow.sdk import get_current_context

            from crosspost.pipeline.run_report import stage_timer
            from crosspost.pipeline.stages import extract_site

            get_current_context()["site_name"] = name
            with runtime.store_access(), stage_timer(plan["store"], plan["date"], "extract", name):
                return extract_site(plan["store"], plan["date"], name)

        crawl(name, plan) >> extract(name, plan)

    # A failed site does not fail the date: dedupe and publish run with what arrived and the
    # manifest names the missing sites; clearing that site's tasks later completes the date.
    # crosspost.pipeline.arrival refuses a date where nothing arrived, or where a missing site has
    # committed rows (unless allow_shrink): retrying dedupe cannot change that, so no retry.
    @task(trigger_rule="all_done", depends_on_past=True)
    def dedupe(plan: dict | None) -> str:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from crosspost.exceptions import NoSiteArrived, PartitionWouldShrink
        from crosspost.pipeline.run_report import stage_timer
        from crosspost.pipeline.stages import dedupe_date

        if not plan:  # all_done also runs after a failed plan: nothing to dedupe, no second alert
            raise AirflowSkipException("the plan task failed (see its log): nothing to dedupe or publish")
        with runtime.store_access(), stage_timer(plan["store"], plan["date"], "dedupe"):
            try:
                return dedupe_date(plan["store"], plan["date"], plan["sites"],
                                   allow_shrink=plan.get("allow_shrink", False))
            except (NoSiteArrived, PartitionWouldShrink) as exc:
                raise AirflowFailException(str(exc)) from exc

    @task(depends_on_past=True, outlets=list(ASSETS.values()))
    def publish(plan: dict, dag_run=None, data_interval_start=None, data_interval_end=None,
                outlet_events=None) -> list[str]:
        from crosspost.pipeline.run_report import stage_timer
        from crosspost.pipeline.stages import publish_date

        interval = (str(data_interval_start), str(data_interval_end)) if data_interval_start else None
        with runtime.store_access(), stage_timer(plan["store"], plan["date"], "publish"):
            keys = publish_date(plan["store"], plan["date"], plan["sites"], run_id=dag_run.run_id,
                                data_interval=interval, allow_shrink=plan.get("allow_shrink", False))
        for key in keys:
            event = outlet_events[ASSETS[layout.table_of(key)]]
            event.extra = {"dt": plan["date"], "manifest": key, "mode": plan["mode"]}
            event.add_partitions(plan["date"])
        return keys

    @task
    def report(plan: dict) -> str:
        from crosspost.pipeline.runner import write_reports

        with runtime.store_access():
            summary = write_reports(plan["store"], plan["date"], plan["sites"], mode=plan["mode"])
        print(summary)
        return summary

    p = plan()
    per_site = site.partial(plan=p).expand(name=site_names(p))
    per_site >> dedupe(p) >> publish(p) >> report(p)


crosspost_nightly()
