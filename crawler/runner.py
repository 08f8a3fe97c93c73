"""Run the site spider in a child process.

Twisted's reactor cannot be restarted inside one process, so every crawl gets a fresh
``python -m scrapy crawl``; Airflow tasks and tests can then crawl as often as they like.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crawler.exceptions import CrawlFailed
from crawler.sites import get_site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlOutput:
    """Local files a finished crawl left behind."""

    warc: Path
    report: Path
    log: Path


def run_crawl(sites_file: str, site: str, date: str, out_dir: str | os.PathLike,
              settings: dict | None = None, lookback: int | None = None, timeout: float = 3600) -> CrawlOutput:
    """Crawl one site for ``date`` into ``out_dir``; raise CrawlFailed if no archive came out."""
    config = get_site(sites_file, site)  # validates the file before any request goes out
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = CrawlOutput(out / "crawl.warc.gz", out / "crawl-report.json", out / "crawl.log")
    overrides = {**config.scrapy_settings(), **_env_settings(), **(settings or {}), "CROSSPOST_WARC_PATH": str(result.warc),
                 "LOG_FILE": str(result.log)}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"site={site}",
           "-a", f"sites_file={sites_file}", "-a", f"date={date}", "-a", f"report={result.report}"]
    if lookback is not None:
        cmd += ["-a", f"lookback={lookback}"]
    for key, value in overrides.items():
        cmd += ["-s", f"{key}={value}"]
    _run(cmd, timeout, result)
    return result


def _env_settings() -> dict:
    """Operator overrides for every crawl, e.g. ``CROSSPOST_SCRAPY_SETTINGS='{"AUTOTHROTTLE_ENABLED": false}'``."""
    raw = os.environ.get("CROSSPOST_SCRAPY_SETTINGS")
    if not raw:
        return {}
    try:
        return dict(json.loads(raw))
    except (ValueError, TypeError) as exc:
        raise CrawlFailed(f"CROSSPOST_SCRAPY_SETTINGS is not a JSON object: {exc}") from None


def _run(cmd: list[str], timeout: float, result: CrawlOutput) -> None:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not result.warc.exists() or not result.report.exists():
        tail = _tail(result.log) or proc.stderr[-2000:]
        raise CrawlFailed(f"crawl exited with {proc.returncode}; last log lines:\n{tail}")


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
