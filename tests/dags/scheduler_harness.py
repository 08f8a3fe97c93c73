"""A real Airflow on SQLite in a temp AIRFLOW_HOME: dag-processor, scheduler and api-server as
child processes (each in its own process group, all stopped at the end), driven through the
``airflow`` CLI and the REST API the UI uses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAG_ID = "crosspost_nightly"
SERVICES = ("dag-processor", "scheduler", "api-server")


def free_port() -> int:
    """A port nobody listens on right now (the api-server takes it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def airflow_env(home: Path, port: int, extra: dict[str, str]) -> dict[str, str]:
    """The environment of every Airflow process of one test installation."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://localhost:{port}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        # Wait for SQLite's write lock instead of failing at once while the scheduler writes.
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db?timeout=30",
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "AIRFLOW__API__WORKERS": "1",
        # The worker log server defaults to 8793: parallel installations must not share it.
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "PYTHONWARNINGS": "ignore",
    })
    env.update(extra)
    return env


class Airflow:
    """The three services of one installation, plus the CLI and REST calls the tests need."""

    def __init__(self, home: Path, port: int, env: dict[str, str]):
        self.home, self.port, self.env = home, port, env
        self.procs: dict[str, subprocess.Popen] = {}
        self.api = f"http://127.0.0.1:{port}/api/v2"

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run ``airflow ARGS`` with this installation's environment."""
        return subprocess.run([sys.executable, "-m", "airflow", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def start(self) -> Airflow:
        migrated = self.cli("db", "migrate", timeout=300)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        for name in SERVICES:
            self.start_service(name)
        return self

    def start_service(self, name: str) -> None:
        """Start one service in its own process group, its output appended to ``<name>.out``."""
        args = [name] + (["--host", "127.0.0.1", "--port", str(self.port)] if name == "api-server" else [])
        with open(self.home / f"{name}.out", "a") as log:
            self.procs[name] = subprocess.Popen([sys.executable, "-m", "airflow", *args], env=self.env,
                                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop_service(self, name: str) -> None:
        """SIGTERM the service's process group, SIGKILL what is left after a grace period."""
        proc = self.procs.pop(name)
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(proc, signal.SIGKILL)  # task processes the service started, too
        proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop every service."""
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGTERM)  # all at once: they stop in parallel
        for name in list(self.procs):
            self.stop_service(name)

    def __enter__(self) -> Airflow:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- REST ----------------------------------------------------------------------

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """One REST call; returns the status and the decoded JSON body."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, _json(exc.read())

    def wait_for(self, what: str, check, timeout: float, every: float = 2.0):
        """Poll ``check()`` until it returns something truthy; fail with the service logs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_alive()
            try:
                result = check()
            except (OSError, urllib.error.URLError):
                result = None
            if result:
                return result
            time.sleep(every)
        try:
            timeline = self.timeline()
        except (AssertionError, OSError, KeyError) as exc:
            timeline = f"(no timeline: {exc})"
        raise AssertionError(f"timed out waiting for {what}\n{timeline}\n{self.tail_logs()}")

    def assert_alive(self) -> None:
        for name, proc in self.procs.items():
            assert proc.poll() is None, f"airflow {name} exited with {proc.returncode}\n{self.tail_logs()}"

    def dag_ready(self) -> bool:
        status, body = self.request("GET", f"/dags/{DAG_ID}")
        return status == 200 and not body.get("is_paused", True)

    def runs(self) -> list[dict]:
        status, body = self.request("GET", f"/dags/{DAG_ID}/dagRuns?limit=100&order_by=logical_date")
        assert status == 200, body
        return body["dag_runs"]

    def task_instances(self, run_id: str) -> list[dict]:
        status, body = self.request("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=100")
        assert status == 200, body
        return body["task_instances"]

    def backfill(self, backfill_id: int) -> dict:
        status, body = self.request("GET", f"/backfills/{backfill_id}")
        assert status == 200, body
        return body

    def timeline(self) -> str:
        """Every task instance of every run with its times: what to look at when a run is slow or failed."""
        lines = []
        for run in self.runs():
            lines.append(f"{run['dag_run_id']} {run['state']} {run.get('start_date')} -> {run.get('end_date')}")
            for ti in sorted(self.task_instances(run["dag_run_id"]), key=lambda t: t.get("start_date") or ""):
                lines.append(f"  {ti['task_id']}[{ti.get('rendered_map_index') or ti['map_index']}] {ti['state']} "
                             f"try {ti.get('try_number')} {ti.get('start_date')} -> {ti.get('end_date')}")
        return "\n".join(lines)

    def tail_logs(self, lines: int = 40) -> str:
        out = []
        for path in sorted(self.home.glob("*.out")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(out)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # start_new_session: the group id is the child's pid
    except ProcessLookupError:
        pass


def _json(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {"raw": raw.decode(errors="replace")}
