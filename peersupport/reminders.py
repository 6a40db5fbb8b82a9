"""The outbox: scans queue reminders, the sender delivers them.

A reminder is a row keyed by (kind, object, recipient, stage): it is queued once, however often a
scan runs. Scans are plain functions registered by the apps (peersupport.plugins.register_scan)
that insert the rows that have fallen due, ignoring keys that already exist, so any number of scans
may run at once. The sender claims a row with a conditional UPDATE before delivering it, so no two
senders deliver the same row at once. A failed send releases the claim with the error and a
back-off, so nothing is lost.

Delivery is at least once, not exactly once. Between the mail server accepting a message and the
row being marked sent there is a moment in which a sender can die (killed, out of memory, the
database gone), and a mail server can accept a message after EMAIL_TIMEOUT has given up on it. In
both cases the row is sent again. So that mail systems and people can tell a repeat, every email
of one reminder carries the same Message-ID (`<reminder-PK@domain>`); mail systems that keep
Message-IDs drop or thread the second copy.

A sender that dies holding claims: its claims go stale after REMINDER_CLAIM_TIMEOUT and are then
taken again. A Celery worker that starts again under the same node name releases its own earlier
claims at once (release_claims_of), so an alert it had claimed goes within a minute of the restart.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import Case, F, When
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from . import plugins
from .celery import app as celery_app
from .models import EmailPreference, Heartbeat, Notification, Reminder, ReminderStatus, User

logger = logging.getLogger(__name__)

SENDER = "sender"
SEND_TASK = "peersupport.tasks.send_reminders"
# A scan due every N seconds runs when beat finds it that close to due, so beat's own jitter
# never makes it wait a whole extra period.
SCAN_SLACK = timedelta(seconds=5)
SENDER_CACHE_KEY = "reminders:sender-last-run"
NEVER = "never"

BACKOFF_MAX = timedelta(hours=1)
CLAIM_BATCH = 50


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt (by default), never more than an hour."""
    first = timedelta(seconds=settings.REMINDER_RETRY_FIRST_SECONDS)
    return min(first * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def reminder_for(
    *,
    kind: str,
    obj: models.Model | None = None,
    content_type: ContentType | None = None,
    object_id: int | None = None,
    recipient_id: int | None = None,
    recipient_email: str = "",
    stage: str,
    title: str,
    body: str = "",
    url: str = "",
    due_at: datetime | None = None,
    context: dict | None = None,
) -> Reminder:
    """An unsaved outbox row for a member of staff (recipient_id) or for an email address without an
    account (recipient_email); queue() saves many at once."""
    return Reminder(
        kind=kind,
        content_type=content_type or ContentType.objects.get_for_model(obj),
        object_id=object_id if object_id is not None else obj.pk,
        recipient_id=recipient_id,
        recipient_email="" if recipient_id else (recipient_email or "").strip().lower(),
        stage=stage,
        title=title[:200],
        body=body,
        url=url,
        context=context or {},
        next_attempt_at=due_at or timezone.now(),
    )


def queue(reminders: Iterable[Reminder]) -> int:
    """Insert outbox rows; a key that is already there is left as it is (one insert per call).
    A row with neither an account nor an email address is logged and left out; the rest go."""
    rows = []
    for row in reminders:
        if row.recipient_id or row.recipient_email:
            rows.append(row)
        else:
            logger.error(
                "Reminder %s/%s for %s %s has no recipient (no account and no email address): not queued.",
                row.kind,
                row.stage,
                row.content_type.model,
                row.object_id,
            )
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def dispatch_soon() -> None:
    """Ask a worker to send now, once the current transaction commits. Beat sends anyway
    within a minute, so a broker that is down only delays delivery."""

    def enqueue() -> None:
        try:
            celery_app.tasks[SEND_TASK].delay()
        except Exception:  # the broker being down must never break the page that queued the alert
            logger.warning("Could not enqueue send_reminders; the next beat run will send.", exc_info=True)

    transaction.on_commit(enqueue)


def beat(name: str, *, at: datetime | None = None, error: str = "") -> None:
    """Record that a piece of background work ran (and how it ended)."""
    at = at or timezone.now()
    fields = {"last_run_at": at, "last_error": error[:2000]}
    if not Heartbeat.objects.filter(name=name).update(**fields):
        Heartbeat.objects.bulk_create([Heartbeat(name=name, **fields)], ignore_conflicts=True)
    if name == SENDER:
        cache.set(SENDER_CACHE_KEY, at, timeout=None)


def last_sender_run() -> datetime | None:
    """When the sender last ran: from the cache, so the home pages pay no query for it."""
    at = cache.get(SENDER_CACHE_KEY)
    if at is None:
        at = Heartbeat.objects.filter(name=SENDER).values_list("last_run_at", flat=True).first() or NEVER
        cache.set(SENDER_CACHE_KEY, at, timeout=60)
    return None if at == NEVER else at


def sender_is_stale(now: datetime | None = None) -> bool:
    last = last_sender_run()
    return last is None or (now or timezone.now()) - last > timedelta(seconds=settings.REMINDER_STALE_SECONDS)


def run_scans(now: datetime | None = None, *, force: bool = False) -> dict[str, int]:
    """Run every registered scan that is due (safety first); each returns how many rows it queued.
    A scan that raises is logged and recorded, and the others still run. `force` runs them all."""
    now = now or timezone.now()
    last_runs = dict(Heartbeat.objects.filter(name__startswith="scan:").values_list("name", "last_run_at"))
    queued: dict[str, int] = {}
    for scan in plugins.scans():
        key = f"scan:{scan.name}"
        last = last_runs.get(key)
        if not force and scan.every and last is not None and now - last < scan.every - SCAN_SLACK:
            continue
        try:
            queued[scan.name] = scan.function(now=now)
        except Exception as exc:  # one broken scan must not stop the alerts of the others
            logger.exception("Reminder scan %s failed", scan.name)
            beat(key, at=now, error=f"{type(exc).__name__}: {exc}")
            continue
        beat(key, at=now)
    return queued


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def claim_token(owner: str = "") -> str:
    """A sender's claim: its owner (a Celery worker's node name) and a random part."""
    return f"{owner}/{uuid.uuid4().hex}" if owner else uuid.uuid4().hex


def release_claims_of(owner: str) -> int:
    """A worker that starts again under its old name releases what its dead self held, at once,
    instead of waiting REMINDER_CLAIM_TIMEOUT. The node name is unique among running workers."""
    if not owner:
        return 0
    return Reminder.objects.filter(status=ReminderStatus.SENDING, claim_token__startswith=f"{owner}/").update(
        status=ReminderStatus.PENDING, claimed_at=None, claim_token="", next_attempt_at=timezone.now()
    )


def claim(pk: int, now: datetime, token: str) -> bool:
    stale_before = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    updated = (
        Reminder.objects.claimable(now, stale_before)
        .filter(pk=pk)
        .update(status=ReminderStatus.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    return updated == 1


def message_id(reminder: Reminder) -> str:
    """The same for every email of one reminder, so a repeat can be told from a new message."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}@{domain}>"


def build_email(reminder: Reminder) -> EmailMultiAlternatives:
    kind = plugins.kind(reminder.kind)
    context = {"reminder": reminder, "site_url": settings.SITE_URL.rstrip("/"), **reminder.context}
    if kind.email_context:
        context.update(kind.email_context(reminder))
    prefix = kind.email_templates
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string(f"{prefix}_subject.txt", context).split()),
        body=render_to_string(f"{prefix}_body.txt", context),
        to=[reminder.to_address],
        headers={"Message-ID": message_id(reminder), **(kind.headers(reminder) if kind.headers else {})},
    )
    with contextlib.suppress(TemplateDoesNotExist):  # a kind may send plain text only
        message.attach_alternative(render_to_string(f"{prefix}_body.html", context), "text/html")
    for attachment in kind.attachments(reminder) if kind.attachments else []:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_email(reminder: Reminder) -> None:
    build_email(reminder).send(fail_silently=False)


def deliver(reminder: Reminder) -> bool:
    """In-app first for staff (idempotent: one notification per reminder), then email unless already
    sent or switched off. Someone without an account is emailed. Returns whether an email went."""
    kind = plugins.kind(reminder.kind)
    if kind.still_wanted and not kind.still_wanted(reminder):
        logger.info("Reminder %s dropped: its kind says it is no longer wanted.", reminder.pk)
        return False
    if not reminder.recipient_id:
        if reminder.email_sent_at:
            return False
        send_email(reminder)
        return True
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
    reminder = Reminder.objects.select_related("recipient", "content_type").get(pk=pk)
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


def send_due_reminders(*, max_seconds: float = 50.0, owner: str = "") -> SendReport:
    """Deliver every claimable reminder, batch by batch, until none is left or time is up.
    Safety alerts first. `owner` names the sender in its claims (a Celery worker's node name)."""
    beat(SENDER)
    report = SendReport()
    token = claim_token(owner)
    started = time.monotonic()
    tried: set[int] = set()
    while time.monotonic() - started < max_seconds:
        now = timezone.now()
        stale_before = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
        batch = list(
            Reminder.objects.claimable(now, stale_before)
            .exclude(pk__in=tried)
            .annotate(safety=Case(When(kind__in=plugins.safety_kinds(), then=0), default=1))
            .order_by("safety", "next_attempt_at", "pk")
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
    kind: str,
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
