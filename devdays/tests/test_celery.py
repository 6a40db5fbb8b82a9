"""A real Celery worker (with beat, Redis and an SMTP server, each in its own process) delivers an
invitation end to end, calendar file included. Needs PostgreSQL: the worker shares the test database."""

import os
import shutil
from dataclasses import dataclass, field
from email import message_from_bytes

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from devdays import services
from devdays.tests.factories import DayFactory
from peersupport import reminders
from tests.faults import CeleryWorker, RedisServer, SmtpHandler, SmtpServer, database_url, wait_for

IN_CI = os.environ.get("CI") == "true"


@dataclass
class KeepingHandler(SmtpHandler):
    """Also keeps each whole message, so the test can read its calendar file."""

    raw: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(message_from_bytes(envelope.content))
        return await super().handle_DATA(server, session, envelope)


def need(what: str, ok: bool) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.handler = KeepingHandler()
    server.controller = Controller(server.handler, hostname="127.0.0.1", port=server.port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_server(tmp_path):
    need("redis-server is not installed: apt-get install -y redis-server", shutil.which("redis-server") is not None)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_celery_worker_delivers_an_invitation_with_its_calendar_file(
    transactional_db, trust, tmp_path, redis_server, smtp, monkeypatch
):
    need("needs PostgreSQL (DATABASE_URL=postgres://...)", connection.vendor == "postgresql")
    # The test settings run tasks eagerly, in this process: leave the sending to the worker's beat.
    monkeypatch.setattr(reminders, "dispatch_soon", lambda: None)
    celery = CeleryWorker(tmp_path, database=database_url(connection.settings_dict), redis=redis_server, smtp=smtp)
    celery.start()
    try:
        day = DayFactory(created_by=trust.dev_lead)
        services.send_invitations(day=day, by=trust.dev_lead)
        received = wait_for(lambda: smtp.handler.to(trust.psw.email), timeout=90, interval=1, what="the invitation")
        assert received[0].subject.startswith("You are invited: peer development day on")
        message = next(m for m in smtp.handler.raw if trust.psw.email in m["To"])
        ics = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
        cal = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
        assert cal["method"] == "REQUEST"
        assert list(cal.walk("VALARM"))
    finally:
        celery.kill()
