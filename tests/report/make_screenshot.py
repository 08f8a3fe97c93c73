#!/usr/bin/env python3
"""Regenerate docs/report-screenshot.png: the top of the report of a store's nights, as headless
Chromium shows it on a 1366x900 laptop screen.

Usage (after `make run`): .venv/bin/python tests/report/make_screenshot.py --store lake --date 2026-11-20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from chromium import Chromium, find_chromium  # noqa: E402
from crosspost.report import write_report_file  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", required=True)
    p.add_argument("--date")
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    p.add_argument("-o", "--output", default=str(HERE.parents[1] / "docs" / "report-screenshot.png"))
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        write_report_file(args.store, args.date or args.start, args.date or args.end, page)
        with Chromium(find_chromium()) as browser:
            visit = browser.open(str(page))
    Path(args.output).write_bytes(visit.screenshot)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
