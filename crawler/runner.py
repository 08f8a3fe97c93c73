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
from crosspost.common import children

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlOutput:
    """Local files a finished crawl left behind."""

    warc: Path
    report: Path
    log: Path
    archived: Path  # normalised URLs of the articles archived, one a line


def run_crawl(sites_file: str, site: str, date: str, out_dir: str | os.PathLike,
              settings: dict | None = None, lookback: int | None = None, timeout: float = 3600,
              seen: str | os.PathLike | None = None, fetch_count: str | os.PathLike | None = None) -> CrawlOutput:
    """Crawl one site for ``date`` into ``out_dir``; raise CrawlFailed if no archive came out.

    ``seen`` is a file of normalised URLs archived by earlier runs: they are not fetched again.
    ``fetch_count`` is a file the crawl keeps its count of articles fetched in while it runs
    (crawler.fetch_count).
    """
    cmd, env, result = crawl_command(sites_file, site, date, out_dir, settings=settings,
                                     lookback=lookback, seen=seen, fetch_count=fetch_count)
    for stale in (result.warc, result.report, result.archived, result.log):
        stale.unlink(missing_ok=True)  # a rerun into the same folder must not pass on old files
    _run(cmd, env, timeout, result)
    return result


def crawl_command(sites_file: str, site: str, date: str, out_dir: str | os.PathLike,
                  settings: dict | None = None, lookback: int | None = None,
                  seen: str | os.PathLike | None = None,
                  fetch_count: str | os.PathLike | None = None) -> tuple[list[str], dict, CrawlOutput]:
    """The child command line, its environment and its output files (for callers that
    need the process itself, e.g. to watch it while it runs)."""
    config = get_site(sites_file, site)  # validates the file before any request goes out
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = CrawlOutput(out / "crawl.warc.gz", out / "crawl-report.json", out / "crawl.log",
                         out / "archived-urls.txt")
    overrides = {**config.scrapy_settings(), **_env_settings(), **(settings or {}),
                 "CROSSPOST_WARC_PATH": str(result.warc), "LOG_FILE": str(result.log)}
    args = {"site": site, "sites_file": sites_file, "date": date, "report": result.report,
            "archived": result.archived}
    if lookback is not None:
        args["lookback"] = lookback
    if seen is not None:
        args["seen"] = seen
    if fetch_count is not None:
        args["fetch_count"] = fetch_count
    cmd = [sys.executable, "-m", "scrapy", "crawl", "site"]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in overrides.items():
        # Scrapy reads dict and list settings given as JSON (e.g. EXTENSIONS).
        cmd += ["-s", f"{key}={json.dumps(value) if isinstance(value, (dict, list)) else value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONWARNINGS": "ignore"}
    return cmd, env, result


def _env_settings() -> dict:
    """Operator overrides for every crawl, e.g. ``CROSSPOST_SCRAPY_SETTINGS='{"AUTOTHROTTLE_ENABLED": false}'``."""
    raw = os.environ.get("CROSSPOST_SCRAPY_SETTINGS")
    if not raw:
        return {}
    try:
        return dict(json.loads(raw))
    except (ValueError, TypeError) as exc:
        raise CrawlFailed(f"CROSSPOST_SCRAPY_SETTINGS is not a JSON object: {exc}") from None


def _run(cmd: list[str], env: dict, timeout: float, result: CrawlOutput) -> None:
    try:
        # The Scrapy process dies with this one (killed, timed out, interrupted): no orphan crawls.
        proc = children.run(cmd, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CrawlFailed(f"crawl did not finish within {timeout} s; last log lines:\n{_tail(result.log)}") from None
    if proc.returncode != 0 or not result.warc.exists() or not result.report.exists():
        tail = _tail(result.log) or proc.stderr[-2000:]
        raise CrawlFailed(f"crawl exited with {proc.returncode}; last log lines:\n{tail}")


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
