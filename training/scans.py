"""The expiry reminder scan: 30 and 7 days before a mandatory completion expires and on the day, to
the worker; on the day, to their managers. Each message exactly once (outbox key: the completion,
the recipient and the stage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peersupport import reminders
from peersupport.models import Membership, Role

from .kinds import NotificationKind
from .models import TrainingCompletion

FIRST_NOTICE_DAYS = 30
SECOND_NOTICE_DAYS = 7
# A completion that expired more than this long ago (an old record imported late) brings no message.
EXPIRED_GRACE_DAYS = 7


def stage_for(days_left: int) -> str | None:
    """The one stage due now; a scan that missed a stage sends only the latest, never a stale one."""
    if days_left <= 0:
        return "expired"
    if days_left <= SECOND_NOTICE_DAYS:
        return "expiry-7d"
    if days_left <= FIRST_NOTICE_DAYS:
        return "expiry-30d"
    return None


def scan_expiring_training(now: datetime | None = None) -> int:
    """Queue the reminders due today. Three queries and one insert, however many workers."""
    today = timezone.localdate(now or timezone.now())
    renewed = TrainingCompletion.objects.current().filter(
        user_id=OuterRef("user_id"), subject_id=OuterRef("subject_id"), expires_on__gt=OuterRef("expires_on")
    )
    due = list(
        TrainingCompletion.objects.current()
        .filter(
            expires_on__lte=today + timedelta(days=FIRST_NOTICE_DAYS),
            expires_on__gte=today - timedelta(days=EXPIRED_GRACE_DAYS),
            subject__retired_at__isnull=True,
            user__is_active=True,
            user__employment_status="in_post",
        )
        .exclude(Exists(renewed))
        .select_related("subject", "user")
    )
    if not due:
        return 0
    managers: dict[int, set[int]] = {}
    for worker_id, manager_id in Membership.objects.filter(
        role=Role.MANAGER,
        team__memberships__user_id__in=[c.user_id for c in due],
        team__memberships__role=Role.PSW,
        user__is_active=True,
    ).values_list("team__memberships__user_id", "user_id"):
        if worker_id != manager_id:
            managers.setdefault(worker_id, set()).add(manager_id)
    rows = []
    for completion in due:
        stage = stage_for((completion.expires_on - today).days)
        when = date_format(completion.expires_on)
        url = reverse("training:worker-record", args=[completion.user_id])
        if stage == "expired":
            title = f"Your {completion.subject} training expired on {when}"
            body = "Please book a refresher as soon as you can and let your manager know."
        else:
            title = f"Your {completion.subject} training expires on {when}"
            body = "Please book a refresher before then."
        rows.append(
            reminders.reminder_for(
                kind=NotificationKind.EXPIRY,
                obj=completion,
                recipient_id=completion.user_id,
                stage=stage,
                title=title,
                body=body,
                url=url,
            )
        )
        if stage == "expired":
            for manager_id in managers.get(completion.user_id, ()):
                rows.append(
                    reminders.reminder_for(
                        kind=NotificationKind.EXPIRED_FOR_MANAGER,
                        obj=completion,
                        recipient_id=manager_id,
                        stage="expired",
                        title=f"{completion.user}'s {completion.subject} training expired on {when}",
                        body="They have been reminded. The compliance matrix shows your teams' training.",
                        url=url,
                    )
                )
    return reminders.queue(rows)
