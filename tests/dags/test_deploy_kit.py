"""The deployment kit in docker/, checked without a docker engine: the compose files parse, images are
pinned, every service's command exists in this Airflow version, and the DAG's environment is set."""

from __future__ import annotations

import copy
import re
import shlex
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from dag_helpers import REPO

DOCKER = REPO / "docker"
AIRFLOW_VERSION = version("apache-airflow")
PROJECT_IMAGE = "crosspost-airflow"
VARIANTS = {"local": ("compose.yaml",), "celery": ("compose.yaml", "compose.celery.yaml")}
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$")
SUBSTITUTION = re.compile(r"^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$")


def _load(name: str) -> dict:
    return yaml.safe_load((DOCKER / name).read_text())


def _merge(base, override):
    """Compose's merge of several -f files: mappings merge key by key, everything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


def services(variant: str) -> dict[str, dict]:
    """The services of a variant as compose would run them (``extends`` resolved)."""
    project: dict = {}
    for name in VARIANTS[variant]:
        project = _merge(project, _load(name))
    out = {}
    for name, service in project["services"].items():
        if "extends" in service:
            base = copy.deepcopy(project["services"][service["extends"]["service"]])
            base.pop("depends_on", None)  # never inherited through extends
            service = _merge(base, {k: v for k, v in service.items() if k != "extends"})
        out[name] = service
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
            assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name


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
        mounts = {v.split(":")[1] for v in service["volumes"]}
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
