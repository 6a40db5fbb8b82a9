"""The slow fault runs (`make faults`), outside `make test`'s testpaths: each starts its own
PostgreSQL cluster, gunicorn with the production settings, Redis, SMTP and Celery as it needs
(faults/servers.py, tests/faults.py). Figures go to bench/results/faults.json; a table is printed
at the end of the run."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from faults.servers import PG_BIN, ROOT, PostgresCluster, manage
from tests.conftest import IN_CI, redis_server, smtp  # noqa: F401  (fixtures used by the runs)
from tests.faults import CeleryWorker

RESULTS = ROOT / "bench" / "results" / "faults.json"
FIGURES: dict[str, dict] = {}


def record(name: str, **figures) -> None:
    """Keep a run's figures for bench/results/faults.json and the table printed at the end."""
    FIGURES[name] = figures


@pytest.fixture(scope="session")
def cluster():
    """Our own PostgreSQL cluster (never the machine's on 5432), with a migrated template database
    that each run copies (CREATE DATABASE ... TEMPLATE is a file copy: seconds, not a migration)."""
    if not (PG_BIN / "initdb").exists():
        message = f"PostgreSQL's server binaries are not at {PG_BIN} (apt-get install -y postgresql)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    server = PostgresCluster()
    server.init()
    server.start()
    server.create_database("ps_template")
    manage(server.url("ps_template"), "migrate", "--noinput")
    yield server
    server.remove()


@pytest.fixture
def started():
    """Servers a run starts: each is stopped at the end, whether the run passed or failed."""
    servers: list = []
    yield servers
    for server in reversed(servers):
        if isinstance(server, CeleryWorker):
            if server.process:
                server.kill()
        else:
            server.stop()


@pytest.fixture
def workdir():
    path = Path(tempfile.mkdtemp(prefix="ps-faults-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    if not FIGURES:
        return
    out = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    out.update(
        {name: {"measured_at": timezone.now().isoformat(timespec="seconds"), **f} for name, f in FIGURES.items()}
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2, default=str) + "\n")
    lines = [
        "",
        f"Fault runs (written to {RESULTS.relative_to(ROOT)}):",
        f"{'run':<40} {'figure':<46} value",
        "-" * 100,
    ]
    for name, figures in FIGURES.items():
        for key, value in figures.items():
            lines.append(f"{name:<40} {key:<46} {value}")
            name = ""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line("\n".join(lines))
    else:
        print("\n".join(lines))
