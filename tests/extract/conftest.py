"""Fixtures of the extract tests (helpers live in ``extract_testlib``)."""

from __future__ import annotations

import datetime as dt

import pytest

from extract_testlib import CRAWL_DATE


@pytest.fixture
def crawl_date() -> dt.date:
    """The demo's crawl date (the golden pages were saved on it)."""
    return CRAWL_DATE
