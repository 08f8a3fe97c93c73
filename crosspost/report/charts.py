"""The report's charts, drawn by matplotlib (object API, no pyplot state) as inline SVG.

Text stays text (``svg.fonttype: none``) so the page's system font draws it and it can be
selected and searched; ids are salted with a constant so the same data gives the same bytes.
Figure sizes grow with the number of sites, so 50 sites get 50 readable rows, not 50 overlaps.
"""

from __future__ import annotations

import html
import io
import random
import re

import matplotlib
import matplotlib.ticker
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

RELATION_COLORS = {"exact": "#4a6fa5", "excerpt": "#9dbbdc", "extended": "#e2a65b", "edited": "#b65f5f"}
INK, MUTED, GRID = "#2b2f36", "#6b7280", "#e5e7eb"
HEAT = ("#eef3fa", "#9dbbdc", "#2f5a8f", "#152b4a")  # the matrix's colours, evenly spaced from 0 to the top count
DROP = LinearSegmentedColormap.from_list("drop", ["#e9a27c", "#f8e1d2", "#eef3fa"])
MISSING = "#c2410c"
STYLE = {
    "svg.fonttype": "none", "svg.hashsalt": "crosspost-report", "font.size": 9, "font.family": "sans-serif",
    "axes.edgecolor": "#c7ccd4", "axes.labelcolor": INK, "axes.titlesize": 10, "text.color": INK,
    "xtick.color": MUTED, "ytick.color": INK, "xtick.labelsize": 8.5, "ytick.labelsize": 8.5,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
}
FONT_FAMILY = re.compile(r"font-family: [^;\"]*;? ?")
ROW_INCHES, CELL_INCHES = 0.24, 0.24
MAX_VECTOR_POINTS = 3000  # more dots than this are drawn as one embedded image (keeps the file small)


def _styled():
    """The report's matplotlib settings, for the figures made and saved inside the block."""
    return matplotlib.rc_context(STYLE)  # type: ignore[arg-type]  # STYLE's keys are valid rcParams


def to_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML (no XML prologue, no timestamp)."""
    buf = io.StringIO()
    with _styled():
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
    svg = re.sub(r"^.*?(?=<svg)", "", buf.getvalue(), flags=re.S)
    return FONT_FAMILY.sub("", svg)  # the page's stylesheet names the font, once


def _figure(width: float, height: float) -> Figure:
    with _styled():
        return Figure(figsize=(width, height))


def matrix(rows: list[str], cols: list[str], counts: dict, credited: dict) -> str:
    """Republishers (rows) x origins (columns), cells shaded by copies and labelled with them;
    each row ends with its copies and the share that credits the original.

    Drawn as SVG directly, not by matplotlib: a cell and a label per pair made it the slowest
    chart (~1,000 text artists, laid out twice for ``bbox_inches="tight"``)."""
    grid = [[counts.get((r, c), 0) for c in cols] for r in rows]
    top = max(max(line) for line in grid) or 1
    totals = [f"{sum(line)} · {credited[r]:.0%} credited" for r, line in zip(rows, grid)]
    left = _LABEL + _PAD + _width(rows, 8.5) + _PAD  # the y label, then the row labels
    head = _LABEL + _PAD + _width(cols, 8.5) + _PAD  # the x label, then the column labels (turned)
    svg = _Svg(left + CELL * (len(cols) + 0.2) + _width(totals, 8) + _PAD, head + CELL * len(rows) + _PAD)
    for y, (r, line) in enumerate(zip(rows, grid)):
        mid = head + CELL * (y + 0.5)
        svg.text(left - _PAD, mid, r, 8.5, INK, anchor="end")
        for x, value in enumerate(line):
            if value:
                svg.rect(left + CELL * x + 0.75, head + CELL * y + 0.75, CELL - 1.5, CELL - 1.5, heat(value / top))
                svg.text(left + CELL * (x + 0.5), mid, str(value), 7.5, "white" if value > top * 0.45 else INK,
                         anchor="middle")
        svg.text(left + CELL * (len(cols) + 0.2), mid, totals[y], 8, MUTED)
    for x, c in enumerate(cols):
        svg.text(left + CELL * (x + 0.5), head - _PAD, c, 8.5, MUTED, rotate=True)
    svg.text(left + CELL * len(cols) / 2, _LABEL / 2, "origin (outlet of the original)", 9, INK, anchor="middle")
    svg.text(_LABEL / 2, head + CELL * len(rows) / 2, "republisher", 9, INK, anchor="middle", rotate=True)
    return svg.markup()


CELL = 16.5  # points: a matrix cell (SVG user units are points, as in matplotlib's SVG)
_PAD, _LABEL = 3.5, 12.0  # points: between a label and what it names; an axis title's line


def heat(share: float) -> str:
    """HEAT's colour of a share of the top count, as matplotlib picks it (256 steps)."""
    at = min(int(share * 256), 255) / 255 * (len(HEAT) - 1)
    i = min(int(at), len(HEAT) - 2)
    low, high = (_rgb(c) for c in HEAT[i:i + 2])
    return "#" + "".join(f"{round(a + (b - a) * (at - i)):02x}" for a, b in zip(low, high))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _width(texts: list[str], size: float) -> float:
    """About the widest of ``texts`` at ``size`` points (a sans-serif letter is ~0.55 em wide):
    room to keep, not a measure; the browser draws the text in the page's font."""
    return max((len(t) for t in texts), default=0) * size * 0.55


class _Svg:
    """SVG shapes in points, written as the page inlines matplotlib's charts (no font family:
    the page's stylesheet names it)."""

    def __init__(self, width: float, height: float):
        self.width, self.height, self.parts = width, height, list[str]()

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.parts.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" style="fill: {fill}"/>')

    def text(self, x: float, y: float, text: str, size: float, fill: str, *, anchor: str = "start",
             rotate: bool = False) -> None:
        """A line of text anchored at ``(x, y)``, its middle on the point (``rotate``: turned a
        quarter left, it reads upwards)."""
        turn = " rotate(-90)" if rotate else ""
        self.parts.append(f'<text transform="translate({x:.2f} {y:.2f}){turn}" dy="0.35em" style="font-size: {size}px; '
                          f'fill: {fill}; text-anchor: {anchor}">{html.escape(text)}</text>')

    def markup(self) -> str:
        w, h = f"{self.width:.2f}", f"{self.height:.2f}"
        return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}pt" height="{h}pt" '
                f'viewBox="0 0 {w} {h}">' + "".join(self.parts) + "</svg>")


def _axis_labels(ax, rows: list[str], cols: list[str]) -> None:
    ax.set_xticks(range(len(cols)), cols, rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(cols))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_ylabel("republisher")
    ax.set_xlabel("origin (outlet of the original)")
    ax.xaxis.set_label_position("top")


def lags(by_site: dict[str, list[float]]) -> str:
    """A box per republisher with every copy as a dot: hours from original to copy."""
    names = list(by_site)
    with _styled():
        fig = _figure(8.2, 0.9 + 0.32 * len(names))
        ax = fig.add_subplot()
        data = [by_site[n] for n in names]
        _dots(ax, data)
        ax.boxplot(data, orientation="horizontal", widths=0.6, showfliers=False, patch_artist=True, zorder=4,
                   boxprops={"facecolor": "none", "edgecolor": INK, "linewidth": 1.0},
                   medianprops={"color": "#c2410c", "linewidth": 2.0}, whiskerprops={"color": INK, "linewidth": 0.8},
                   capprops={"color": INK, "linewidth": 0.8})
        ax.set_yticks(range(1, len(names) + 1), names)
        ax.invert_yaxis()
        _hour_axis(ax, [v for values in data for v in values])
        ax.axvline(0, color=MUTED, linewidth=0.8, linestyle=":")
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        return to_svg(fig)


HOUR_TICKS = (-168, -48, -24, -6, -1, 0, 1, 6, 24, 48, 168, 336, 720, 2160)


def _hour_axis(ax, values: list[float]) -> None:
    """Hours on a symmetric log scale: the first hours and the long tail both readable, negative
    lags (a copy dated before its original) on the left of zero."""
    ax.set_xscale("symlog", linthresh=1.0)
    low, high = min(values + [0.0]), max(values + [1.0])
    ticks = [t for t in HOUR_TICKS if low * 1.5 <= t <= high * 1.5 or t == 0]
    ax.set_xticks(ticks, [_hours_label(t) for t in ticks])
    ax.set_xlim(low * 1.3 if low < 0 else 0, high * 1.3)
    ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    ax.set_xlabel("time from the original's publication to the copy's (log scale)")


def _hours_label(hours: int) -> str:
    sign = "−" if hours < 0 else ""
    hours = abs(hours)
    return f"{sign}{hours // 24}d" if hours >= 48 and hours % 24 == 0 else f"{sign}{hours}h"


def _dots(ax, data: list[list[float]]) -> None:
    rng = random.Random(0)  # the same jitter every time: same data, same bytes
    xs = [v for values in data for v in values]
    ys = [i + 1 + rng.uniform(-0.18, 0.18) for i, values in enumerate(data) for _ in values]
    ax.scatter(xs, ys, s=8, color="#4a6fa5", alpha=0.35, linewidths=0, zorder=2,
               rasterized=len(xs) > MAX_VECTOR_POINTS)


def per_night(nights: list[dict], relations: tuple[str, ...]) -> str:
    """Copies per night, stacked by relation, with each night's total above its bar."""
    with _styled():
        fig = _figure(max(4.5, min(11.0, 1.2 + 0.34 * len(nights))), 2.8)
        ax = fig.add_subplot()
        labels = [n["night"].strftime("%b %d") for n in nights]
        bottom = [0] * len(nights)
        for rel in relations:
            values = [n[rel] for n in nights]
            ax.bar(range(len(nights)), values, bottom=bottom, color=RELATION_COLORS[rel], width=0.7, label=rel)
            bottom = [b + v for b, v in zip(bottom, values)]
        size = 8 if len(nights) <= 20 else 6.5
        for x, n in enumerate(nights):
            ax.text(x, n["copies"], str(n["copies"]), ha="center", va="bottom", fontsize=size, color=INK)
        ax.set_xticks(range(len(nights)), labels, rotation=90 if len(nights) > 10 else 0)
        ax.margins(y=0.15)
        ax.grid(axis="y", color=GRID)
        ax.set_axisbelow(True)
        ax.set_ylabel("copies")
        ax.legend(ncols=len(relations), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8)
        return to_svg(fig)


def relation_mix(by_site: dict, relations: tuple[str, ...]) -> str:
    """Each republisher's copies as 100% bars split by relation."""
    names = list(by_site)
    with _styled():
        fig = _figure(8.2, 1.0 + 0.28 * len(names))
        ax = fig.add_subplot()
        left = [0.0] * len(names)
        for rel in relations:
            shares = [by_site[n].get(rel, 0) / (sum(by_site[n].values()) or 1) for n in names]
            ax.barh(range(len(names)), shares, left=left, color=RELATION_COLORS[rel], height=0.7, label=rel)
            left = [a + b for a, b in zip(left, shares)]
        ax.set_yticks(range(len(names)), names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.tick_params(axis="y", length=0)
        ax.legend(ncols=len(relations), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8)
        return to_svg(fig)


def health(sites: list, nights: list) -> str:
    """Articles extracted per site and night, shaded by how far below the site's usual night it
    fell (its median); a missing site is an orange cross."""
    with _styled():
        fig = _figure(2.0 + CELL_INCHES * 1.4 * len(nights), 0.9 + ROW_INCHES * len(sites))
        ax = fig.add_subplot()
        grid = [[s.nights.get(n) for n in nights] for s in sites]
        ax.imshow([_usual_shares(line) for line in grid], cmap=DROP, vmin=0, vmax=1, aspect="auto",
                  interpolation="nearest")
        _health_labels(ax, grid)
        _axis_labels(ax, [s.site for s in sites], [n.strftime("%b %d") for n in nights])
        ax.grid(which="minor", color="white", linewidth=1.0)
        ax.set_xlabel("night")
        ax.set_ylabel("site")
        return to_svg(fig)


def _usual_shares(line: list) -> list[float]:
    """Each night's count as a share of the site's median night (1 when at or above it)."""
    counts = sorted(v for v in line if v is not None)
    usual = counts[len(counts) // 2] if counts else 0
    return [float("nan") if v is None else min(1.0, v / usual) if usual else 1.0 for v in line]


def _health_labels(ax, grid: list[list]) -> None:
    for y, line in enumerate(grid):
        for x, value in enumerate(line):
            if value is None:
                ax.text(x, y, "×", ha="center", va="center", fontsize=10, color=MISSING, fontweight="bold")
            else:
                ax.text(x, y, str(value), ha="center", va="center", fontsize=7, color=INK)
