"""Shared fixtures: the fixture web on port 0, moto's S3 server over HTTP, stores, Airflow home.

Airflow reads its settings at import, so the environment is set here, before any test
module imports it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="crosspost-airflow-"))
os.environ.update({
    "AIRFLOW_HOME": str(_AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    "PYTHONWARNINGS": "ignore",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
    # Tests crawl a local fixture web: no politeness delays.
    "CROSSPOST_SCRAPY_SETTINGS": json.dumps({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                                             "LOG_LEVEL": "INFO"}),
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
})
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_proxy, None)

FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}


@pytest.fixture(scope="session")
def demo_web():
    """The bundled demo sites (no faults), each on its own port chosen by the OS."""
    from tests.demoweb import DemoWeb

    with DemoWeb(base_port=0) as web:
        yield web


@pytest.fixture(scope="session")
def fault_web():
    """The demo sites plus ``faultyreprint``, a site full of faults."""
    from tests.demoweb import DemoWeb

    with DemoWeb(base_port=0, faults=True, slow_seconds=4.0) as web:
        yield web


@pytest.fixture(scope="session")
def sites_file(demo_web, tmp_path_factory) -> str:
    """A sites YAML naming the demo sites."""
    path = tmp_path_factory.mktemp("sites") / "sites.yaml"
    demo_web.write_sites_yaml(path)
    return str(path)


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's standalone S3 server on 127.0.0.1 (a real HTTP endpoint), for boto3 and Scrapy children."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ["AWS_ENDPOINT_URL_S3"] = endpoint
    yield endpoint
    os.environ.pop("AWS_ENDPOINT_URL_S3", None)
    server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint) -> str:
    """A fresh bucket for one test."""
    import boto3

    name = f"test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_store_url(s3_bucket) -> str:
    """An S3 store URL in a fresh bucket."""
    return f"s3://{s3_bucket}/lake"


@pytest.fixture
def local_store_url(tmp_path) -> str:
    """A local-folder store for one test."""
    return str(tmp_path / "lake")


@pytest.fixture(scope="session")
def airflow_db():
    """Airflow's SQLite metadata database, migrated once per session."""
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True,
                   env=os.environ.copy(), timeout=300)
    return _AIRFLOW_HOME


# Tiers (setup.cfg [tool:pytest] markers): a test is marked by what it uses, so no test can
# forget its marker. `make test-fast` runs what has none of them.
S3_FIXTURES = {"moto_endpoint", "strict_moto_endpoint"}
E2E_FIXTURES = {"demo_web", "fault_web", "fresh_fault_web", "airflow_db"}


def pytest_collection_modifyitems(config, items):
    """``s3`` on tests that reach moto's server (directly, or as the ``s3`` side of a store
    fixture), ``e2e`` on tests that serve the demo web or run Airflow's database."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if used & S3_FIXTURES or "s3" in params.values():
            item.add_marker(pytest.mark.s3)
        if used & E2E_FIXTURES:
            item.add_marker(pytest.mark.e2e)
