"""Fault tests with real parts: PostgreSQL, our own Redis server, a real SMTP server and a real
Celery worker with beat (beat's interval shortened to 2 seconds). Reminders and alerts must be
delivered once: never lost, never twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from caseload.kinds import NotificationKind
from caseload.models import ConcernStatus, RiskConcern, SafetySettings, Visit
from caseload.services.safety import scan_overdue_visits, scan_unacknowledged_concerns
from caseload.tests.factories import PersonFactory
from peersupport import reminders
from peersupport.models import Notification, Reminder, ReminderStatus
from peersupport.tests.factories import make_worker
from tests.conftest import needs_postgresql
from tests.faults import wait_for


def overdue_visit(trust, *, worker=None, in_seconds: float = 2.0) -> Visit:
    end = timezone.now() + timedelta(seconds=in_seconds)
    return Visit.objects.create(
        worker=worker or trust.psw,
        person=trust.person,
        team=trust.north,
        location="12 Oak Road",
        expected_end=end,
        buddy=trust.colleague,
        next_alert_at=end,
    )


def fast_settings() -> None:
    SafetySettings.objects.update_or_create(pk=1, defaults={"visit_grace_minutes": 0, "visit_escalation_minutes": 1})


def test_an_overdue_visit_alerts_the_buddy_within_two_minutes(trust, worker, smtp):
    fast_settings()
    celery = worker()
    celery.start()
    visit = overdue_visit(trust, in_seconds=3)
    overdue_at = visit.expected_end  # grace period 0: overdue from the expected end
    buddy_alert = wait_for(
        lambda: Notification.objects.filter(recipient=trust.colleague, kind=NotificationKind.LONE_WORKING).first(),
        timeout=150,
        interval=1,
        what="the buddy's alert",
    )
    assert buddy_alert.created_at - overdue_at <= timedelta(minutes=2), celery.logs()
    worker_alert = Notification.objects.get(recipient=trust.psw, kind=NotificationKind.LONE_WORKING)
    assert worker_alert.created_at < buddy_alert.created_at  # the worker first, then the buddy
    wait_for(lambda: smtp.handler.to(trust.colleague.email), timeout=10, what="the buddy's email")
    assert "Priya Patel's lone-working visit is overdue" in smtp.handler.to(trust.colleague.email)[0].subject
    assert len(smtp.handler.to(trust.manager.email)) == 1


def test_a_worker_killed_mid_send_delivers_once_after_restart(trust, worker, smtp):
    reminders.queue(
        [
            reminders.reminder_for(
                kind=NotificationKind.LONE_WORKING,
                obj=trust.psw,
                recipient_id=trust.psw.pk,
                stage="kill-test",
                title="Your visit is overdue",
            )
        ]
    )
    smtp.handler.stall = True  # the mail server takes the connection, then hangs
    celery = worker(REMINDER_CLAIM_TIMEOUT="8", EMAIL_TIMEOUT="5")
    celery.start()
    wait_for(
        lambda: smtp.handler.stalled and Reminder.objects.filter(status=ReminderStatus.SENDING).exists(),
        timeout=30,
        what="the worker to be mid-send",
    )
    celery.kill()
    smtp.handler.stall = False
    assert smtp.handler.messages == []  # nothing was accepted before the kill
    restarted = worker(REMINDER_CLAIM_TIMEOUT="8", EMAIL_TIMEOUT="5")
    restarted.start()
    wait_for(
        lambda: Reminder.objects.filter(status=ReminderStatus.SENT).exists(),
        timeout=60,
        what="the reminder to be sent after the restart",
    )
    time.sleep(4)  # two more beat runs: nothing more may go
    assert len(smtp.handler.to(trust.psw.email)) == 1, restarted.logs()
    assert Notification.objects.filter(recipient=trust.psw).count() == 1
    assert Reminder.objects.get().attempts == 2


def test_redis_stopped_for_30_seconds_while_alerts_fall_due_then_each_is_delivered_once(
    trust, worker, redis_server, smtp
):
    fast_settings()
    celery = worker()
    celery.start()
    redis_server.stop()
    stopped = time.monotonic()
    workers = [make_worker(trust.north) for _ in range(3)]
    visits = [overdue_visit(trust, worker=w, in_seconds=3 + 5 * i) for i, w in enumerate(workers)]
    concern = RiskConcern.objects.create(
        person=trust.person,
        raised_by=trust.psw,
        description="x",
        severity="high",
        escalated_to=trust.colleague,
        escalated_to_role="duty_worker",
        next_escalation_at=timezone.now() + timedelta(seconds=10),
    )
    time.sleep(max(0.0, 30 - (time.monotonic() - stopped)))
    assert Notification.objects.count() == 0  # nothing could run while Redis was down
    redis_server.start()
    expected = {(w.email, NotificationKind.LONE_WORKING) for w in workers} | {
        (trust.manager.email, NotificationKind.RISK_CONCERN)
    }
    try:
        wait_for(
            lambda: {(n.recipient.email, n.kind) for n in Notification.objects.select_related("recipient")} >= expected,
            timeout=90,
            interval=1,
            what="every alert after Redis came back",
        )
    except AssertionError as timed_out:  # say what the worker did: a reconnection, a scan, a send
        raise AssertionError(f"{timed_out}\n{celery.logs()}") from None
    wait_for(
        lambda: not Reminder.objects.exclude(status=ReminderStatus.SENT).exists(),
        timeout=30,
        what="every reminder to be marked sent",
    )
    time.sleep(4)
    assert Reminder.objects.count() == len(expected), celery.logs()
    assert Notification.objects.count() == len(expected)
    received = Counter(address for m in smtp.handler.messages for address in m.to)
    assert received == Counter(email for email, _ in expected), celery.logs()
    for visit in visits:
        visit.refresh_from_db()
        assert visit.alert_level == 1
    concern.refresh_from_db()
    assert concern.escalation_level == 1 and concern.status == ConcernStatus.OPEN


@pytest.mark.django_db
def test_a_refused_email_stays_pending_with_its_error_then_goes_on_the_retry(trust, smtp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.REMINDER_RETRY_FIRST_SECONDS = 1
    reminders.queue(
        [
            reminders.reminder_for(
                kind=NotificationKind.RISK_CONCERN,
                obj=trust.psw,
                recipient_id=trust.colleague.pk,
                stage="refused",
                title="Please acknowledge",
            )
        ]
    )
    smtp.handler.refuse = True
    report = reminders.send_due_reminders()
    reminder = Reminder.objects.get()
    assert report.failed == [reminder.pk] and report.sent == []
    assert reminder.status == ReminderStatus.PENDING and reminder.attempts == 1
    assert "554" in reminder.last_error and "refused" in reminder.last_error
    assert reminder.next_attempt_at > timezone.now()
    assert smtp.handler.messages == []
    smtp.handler.refuse = False
    time.sleep(1.1)
    assert reminders.send_due_reminders().sent == [reminder.pk]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.last_error == ""
    assert [m.subject for m in smtp.handler.to(trust.colleague.email)] == ["[Safety alert] Please acknowledge"]


@pytest.mark.django_db(transaction=True)
def test_two_scans_and_two_senders_racing_deliver_each_reminder_once(trust):
    needs_postgresql()
    person = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    past = timezone.now() - timedelta(minutes=20)
    for _ in range(60):
        worker = make_worker(trust.north)
        Visit.objects.create(
            worker=worker,
            person=person,
            team=trust.north,
            location="x",
            expected_end=past,
            buddy=trust.psw,
            next_alert_at=past,
        )
    for _ in range(20):
        RiskConcern.objects.create(
            person=person,
            raised_by=trust.psw,
            description="x",
            severity="high",
            escalated_to=trust.colleague,
            escalated_to_role="duty_worker",
            next_escalation_at=past,
        )
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    scanning = threading.Event()

    def scan():
        try:
            barrier.wait()
            scanning.set()
            scan_overdue_visits()
            scan_unacknowledged_concerns()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def send():
        try:
            barrier.wait()
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                reminders.send_due_reminders()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (scan, scan, send, send)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    reminders.send_due_reminders()  # anything queued after the senders stopped

    queued = Reminder.objects.count()
    assert queued == 60 + 20  # one per visit (its worker) and one per concern (the manager)
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == queued
    assert Notification.objects.count() == queued
    assert len(mail.outbox) == queued
    expected = Counter((r.recipient.email, r.title) for r in Reminder.objects.select_related("recipient"))
    sent = Counter((m.to[0], m.subject.removeprefix("[Safety alert] ")) for m in mail.outbox)
    assert sent == expected
    assert set(Visit.objects.values_list("alert_level", flat=True)) == {1}


# Alerts on time, and the promise told truly (delivery at least once, one Message-ID per reminder).


def test_each_escalation_step_falls_due_on_time_even_after_a_late_scan(trust, worker, smtp):
    """The next step is timed from when this step fell due, not from the scan's clock."""
    fast_settings()  # grace 0, a minute to acknowledge each step
    end = timezone.now() - timedelta(seconds=30)  # the worker's alert is already 30 s late
    visit = Visit.objects.create(
        worker=trust.psw,
        person=trust.person,
        team=trust.north,
        location="12 Oak Road",
        expected_end=end,
        buddy=trust.colleague,
        next_alert_at=end,
    )
    celery = worker(REMINDER_SCAN_SECONDS="3")
    celery.start()
    buddy_alert = wait_for(
        lambda: Notification.objects.filter(recipient=trust.colleague, kind=NotificationKind.LONE_WORKING).first(),
        timeout=90,
        interval=0.5,
        what="the buddy's alert",
    )
    step_due = visit.expected_end + timedelta(minutes=1)
    # Within one scan period (3 s) of falling due, plus the time to write it; timed from the late
    # scan it would have come 30 s late.
    assert buddy_alert.created_at - step_due <= timedelta(seconds=8), celery.logs()
    assert buddy_alert.created_at >= step_due


def _queue_alert(trust) -> Reminder:
    reminders.queue(
        [
            reminders.reminder_for(
                kind=NotificationKind.LONE_WORKING,
                obj=trust.psw,
                recipient_id=trust.psw.pk,
                stage="restart-test",
                title="Your visit is overdue",
            )
        ]
    )
    return Reminder.objects.get()


def test_a_mail_server_that_answers_too_late_gets_a_second_copy_with_the_same_message_id(trust, worker, smtp):
    reminder = _queue_alert(trust)
    smtp.handler.stall_after_data = True  # accepted, but the 250 comes after EMAIL_TIMEOUT
    celery = worker(EMAIL_TIMEOUT="2", REMINDER_RETRY_FIRST_SECONDS="1")
    celery.start()
    wait_for(lambda: smtp.handler.stalled_after_data, timeout=30, what="the first copy to be accepted")
    wait_for(
        lambda: (
            Reminder.objects.filter(pk=reminder.pk, last_error__contains="timed out").exists()
            or Reminder.objects.filter(pk=reminder.pk).exclude(last_error="").exists()
        ),
        timeout=30,
        what="the sender to give up waiting",
    )
    smtp.handler.stall_after_data = False
    wait_for(
        lambda: Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENT).exists(),
        timeout=60,
        what="the retry to be sent",
    )
    copies = smtp.handler.to(trust.psw.email)
    assert len(copies) == 2, celery.logs()  # at least once, not exactly once, as the README says
    assert {copy.message_id for copy in copies} == {f"<reminder-{reminder.pk}@127.0.0.1>"}


def test_a_worker_killed_after_the_mail_server_accepted_repeats_it_with_the_same_message_id(trust, worker, smtp):
    reminder = _queue_alert(trust)
    smtp.handler.stall_after_data = True
    name = "restart-same-name@faults"
    celery = worker(name=name)
    celery.start()
    wait_for(lambda: smtp.handler.stalled_after_data, timeout=30, what="the mail server to accept the message")
    celery.kill()
    smtp.handler.stall_after_data = False
    restarted = worker(name=name)
    restarted.start()
    wait_for(
        lambda: Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENT).exists(),
        timeout=60,
        what="the reminder to be sent after the restart",
    )
    copies = smtp.handler.to(trust.psw.email)
    assert len(copies) == 2, restarted.logs()
    assert copies[0].message_id == copies[1].message_id == f"<reminder-{reminder.pk}@127.0.0.1>"
    assert Notification.objects.filter(recipient=trust.psw).count() == 1  # in-app stays once


def test_an_alert_claimed_by_a_killed_worker_goes_within_a_minute_of_its_restart(trust, worker, smtp):
    """Not after the whole claim timeout (5 minutes by default): the restarted worker releases its
    dead self's claims at once."""
    reminder = _queue_alert(trust)
    smtp.handler.stall = True  # the claim is taken, nothing is handed to the mail server
    name = "claims-released@faults"
    celery = worker(name=name)  # the default REMINDER_CLAIM_TIMEOUT of 300 s
    celery.start()
    wait_for(
        lambda: smtp.handler.stalled and Reminder.objects.filter(status=ReminderStatus.SENDING).exists(),
        timeout=30,
        what="the worker to hold the claim mid-send",
    )
    celery.kill()
    smtp.handler.stall = False
    assert smtp.handler.messages == []
    restarted = worker(name=name)
    started = time.monotonic()
    restarted.start()
    wait_for(
        lambda: Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENT).exists(),
        timeout=60,
        what="the alert to be sent after the restart",
    )
    assert time.monotonic() - started < 60
    assert len(smtp.handler.to(trust.psw.email)) == 1, restarted.logs()
    assert "Released 1 reminder(s)" in restarted.logs()
