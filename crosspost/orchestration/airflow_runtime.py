"""What the DAG's tasks need from Airflow at run time: settings from Variables, S3 credentials from a
Connection, the failure notifier that carries the run report, and a crawl that waits for its site.

Imported by the DAG file at parse time: only Airflow's SDK at the top; Variables and
Connections are read when a task runs, never at parse time.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from airflow.sdk import BaseNotifier

from crosspost.orchestration import settings as support


def setting(variable: str, env: str) -> str:
    """The Airflow Variable's value, else the environment variable's (read when a task runs)."""
    from airflow.sdk import Variable

    return support.pick_setting(Variable.get(variable, default=None), os.environ.get(env), variable, env)


@contextmanager
def store_access():
    """Give boto3 (and the crawls it starts) the S3 settings of the configured Connection."""
    from airflow.sdk import Connection, Variable
    from airflow.sdk.exceptions import AirflowNotFoundException
    from airflow.sdk.log import mask_secret

    named = Variable.get(support.AWS_CONN_VARIABLE, default=None)
    try:
        conn = Connection.get(named or support.DEFAULT_AWS_CONN_ID)
    except AirflowNotFoundException:
        if named:  # a Connection asked for by name must exist
            raise
        conn = None  # no aws_default: boto3's own chain (instance role, env, local store)
    env = support.s3_environment(conn.login, conn.password, conn.extra_dejson) if conn else {}
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        if key in env:
            mask_secret(env[key])
    with support.environment(env):
        yield


class RunReportNotifier(BaseNotifier):
    """On a task failure (after its retries): log the date's run report as it stands, then hand
    it to Airflow's own notifiers (e-mail, Slack) as ``{{ crosspost_report }}`` in their templates."""

    def __init__(self, forward: list[BaseNotifier] | None = None):
        super().__init__()
        self.forward = forward or []

    def notify(self, context) -> None:
        ti = context["ti"]
        self.log.error("crosspost: task %s (map index %s) failed: %s", ti.task_id, getattr(ti, "map_index", -1),
                       context.get("exception"))
        context["crosspost_report"] = self._summary(ti)
        self.log.error("run report so far:\n%s", context["crosspost_report"])
        for notifier in self.forward:
            try:
                notifier(context)
            except Exception as exc:  # one broken channel must not silence the others
                self.log.error("notifier %s failed: %s", type(notifier).__name__, exc)

    def _summary(self, ti) -> str:
        try:
            plan = ti.xcom_pull(task_ids="plan")
            if not plan:
                return "(no run report: the plan task did not finish)"
            from crosspost.pipeline.run_report import summarize

            with store_access():
                return summarize(plan["store"], plan["date"], plan["sites"], mode=plan["mode"])
        except Exception as exc:  # a failing alert must not hide the task's own error
            return f"(no run report: {exc})"


ALERT_SUBJECT = "crosspost: {{ ti.task_id }} failed in {{ dag_run.run_id }}"
ALERT_TEXT = "{{ ti.task_id }} failed: {{ exception }}\n\n{{ crosspost_report }}"


def failure_notifiers() -> list:
    """Failure notifiers: the run report in the task log, forwarded by e-mail and to Slack when set."""
    forward: list = []
    if os.environ.get("CROSSPOST_ALERT_EMAIL"):
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        forward.append(SmtpNotifier(to=os.environ["CROSSPOST_ALERT_EMAIL"].split(","), subject=ALERT_SUBJECT,
                                    html_content="<pre>" + ALERT_TEXT + "</pre>"))
    if os.environ.get("CROSSPOST_ALERT_SLACK_CONN"):  # a Slack Incoming Webhook connection id
        from airflow.providers.slack.notifications.slack_webhook import (
            SlackWebhookNotifier,
        )

        forward.append(SlackWebhookNotifier(slack_webhook_conn_id=os.environ["CROSSPOST_ALERT_SLACK_CONN"],
                                            text=ALERT_TEXT))
    return [RunReportNotifier(forward)]


def crawl_alone(name: str, plan: dict, holder: str) -> str:
    """Crawl the site holding its lease, so no other run crawls it at the same time. While
    another run holds it, the task waits in place (saying so in its log), asking every
    ``CROSSPOST_SITE_BUSY_RETRY_SECONDS`` for up to ``CROSSPOST_SITE_BUSY_WAIT_SECONDS``; then
    SiteBusy fails the try, which is retried. It does not reschedule itself: see
    crosspost.pipeline.crawl_lease for the Airflow race that rules that out."""
    from crosspost.pipeline.arrival import check_site_reached
    from crosspost.pipeline.crawl_lease import Patience, crawl_lease
    from crosspost.pipeline.run_report import stage_timer
    from crosspost.pipeline.stages import archived_or_crawl

    patience = Patience(wait_s=support.site_busy_wait(os.environ).total_seconds(),
                        poll_s=support.site_busy_poll(os.environ).total_seconds(),
                        ttl_s=support.site_lease_ttl(os.environ).total_seconds(),
                        knob="CROSSPOST_SITE_BUSY_WAIT_SECONDS", say=print)
    with crawl_lease(plan["store"], name, holder, patience=patience), \
            stage_timer(plan["store"], plan["date"], "crawl", name):
        key = archived_or_crawl(plan["sites_file"], plan["store"], plan["date"], name)
        check_site_reached(plan["store"], plan["date"], name)  # nobody answered: retry
    return key
