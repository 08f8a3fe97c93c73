"""The ``crosspost`` command line: the whole run, one stage, one page, or reading results."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from crosspost.common.children import exit_on_sigterm
from crosspost.exceptions import CrosspostError, Interrupted


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    exit_on_sigterm(Interrupted)  # `timeout`, `kill`: clean up (children, temp folders), exit 143
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        _normalise_dates(args)
        return args.func(args) or 0
    except (CrosspostError, *_stage_errors()) as exc:
        print(f"crosspost: error: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted) as exc:
        print("crosspost: interrupted; workers stopped, nothing committed past the last manifest", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)


def _normalise_dates(args) -> None:
    """Every command's dates in one form (``YYYY-MM-DD``) before any work, or a ConfigError."""
    from crosspost.common.dates import day

    for name in ("date", "start", "end"):
        if getattr(args, name, None):
            setattr(args, name, day(getattr(args, name)))


def _stage_errors() -> tuple:
    from crawler.exceptions import CrawlerError
    from extract.exceptions import ExtractError

    return (CrawlerError, ExtractError)


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their flags."""
    parser = argparse.ArgumentParser(prog="crosspost", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_crawl(sub)
    _add_stage(sub, "extract-warc", "extract one site's archived pages", _cmd_extract_warc, site=True)
    _add_stage(sub, "dedupe", "cluster a date's records across sites", _cmd_dedupe, sites=True)
    _add_stage(sub, "publish", "write and commit the date's partitions", _cmd_publish, sites=True)
    _add_extract(sub)
    _add_read(sub)
    _add_report(sub)
    return parser


def _common(p, sites=False, site=False):
    p.add_argument("--store", required=True, help="s3://bucket/prefix, file:///path or a folder")
    p.add_argument("--date", required=True, help="partition date YYYY-MM-DD")
    if sites:
        p.add_argument("--sites", required=True, help="sites YAML file")
    if site:
        p.add_argument("--site", required=True, help="site name from the sites file")


def _add_run(sub):
    p = sub.add_parser("run", help="all stages for one day, without Airflow")
    _common(p, sites=True)
    p.add_argument("--only", action="append", default=[], help="crawl only this site (repeatable)")
    p.add_argument("--reprocess", action="store_true", help="re-extract from the archive, no network")
    p.add_argument("-s", "--set", action="append", default=[], metavar="KEY=VALUE", help="Scrapy setting")
    p.add_argument("--run-id", default="cli", help="recorded in the manifests")
    p.add_argument("--recrawl", action="store_true", help="fetch again what earlier dates archived")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help="sites crawled at once, in worker processes; finished crawls are extracted beside them, "
                        "one per CPU at most (default: the CPUs)")
    _add_allow_shrink(p)
    _add_lease_wait(p)
    p.set_defaults(func=_cmd_run)


def _jobs(value: str) -> int:
    """``--jobs``: a whole number of worker processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"wants a whole number of worker processes >= 1, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"wants a whole number of worker processes >= 1, got {jobs}")
    return jobs


def _add_allow_shrink(p):
    p.add_argument("--allow-shrink", action="store_true",
                   help="publish even if sites that did not arrive have rows in the committed date (they are dropped)")


def _add_crawl(sub):
    p = sub.add_parser("crawl", help="crawl one site and archive it as WARC")
    _common(p, sites=True, site=True)
    p.add_argument("--lookback", type=int, default=None, help="days before --date to include")
    p.add_argument("--recrawl", action="store_true", help="fetch again what earlier dates archived")
    p.add_argument("-s", "--set", action="append", default=[], metavar="KEY=VALUE", help="Scrapy setting")
    _add_lease_wait(p)
    p.set_defaults(func=_cmd_crawl)


def _add_lease_wait(p):
    from crosspost.pipeline.crawl_lease import DEFAULT_WAIT_S

    p.add_argument("--lease-wait", type=_seconds, default=DEFAULT_WAIT_S, metavar="SECONDS",
                   help="how long a crawl waits while another run (e.g. the nightly DAG) crawls the same site; "
                        f"then that site fails (default {DEFAULT_WAIT_S:.0f})")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"wants a number of seconds >= 0, got {text!r}")
    return value


def _add_stage(sub, name, help_, func, **kw):
    p = sub.add_parser(name, help=help_)
    _common(p, **kw)
    if name == "publish":
        p.add_argument("--run-id", default="cli")
    if name == "extract-warc":
        _add_page_limit(p)
    if name in ("dedupe", "publish"):
        _add_allow_shrink(p)
    p.set_defaults(func=func)


def _add_extract(sub):
    p = sub.add_parser("extract", help="one HTML file -> one JSON object on stdout")
    p.add_argument("--url", required=True)
    p.add_argument("--date", default=None, help="crawl date (rejects later publication dates)")
    p.add_argument("file")
    _add_page_limit(p)
    p.set_defaults(func=_cmd_extract)


def _add_page_limit(p):
    from extract.worker import PAGE_CPU_SECONDS

    p.add_argument("--page-cpu-limit", type=_positive_int, default=PAGE_CPU_SECONDS, metavar="SECONDS",
                   help=f"CPU seconds one page may take before it is recorded as a timeout "
                        f"(default {PAGE_CPU_SECONDS})")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _add_read(sub):
    p = sub.add_parser("read", help="committed rows of a table")
    p.add_argument("--store", required=True)
    p.add_argument("--table", choices=("articles", "crossposts", "clusters"), default="articles")
    p.add_argument("--date", help="one date YYYY-MM-DD")
    p.add_argument("--from", dest="start", help="first date of a range")
    p.add_argument("--to", dest="end", help="last date of a range")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--output", "-o", help="file to write (parquet needs one); default stdout")
    p.add_argument("--originals-only", action="store_true",
                   help="each article once, with its cluster's current original and reappeared_at (URLs of its "
                        "copies); with --table clusters, each cluster's current row")
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="skip the SHA-256 check of every file (trusted stores; sizes are still checked)")
    p.set_defaults(func=_cmd_read)


def _add_report(sub):
    p = sub.add_parser("report", help="one self-contained HTML page: who republishes whom, how fast, what changed")
    p.add_argument("--store", required=True)
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", help="one date YYYY-MM-DD")
    when.add_argument("--from", dest="start", help="first date of a range (with --to)")
    p.add_argument("--to", dest="end", help="last date of a range")
    p.add_argument("--output", "-o", required=True, help="the HTML file to write")
    p.set_defaults(func=_cmd_report)


def _settings(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CrosspostError(f"-s wants KEY=VALUE, got {pair!r}")
        out[key] = value
    return out


def _site_name(name: str) -> str:
    from crawler.sites import is_site_name

    if not is_site_name(name):
        raise CrosspostError(f"invalid site name {name!r}: use lower-case letters, digits, '-' and '_' "
                             "(it becomes part of store paths)")
    return name


def _cmd_run(args):
    from crosspost.pipeline.parallel import default_jobs, memory_bound_jobs
    from crosspost.pipeline.runner import run_date

    for name in args.only:
        _site_name(name)
    bound = memory_bound_jobs()
    if args.jobs and args.jobs > bound:
        print(f"crosspost: warning: --jobs {args.jobs} is more crawls than this machine's memory holds at once; "
              f"using {bound}", file=sys.stderr)
        args.jobs = bound

    summary = run_date(args.sites, args.store, args.date, only=args.only, reprocess=args.reprocess,
                       settings=_settings(args.set), run_id=args.run_id, recrawl=args.recrawl,
                       jobs=args.jobs or default_jobs(), allow_shrink=args.allow_shrink, lease_wait=args.lease_wait)
    print(summary)


def _cmd_crawl(args):
    from crawler.sites import get_site
    from crosspost.lake.store import open_store
    from crosspost.pipeline.crawl_lease import crawl_lease, run_holder
    from crosspost.pipeline.stages import crawl_site

    site = _site_name(args.site)
    get_site(args.sites, site)  # a bad sites file or site name fails before the lease is taken
    open_store(args.store).check()
    with crawl_lease(args.store, site, run_holder("crawl"), wait_s=args.lease_wait):
        key = crawl_site(args.sites, args.store, args.date, site, settings=_settings(args.set),
                         lookback=args.lookback, recrawl=args.recrawl)
    print(key)


def _cmd_extract_warc(args):
    from crosspost.pipeline.stages import extract_site

    print(extract_site(args.store, args.date, _site_name(args.site), page_cpu_seconds=args.page_cpu_limit))


def _site_names(path):
    from crawler.sites import load_sites

    return [s.name for s in load_sites(path)]


def _cmd_dedupe(args):
    from crosspost.pipeline.stages import dedupe_date

    print(dedupe_date(args.store, args.date, _site_names(args.sites), allow_shrink=args.allow_shrink))


def _cmd_publish(args):
    from crosspost.pipeline.stages import publish_date

    print("\n".join(publish_date(args.store, args.date, _site_names(args.sites), run_id=args.run_id,
                                 allow_shrink=args.allow_shrink)))


def _cmd_extract(args):
    from pathlib import Path

    from crosspost.common.dates import parse_day
    from extract.worker import PageWorker

    crawl_date = parse_day(args.date) if args.date else None
    try:
        body = Path(args.file).read_bytes()
    except OSError as exc:
        raise CrosspostError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    with PageWorker(args.page_cpu_limit) as worker:  # the same per-page time limit as in extract-warc
        record = worker.extract(body, args.url, crawl_date=crawl_date)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0 if record["status"] == "ok" else 1


def _cmd_read(args):
    from crosspost.cli.export import write_rows
    from crosspost.lake.reader import read_table
    from crosspost.lake.store import open_store

    start, end = _read_range(args)
    table = read_table(open_store(args.store), args.table, start, end, originals_only=args.originals_only,
                       verify=args.verify)
    write_rows(table, args.format, args.output)


def _read_range(args) -> tuple[str, str]:
    """``--date D`` or ``--from D1 [--to D2]``, never both: the first and last date to read."""
    if args.date and (args.start or args.end):
        raise CrosspostError("read takes either --date or --from/--to, not both")
    if args.end and not args.start:
        raise CrosspostError("--to needs --from")
    start = args.date or args.start
    if not start:
        raise CrosspostError("read needs --date or --from/--to")
    end = args.end or start
    if end < start:  # both are YYYY-MM-DD here
        raise CrosspostError(f"--from {start} is later than --to {end}")
    return start, end


def _cmd_report(args):
    from crosspost.report import write_report_file

    if args.start and not args.end or args.end and not args.start:
        raise CrosspostError("report needs --date D, or --from D1 --to D2")
    size = write_report_file(args.store, args.date or args.start, args.date or args.end, args.output)
    print(f"wrote {args.output} ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    sys.exit(main())
