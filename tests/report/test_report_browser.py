"""The report in a real browser: headless Chromium opens the file with every request to a host
blocked and recorded, and the page must render its charts with no error and no request."""

from __future__ import annotations

import io

import pytest

from chromium import Chromium, find_chromium
from crosspost.report import write_report_file
from report_nights import NIGHTS

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine: `make browser` installs "
                                "Debian's chromium (as root with apt-get), or set CROSSPOST_CHROMIUM")
PROBES = {
    "svgs": "document.querySelectorAll('figure svg').length",
    "chart_texts": "document.querySelectorAll('figure svg text').length",
    "clusters": "document.querySelectorAll('div.cluster').length",
    "highlights": "document.querySelectorAll('.text .added, .text .cut').length",
    "font": "getComputedStyle(document.body).fontFamily",
    "width": "document.documentElement.scrollWidth",
}


@pytest.fixture(scope="module")
def visit(demo_nights, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "report.html"
    write_report_file(demo_nights, NIGHTS[0].isoformat(), NIGHTS[-1].isoformat(), path)
    with Chromium(CHROMIUM) as browser:
        return browser.open(str(path), PROBES)


def test_the_page_makes_no_request_and_no_error(visit):
    assert visit.blocked == [], "the page tried to reach a host"
    assert all(url.startswith(("file:", "data:")) for url in visit.requests), visit.requests
    assert visit.errors == []


def test_the_charts_and_clusters_render(visit):
    assert visit.values["svgs"] == 5  # matrix, lags, nights, relations, health (two nights)
    assert visit.values["chart_texts"] > 50
    assert visit.values["clusters"] == 8 and visit.values["highlights"] > 0
    assert "Sans" in visit.values["font"] or "Arial" in visit.values["font"]
    assert visit.values["width"] <= 1366, "nothing overflows a laptop screen sideways"


def test_the_screenshot_is_not_blank(visit):
    from PIL import Image

    image = Image.open(io.BytesIO(visit.screenshot)).convert("RGB")
    assert image.size == (1366, 900)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 100, "a blank or nearly blank page"
    white = max(count for count, colour in colours if colour == (255, 255, 255))
    assert white < 0.9 * image.width * image.height


def test_the_harness_sees_requests_and_errors(tmp_path):
    """The checks above could pass by seeing nothing: a page that does reach out must be caught."""
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="http://example.org/pixel.png">'
                    '<script>console.error("broken")</script></body></html>')
    with Chromium(CHROMIUM) as browser:
        visit = browser.open(str(page))
    assert visit.blocked == ["http://example.org/pixel.png"]
    assert any("broken" in e for e in visit.errors)
