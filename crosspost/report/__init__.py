"""The provenance report: who republishes whom, how fast, what they change, the biggest clusters
and the run health of some nights, as one self-contained HTML page.

``crosspost report`` writes it for a date or a range; the nightly ``report`` task writes
``reports/dt=D/index.html`` next to the run report.
"""

from __future__ import annotations

from pathlib import Path

from crosspost.lake import layout
from crosspost.lake.store import Store, open_store
from crosspost.report.exceptions import ReportOutputError

INDEX = "index.html"


def build_report(store: Store, start, end=None) -> str:
    """The report of the committed nights from ``start`` to ``end`` as HTML (NoCommittedData if none)."""
    from crosspost.report.data import load
    from crosspost.report.render import render

    return render(load(store, start, end))


def write_report_file(store_url: str, start, end, path: str | Path) -> int:
    """Write the report of ``start``..``end`` to a local file; return its size in bytes."""
    html = build_report(open_store(store_url), start, end).encode("utf-8")
    try:
        Path(path).write_bytes(html)
    except OSError as exc:
        raise ReportOutputError(f"cannot write the report to {path}: {exc.strerror}") from None
    return len(html)


def night_report_key(date) -> str:
    """Where a night's HTML report lives: next to its run report."""
    return layout.run_report_key(date).rsplit("/", 1)[0] + "/" + INDEX


def write_night_report(store_url: str, date) -> str:
    """Write the HTML report of one committed night into the store; return its key."""
    store = open_store(store_url)
    key = night_report_key(date)
    store.put_bytes(key, build_report(store, date).encode("utf-8"))
    return key
