"""The text of any cluster member, tonight's or an earlier night's, for alignment.

Tonight's texts come from tonight's records. An original from an earlier night is found in
the signature history (its site and date), and its text in that site's extracted records of
that date, read once per (site, date) and only when a copy of it arrived tonight.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crosspost.common.records import Record
from crosspost.dedupe.credits import normalize
from crosspost.exceptions import ObjectNotFound
from crosspost.lake import layout
from crosspost.lake.jsonl import load_jsonl_gz
from crosspost.lake.store import Store

if TYPE_CHECKING:
    from crosspost.dedupe.signature_index import History

log = logging.getLogger(__name__)


class TextLookup:
    """``get(url)``: the text of a member of tonight's clusters (None when it cannot be found)."""

    def __init__(self, store: Store, records: list[Record], history: History | None = None):
        self.store, self.history = store, history
        self.texts = {normalize(r["url"]): r["text"] for r in records if r.get("status") == "ok" and r.get("text")}
        self._loaded: set[tuple[str, str]] = set()

    def get(self, url: str) -> str | None:
        """The text of ``url`` (normalised), reading an earlier night's records if needed."""
        key = normalize(url)
        if key not in self.texts and self.history is not None and key in self.history.rows_by_key:
            row = self.history.rows_by_key[key][-1]
            self._load(self.history.meta["site"][row], self.history.row_dates[row])
        return self.texts.get(key)

    def _load(self, site: str, date: str) -> None:
        if (site, date) in self._loaded:
            return
        self._loaded.add((site, date))
        try:
            records = load_jsonl_gz(self.store.get_bytes(layout.extracted_key(site, date)))
        except ObjectNotFound:
            log.warning("no extracted records of %s on %s: copies of its articles get no alignment", site, date)
            return
        for r in records:
            if r.get("status") == "ok" and r.get("text"):
                self.texts.setdefault(normalize(r["url"]), r["text"])
