"""crosspost.orchestration.runplan: which date a run writes, and the settings checked before any work."""

from __future__ import annotations

import datetime as dt

import pytest

from crosspost.exceptions import ConfigError
from crosspost.orchestration.runplan import partition_date, plan_run

DATE = "2026-11-20"


@pytest.mark.parametrize("args, expected", [
    (("2026-11-03", None, None), "2026-11-03"),
    ((None, dt.datetime(2026, 11, 20, tzinfo=dt.UTC), None), "2026-11-20"),
    ((None, dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))), None), "2026-11-21"),
    ((None, None, dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.UTC)), "2026-11-20"),
])
def test_partition_date(args, expected):
    assert partition_date(*args) == expected


def test_partition_date_needs_something():
    with pytest.raises(ConfigError):
        partition_date(None, None, None)
    with pytest.raises(ConfigError):
        partition_date("20/11/2026", None, None)


def test_plan_run_validates_mode_sites_and_store(sites_file, local_store_url, demo_web):
    plan = plan_run(sites_file, local_store_url, DATE, "reprocess")
    assert plan["sites"] == list(demo_web.urls) and plan["mode"] == "reprocess"
    with pytest.raises(ConfigError, match="mode"):
        plan_run(sites_file, local_store_url, DATE, "fast")
