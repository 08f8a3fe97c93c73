"""Airflow's distributed engine for real: PostgreSQL as the metadata database, Redis as the Celery
broker, and Celery workers next to the services of :mod:`scheduler_harness`.

PostgreSQL is Debian's server (``/usr/lib/postgresql/<v>/bin``; it refuses to run as root, so
as root it runs as the ``postgres`` user), with its data and socket in a temp folder and a free
port. Redis is Debian's ``redis-server`` (``make services-deps`` installs it), without any
persistence. Both stop with the test.

Each worker reports its own name as the task instances' ``hostname``: Airflow calls
``[core] hostname_callable`` (here :func:`worker_hostname`) in the worker, so the test can tell
which worker ran what, although all of them run on this one machine.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from scheduler_harness import Airflow, free_port

HOSTNAME_ENV = "CROSSPOST_TEST_HOSTNAME"
HERE = Path(__file__).resolve().parent


def worker_hostname() -> str:
    """``[core] hostname_callable`` of the test installation: the worker's name, else the host's."""
    return os.environ.get(HOSTNAME_ENV) or socket.getfqdn()


class ServiceUnavailable(RuntimeError):
    """A server binary this harness needs is not installed (the test is skipped, saying which)."""


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server binaries (the newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServiceUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 with an ``airflow`` superuser (trust auth)."""

    def __init__(self):
        self.bin = postgres_bin()
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            if shutil.which("runuser") is None or _no_user("postgres"):
                raise ServiceUnavailable("running as root without a 'postgres' user to run PostgreSQL as")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.dir = Path(tempfile.mkdtemp(prefix="crosspost-pg-"))  # not under pytest's root-only tmp
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"

    def _run(self, tool: str, *args: str, timeout: float = 120) -> None:
        result = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,
                                timeout=timeout, cwd=self.dir)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stdout[-2000:]}{result.stderr[-2000:]}")

    def start(self) -> Postgres:
        self._run("initdb", "-D", str(self.data), "-U", "airflow", "-A", "trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        # A test database: durability off (fsync, synchronous commit), connections for every process.
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "postgres.log"), "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def create_database(self, name: str) -> str:
        """A new database; returns its SQLAlchemy URL (psycopg2, Airflow's default driver)."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "airflow", name)
        return f"postgresql+psycopg2://airflow@127.0.0.1:{self.port}/{name}"

    def query(self, database: str, sql: str) -> list[tuple]:
        """Rows of one query, straight from the server (not through Airflow)."""
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="airflow", dbname=database)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        finally:
            conn.close()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            pass  # never started, or already gone
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """``redis-server`` on 127.0.0.1 and a free port, nothing written to disk."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise ServiceUnavailable("redis-server not found: `make services-deps` installs it (apt-get)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="crosspost-redis-"))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        with open(self.dir / "redis.log", "w") as log:
            self.proc = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.dir)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while not self.ping():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {(self.dir / 'redis.log').read_text()[-2000:]}")
            time.sleep(0.2)
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def celery_env(database_url: str, broker_url: str) -> dict[str, str]:
    """Settings of every process of a CeleryExecutor installation (on top of ``airflow_env``)."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url,
        "AIRFLOW__CELERY__BROKER_URL": broker_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + database_url.replace("+psycopg2", ""),
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.worker_hostname",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }


class CeleryAirflow(Airflow):
    """The services of :class:`Airflow` plus ``airflow celery worker``s, each with its own Celery
    hostname, log-server port and task-instance hostname."""

    def __init__(self, home: Path, port: int, env: dict[str, str], workers: tuple[str, ...], concurrency: int = 2):
        super().__init__(home, port, env)
        self.workers, self.concurrency = workers, concurrency

    def start(self) -> CeleryAirflow:
        super().start()
        for name in self.workers:
            self.start_service(name, ["celery", "worker", "--celery-hostname", f"{name}@%h",
                                      "--concurrency", str(self.concurrency)],
                               env={HOSTNAME_ENV: name, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())})
        return self


def _no_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return True
    return False
