"""The progress display: one line per change in a log, one redrawn line on a terminal."""

from __future__ import annotations

import io

from crosspost.pipeline.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_one_line_per_change_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(2, stream=out)
    p.start("a")
    p.start("b")
    p.finish("a", True, 10)
    p.finish("b", False)
    p.close()
    lines = out.getvalue().splitlines()
    assert [line.split(", ")[:4] for line in lines[:4]] == [
        ["sites 0/2 done", "1 running", "0 failed", "0 pages fetched"],
        ["sites 0/2 done", "2 running", "0 failed", "0 pages fetched"],
        ["sites 1/2 done", "1 running", "0 failed", "10 pages fetched"],
        ["sites 2/2 done", "0 running", "1 failed", "10 pages fetched"]]
    assert lines[3].endswith("(b FAILED)") and lines[4].startswith("1 of 2 sites failed: b")


def test_a_live_line_on_a_terminal():
    out = Terminal()
    p = Progress(1, stream=out)
    p.start("a")
    p.finish("a", True, 3)
    p.close()
    text = out.getvalue()
    assert text.count("\r\x1b[K") == 2 and text.count("\n") == 1 and text.endswith("(a done)\n")


def test_pages_fetched_while_sites_run():
    out = Terminal()
    p = Progress(2, stream=out)
    p.start("a")
    p.start("b")
    p.fetched("a", 3)
    p.fetched("b", 2)
    p.fetched("b", 2)  # no change: no redraw
    assert out.getvalue().count("\r\x1b[K") == 4 and "0/2 done, 2 running, 0 failed, 5 pages fetched" in out.getvalue()
    p.finish("a", True, 4)
    p.fetched("a", 9)  # a late count of an ended site changes nothing
    assert p.line().startswith("sites 1/2 done, 1 running, 0 failed, 6 pages fetched")


def test_page_counts_alone_are_printed_now_and_then_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(1, stream=out, every_s=3600)
    p.start("a")
    for n in range(1, 50):
        p.fetched("a", n)
    p.finish("a", False, 49, "its worker process died (exit code -9)")
    p.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "49 pages fetched" in lines[1]
    assert lines[2] == ("1 of 1 sites failed: a (its worker process died (exit code -9)) "
                        "(see the log; the manifests mark them missing)")
    p = Progress(1, stream=io.StringIO(), every_s=0)
    p.start("a")
    p.fetched("a", 1)
    assert "1 pages fetched, " in p.stream.getvalue().splitlines()[-1]
