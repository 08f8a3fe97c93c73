"""Where each stage reads and writes in the store: the contract between stages."""

from __future__ import annotations

from crosspost.common.dates import Day, day

TABLES = ("articles", "crossposts", "clusters")
MANIFEST = "_SUCCESS"
SEEN_ROOT = "state/seen/"
BOILERPLATE_ROOT = "state/boilerplate/"
SIGNATURES_ROOT = "state/signatures/"
LEASES_ROOT = "state/leases/"
SIGNATURE_INDEX_FILE, SIGNATURE_SKETCH_FILE = "index.parquet", "sketches.parquet"


def raw_prefix(site: str, date: Day) -> str:
    """Folder of a site's archived responses (WARC) and crawl report for one date."""
    return f"raw/site={site}/dt={day(date)}/"


def raw_warc_key(site: str, date: Day) -> str:
    """The gzipped WARC of one site's crawl for one date (a rerun replaces it)."""
    return f"{raw_prefix(site, date)}crawl.warc.gz"


def crawl_report_key(site: str, date: Day) -> str:
    """The JSON crawl report written next to the WARC."""
    return f"{raw_prefix(site, date)}crawl-report.json"


def extracted_key(site: str, date: Day) -> str:
    """One site's extracted records (JSON lines, gzipped) for one date."""
    return f"extracted/site={site}/dt={day(date)}/records.jsonl.gz"


def dedupe_key(date: Day) -> str:
    """The night's cluster assignments (JSON lines, gzipped)."""
    return f"dedupe/dt={day(date)}/clusters.jsonl.gz"


def cluster_state_key(date: Day) -> str:
    """The state of every cluster the night touched (JSON lines, gzipped): the ``clusters`` rows."""
    return f"dedupe/dt={day(date)}/cluster-state.jsonl.gz"


def table_prefix(table: str, date: Day) -> str:
    """Hive-style partition folder of an output table."""
    return f"{table}/dt={day(date)}/"


def table_of(key: str) -> str:
    """The output table a partition key belongs to (``articles/dt=…/_SUCCESS`` -> ``articles``)."""
    return key.split("/", 1)[0]


def manifest_key(table: str, date: Day) -> str:
    """The commit marker of a partition, written last."""
    return f"{table_prefix(table, date)}{MANIFEST}"


def commit_key(date: Day) -> str:
    """The date's commit record: which version of every table readers see, written last."""
    return f"commits/dt={day(date)}/commit.json"


def arrival_key(site: str, date: Day) -> str:
    """Whether the site arrived in the date's latest crawl (or reprocess) attempt."""
    return f"{raw_prefix(site, date)}arrival.json"


def run_report_key(date: Day) -> str:
    """The per-date run report (JSON)."""
    return f"reports/dt={day(date)}/run-report.json"


def stages_prefix(date: Day) -> str:
    """Folder of the per-stage timings of a date, next to its run report."""
    return f"reports/dt={day(date)}/stages/"


def stage_timing_key(date: Day, stage: str, site: str | None = None) -> str:
    """Where one stage's duration is kept (per site for crawl and extract)."""
    name = f"{stage}-site={site}" if site else stage
    return f"{stages_prefix(date)}{name}.json"


def seen_prefix(site: str) -> str:
    """Folder of one site's seen-URL segments."""
    return f"{SEEN_ROOT}site={site}/"


def seen_key(site: str, date: Day) -> str:
    """The segment of URLs archived by the crawl of ``site`` for ``date``."""
    return f"{seen_prefix(site)}dt={day(date)}.txt.gz"


def signature_segment_prefix(date: Day) -> str:
    """Folder of one date's signature segment (the cross-night dedupe index)."""
    return f"{SIGNATURES_ROOT}dt={day(date)}/"


def signature_index_key(date: Day) -> str:
    """A date's signature index file (signatures, cluster ids, metadata)."""
    return signature_segment_prefix(date) + SIGNATURE_INDEX_FILE


def signature_sketch_key(date: Day) -> str:
    """A date's verification sketches."""
    return signature_segment_prefix(date) + SIGNATURE_SKETCH_FILE


def lease_key(site: str) -> str:
    """The crawl lease of one site: who crawls it now, until when (one crawl of a site at a time)."""
    return f"{LEASES_ROOT}site={site}/crawl.json"


def boilerplate_prefix(site: str) -> str:
    """Folder of one site's learned-boilerplate segments (what extraction learned, per date)."""
    return f"{BOILERPLATE_ROOT}site={site}/"


def boilerplate_key(site: str, date: Day) -> str:
    """The segment of what the extraction of ``site`` for ``date`` learned (a rerun replaces it)."""
    return f"{boilerplate_prefix(site)}dt={day(date)}.json"
