"""Run health per site: discovered, fetched, failed by reason and extracted, night by night,
from the run reports (or the crawl reports when a night has none); missing sites flagged."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from crosspost.report.data import ReportData


@dataclass
class SiteHealth:
    """One site over the range."""

    site: str
    discovered: int = 0
    fetched: int = 0
    extracted: int = 0
    failed: Counter = field(default_factory=Counter)
    nights: dict[dt.date, int | None] = field(default_factory=dict)  # extracted, None when missing

    @property
    def missing(self) -> list[dt.date]:
        """Nights the site did not arrive."""
        return [night for night, extracted in self.nights.items() if extracted is None]


def sites(data: ReportData) -> list[SiteHealth]:
    """Every site any night knows of, missing ones first, then by name."""
    found: dict[str, SiteHealth] = {}
    names = sorted({s for night in data.nights for s in _entries(data, night)} |
                   {s for status in data.site_status.values() for s in status})
    for name in names:
        found[name] = SiteHealth(name)
    for night in data.nights:
        entries = _entries(data, night)
        for name, health in found.items():
            _add(health, night, entries.get(name), data.site_status[night].get(name))
    return sorted(found.values(), key=lambda h: (not h.missing, h.site))


def _entries(data: ReportData, night: dt.date) -> dict[str, dict]:
    return (data.runs.get(night) or {}).get("sites") or {}


def _add(health: SiteHealth, night: dt.date, entry: dict | None, manifest_status: str | None) -> None:
    entry = entry or {}
    crawl = entry.get("crawl") or {}
    if entry.get("status", manifest_status) in (None, "missing") or manifest_status == "missing":
        health.nights[night] = None
    else:
        health.nights[night] = entry.get("extracted", 0)
        health.extracted += entry.get("extracted", 0)
    health.discovered += entry.get("discovered", sum((crawl.get("discovered") or {}).values()))
    health.fetched += entry.get("fetched", crawl.get("fetched", 0))
    health.failed.update(crawl.get("failed") or {})
