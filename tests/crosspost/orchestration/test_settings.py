"""crosspost.orchestration.settings: the DAG's settings, credentials and policies, without Airflow."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from crosspost.exceptions import ConfigError
from crosspost.orchestration import settings as support

DATE = "2026-11-20"


def test_pick_setting_prefers_the_variable_then_the_environment():
    assert support.pick_setting("s3://var/lake", "/env/lake", "crosspost_store", "CROSSPOST_STORE") == "s3://var/lake"
    assert support.pick_setting(None, "/env/lake", "crosspost_store", "CROSSPOST_STORE") == "/env/lake"
    with pytest.raises(ConfigError, match="crosspost_store.*CROSSPOST_STORE"):
        support.pick_setting(None, "", "crosspost_store", "CROSSPOST_STORE")


def test_s3_environment_from_connection_fields():
    env = support.s3_environment("AKIAEXAMPLE", "very-secret", {"region_name": "eu-west-1",
                                                                "endpoint_url": "http://minio:9000"})
    assert env == {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "very-secret",
                   "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ENDPOINT_URL_S3": "http://minio:9000"}


def test_s3_environment_reads_service_config_and_session_token():
    extra = {"aws_session_token": "tok", "service_config": {"s3": {"endpoint_url": "http://s3.local:9000"}},
             "endpoint_url": "http://ignored:1"}
    env = support.s3_environment(None, None, extra)
    assert env == {"AWS_SESSION_TOKEN": "tok", "AWS_ENDPOINT_URL_S3": "http://s3.local:9000"}


def test_a_connection_without_keys_leaves_the_credential_chain_alone():
    assert support.s3_environment(None, None, None) == {}
    assert support.s3_environment("", "", {}) == {}


def test_environment_is_restored_after_the_block(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with support.environment({"AWS_DEFAULT_REGION": "eu-west-1", "AWS_SESSION_TOKEN": "tok"}):
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1" and os.environ["AWS_SESSION_TOKEN"] == "tok"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1" and "AWS_SESSION_TOKEN" not in os.environ


def test_environment_is_restored_when_the_block_fails(monkeypatch):
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with pytest.raises(RuntimeError), support.environment({"AWS_SESSION_TOKEN": "tok"}):
        raise RuntimeError("boom")
    assert "AWS_SESSION_TOKEN" not in os.environ


def test_task_policy_defaults_and_overrides():
    policy = support.task_policy({})
    assert policy["retries"] == 2 and policy["retry_exponential_backoff"] is True
    assert policy["retry_delay"] == dt.timedelta(minutes=2) and policy["max_retry_delay"] == dt.timedelta(minutes=30)
    assert policy["execution_timeout"] == dt.timedelta(hours=1)
    assert support.crawl_timeout({}) == dt.timedelta(hours=2)
    custom = support.task_policy({"CROSSPOST_TASK_RETRIES": "0", "CROSSPOST_RETRY_DELAY_SECONDS": "5"})
    assert custom["retries"] == 0 and custom["retry_delay"] == dt.timedelta(seconds=5)


def test_a_site_lease_outlives_the_crawl_it_guards():
    assert support.site_lease_ttl({}) > support.crawl_timeout({})
    assert support.site_lease_ttl({"CROSSPOST_CRAWL_TIMEOUT_SECONDS": "60"}) == dt.timedelta(minutes=11)
    assert support.site_busy_poll({}) == dt.timedelta(minutes=1)
    assert support.site_busy_poll({"CROSSPOST_SITE_BUSY_RETRY_SECONDS": "0"}) == dt.timedelta(seconds=1)


def test_a_crawl_waits_for_its_site_as_long_as_a_lease_lasts_then_crawls_in_full():
    assert support.site_busy_wait({}) == support.site_lease_ttl({}) == dt.timedelta(hours=2, minutes=10)
    assert support.site_busy_wait({"CROSSPOST_CRAWL_TIMEOUT_SECONDS": "60"}) == dt.timedelta(minutes=11)
    empty = {"CROSSPOST_SITE_BUSY_WAIT_SECONDS": ""}  # what the compose file passes when unset
    assert support.site_busy_wait(empty) == support.site_lease_ttl({})
    assert support.site_busy_wait({"CROSSPOST_SITE_BUSY_WAIT_SECONDS": "30"}) == dt.timedelta(seconds=30)
    env = {"CROSSPOST_SITE_BUSY_WAIT_SECONDS": "30", "CROSSPOST_CRAWL_TIMEOUT_SECONDS": "60"}
    assert support.crawl_task_timeout(env) == dt.timedelta(seconds=90)


def test_max_active_runs():
    assert support.max_active_runs({}) == 1
    assert support.max_active_runs({"CROSSPOST_MAX_ACTIVE_RUNS": "3"}) == 3
    assert support.max_active_runs({"CROSSPOST_MAX_ACTIVE_RUNS": "0"}) == 1


@pytest.mark.parametrize("value", ["two", "-1", "1.5"])
def test_task_policy_rejects_bad_numbers(value):
    with pytest.raises(ConfigError, match="CROSSPOST_TASK_RETRIES"):
        support.task_policy({"CROSSPOST_TASK_RETRIES": value})


def test_table_asset_uri(tmp_path):
    assert support.table_asset_uri("s3://bucket/lake/", "articles") == "s3://bucket/lake/articles"
    assert support.table_asset_uri(str(tmp_path / "lake"), "crossposts") == (tmp_path / "lake" / "crossposts").as_uri()
