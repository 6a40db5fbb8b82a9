"""The outbox: queued once, delivered once, failures kept with their error and retried."""

import smtplib
from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from caseload.kinds import NotificationKind
from peersupport import reminders
from peersupport.models import EmailPreference, Notification, Reminder, ReminderStatus


def queue_one(user, *, kind=NotificationKind.CONCERN_UPDATE, stage="first", obj=None):
    reminders.queue(
        [
            reminders.reminder_for(
                kind=kind,
                obj=obj or user,
                recipient_id=user.pk,
                stage=stage,
                title="Something to know",
                body="Details.",
                url="/notifications/",
            )
        ]
    )


class RefusingBackend:
    """An email backend standing in for a mail server that refuses the message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, b"Message refused")


def test_the_same_key_is_queued_once(trust):
    queue_one(trust.psw)
    queue_one(trust.psw)
    assert Reminder.objects.count() == 1
    queue_one(trust.psw, stage="second")
    assert Reminder.objects.count() == 2


def test_sender_delivers_in_app_and_by_email_once(trust):
    queue_one(trust.psw)
    first = reminders.send_due_reminders()
    second = reminders.send_due_reminders()
    assert len(first.sent) == 1 and second.sent == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [trust.psw.email]
    assert "Something to know" in mail.outbox[0].subject
    notification = Notification.objects.get()
    assert notification.recipient == trust.psw and notification.url == "/notifications/"
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at and reminder.email_sent_at


def test_refused_email_stays_pending_with_its_error_and_is_retried_after_back_off(trust, settings):
    queue_one(trust.psw)
    settings.EMAIL_BACKEND = "peersupport.tests.test_reminders.RefusingBackend"
    report = reminders.send_due_reminders()
    reminder = Reminder.objects.get()
    assert report.failed == [reminder.pk]
    assert reminder.status == ReminderStatus.PENDING and reminder.attempts == 1
    assert "SMTPDataError" in reminder.last_error and "refused" in reminder.last_error
    assert reminder.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # The in-app notification does not wait for the mail server.
    assert Notification.objects.filter(recipient=trust.psw).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders.send_due_reminders().sent == []  # not before the back-off
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert reminders.send_due_reminders().sent == [reminder.pk]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.last_error == "" and reminder.attempts == 2
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_email_subject_and_text_are_not_html_escaped(trust):
    reminders.queue(
        [
            reminders.reminder_for(
                kind=NotificationKind.LONE_WORKING,
                obj=trust.psw,
                recipient_id=trust.colleague.pk,
                stage="s",
                title="Priya's visit & more",
                body="At O'Neill Court.",
            )
        ]
    )
    reminders.send_due_reminders()
    assert mail.outbox[0].subject == "[Safety alert] Priya's visit & more"
    assert "At O'Neill Court." in mail.outbox[0].body


def test_back_off_doubles_up_to_an_hour():
    assert [reminders.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert reminders.backoff(20) == timedelta(hours=1)


def test_a_claim_held_by_a_dead_sender_is_taken_again_after_the_lease(trust, settings):
    queue_one(trust.psw)
    reminder = Reminder.objects.get()
    assert reminders.claim(reminder.pk, timezone.now(), "dead-sender")  # then the sender died
    assert reminders.send_due_reminders().sent == []  # the claim is still fresh
    later = timezone.now() + timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    with time_machine.travel(later):
        assert reminders.send_due_reminders().sent == [reminder.pk]
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_one_sender_cannot_be_claimed_by_another(trust):
    queue_one(trust.psw)
    pk = Reminder.objects.get().pk
    now = timezone.now()
    assert reminders.claim(pk, now, "a") is True
    assert reminders.claim(pk, now, "b") is False


def test_email_switched_off_still_shows_in_app(trust):
    EmailPreference.objects.create(user=trust.psw, kind=NotificationKind.CONCERN_UPDATE, email=False)
    queue_one(trust.psw)
    reminders.send_due_reminders()
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=trust.psw).count() == 1
    assert Reminder.objects.get().status == ReminderStatus.SENT


def test_safety_alerts_are_emailed_even_when_switched_off(trust):
    EmailPreference.objects.create(user=trust.psw, kind=NotificationKind.LONE_WORKING, email=False)
    queue_one(trust.psw, kind=NotificationKind.LONE_WORKING)
    reminders.send_due_reminders()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("[Safety alert]")


def test_send_reminders_command_runs_the_scans_and_sends_once(trust, capsys):
    queue_one(trust.psw)
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    out = capsys.readouterr().out
    assert "caseload.safety.scan_overdue_visits" in out and "Sent 1" in out and "Sent 0" in out


def test_a_page_that_queues_an_alert_survives_a_broker_that_is_down(
    trust, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from kombu.exceptions import OperationalError

    from peersupport import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # Stands in for Redis being down (the real outage is in tests/test_reminder_faults.py).
    monkeypatch.setattr(tasks.send_reminders, "delay", broker_down)
    queue_one(trust.psw)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.dispatch_soon()  # logs, never raises into the page
    assert "Could not enqueue send_reminders" in caplog.text
    assert Reminder.objects.get().status == ReminderStatus.PENDING  # beat sends it later
