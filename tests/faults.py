"""Real parts for the fault tests: a Redis server, an SMTP server and a Celery worker with beat,
each started here on a free port, so the tests can stop and start them without touching the
machine's own Redis (port 6379) or anything else."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, what="redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class Received:
    to: list[str]
    subject: str
    message_id: str = ""


@dataclass
class SmtpHandler:
    """Records each accepted message. `refuse` answers 554 to DATA; `stall` holds the
    conversation at RCPT (before anything is accepted) until it is cleared; `stall_after_data`
    records the message, then holds back the 250 that tells the client so until it is cleared."""

    messages: list[Received] = field(default_factory=list)
    refuse: bool = False
    stall: bool = False
    stalled: int = 0
    stall_after_data: bool = False
    stalled_after_data: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall:
            self.stalled += 1
            while self.stall:
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused by policy"
        message = message_from_bytes(envelope.content)
        self.messages.append(
            Received(to=list(envelope.rcpt_tos), subject=str(message["Subject"]), message_id=str(message["Message-ID"]))
        )
        if self.stall_after_data:
            self.stalled_after_data += 1
            while self.stall_after_data:
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def to(self, email: str) -> list[Received]:
        return [m for m in self.messages if email in m.to]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = SmtpHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.handler.stall = False
        self.handler.stall_after_data = False
        self.controller.stop()


def database_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    """`celery -A peersupport worker --beat` against the test database, our Redis and our SMTP.
    `name` fixes the node name (a restart under the same name); `celery` runs another install's
    Celery (the production virtualenv); `separate_beat` runs beat as its own process, as in production."""

    def __init__(
        self,
        workdir: Path,
        *,
        database: str,
        redis: RedisServer,
        smtp: SmtpServer,
        name: str | None = None,
        celery: Path = CELERY,
        separate_beat: bool = False,
        **env: str,
    ):
        self.workdir = workdir
        self.name = name
        self.celery = celery
        self.separate_beat = separate_beat
        self.beat_process: subprocess.Popen | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ALLOW"))},
            "DJANGO_SETTINGS_MODULE": "peersupport.settings",
            "DATABASE_URL": database,
            "CONN_MAX_AGE": "0",
            "REDIS_URL": redis.url,
            "EMAIL_URL": smtp.url,
            "REMINDER_SCAN_SECONDS": "2",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: subprocess.Popen | None = None
        self.runs = 0

    @property
    def log_path(self) -> Path:
        return self.workdir / f"worker-{self.runs}.log"

    def start(self) -> None:
        self.runs += 1
        self.log = self.log_path.open("w")
        schedule = f"--schedule={self.workdir / 'beat-schedule'}"
        beat = [] if self.separate_beat else ["--beat", schedule]
        self.process = subprocess.Popen(
            [
                str(self.celery),
                "-A",
                "peersupport",
                "worker",
                *beat,
                "--loglevel=INFO",
                "--concurrency=2",
                "-n",
                self.name or f"faults-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes the pool and beat too
        )
        if self.separate_beat:
            self.beat_process = subprocess.Popen(
                [str(self.celery), "-A", "peersupport", "beat", "--loglevel=INFO", schedule],
                cwd=ROOT,
                env=self.env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: " ready." in self.log_path.read_text(), timeout=60, what="the Celery worker to be ready")

    def kill(self) -> None:
        """Kill -9 the worker, its pool and beat: nothing gets to clean up."""
        for process in (self.process, self.beat_process):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.log.close()

    def logs(self) -> str:
        return "\n".join((self.workdir / f"worker-{n}.log").read_text()[-4000:] for n in range(1, self.runs + 1))
