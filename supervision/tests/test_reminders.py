"""Reminders: 7 days before due to both, when overdue to both, to the manager beyond 14 days overdue;
each exactly once, however often the scan runs."""

import datetime as dt

import time_machine
from django.utils import timezone

from peersupport import reminders
from supervision.models import SupervisionSettings
from supervision.scans import scan_supervision_due


def _on(day: dt.date, hour: int = 9):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=False)


def _send_scan(day):
    with _on(day):
        scan_supervision_due()
        reminders.send_due_reminders()


def test_due_soon_reaches_both_people_once(trust, mailoutbox):
    due = trust.agreement.next_due_on
    _send_scan(due - dt.timedelta(days=8))
    assert mailoutbox == []
    _send_scan(due - dt.timedelta(days=7))
    _send_scan(due - dt.timedelta(days=6))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([trust.psw.email, trust.supervisor.email])
    assert "due" in mailoutbox[0].subject


def test_overdue_reaches_both_then_the_manager_after_14_days_once(trust, mailoutbox):
    due = trust.agreement.next_due_on
    _send_scan(due + dt.timedelta(days=1))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([trust.psw.email, trust.supervisor.email])
    assert "overdue" in mailoutbox[0].subject
    mailoutbox.clear()
    _send_scan(due + dt.timedelta(days=14))
    assert mailoutbox == []
    _send_scan(due + dt.timedelta(days=15))
    _send_scan(due + dt.timedelta(days=16))
    assert [m.to[0] for m in mailoutbox] == [trust.manager.email]
    assert "overdue by 15 days" in mailoutbox[0].subject


def test_escalation_limit_is_configurable(trust, mailoutbox):
    SupervisionSettings.objects.create(escalate_after_days=3, due_soon_days=2)
    due = trust.agreement.next_due_on
    _send_scan(due - dt.timedelta(days=3))
    assert mailoutbox == []  # 2 days' notice now
    _send_scan(due + dt.timedelta(days=4))
    assert trust.manager.email in [m.to[0] for m in mailoutbox]


def test_no_reminder_once_a_session_is_held(trust, mailoutbox):
    from supervision.tests.factories import SessionFactory

    due = trust.agreement.next_due_on
    with _on(due - dt.timedelta(days=8)):
        SessionFactory(agreement=trust.agreement, starts_at=timezone.now() - dt.timedelta(hours=1))
    _send_scan(due + dt.timedelta(days=2))
    assert mailoutbox == []


def _reads(captured) -> list[str]:
    # SQLite splits one bulk insert into batches by its parameter limit; every read is counted.
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("INSERT")]


def test_the_scan_reads_a_fixed_number_of_times(trust):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision.tests.factories import AgreementFactory

    day = trust.agreement.next_due_on + dt.timedelta(days=20)
    with _on(day):
        scan_supervision_due()  # warm the content type cache
    with _on(day), CaptureQueriesContext(connection) as one:
        scan_supervision_due()
    for _ in range(299):
        AgreementFactory(supervisor=trust.manager, supervisee=trust.colleague, starts_on=trust.agreement.starts_on)
    with _on(day), CaptureQueriesContext(connection) as many:
        assert scan_supervision_due() == 300 * 2 + 1  # both people each, and the manager for Priya
    assert len(_reads(many)) == len(_reads(one)) == 3  # settings, agreements, line managers
