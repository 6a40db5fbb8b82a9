"""Reminders seen to be alive: the sender's heartbeat, the home page warning and the health page."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from peersupport import reminders
from peersupport.models import Heartbeat

WARNING = "Reminders and alerts are not going out"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_sender_records_when_it_last_ran(db):
    reminders.send_due_reminders()
    beat = Heartbeat.objects.get(name=reminders.SENDER)
    assert timezone.now() - beat.last_run_at < timedelta(seconds=5)


def test_managers_and_administrators_are_warned_when_reminders_have_not_run_for_5_minutes(client_for, trust):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reminders.send_due_reminders()
    with time_machine.travel(start + timedelta(minutes=4, seconds=50), tick=False):
        for user in (trust.manager, trust.admin):
            assert WARNING not in client_for(user).get(reverse("home")).content.decode()
    with time_machine.travel(start + timedelta(minutes=5, seconds=10), tick=False):
        for user in (trust.manager, trust.admin):
            page = client_for(user).get(reverse("home")).content.decode()
            assert WARNING in page
        # Peer support workers and the development team cannot act on it: not shown to them.
        for user in (trust.psw, trust.dev_worker):
            assert WARNING not in client_for(user).get(reverse("home")).content.decode()


def test_a_sender_that_never_ran_is_warned_about(client_for, trust):
    assert WARNING in client_for(trust.manager).get(reverse("home")).content.decode()


def test_health_page_reports_each_part_and_nothing_else(client, db):
    reminders.send_due_reminders()
    response = client.get(reverse("health"))
    body = response.json()
    assert set(body) == {"status", "checks", "reminders_last_run", "checked_at"}
    assert set(body["checks"]) == {"database", "redis", "celery", "reminders"}
    assert body["checks"]["database"] == "ok" and body["checks"]["reminders"] == "ok"
    # No Celery worker answers in this test: the page says so, with 503 for the monitoring.
    assert body["checks"]["celery"] == "failing"
    assert response.status_code == 503 and body["status"] == "failing"


def test_health_page_says_reminders_failing_when_the_sender_is_stale(client, db):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reminders.send_due_reminders()
    cache.clear()
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        body = client.get(reverse("health")).json()
    assert body["checks"]["reminders"] == "failing"
