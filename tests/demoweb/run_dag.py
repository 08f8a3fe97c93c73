"""``make run``: serve the demo sites, run the nightly DAG for the demo date through Airflow
(``airflow dags test``), then print the run report and how to query the partitions."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

DUCKDB_QUERY = ("SELECT cluster_id, count(*) AS copies, any_value(title) AS title "
                "FROM read_parquet('{lake}/articles/*/*.parquet', hive_partitioning=true) "
                "WHERE cluster_size > 1 GROUP BY cluster_id ORDER BY copies DESC, title LIMIT 10")


def main(argv: list[str] | None = None) -> int:
    """Run the demo end to end; exit non-zero if the DAG run failed."""
    args = _parser().parse_args(argv)
    from tests.demoweb import DEMO_DATE, DemoWeb

    home = Path(args.airflow_home).absolute()
    lake = Path(args.store).absolute()
    home.mkdir(parents=True, exist_ok=True)
    with _start_web(DemoWeb) as web:
        sites = home / "demo-sites.yaml"
        web.write_sites_yaml(sites)
        print("demo sites:\n" + "\n".join(f"  {name:<18} {url}" for name, url in web.urls.items()))
        env = _airflow_env(home, lake, sites)
        _migrate(env, home)
        code = _dags_test(env, DEMO_DATE.isoformat())
    _print_summary(lake, DEMO_DATE.isoformat())
    return code


def _parser():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--store", default="lake")
    p.add_argument("--airflow-home", default=".airflow")
    return p


def _start_web(factory):
    # Fixed ports make the demo URLs memorable; fall back to free ports if taken.
    try:
        return factory(base_port=8001).start()
    except OSError:
        return factory(base_port=0).start()


def _airflow_env(home: Path, lake: Path, sites: Path) -> dict:
    repo = Path(__file__).resolve().parents[2]
    return {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(repo / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "PYTHONWARNINGS": "ignore",
            "CROSSPOST_STORE": str(lake), "CROSSPOST_SITES": str(sites)}


def _migrate(env: dict, home: Path) -> None:
    print("preparing Airflow's SQLite database in", home)
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _dags_test(env: dict, date: str) -> int:
    print(f"running crosspost_nightly for {date} (airflow dags test)...")
    log = Path(env["AIRFLOW_HOME"]) / "demo-run.log"
    with open(log, "w") as fh:
        proc = subprocess.run([sys.executable, "-m", "airflow", "dags", "test", "-c", json.dumps({"date": date}),
                               "crosspost_nightly", f"{date}T03:00:00+00:00"], env=env, stdout=fh, stderr=fh)
    print(f"DAG run {'succeeded' if proc.returncode == 0 else 'FAILED'} (log: {log})")
    return proc.returncode


def _print_summary(lake: Path, date: str) -> None:
    from crosspost.lake import layout
    from crosspost.lake.store import open_store
    from crosspost.pipeline.run_report import format_report
    from crosspost.report import night_report_key

    store = open_store(str(lake))
    try:
        print(format_report(json.loads(store.get_bytes(layout.run_report_key(date)))))
    except Exception as exc:  # the summary is best effort; the exit code tells the truth
        print(f"no run report: {exc}")
    html = lake / night_report_key(date)
    print(f"\nHTML report: {os.path.relpath(html)}" if html.exists() else "\nno HTML report")
    query = DUCKDB_QUERY.format(lake=os.path.relpath(lake))
    print("\ncross-posted articles (DuckDB):")
    _show_query(query)
    print("query it yourself:")
    print("  .venv/bin/python -c \"import duckdb; duckdb.sql('''" + query + "''').show()\"")
    print(f"  or: .venv/bin/crosspost read --store {os.path.relpath(lake)} --table crossposts --date {date}")


def _show_query(query: str) -> None:
    try:
        import duckdb

        duckdb.sql(query).show(max_width=140)
    except Exception as exc:  # duckdb is optional for the pipeline itself
        print(f"  (duckdb not available: {exc})")


if __name__ == "__main__":
    sys.exit(main())
