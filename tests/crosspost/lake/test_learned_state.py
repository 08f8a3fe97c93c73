"""The per-site learned-boilerplate segments: a run of date D reads only the dates before D
(within its window), so parallel backfills of one site keep each other's learning and a rerun
of D reads what it read before."""

from __future__ import annotations

from crosspost.lake import layout
from crosspost.lake.learned_state import load_segments, save_segment
from crosspost.lake.store import open_store


def test_a_date_reads_only_earlier_dates_of_its_window_and_its_site(tmp_path):
    store = open_store(str(tmp_path / "lake"))
    for date in ("2026-10-01", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"):  # two backfills' dates
        save_segment(store, "a", date, date.encode())
    save_segment(store, "b", "2026-11-19", b"other site")
    store.put_bytes(layout.boilerplate_prefix("a") + "notes.txt", b"not a segment")
    assert load_segments(store, "a", "2026-11-20", 28) == [
        (layout.boilerplate_key("a", "2026-11-18"), b"2026-11-18"),
        (layout.boilerplate_key("a", "2026-11-19"), b"2026-11-19")]
    save_segment(store, "a", "2026-11-20", b"rerun")  # a rerun replaces its own segment only
    assert [k for k, _ in load_segments(store, "a", "2026-11-22", 28)][-2:] == [
        layout.boilerplate_key("a", "2026-11-20"), layout.boilerplate_key("a", "2026-11-21")]
    assert store.get_bytes(layout.boilerplate_key("a", "2026-11-20")) == b"rerun"
