"""The production install works: a virtualenv built from requirements.txt alone (no test tools) runs
`celery -A peersupport worker` and `celery -A peersupport beat` as separate processes, and an overdue
lone-working visit's alert reaches a real SMTP server.

The virtualenv is PRODUCTION_VENV (default .venv-production), built by `make production-venv` and by
.ci/run. Outside CI a missing one skips with the command to build it; in CI it fails."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from caseload.models import SafetySettings, Visit
from tests.conftest import IN_CI
from tests.faults import ROOT, wait_for

VENV = Path(os.environ.get("PRODUCTION_VENV", ROOT / ".venv-production"))


@pytest.fixture
def production_celery() -> Path:
    celery = VENV / "bin" / "celery"
    if not celery.exists():
        reason = f"no production virtualenv at {VENV}: run `make production-venv`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return celery


def test_the_production_virtualenv_holds_only_what_requirements_txt_pins(production_celery):
    python = production_celery.with_name("python")
    installed = subprocess.run([str(python), "-m", "pip", "list"], capture_output=True, text=True, check=True).stdout
    assert "pytest" not in installed and "playwright" not in installed  # nothing of the test tools
    # Every module the web, the worker and beat import.
    check = subprocess.run(
        [
            str(python),
            "-c",
            "import django, kombu.transport.redis; django.setup(); import peersupport.wsgi, peersupport.tasks, "
            "celery.bin.worker, celery.bin.beat, gunicorn",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "peersupport.settings"},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_worker_and_beat_from_the_production_install_deliver_a_lone_working_alert(
    trust, worker, smtp, production_celery
):
    SafetySettings.objects.update_or_create(pk=1, defaults={"visit_grace_minutes": 0, "visit_escalation_minutes": 1})
    celery = worker(celery=production_celery, separate_beat=True)
    celery.start()
    end = timezone.now() + timedelta(seconds=2)
    Visit.objects.create(
        worker=trust.psw,
        person=trust.person,
        team=trust.north,
        location="12 Oak Road",
        expected_end=end,
        buddy=trust.colleague,
        next_alert_at=end,
    )
    wait_for(lambda: smtp.handler.to(trust.psw.email), timeout=60, what="the worker's overdue alert by email")
    assert "Your visit is overdue" in smtp.handler.to(trust.psw.email)[0].subject, celery.logs()
