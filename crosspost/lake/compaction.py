"""Monthly compaction of the dated state indexes: the seen-URL index and the signature index.

Both keep one *daily segment* per date (the URLs a crawl archived, the signatures a dedupe
made), and a run of date D needs every row dated before D: without compaction every run
reads every earlier segment, 365 more objects a year. Once a month is over, its daily
segments are folded into one *month segment*, and a run reads at most one object per
earlier month plus the daily segments of its own month.

Layout, under the index's prefix P (next to the daily segments)::

    P/month=YYYY-MM/part-<sha1>.parquet   the month's rows, each with its date (column ``dt``)
    P/month=YYYY-MM/_MANIFEST.json        written last: the part, and per date the digest of
                                          the daily segment it holds and what the index keeps
                                          of it (e.g. the signature basis)

Rules that keep every read exactly what it was before compaction:

- A read for date D takes, from each month segment that starts before D, only the rows dated
  before D, and every daily segment dated before D. A rerun of an old date therefore sees
  what its first run saw, even after its month was compacted.
- A daily segment of a date that a month segment also holds wins: it was written after the
  compaction, by a rerun or a backfill of that date (the index writes the daily segment
  first, always). The next compaction of that month folds it in.
- Compacting month M (only months before the month of the date being run): build the part
  from M's current rows (month segment, daily segments winning), write it, then replace the
  manifest (conditionally: of two compactions at once one wins, the other leaves everything
  as it was), then delete the daily segments and the parts the manifest no longer lists. A
  crash anywhere leaves a state that reads the same; running it again finishes the job, and
  a month without daily segments is left alone (idempotent).

Compaction runs inside the stage that writes the index (crawl per site, dedupe per date), so
it needs what the stage needs anyway: one writer of a site's seen index, and of the
signature index, at a time (per-site exclusivity and ``depends_on_past`` in the DAG).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost.exceptions import CommitConflict, DamagedState, ObjectNotFound, StoreError
from crosspost.lake.reader import parquet_table
from crosspost.lake.store import Store

log = logging.getLogger(__name__)

Info = dict[str, Any]  # what a month manifest keeps of one date: its digest, and the index's description

MANIFEST = "_MANIFEST.json"
_MONTH = re.compile(r"month=(\d{4}-\d\d)/" + re.escape(MANIFEST) + "$")


@dataclass(frozen=True)
class DatedIndex:
    """One dated index in the store: where its segments are and how to read a daily one."""

    prefix: str  # e.g. "state/seen/site=x/"
    daily: re.Pattern[str]  # matches a daily segment's key; group 1 is its date
    daily_key: Callable[[str], str]  # date -> the daily segment a month segment replaces
    read_daily: Callable[[bytes], pa.Table]  # a daily segment's rows (without ``dt``)
    describe: Callable[[bytes], dict[str, str]] = field(default=lambda data: {})  # kept in the manifest per date

    def month_prefix(self, month: str) -> str:
        """Folder of one month segment."""
        return f"{self.prefix}month={month}/"

    def manifest_key(self, month: str) -> str:
        """The month segment's manifest (written last)."""
        return self.month_prefix(month) + MANIFEST


@dataclass
class Scan:
    """What one listing of the index's prefix shows."""

    dailies: dict[str, str]  # date -> key
    months: dict[str, str]  # month -> manifest key
    keys: list[str]


def scan(store: Store, index: DatedIndex) -> Scan:
    """List the index once: its daily segments and month manifests."""
    keys = store.list(index.prefix)
    dailies = {m.group(1): k for k in keys if (m := index.daily.search(k))}
    months = {m.group(1): k for k in keys if (m := _MONTH.search(k))}
    return Scan(dailies, months, keys)


def read_manifest(store: Store, key: str) -> tuple[dict[str, Any], str]:
    """A month manifest and its ETag."""
    data, etag = store.get_with_etag(key)
    return json.loads(data), etag


def read_before(store: Store, index: DatedIndex, date: str) -> tuple[pa.Table | None, dict[str, Info]]:
    """Every row dated before ``date`` (column ``dt`` added, dates ascending, each date's rows in
    their stored order) and, per date, its digest and description; ``None`` when there are none."""
    found = scan(store, index)
    pieces: list[pa.Table | None] = []
    info: dict[str, Info] = {}
    for month, key in sorted(found.months.items()):
        if f"{month}-01" >= date:
            continue
        table, dates = _month_rows(store, index, key, skip=set(found.dailies), before=date)
        pieces.append(table)
        info.update(dates)
    for day, key in sorted(found.dailies.items()):
        if day < date:
            pieces.append(_daily(store, index, key, day, info))
    pieces = [p for p in pieces if p is not None]
    if not pieces:
        return None, info
    table = pa.concat_tables(pieces, promote_options="default")
    return table.take(pc.sort_indices(table, [("dt", "ascending")])), dict(sorted(info.items()))  # a stable sort


def _month_rows(store: Store, index: DatedIndex, key: str, *, skip: set[str],
                before: str | None) -> tuple[pa.Table | None, dict[str, Info]]:
    """A month segment's rows and per-date info, without the dates in ``skip`` and those not before ``before``."""
    data = store.get_bytes(key)  # read outside `readable`: a store's own errors are not damage
    with readable(store, key):
        manifest = json.loads(data)
        dates = {d: i for d, i in manifest["dates"].items() if d not in skip and (before is None or d < before)}
        paths = [key.rsplit("/", 1)[0] + "/" + f["path"] for f in manifest["files"]]
    if not dates:
        return None, {}
    tables = []
    for path in paths:
        part = store.get_bytes(path)
        with readable(store, path):
            tables.append(parquet_table(part))
    with readable(store, key):
        table = pa.concat_tables(tables)
        return table.filter(pc.is_in(table.column("dt"), pa.array(sorted(dates)))), dates


def _daily(store: Store, index: DatedIndex, key: str, day: str, info: dict[str, Info]) -> pa.Table:
    """A daily segment's rows with their date; its digest and description go to ``info``."""
    data = store.get_bytes(key)
    with readable(store, key):
        table = _with_date(index.read_daily(data), day)
        info[day] = _describe(index, data)
    return table


@contextmanager
def readable(store: Store, key: str) -> Iterator[None]:
    """Read a state object in the block: one that cannot be parsed (damaged outside crosspost)
    raises DamagedState naming it and what to do, instead of a parser's traceback."""
    try:
        yield
    except (pa.ArrowException, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DamagedState(
            f"{store.uri(key)} cannot be read ({type(exc).__name__}: {exc}): this state is damaged, and crosspost "
            "will not match against part of the history. Restore it from a backup, or rerun the date it belongs "
            "to (crosspost run --date <that date>, with --reprocess to use its archive) to write it again") from None


def _with_date(table: pa.Table, day: str) -> pa.Table:
    return table.append_column("dt", pa.array([day] * table.num_rows, pa.string()))


def _describe(index: DatedIndex, data: bytes) -> Info:
    return {"digest": hashlib.sha1(data).hexdigest(), **index.describe(data)}


def held_dates(store: Store, index: DatedIndex) -> list[str]:
    """Every date the index holds, ascending (one listing and the month manifests)."""
    found = scan(store, index)
    held = set(found.dailies)
    for key in found.months.values():
        held.update(read_manifest(store, key)[0]["dates"])
    return sorted(held)


def dates(store: Store, index: DatedIndex) -> dict[str, Info]:
    """Every date the index holds, ascending, with its digest and description (reads the month
    manifests and the daily segments, not the month parts)."""
    found = scan(store, index)
    info: dict[str, Info] = {}
    for key in found.months.values():
        info.update(read_manifest(store, key)[0]["dates"])
    for day, key in found.dailies.items():
        info[day] = _describe(index, store.get_bytes(key))
    return dict(sorted(info.items()))


def digest_of(store: Store, index: DatedIndex, date: str) -> str | None:
    """The digest of the daily segment of ``date`` as the index holds it (None: not held)."""
    try:
        return hashlib.sha1(store.get_bytes(index.daily_key(date))).hexdigest()
    except ObjectNotFound:
        pass
    try:
        manifest, _ = read_manifest(store, index.manifest_key(date[:7]))
    except ObjectNotFound:
        return None
    digest = manifest["dates"].get(date, {}).get("digest")
    return str(digest) if digest else None


def compact_before(store: Store, index: DatedIndex, date: str) -> list[str]:
    """Fold the daily segments of every month before the month of ``date`` into month
    segments; return the months compacted. A failure is logged, never raised: the index
    reads the same either way, and the next run tries again."""
    found = scan(store, index)
    months = sorted({d[:7] for d in found.dailies if d[:7] < date[:7]})
    done = []
    for month in months:
        try:
            compact_month(store, index, month, found)
            done.append(month)
        except (StoreError, OSError) as exc:
            log.warning("compaction of %smonth=%s failed, left for the next run: %s", index.prefix, month, exc)
    return done


def compact_month(store: Store, index: DatedIndex, month: str, found: Scan | None = None) -> None:
    """Fold one month's daily segments into its month segment (see the module docstring)."""
    found = found or scan(store, index)
    dailies = {d: k for d, k in found.dailies.items() if d[:7] == month}
    if not dailies:
        return
    key = index.manifest_key(month)
    try:
        current, etag = read_manifest(store, key)
    except ObjectNotFound:
        current, etag = None, None
    table, info = _merged(store, index, key if current else None, dailies)
    part = _write_part(store, index, month, table)
    if not _commit(store, key, etag, {"month": month, "dates": info, "rows": table.num_rows, "files": [part]}):
        return
    keep = {key, index.month_prefix(month) + part["path"]}
    stale = [k for k in found.keys if k.startswith(index.month_prefix(month)) and k not in keep]
    store.delete(sorted(dailies.values()) + stale)
    log.info("compacted %s: %d daily segments -> %s (%d dates, %d rows)", index.month_prefix(month),
             len(dailies), part["path"], len(info), table.num_rows)


def _write_part(store: Store, index: DatedIndex, month: str, table: pa.Table) -> dict[str, Any]:
    """Upload the month's rows under a name from their content (a rerun writes the same key)."""
    data = parquet_bytes(table)
    path = f"part-{hashlib.sha1(data).hexdigest()[:20]}.parquet"
    store.put_bytes(index.month_prefix(month) + path, data)
    return {"path": path, "size": len(data), "rows": table.num_rows}


def _commit(store: Store, key: str, etag: str | None, manifest: dict[str, Any]) -> bool:
    """Replace the manifest if nobody else did since we read it; False if someone did."""
    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
    try:
        store.put_bytes(key, body, if_match=etag) if etag else store.put_bytes(key, body, if_absent=True)
    except CommitConflict:
        log.warning("%s was compacted by another run at the same time: left as it is", key)
        return False
    return True


def _merged(store: Store, index: DatedIndex, manifest_key: str | None,
            dailies: dict[str, str]) -> tuple[pa.Table, dict[str, Info]]:
    """A month's rows: its month segment's (if any) with its daily segments winning, by date."""
    pieces: list[pa.Table | None] = []
    info: dict[str, Info] = {}
    if manifest_key:
        table, info = _month_rows(store, index, manifest_key, skip=set(dailies), before=None)
        pieces.append(table)
    for day, key in sorted(dailies.items()):
        pieces.append(_daily(store, index, key, day, info))
    table = pa.concat_tables([p for p in pieces if p is not None], promote_options="default")
    return table.take(pc.sort_indices(table, [("dt", "ascending")])), dict(sorted(info.items()))


def parquet_bytes(table: pa.Table) -> bytes:
    """Parquet of a state table: text columns dictionary-encoded and zstd-compressed; hash
    columns (random bits) stored plain, where both would only cost time."""
    text = [f.name for f in table.schema if pa.types.is_string(f.type)]
    buf = io.BytesIO()
    pq.write_table(table, buf, use_dictionary=text, compression={c: "zstd" if c in text else "none"
                                                                 for c in table.column_names})
    return buf.getvalue()
