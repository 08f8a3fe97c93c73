"""Fixtures of the report tests: two nights of the demo web run through the real pipeline."""

from __future__ import annotations

import shutil

import pytest

from report_nights import NIGHTS


@pytest.fixture(scope="session")
def demo_nights(sites_file, tmp_path_factory) -> str:
    """A local store holding two nights of the demo web (`crosspost run`'s code path, which
    also writes each night's HTML report)."""
    from crosspost.pipeline.runner import run_date

    store = str(tmp_path_factory.mktemp("report") / "lake")
    for night in NIGHTS:
        run_date(sites_file, store, night.isoformat())
    return store


@pytest.fixture
def demo_copy(demo_nights, tmp_path) -> str:
    """A copy of the two demo nights that a test may change."""
    return str(shutil.copytree(demo_nights, tmp_path / "lake"))
