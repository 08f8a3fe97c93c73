"""Put the numbers, charts and texts into one self-contained HTML page (Jinja2).

The page loads nothing: the stylesheet is inlined, the charts are inline SVG, and every link
points at an article URL or an anchor of the page itself.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from crosspost import __version__
from crosspost.report import alignment, charts, clusters, health, stats
from crosspost.report.data import ReportData

TEMPLATES = Path(__file__).with_name("templates")
PAIRS_SHOWN = 30  # rows of the pairs table shown before "show all"


def environment() -> jinja2.Environment:
    """The template environment (HTML autoescaped, filters for numbers and dates)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=_pct, hours=_hours, day=lambda d: d.isoformat(), anchor=anchor,
                       elide=alignment.elide)
    return env


def anchor(cluster_id: str) -> str:
    """The id of a cluster's block in the page."""
    return f"cluster-{cluster_id}"


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def _hours(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def render(data: ReportData) -> str:
    """The whole report for ``data`` as one HTML string."""
    context = {"data": data, "version": __version__, "relations": stats.RELATIONS,
               "colors": charts.RELATION_COLORS, "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
               "copy_count": len(stats.copies(data)), "pairs_shown": PAIRS_SHOWN,
               **_who(data), **_how_fast(data), **_changes(data), **_health(data),
               "clusters": clusters.biggest(data)}
    return environment().get_template("report.html.j2").render(context)


def _who(data: ReportData) -> dict:
    pairs = stats.pairs(data)
    rows, cols, cells = stats.matrix(pairs)
    counts = {key: p.copies for key, p in cells.items()}
    credited = {r: sum(p.credited for p in pairs if p.republisher == r) /
                sum(p.copies for p in pairs if p.republisher == r) for r in rows}
    return {"pairs": pairs, "uncrawled": sorted({p.origin for p in pairs if not p.crawled}),
            "matrix_svg": charts.matrix(rows, cols, counts, credited) if pairs else None}


def _how_fast(data: ReportData) -> dict:
    by_site = stats.lags_by_site(data)
    nights = stats.per_night(data)
    return {"lag_rows": [{"site": s, **stats.summary(v)} for s, v in by_site.items()],
            "lag_svg": charts.lags(by_site) if by_site else None, "nights": nights,
            "nights_svg": charts.per_night(nights, stats.RELATIONS)}


def _changes(data: ReportData) -> dict:
    mix = stats.relations_by_site(data)
    return {"mix": mix, "mix_svg": charts.relation_mix(mix, stats.RELATIONS) if mix else None,
            "changes": stats.changes_by_site(data), "stored_alignment": stats.stored_alignment(data)}


def _health(data: ReportData) -> dict:
    sites = health.sites(data)
    return {"health": sites, "missing_sites": [s for s in sites if s.missing],
            "health_svg": charts.health(sites, data.nights) if len(data.nights) > 1 and sites else None}
