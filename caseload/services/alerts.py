"""What the lone-working and risk-concern workflows share: who is alerted, and how an alert is
queued and kept (one insert for the outbox, one for the events)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from peersupport import audit, reminders
from peersupport.models import EmploymentStatus, Membership, Role, User

from ..kinds import NotificationKind
from ..models import (
    EscalationTarget,
    RiskConcern,
    SafetyEvent,
    SafetyEventKind,
    Visit,
)


def record_history(model, pks: Iterable[int], *, by: User | None = None, reason: str = "") -> None:
    """Conditional UPDATEs keep two people (or two scans) from acting twice, but bypass
    simple-history's signals: write the history rows for the changed records in one insert."""
    objs = list(model.objects.filter(pk__in=list(pks)))
    if objs:
        model.history.bulk_history_create(objs, update=True, default_user=by, default_change_reason=reason)
        audit.record_changes(objs, actor=by, detail=reason)  # the reasons are the workflow's own words


def hhmm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _in_post(users):
    return users.filter(user__is_active=True, user__employment_status=EmploymentStatus.IN_POST)


def managers_by_team(team_ids: Iterable[int]) -> dict[int, list[int]]:
    managers: dict[int, list[int]] = defaultdict(list)
    rows = _in_post(Membership.objects.filter(team_id__in=set(team_ids), role=Role.MANAGER))
    for team_id, user_id in rows.values_list("team_id", "user_id").order_by("user__last_name"):
        managers[team_id].append(user_id)
    return managers


def development_lead_ids() -> list[int]:
    rows = _in_post(Membership.objects.filter(role=Role.DEVELOPMENT_LEAD))
    return list(rows.order_by().values_list("user_id", flat=True).distinct())


def step_recipients(step: tuple[str, int | None], team_id: int, managers, leads) -> list[int]:
    target, user_id = step
    if target == EscalationTarget.MANAGER:
        return managers.get(team_id, [])
    if target == EscalationTarget.DEVELOPMENT_LEAD:
        return leads
    return [user_id] if user_id else []


def unique(ids: Iterable[int | None], *, exclude: Iterable[int] = ()) -> list[int]:
    skip = set(exclude)
    seen: list[int] = []
    for user_id in ids:
        if user_id and user_id not in skip and user_id not in seen:
            seen.append(user_id)
    return seen


def alerts(
    *,
    item: Visit | RiskConcern,
    kind: NotificationKind,
    stage: str,
    recipients: list[int],
    title: str,
    body: str,
    content_type: ContentType,
    now: datetime,
) -> tuple[list, list[SafetyEvent]]:
    field = "visit" if isinstance(item, Visit) else "concern"
    rows = [
        reminders.reminder_for(
            kind=kind,
            content_type=content_type,
            object_id=item.pk,
            recipient_id=user_id,
            stage=stage,
            title=title,
            body=body,
            url=item.get_absolute_url(),
            due_at=now,
        )
        for user_id in recipients
    ]
    events = [
        SafetyEvent(**{field: item}, kind=SafetyEventKind.ALERT, at=now, recipient_id=user_id, stage=stage)
        for user_id in recipients
    ]
    return rows, events


def send(rows: list, events: list[SafetyEvent]) -> None:
    reminders.queue(rows)
    SafetyEvent.objects.bulk_create(events, ignore_conflicts=True)
