"""Hostile pages cost little: structural limits before the parse, a CPU limit per page after it.

The time limit is exercised through the real CLI (``extract``, ``extract-warc``) with a page
that passes the structural limits but keeps trafilatura busy for seconds of CPU. Time bounds
here are generous guards against hangs, not speed measurements (benchmarks/ does those).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time

import pytest

from crosspost.lake import layout
from crosspost.lake.store import open_store
from extract.exceptions import PageTooComplex
from extract.limits import MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, check_structure
from extract.page import extract_page
from extract_testlib import article_html, golden_cases, prose, write_warc

URL = "http://site.test/news/1"
DATE = "2026-11-20"
HANG_GUARD = 240  # seconds: a hang, not a slow machine, fails these tests


def hostile_attributes(n: int = 200_000) -> bytes:
    """The page of issue 10: one <p> with ``n`` attributes (2.2 MB; minutes in lxml)."""
    attrs = " ".join(f'a{i}="x"' for i in range(n))
    return article_html("Attributes", [prose(1)], after=f"<p {attrs}>hello</p>").encode()


def slow_page() -> bytes:
    """Within every structural limit, yet seconds of CPU in trafilatura: 25,000 spans in one <p>."""
    return article_html("Spans", [prose(2)], after="<p>" + "<span>word </span>" * 25_000 + "</p>").encode()


def crosspost(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosspost.cli", *args], capture_output=True, text=True,
                          timeout=HANG_GUARD)


@pytest.mark.parametrize("body", [
    hostile_attributes(),
    article_html("Many", [prose(3)], after="<b>x</b>" * (MAX_ELEMENTS + 1)).encode(),
    article_html("Deep", [prose(4)], after="<div>" * (MAX_DEPTH + 20) + "deep" + "</div>" * (MAX_DEPTH + 20)).encode(),
    article_html("Attrs", [prose(5)],
                 after="<p " + " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES + 1)) + ">x</p>").encode(),
], ids=["200k-attributes", "elements", "depth", "bare-attributes"])
def test_structures_beyond_the_limits_are_refused_before_the_parse(body):
    started = time.monotonic()
    record = extract_page(body, URL, site="s", content_type="text/html")
    assert (record["status"], record["reason"]) == ("error", "too_complex")
    assert time.monotonic() - started < HANG_GUARD


def test_real_pages_are_within_the_limits():
    for case in golden_cases():
        check_structure(gzip.decompress((case / "page.html.gz").read_bytes()).decode("utf-8", "replace"))


def test_a_quoted_attribute_value_full_of_spaces_is_one_attribute():
    check_structure(f'<img alt="{"word " * 5000}" src="data:image/png;base64,{"A" * 100_000}">')


def test_a_less_than_sign_in_minified_code_starts_no_element():
    code = "for(x=0;x<vendors.length;++x){" + "a = b + c ; " * (MAX_ATTRIBUTES + 1) + "}"
    check_structure(f"<html><head><script>{code}</script><style>p{{}}</style></head><body><p>x</p></body></html>")
    with pytest.raises(PageTooComplex):  # the same run of "attributes" in a real tag, after the script
        check_structure(f"<html><head><script>var a;</script></head><body><p {code}>x</p></body></html>")
    with pytest.raises(PageTooComplex):  # or in the script's own start tag
        check_structure(f"<html><head><SCRIPT {code}>var a;</SCRIPT></head><body><p>x</p></body></html>")


def test_cli_extract_of_the_hostile_page_is_a_clear_record(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_bytes(hostile_attributes())
    result = crosspost("extract", "--url", URL, str(page))
    record = json.loads(result.stdout)
    assert result.returncode == 1 and (record["status"], record["reason"]) == ("error", "too_complex")
    assert "200000 attributes" in result.stderr


def test_cli_extract_stops_a_slow_page_at_its_cpu_limit(tmp_path):
    page = tmp_path / "slow.html"
    page.write_bytes(slow_page())
    result = crosspost("extract", "--page-cpu-limit", "1", "--url", URL, str(page))
    record = json.loads(result.stdout)
    assert result.returncode == 1 and (record["status"], record["reason"]) == ("error", "timeout")


def test_extract_warc_keeps_the_other_pages_of_the_batch(tmp_path):
    good = [article_html(f"Story {i}", [prose(10 + i), prose(20 + i), prose(30 + i)]) for i in range(2)]
    pages = [good[0], slow_page(), hostile_attributes(), good[1]]
    store = open_store(str(tmp_path / "lake"))
    store.put_bytes(layout.raw_warc_key("s", DATE), write_warc(
        [{"url": f"http://site.test/news/{i}", "body": body} for i, body in enumerate(pages)]).getvalue())
    result = crosspost("extract-warc", "--store", str(tmp_path / "lake"), "--date", DATE, "--site", "s",
                       "--page-cpu-limit", "1")
    assert result.returncode == 0, result.stderr
    data = gzip.decompress(store.get_bytes(layout.extracted_key("s", DATE)))
    records = [json.loads(line) for line in data.splitlines()]
    assert [(r["status"], r["reason"]) for r in records] == [
        ("ok", None), ("error", "timeout"), ("error", "too_complex"), ("ok", None)]
    assert records[1]["url"] == "http://site.test/news/1" and records[1]["http_status"] == 200
