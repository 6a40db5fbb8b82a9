"""Real parts for the project-wide tests that need them: our own Redis, an SMTP server that records
what arrives, and a Celery worker (see tests/faults.py)."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from tests.faults import CeleryWorker, RedisServer, SmtpServer, database_url

IN_CI = os.environ.get("CI") == "true"


def needs_postgresql():
    if connection.vendor == "postgresql":
        return
    reason = (
        "needs PostgreSQL: the Celery worker runs in its own process and must share the test database, "
        "and the race needs real row locks. Run with DATABASE_URL=postgres://..."
    )
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed: apt-get install -y redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(transactional_db, tmp_path, redis_server, smtp):
    needs_postgresql()
    workers: list[CeleryWorker] = []

    def make(**env) -> CeleryWorker:
        new = CeleryWorker(
            tmp_path, database=database_url(connection.settings_dict), redis=redis_server, smtp=smtp, **env
        )
        workers.append(new)
        return new

    yield make
    for started in workers:
        started.kill()
