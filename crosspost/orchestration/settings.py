"""What the ``crosspost_nightly`` DAG needs beyond the stages: settings, S3 credentials taken from
an Airflow Connection, task policies and asset URIs.

Nothing here reads Airflow's context, Variables or Connections: the DAG task fetches them and
passes the values in, so every function is testable without Airflow.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from crosspost.exceptions import ConfigError

STORE_VARIABLE, STORE_ENV = "crosspost_store", "CROSSPOST_STORE"
SITES_VARIABLE, SITES_ENV = "crosspost_sites", "CROSSPOST_SITES"
AWS_CONN_VARIABLE, DEFAULT_AWS_CONN_ID = "crosspost_aws_conn_id", "aws_default"


def pick_setting(variable_value: str | None, env_value: str | None, variable: str, env: str) -> str:
    """The Variable's value, else the environment's; a clear error naming both when neither is set."""
    value = variable_value or env_value
    if not value:
        raise ConfigError(f"set the Airflow Variable {variable!r} or the environment variable {env}")
    return value


def s3_environment(login: str | None, password: str | None, extra: Mapping | None) -> dict[str, str]:
    """boto3 environment variables for an Airflow ``aws`` Connection's fields.

    Only what the Connection sets is returned, so a Connection without keys (instance role,
    IRSA) leaves boto3's own credential chain in charge.
    """
    extra = dict(extra or {})
    s3_config = (extra.get("service_config") or {}).get("s3") or {}
    values = {
        "AWS_ACCESS_KEY_ID": login or extra.get("aws_access_key_id"),
        "AWS_SECRET_ACCESS_KEY": password or extra.get("aws_secret_access_key"),
        "AWS_SESSION_TOKEN": extra.get("aws_session_token"),
        "AWS_DEFAULT_REGION": extra.get("region_name"),
        "AWS_ENDPOINT_URL_S3": s3_config.get("endpoint_url") or extra.get("endpoint_url"),
    }
    return {k: str(v) for k, v in values.items() if v}


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the block (and the crawls it starts), then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def task_policy(env: Mapping[str, str]) -> dict:
    """Retries, backoff and timeouts for every task, overridable by ``CROSSPOST_*`` variables.

    ``CROSSPOST_TASK_RETRIES`` (default 2), ``CROSSPOST_RETRY_DELAY_SECONDS`` (120, doubled at each
    try up to ``CROSSPOST_MAX_RETRY_DELAY_SECONDS``, 1800) and ``CROSSPOST_TASK_TIMEOUT_SECONDS``
    (3600; crawls get ``CROSSPOST_CRAWL_TIMEOUT_SECONDS``, 7200).
    """
    return {
        "retries": _int(env, "CROSSPOST_TASK_RETRIES", 2),
        "retry_delay": dt.timedelta(seconds=_int(env, "CROSSPOST_RETRY_DELAY_SECONDS", 120)),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(seconds=_int(env, "CROSSPOST_MAX_RETRY_DELAY_SECONDS", 1800)),
        "execution_timeout": dt.timedelta(seconds=_int(env, "CROSSPOST_TASK_TIMEOUT_SECONDS", 3600)),
    }


def crawl_timeout(env: Mapping[str, str]) -> dt.timedelta:
    """How long one site's crawl task may run before Airflow stops it."""
    return dt.timedelta(seconds=_int(env, "CROSSPOST_CRAWL_TIMEOUT_SECONDS", 7200))


def site_lease_ttl(env: Mapping[str, str]) -> dt.timedelta:
    """How long a crawl's site lease lasts: the crawl timeout and a margin for the task's own
    start and stop, so only a holder that died without releasing it ever lets it expire."""
    return crawl_timeout(env) + dt.timedelta(minutes=10)


def site_busy_poll(env: Mapping[str, str]) -> dt.timedelta:
    """How often a crawl whose site another run is crawling asks for the site again
    (``CROSSPOST_SITE_BUSY_RETRY_SECONDS``, default 60)."""
    return dt.timedelta(seconds=max(1, _int(env, "CROSSPOST_SITE_BUSY_RETRY_SECONDS", 60)))


def site_busy_wait(env: Mapping[str, str]) -> dt.timedelta:
    """How long a crawl waits in all for its busy site before its try fails
    (``CROSSPOST_SITE_BUSY_WAIT_SECONDS``, default the lease's lifetime: by then the holder has
    given the lease back, or died and let it expire)."""
    return dt.timedelta(seconds=_int(env, "CROSSPOST_SITE_BUSY_WAIT_SECONDS", int(site_lease_ttl(env).total_seconds())))


def crawl_task_timeout(env: Mapping[str, str]) -> dt.timedelta:
    """The crawl task's execution timeout: the wait for its site, then the crawl itself."""
    return site_busy_wait(env) + crawl_timeout(env)


def max_active_runs(env: Mapping[str, str]) -> int:
    """Scheduled runs at once (``CROSSPOST_MAX_ACTIVE_RUNS``, default 1: one night crawls at a time)."""
    return max(1, _int(env, "CROSSPOST_MAX_ACTIVE_RUNS", 1))


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {value}")
    return value


def table_asset_uri(store_url: str, table: str) -> str:
    """The URI of an output table as an Airflow Asset (one asset per table; dates are its partitions)."""
    from crosspost.lake.store import table_uri

    return table_uri(store_url, table)
