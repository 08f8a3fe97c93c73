"""crosspost.pipeline.runner: which sites start first."""

from __future__ import annotations

import json

import pytest

from crosspost.lake import layout
from crosspost.lake.store import open_store
from crosspost.pipeline.runner import largest_first


def test_the_sites_that_fetched_most_last_time_start_first(local_store_url):
    store = open_store(local_store_url)
    sites = ["small", "new", "big", "middle"]
    assert largest_first(store, "2026-11-20", sites) == sites  # nothing known: the file's order
    report = {"sites": {"small": {"fetched": 3}, "big": {"fetched": 900}, "middle": {"fetched": 40}}}
    store.put_bytes(layout.run_report_key("2026-11-17"), json.dumps(report).encode())
    store.put_bytes(layout.run_report_key("2026-11-10"), json.dumps({"sites": {"small": {"fetched": 10**6}}}).encode())
    # the latest report of the week before; a site it does not know may be big: it goes first
    assert largest_first(store, "2026-11-20", sites) == ["new", "big", "middle", "small"]


def test_a_damaged_run_report_only_loses_its_hint(local_store_url):
    """The order is a hint: a hand-edited or cut-short report must not stop the night."""
    store = open_store(local_store_url)
    store.put_bytes(layout.run_report_key("2026-11-15"), json.dumps({"sites": {"big": {"fetched": 900}}}).encode())
    for day, body in (("2026-11-19", b"[]"), ("2026-11-18", b'{"sites": [1]}'), ("2026-11-17", b'"text"')):
        store.put_bytes(layout.run_report_key(day), body)  # damaged: the one of the 15th is used
    assert largest_first(store, "2026-11-20", ["small", "big"]) == ["small", "big"]  # small unknown: first
    entries = {"a": 5, "b": {"fetched": "many"}, "c": None, "d": {"fetched": 7}, "e": {"fetched": 1e400}}
    store.put_bytes(layout.run_report_key("2026-11-19"), json.dumps({"sites": entries}).encode())
    assert largest_first(store, "2026-11-20", ["a", "b", "c", "d", "e"]) == ["d", "a", "b", "c", "e"]


def test_the_tail_modules_warmed_while_the_last_sites_run_exist():
    """A renamed module would only make the warming a silent no-op: each name must import."""
    import importlib

    from crosspost.pipeline.runner import TAIL_MODULES

    for name in TAIL_MODULES:
        importlib.import_module(name)


def test_the_tail_is_warmed_once_and_a_failing_import_is_left_to_its_stage(caplog):
    from crosspost.pipeline.runner import _import_all, _TailWarmer

    warmer = _TailWarmer()
    warmer.start()
    first = warmer.thread
    warmer.start()
    assert warmer.thread is first
    warmer.join()
    assert not first.is_alive()
    _TailWarmer().join()  # never started: nothing to wait for
    _import_all(("crosspost.no_such_module", "json"))  # logged at debug level, not raised


def test_a_reprocess_starts_with_the_sites_whose_archive_holds_most_pages(local_store_url):
    store = open_store(local_store_url)
    for site, fetched in (("small", 3), ("big", 900)):
        store.put_bytes(layout.crawl_report_key(site, "2026-11-20"), json.dumps({"fetched": fetched}).encode())
    store.put_bytes(layout.crawl_report_key("broken", "2026-11-20"), b"{not json")
    for site, report in (("infinite", b'{"fetched": Infinity}'), ("listed", b"[1]"), ("text", b'{"fetched": "many"}')):
        store.put_bytes(layout.crawl_report_key(site, "2026-11-20"), report)
    # last week's run report is not what the archive holds: it is not used
    store.put_bytes(layout.run_report_key("2026-11-19"), json.dumps({"sites": {"small": {"fetched": 10**6}}}).encode())
    sites = ["small", "broken", "big", "infinite", "listed", "text"]
    assert largest_first(store, "2026-11-20", sites, archived=True) == [
        "broken", "infinite", "listed", "text", "big", "small"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_python_dropped_during_dedupe_stops_the_night_before_publish(monkeypatch):
    import signal

    from crosspost.pipeline import runner
    from tests.crosspost.pipeline.test_parallel import _CtrlCInDel

    before = signal.getsignal(signal.SIGINT)  # SIG_IGN when the tests run in a background job
    stages = []
    monkeypatch.setattr(runner, "dedupe_date", lambda *a, **k: (stages.append("dedupe"), _CtrlCInDel()) and None)
    monkeypatch.setattr(runner, "publish_date", lambda *a, **k: stages.append("publish"))
    monkeypatch.setattr(runner, "write_reports", lambda *a, **k: stages.append("reports"))
    with pytest.raises(KeyboardInterrupt):
        runner.run_tail("file:///nowhere", "2026-11-20", ["a"], run_id="t", allow_shrink=False, jobs=1)
    assert stages == ["dedupe"]
    assert signal.getsignal(signal.SIGINT) is before  # the handlers are given back
