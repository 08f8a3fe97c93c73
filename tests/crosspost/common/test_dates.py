"""crosspost.common.dates: the one implementation of partition days, timestamps and URL dates."""

from __future__ import annotations

import datetime as dt

import pytest

from crosspost.common.dates import (
    day,
    parse_day,
    parse_iso,
    parse_timestamp,
    text_date,
    url_date,
)
from crosspost.exceptions import ConfigError


def test_partition_days():
    assert parse_day("2026-11-20") == parse_day(dt.date(2026, 11, 20)) == dt.date(2026, 11, 20)
    assert day(dt.date(2026, 11, 20)) == day("2026-11-20") == "2026-11-20"
    for bad in ("2026-13-01", "20/11/2026", None):
        with pytest.raises(ConfigError, match="want YYYY-MM-DD"):
            parse_day(bad)


def test_iso_timestamps_are_utc_and_bad_ones_unknown():
    assert parse_iso("2026-11-20T10:00:00+02:00") == dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)
    assert parse_iso("2026-11-20T10:00:00Z") == parse_iso("2026-11-20 10:00:00") == parse_iso("2026-11-20T10:00")
    assert parse_iso("Thu, 19 Nov 2026 23:30:00 -0200") is None  # ISO only: RFC 2822 is parse_timestamp's
    assert parse_iso("garbage") is None and parse_iso("") is None and parse_iso(None) is None


@pytest.mark.parametrize("value, expected", [
    ("2026-11-18T09:30:00Z", "2026-11-18 09:30:00+00:00"),
    ("2026-11-18 09:30:00", "2026-11-18 09:30:00+00:00"),
    ("Wed, 18 Nov 2026 09:30:00 +0100", "2026-11-18 08:30:00+00:00"),
    ("20261118", "2026-11-18 00:00:00+00:00"),
    ("November 18, 2026", "2026-11-18 00:00:00+00:00"),
    ("yesterday", None), ("", None), (None, None),
])
def test_parse_timestamp(value, expected):
    parsed = parse_timestamp(value)
    assert (str(parsed) if parsed else None) == expected


def test_text_and_url_dates():
    assert text_date("first published on 20 September 2025") == dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
    assert text_date("Sept. 20, 2025") == dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
    assert text_date("no date here") is None
    assert url_date("https://a.example/2019/11/18/slug") == dt.date(2019, 11, 18)
    assert url_date("https://a.example/news/275221/") is None
    assert url_date("http://s.example/2026/11/18/slug/") == dt.date(2026, 11, 18)  # the crawler's rule
    assert url_date("http://s.example/2026/13/45/slug/") is None
    assert url_date("http://s.example/2026-11-18-ferry-restored") == dt.date(2026, 11, 18)
    assert url_date("http://s.example/news/20261118/ferry") == dt.date(2026, 11, 18)
    assert url_date("http://s.example/id/2026111812/") is None and url_date(None) is None


def test_a_compact_date_that_is_no_date_is_unknown():
    assert parse_timestamp("20261345") is None
