"""The outbox: scans queue reminders, the sender delivers them, each exactly once.

A reminder is a row keyed by (kind, object, recipient, stage). Scans are plain functions that
insert the rows that have fallen due, ignoring keys that already exist, so any number of scans may
run at once. The sender claims a row with a conditional UPDATE before delivering it, so no two
senders deliver the same row; a sender that dies mid-send leaves a claim that goes stale after
REMINDER_CLAIM_TIMEOUT, and the row is then claimed again. A failed send releases the claim with
the error and a back-off, so nothing is lost.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import EmailPreference, Notification, NotificationKind, Reminder, ReminderStatus, User

logger = logging.getLogger(__name__)

BACKOFF_MAX = timedelta(hours=1)
CLAIM_BATCH = 50


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt (by default), never more than an hour."""
    first = timedelta(seconds=settings.REMINDER_RETRY_FIRST_SECONDS)
    return min(first * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def reminder_for(
    *,
    kind: NotificationKind,
    obj: models.Model | None = None,
    content_type: ContentType | None = None,
    object_id: int | None = None,
    recipient_id: int,
    stage: str,
    title: str,
    body: str = "",
    url: str = "",
    due_at: datetime | None = None,
) -> Reminder:
    """An unsaved outbox row; queue() saves many at once."""
    return Reminder(
        kind=kind,
        content_type=content_type or ContentType.objects.get_for_model(obj),
        object_id=object_id if object_id is not None else obj.pk,
        recipient_id=recipient_id,
        stage=stage,
        title=title[:200],
        body=body,
        url=url,
        next_attempt_at=due_at or timezone.now(),
    )


def queue(reminders: Iterable[Reminder]) -> None:
    """Insert outbox rows; a key that is already there is left as it is (one insert per call)."""
    rows = list(reminders)
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def dispatch_soon() -> None:
    """Ask a worker to send now, once the current transaction commits. Beat sends anyway
    within a minute, so a broker that is down only delays delivery."""

    def enqueue() -> None:
        from .tasks import send_reminders

        try:
            send_reminders.delay()
        except Exception:  # the broker being down must never break the page that queued the alert
            logger.warning("Could not enqueue send_reminders; the next beat run will send.", exc_info=True)

    transaction.on_commit(enqueue)


def run_scans(now: datetime | None = None) -> dict[str, int]:
    """Run every scan named in settings.REMINDER_SCANS; each returns how many rows it queued."""
    now = now or timezone.now()
    return {path: import_string(path)(now=now) for path in settings.REMINDER_SCANS}


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def claim(pk: int, now: datetime, token: str) -> bool:
    stale_before = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    updated = (
        Reminder.objects.claimable(now, stale_before)
        .filter(pk=pk)
        .update(status=ReminderStatus.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    return updated == 1


def send_email(reminder: Reminder) -> None:
    context = {"reminder": reminder, "site_url": settings.SITE_URL.rstrip("/")}
    subject = render_to_string("emails/reminder_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder_body.txt", context),
        to=[reminder.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/reminder_body.html", context), "text/html")
    message.send(fail_silently=False)


def deliver(reminder: Reminder) -> bool:
    """In-app first (idempotent: one notification per reminder), then email unless already sent
    or switched off. Returns whether an email went."""
    Notification.objects.get_or_create(
        reminder=reminder,
        defaults={
            "recipient_id": reminder.recipient_id,
            "kind": reminder.kind,
            "title": reminder.title,
            "body": reminder.body,
            "url": reminder.url,
        },
    )
    if reminder.email_sent_at or not EmailPreference.wants_email(reminder.recipient, reminder.kind):
        return False
    send_email(reminder)
    return True


def send_one(pk: int, token: str) -> str:
    """Claim and deliver one row: "sent", "failed" (kept for a retry) or "skipped" (someone else has it)."""
    now = timezone.now()
    if not claim(pk, now, token):
        return "skipped"
    reminder = Reminder.objects.select_related("recipient").get(pk=pk)
    mine = Reminder.objects.filter(pk=pk, claim_token=token)
    try:
        emailed = deliver(reminder)
    except Exception as exc:  # any failure to deliver: keep the row, record why, retry later
        logger.warning("Reminder %s not delivered: %s", pk, exc)
        mine.update(
            status=ReminderStatus.PENDING,
            claimed_at=None,
            claim_token="",
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff(reminder.attempts),
        )
        return "failed"
    done = timezone.now()
    mine.update(
        status=ReminderStatus.SENT,
        sent_at=done,
        email_sent_at=done if emailed else reminder.email_sent_at,
        claimed_at=None,
        claim_token="",
        last_error="",
    )
    return "sent"


def send_due_reminders(*, max_seconds: float = 50.0) -> SendReport:
    """Deliver every claimable reminder, batch by batch, until none is left or time is up."""
    report = SendReport()
    token = uuid.uuid4().hex
    started = time.monotonic()
    tried: set[int] = set()
    while time.monotonic() - started < max_seconds:
        now = timezone.now()
        stale_before = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
        batch = list(
            Reminder.objects.claimable(now, stale_before)
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        if not batch:
            break
        for pk in batch:
            tried.add(pk)
            outcome = send_one(pk, token)
            if outcome == "sent":
                report.sent.append(pk)
            elif outcome == "failed":
                report.failed.append(pk)
    return report


def notify_now(
    *,
    recipients: Iterable[User],
    kind: NotificationKind,
    obj: models.Model,
    stage: str,
    title: str,
    body: str = "",
    url: str = "",
) -> None:
    """Queue one reminder per recipient for delivery as soon as this transaction commits."""
    content_type = ContentType.objects.get_for_model(obj)
    queue(
        reminder_for(
            kind=kind,
            content_type=content_type,
            object_id=obj.pk,
            recipient_id=user.pk,
            stage=stage,
            title=title,
            body=body,
            url=url,
        )
        for user in recipients
    )
    dispatch_soon()
