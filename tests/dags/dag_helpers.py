"""Helpers of the DAG tests: parse the DAG with the current environment, write sites files."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
DAG_FILE = DAGS / "crosspost_nightly.py"
DAG_ID = "crosspost_nightly"


def parse_dags():
    """A fresh DagBag of the repo's dags/ folder (the module is re-imported, reading the environment anew)."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def write_sites(path: Path, sites: dict[str, str]) -> str:
    """A sites YAML with the given ``name: url`` entries."""
    path.write_text(yaml.safe_dump({"sites": [{"name": n, "url": u} for n, u in sites.items()]}), encoding="utf-8")
    return str(path)


def task_states(dag_run) -> dict[str, str]:
    """``task_id[map index label]`` -> state of a finished dag.test() run."""
    out = {}
    for ti in dag_run.get_task_instances():
        label = f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]" if ti.map_index >= 0 else ti.task_id
        out[label] = str(getattr(ti.state, "value", ti.state))
    return out


def aws_connection(endpoint: str, secret: str, login: str = "AKIACROSSPOSTTEST") -> str:
    """An ``AIRFLOW_CONN_AWS_DEFAULT`` value pointing at moto with the given secret key."""
    return json.dumps({"conn_type": "aws", "login": login, "password": secret,
                       "extra": {"endpoint_url": endpoint, "region_name": "us-east-1"}})


def s3_store(bucket: str, endpoint: str, prefix: str = "lake"):
    """The test's own view of an S3 store, with explicit credentials (the environment may have none)."""
    import boto3

    from crosspost.lake.store import S3Store

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="reader", aws_secret_access_key="reader",
                          region_name="us-east-1")
    return S3Store(bucket, prefix, endpoint_url=endpoint, client=client)


def snapshot(store, *prefixes: str) -> dict[str, bytes]:
    """Every object under the prefixes, by key."""
    return {key: store.get_bytes(key) for prefix in prefixes for key in store.list(prefix)}
