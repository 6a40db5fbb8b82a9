"""Risk concerns: raise, acknowledge, resolve, and the escalation of unacknowledged concerns."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from peersupport import reminders
from peersupport.models import User

from ... import summaries
from ...kinds import NotificationKind
from ...models import (
    ConcernStatus,
    Contact,
    EscalationChain,
    EscalationTarget,
    Person,
    RiskConcern,
    SafetyEvent,
    SafetyEventKind,
    SafetySettings,
)
from ..alerts import alerts, development_lead_ids, hhmm, managers_by_team, record_history, send, step_recipients, unique

# Risk concerns --------------------------------------------------------------------------------


def concern_alert_text(concern: RiskConcern, level: int) -> tuple[str, str]:
    severity = concern.get_severity_display().lower()
    # The time tells two concerns apart; the person is never named, as the alert leaves by email.
    raised = f"{concern.raised_by} at {_when(concern)}"
    title = f"Risk concern ({severity}) raised by {raised}: please acknowledge"
    if level > 0:
        title = f"Unacknowledged risk concern ({severity}) raised by {raised}"
    body = (
        f"{concern.raised_by} raised a {severity} risk concern about a person they support at "
        f"{hhmm(concern.raised_at)} on {timezone.localtime(concern.raised_at):%-d %b %Y}. "
        "Open it to read it and acknowledge it in one click."
    )
    if level > 0:
        body += (
            f" It was escalated to {concern.escalated_to} ({concern.get_escalated_to_role_display().lower()}), "
            "who has not acknowledged it yet."
        )
    return title, body


def _when(concern: RiskConcern) -> str:
    return f"{hhmm(concern.raised_at)} on {timezone.localtime(concern.raised_at):%-d %b}"


def raise_concern(
    *,
    person: Person,
    contact: Contact | None,
    raised_by: User,
    description: str,
    severity: str,
    escalated_to: User,
    escalated_to_role: str,
) -> RiskConcern:
    """Record the concern and alert the named person at once."""
    cfg = SafetySettings.load()
    now = timezone.now()
    concern = RiskConcern.objects.create(
        person=person,
        contact=contact,
        raised_by=raised_by,
        raised_at=now,
        description=description,
        severity=severity,
        escalated_to=escalated_to,
        escalated_to_role=escalated_to_role,
        next_escalation_at=now + cfg.concern_timer(severity),
    )
    SafetyEvent.objects.create(concern=concern, kind=SafetyEventKind.RAISED, actor=raised_by, at=now)
    title, body = concern_alert_text(concern, 0)
    rows, events = alerts(
        item=concern,
        kind=NotificationKind.RISK_CONCERN,
        stage="level-0",
        recipients=[escalated_to.pk],
        title=title,
        body=body,
        content_type=ContentType.objects.get_for_model(RiskConcern),
        now=now,
    )
    send(rows, events)
    reminders.dispatch_soon()
    return concern


def _tell_raiser(concern: RiskConcern, *, by: User, stage: str, title: str, body: str = "") -> None:
    if by.pk != concern.raised_by_id:
        reminders.notify_now(
            recipients=[concern.raised_by],
            kind=NotificationKind.CONCERN_UPDATE,
            obj=concern,
            stage=stage,
            title=title,
            body=body,
            url=concern.get_absolute_url(),
        )


def acknowledge_concern(concern: RiskConcern, *, by: User) -> bool:
    updated = RiskConcern.objects.filter(pk=concern.pk, status=ConcernStatus.OPEN).update(
        status=ConcernStatus.ACKNOWLEDGED, acknowledged_by=by, acknowledged_at=timezone.now(), next_escalation_at=None
    )
    if not updated:
        return False
    concern.refresh_from_db()
    record_history(RiskConcern, [concern.pk], by=by, reason="Acknowledged")
    SafetyEvent.objects.create(concern=concern, kind=SafetyEventKind.ACKNOWLEDGED, actor=by)
    _tell_raiser(
        concern, by=by, stage="acknowledged", title=f"{by} acknowledged the risk concern you raised at {_when(concern)}"
    )
    return True


def resolve_concern(concern: RiskConcern, *, by: User, note: str) -> bool:
    now = timezone.now()
    updated = (
        RiskConcern.objects.filter(pk=concern.pk)
        .exclude(status=ConcernStatus.RESOLVED)
        .update(
            status=ConcernStatus.RESOLVED,
            resolved_by=by,
            resolved_at=now,
            resolution_note=note,
            next_escalation_at=None,
        )
    )
    if not updated:
        return False
    concern.refresh_from_db()
    summaries.refresh_people(Person.objects.filter(pk=concern.person_id))  # one open concern fewer on the board
    record_history(RiskConcern, [concern.pk], by=by, reason="Resolved")
    SafetyEvent.objects.create(concern=concern, kind=SafetyEventKind.RESOLVED, actor=by, at=now, note=note)
    _tell_raiser(
        concern,
        by=by,
        stage="resolved",
        title=f"{by} resolved the risk concern you raised at {_when(concern)}",
        body=note,
    )
    return True


def scan_unacknowledged_concerns(now: datetime | None = None) -> int:
    """Escalate every concern left unacknowledged past its timer to the next step. Idempotent."""
    now = now or timezone.now()
    cfg = SafetySettings.load()
    chain = cfg.chain(EscalationChain.CONCERN)
    with transaction.atomic():
        due = list(
            RiskConcern.objects.filter(status=ConcernStatus.OPEN, next_escalation_at__lte=now)
            .select_related("person", "raised_by", "escalated_to")
            .select_for_update(skip_locked=True, of=("self",))
        )
        return _escalate_concerns(due, now, cfg, chain) if due else 0


def _escalate_concerns(due: list[RiskConcern], now: datetime, cfg: SafetySettings, chain) -> int:
    managers = managers_by_team({concern.person.team_id for concern in due})
    leads = development_lead_ids() if any(t == EscalationTarget.DEVELOPMENT_LEAD for t, _ in chain) else []
    content_type = ContentType.objects.get_for_model(RiskConcern)
    rows, events, moves, finished = [], [], defaultdict(list), []
    for concern in due:
        level = concern.escalation_level + 1
        recipients: list[int] = []
        while not recipients and level <= len(chain):
            recipients = unique(step_recipients(chain[level - 1], concern.person.team_id, managers, leads))
            if not recipients:
                level += 1
        if not recipients:
            finished.append(concern.pk)
            continue
        title, body = concern_alert_text(concern, level)
        more_rows, more_events = alerts(
            item=concern,
            kind=NotificationKind.RISK_CONCERN,
            stage=f"level-{level}",
            recipients=recipients,
            title=title,
            body=body,
            content_type=content_type,
            now=now,
        )
        rows += more_rows
        events += more_events
        moves[(concern.escalation_level, level, concern.severity)].append(concern.pk)
    send(rows, events)
    for (old, new, severity), ids in moves.items():
        RiskConcern.objects.filter(pk__in=ids, escalation_level=old, status=ConcernStatus.OPEN).update(
            escalation_level=new, next_escalation_at=F("next_escalation_at") + cfg.concern_timer(severity)
        )
    if finished:
        RiskConcern.objects.filter(pk__in=finished).update(next_escalation_at=None)
    record_history(RiskConcern, [pk for ids in moves.values() for pk in ids] + finished, reason="Escalated")
    return len(rows)
