"""Reminder scans (registered in SupervisionConfig.ready()): plain, idempotent functions that read
what is due in a fixed number of queries and queue it in one insert. The stage names the due date,
so each message for each due date exists once, however often the scan runs."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from peersupport import reminders
from peersupport.models import EmploymentStatus

from .kinds import NotificationKind
from .models import Agreement, ReasonableAdjustment, SupervisionSettings, line_manager_ids


def _date(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def scan_supervision_due(now: dt.datetime | None = None) -> int:
    """7 days (configurable) before supervision is due, to both people; when it is overdue, to both;
    overdue by more than 14 days (configurable), to the supervisee's line managers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    config = SupervisionSettings.current()
    agreements = list(
        Agreement.objects.active_on(today)
        .filter(
            next_due_on__lte=today + dt.timedelta(days=config.due_soon_days),
            supervisee__employment_status=EmploymentStatus.IN_POST,
            supervisee__is_active=True,
        )
        .select_related("supervisor", "supervisee")
    )
    escalating = [a for a in agreements if (today - a.next_due_on).days > config.escalate_after_days]
    managers = line_manager_ids({a.supervisee_id for a in escalating}) if escalating else {}
    content_type = ContentType.objects.get_for_model(Agreement)
    rows = []
    for agreement in agreements:
        due, url = agreement.next_due_on, agreement.get_absolute_url()
        kind = agreement.get_agreement_type_display().lower()
        if due >= today:
            stage = f"due-{due}"
            title = f"{kind.capitalize()}: {agreement.supervisor} and {agreement.supervisee}, due {_date(due)}"
            body = "Book a session before then, if you have not already."
        else:
            stage = f"overdue-{due}"
            title = (
                f"{kind.capitalize()}: {agreement.supervisor} and {agreement.supervisee}, overdue since {_date(due)}"
            )
            body = "Book a session as soon as you can."
        for user_id in (agreement.supervisor_id, agreement.supervisee_id):
            rows.append(
                reminders.reminder_for(
                    kind=NotificationKind.DUE,
                    content_type=content_type,
                    object_id=agreement.pk,
                    recipient_id=user_id,
                    stage=stage,
                    title=title,
                    body=body,
                    url=url,
                )
            )
    for agreement in escalating:
        due = agreement.next_due_on
        for manager_id in managers.get(agreement.supervisee_id, ()):
            if manager_id == agreement.supervisor_id:
                continue  # already told, as the supervisor
            rows.append(
                reminders.reminder_for(
                    kind=NotificationKind.ESCALATION,
                    content_type=content_type,
                    object_id=agreement.pk,
                    recipient_id=manager_id,
                    stage=f"escalated-{due}",
                    title=f"{agreement.supervisee}'s {agreement.get_agreement_type_display().lower()} is "
                    f"overdue by {(today - due).days} days",
                    body=f"It was due on {_date(due)}, with {agreement.supervisor}.",
                    url=reverse("supervision:compliance"),
                )
            )
    return reminders.queue(rows)


def scan_adjustment_reviews(now: dt.datetime | None = None) -> int:
    """Before a reasonable adjustment's review date, to the worker and their line managers. The
    message names the date only: what was agreed stays in the passport."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    config = SupervisionSettings.current()
    adjustments = list(
        ReasonableAdjustment.objects.filter(
            ended_on__isnull=True,
            review_on__lte=today + dt.timedelta(days=config.adjustment_review_notice_days),
            worker__employment_status=EmploymentStatus.IN_POST,
        ).select_related("worker")
    )
    managers = line_manager_ids({a.worker_id for a in adjustments}) if adjustments else {}
    content_type = ContentType.objects.get_for_model(ReasonableAdjustment)
    rows = [
        reminders.reminder_for(
            kind=NotificationKind.ADJUSTMENT_REVIEW,
            content_type=content_type,
            object_id=adjustment.pk,
            recipient_id=user_id,
            stage=f"review-{adjustment.review_on}",
            title=f"A reasonable adjustment for {adjustment.worker} is due for review on {_date(adjustment.review_on)}",
            url=reverse("supervision:passport", args=[adjustment.worker_id]),
        )
        for adjustment in adjustments
        for user_id in {adjustment.worker_id, *managers.get(adjustment.worker_id, ())}
    ]
    return reminders.queue(rows)
