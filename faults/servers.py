"""Real servers for the slow fault runs (`make faults`) and the load run (`make load`): a PostgreSQL
cluster of our own on a free port (never the machine's own on 5432), gunicorn with the production
settings, and the app's own code run in a subprocess against either (faults/stage.py).

Everything here is started by the test or the runner and stopped by it, by process id."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from tests.faults import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# The production settings, as the README's deployment section sets them, but plain HTTP on 127.0.0.1.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "peersupport.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "LOG_LEVEL": "WARNING",
}


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: ours without pytest's and Django's test settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "DATABASE_URL", "REDIS_URL", "CONN_MAX_AGE"))
    }
    return {**env, **PRODUCTION, **extra}


class PostgresCluster:
    """initdb + pg_ctl from PG_BIN in a temporary directory owned by the postgres OS user (initdb
    refuses root), listening on 127.0.0.1 and a free port, trust authentication on loopback."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="ps-faults-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.base, user="postgres", group="postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
            [*self.as_postgres, *args], check=check, capture_output=True, text=True, cwd=self.base, timeout=120
        )

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.base}'",
            "max_connections": "200",
            "shared_buffers": "256MB",
            # Durability as in production: a commit the app was told of survives a crash.
            "fsync": "on",
            "synchronous_commit": "on",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def start(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        wait_for(self.ready, timeout=30, what="the PostgreSQL cluster to accept connections")

    def ready(self) -> bool:
        result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False, timeout=10
        )
        return result.returncode == 0

    def crash(self) -> None:
        """Stop as a crash does: no checkpoint, every session cut; the next start replays the WAL."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
            [str(PG_BIN / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-tA", "-d", self.url(database), "-c", sql],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return result.stdout.strip()

    def create_database(self, name: str, template: str = "template1") -> str:
        self.psql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)


def manage(database_url: str, *args: str, env: dict | None = None, timeout: float = 600) -> str:
    """`manage.py ARGS` with the production settings against a database; returns its output."""
    result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=database_url, **(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def stage(database_url: str, command: str, secret_key: str, **params) -> dict:
    """Run faults/stage.py's COMMAND in a subprocess with the app's models on that database
    (the same SECRET_KEY as the web server, so the sessions it makes are valid there)."""
    result = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [sys.executable, str(ROOT / "faults" / "stage.py"), command, json.dumps(params)],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=database_url, SECRET_KEY=secret_key, CONN_MAX_AGE="0"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise AssertionError(f"stage.py {command} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class WebServer:
    """gunicorn peersupport.wsgi with the production settings on a free port of 127.0.0.1."""

    def __init__(
        self,
        database_url: str,
        *,
        workdir: Path,
        workers: int = 2,
        threads: int = 4,
        secret_key: str | None = None,
        **env: str,
    ) -> None:
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.secret_key = secret_key or f"faults-{uuid.uuid4().hex}{uuid.uuid4().hex}"
        self.log_path = workdir / f"gunicorn-{self.port}.log"
        self.env = clean_env(DATABASE_URL=database_url, SECRET_KEY=self.secret_key, **env)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell)
            [
                str(VENV_BIN / "gunicorn"),
                "peersupport.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self.answers, timeout=60, what="gunicorn to answer")

    def answers(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.logs()}")
        try:
            return requests.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def worker_pids(self) -> list[int]:
        """The master's worker processes (children), read from /proc."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_worker(self) -> int:
        """SIGKILL one worker mid-request; the master starts another in its place."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def logs(self) -> str:
        return self.log_path.read_text()[-6000:] if self.log_path.exists() else ""


def signed_in(server: WebServer, session_key: str) -> requests.Session:
    """A browser-like client holding a session made by stage.py, with its CSRF cookie."""
    client = requests.Session()
    client.cookies.set("sessionid", session_key, domain="127.0.0.1")
    response = client.get(f"{server.url}/", timeout=30)
    assert response.status_code == 200, (response.status_code, response.url)
    return client


def csrf_post(client: requests.Session, url: str, data: dict, **kwargs) -> requests.Response:
    token = client.cookies.get("csrftoken")
    return client.post(url, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, **kwargs)


def timed(started: float) -> float:
    return round(time.monotonic() - started, 2)
