"""The matrix chart drawn as SVG directly (crosspost.report.charts.matrix)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from matplotlib.colors import LinearSegmentedColormap, to_hex

from crosspost.report import charts


@pytest.mark.parametrize("share", [0.0, 0.01, 1 / 3, 0.45, 0.5, 0.77, 0.999, 1.0])
def test_cell_colours_are_those_matplotlib_gave(share):
    cmap = LinearSegmentedColormap.from_list("crosspost", list(charts.HEAT))
    assert charts.heat(share) == to_hex(cmap(share))


def test_the_matrix_has_a_cell_and_label_per_pair_and_a_total_per_row():
    rows, cols = ["site01", "site02"], ["site02", "A & B <not crawled>"]
    counts = {("site01", "site02"): 4, ("site01", "A & B <not crawled>"): 1, ("site02", "site02"): 2}
    svg = ET.fromstring(charts.matrix(rows, cols, counts, {"site01": 0.2, "site02": 1.0}))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}rect"))) == 3
    assert {"4", "1", "2", "5 · 20% credited", "2 · 100% credited", "A & B <not crawled>"} <= set(texts)
    assert texts.count("site02") == 2 and "republisher" in texts  # a row and a column; the axis titles
    assert svg.get("width").endswith("pt") and svg.get("viewBox").startswith("0 0 ")
