"""Lone working and risk concerns: workflows across visits, concerns, their events and the outbox.

The two scans are plain, idempotent functions run by beat and by `manage.py send_reminders`:
each reads every due item in one query, queues the alerts in one insert (existing keys are
ignored), records the alert events the same way, and moves each item up its chain with a
conditional UPDATE per escalation level. The number of queries does not grow with the items.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from peersupport import reminders
from peersupport.models import User

from .. import summaries
from ..kinds import NotificationKind
from ..models import (
    ConcernStatus,
    Contact,
    EscalationChain,
    EscalationTarget,
    Person,
    RiskConcern,
    SafetyEvent,
    SafetyEventKind,
    SafetySettings,
    Visit,
    VisitCloseReason,
    VisitStatus,
)
from .alerts import alerts, development_lead_ids, hhmm, managers_by_team, record_history, send, step_recipients, unique

MAX_VISIT_LENGTH = timedelta(hours=12)
EXTEND_CHOICES = (15, 30, 60)


class VisitAlreadyOpen(Exception):
    """The worker already has a visit in progress."""


# Lone working ---------------------------------------------------------------------------------


def visit_alert_text(visit: Visit, level: int, *, alarm: bool = False) -> tuple[str, str]:
    where = f"Where: {visit.location}. Started {hhmm(visit.started_at)}, expected to end {hhmm(visit.expected_end)}."
    phone = f" Work mobile: {visit.worker.phone}." if visit.worker.phone else ""
    if alarm:
        return (
            f"ALARM: {visit.worker} needs help now",
            f"{visit.worker} raised the alarm during a lone-working visit. {where}{phone} "
            "Try to reach them now; call 999 if you cannot and you think they are in danger. "
            "Then acknowledge the alert.",
        )
    if level == 1:
        return (
            "Your visit is overdue: check out or extend it",
            f"{where} Check out if you are safe, or extend the visit. "
            "If you do not, your buddy and your manager will be alerted.",
        )
    return (
        f"{visit.worker}'s lone-working visit is overdue",
        f"{visit.worker} has not checked out. {where}{phone} "
        "Try to reach them, then acknowledge the alert so it does not go further up the chain.",
    )


def visit_recipients(visit: Visit, level: int, chain, managers, leads) -> list[int]:
    if level == 1:
        return [visit.worker_id]
    if level == 2:
        return unique([visit.buddy_id, *managers.get(visit.team_id, [])], exclude=[visit.worker_id])
    return unique(step_recipients(chain[level - 3], visit.team_id, managers, leads), exclude=[visit.worker_id])


def default_team_for(worker: User, person: Person | None):
    if person is not None:
        return person.team
    membership = worker.memberships.select_related("team").order_by("role", "team__name").first()
    return membership.team if membership else None


def start_visit(
    *, worker: User, person: Person | None, location: str, expected_end: datetime, buddy: User | None
) -> Visit:
    cfg = SafetySettings.load()
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                worker=worker,
                person=person,
                team=default_team_for(worker, person),
                location=location,
                expected_end=expected_end,
                buddy=buddy,
                next_alert_at=expected_end + cfg.visit_grace,
            )
    except IntegrityError as exc:  # the one-open-visit constraint: a second tab, a double tap
        raise VisitAlreadyOpen from exc
    SafetyEvent.objects.create(visit=visit, kind=SafetyEventKind.STARTED, actor=worker, note=location)
    return visit


def _alerted_ids(visit: Visit) -> list[int]:
    return list(
        visit.events.filter(kind=SafetyEventKind.ALERT)
        .exclude(recipient=visit.worker_id)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _tell_alerted(visit: Visit, *, by: User, stage: str, title: str, body: str = "") -> None:
    recipients = User.objects.filter(pk__in=unique(_alerted_ids(visit), exclude=[by.pk]))
    reminders.notify_now(
        recipients=recipients,
        kind=NotificationKind.VISIT_UPDATE,
        obj=visit,
        stage=stage,
        title=title,
        body=body,
        url=visit.get_absolute_url(),
    )


def extend_visit(visit: Visit, *, by: User, minutes: int) -> bool:
    """Push the expected end on; the overdue clock starts again from the new end."""
    cfg = SafetySettings.load()
    new_end = max(visit.expected_end, timezone.now()) + timedelta(minutes=minutes)
    updated = Visit.objects.filter(pk=visit.pk, status=VisitStatus.OPEN).update(
        expected_end=new_end,
        next_alert_at=new_end + cfg.visit_grace,
        alert_level=0,
        acknowledged_at=None,
        acknowledged_by=None,
    )
    if not updated:
        return False
    record_history(Visit, [visit.pk], by=by, reason="Extended")
    SafetyEvent.objects.create(visit=visit, kind=SafetyEventKind.EXTENDED, actor=by, note=f"New end {hhmm(new_end)}")
    if visit.alert_level >= 2:
        _tell_alerted(
            visit,
            by=by,
            stage=f"extended@{timezone.localtime(new_end):%Y%m%d%H%M}",
            title=f"{visit.worker} extended their visit to {hhmm(new_end)}",
            body="They responded, so the overdue alert is over.",
        )
    visit.refresh_from_db()
    return True


def close_visit(visit: Visit, *, by: User, reason: str, note: str = "", contact: Contact | None = None) -> bool:
    """Close the visit once, keep the event and tell whoever was alerted that it is over; False if it
    was already closed (by someone else, just now), and then nobody is told twice."""
    if not visit.close(by=by, reason=reason, note=note, contact=contact):
        return False
    record_history(Visit, [visit.pk], by=by, reason=visit.get_close_reason_display())
    SafetyEvent.objects.create(
        visit=visit,
        kind=SafetyEventKind.CLOSED,
        actor=by,
        note=visit.close_note or visit.get_close_reason_display(),
    )
    if visit.alert_level >= 2 or visit.alarm_raised_at:
        _tell_alerted(
            visit,
            by=by,
            stage=SafetyEventKind.CLOSED,
            title=f"{visit.worker}'s visit is closed: {visit.get_close_reason_display().lower()}",
            body=visit.close_note,
        )
    return True


def check_out(visit: Visit, *, by: User) -> bool:
    return close_visit(visit, by=by, reason=VisitCloseReason.CHECKED_OUT)


def close_visit_for_contact(contact: Contact) -> Visit | None:
    """Logging the contact for a visit closes it: call after saving a new contact."""
    visit = Visit.objects.open_for_contact(contact)
    if visit is not None:
        close_visit(visit, by=contact.worker, reason=VisitCloseReason.CONTACT_LOGGED, contact=contact)
    return visit


def raise_alarm(visit: Visit, *, by: User) -> bool:
    """Alert the buddy and the manager at once; the chain follows if nobody acknowledges."""
    cfg = SafetySettings.load()
    now = timezone.now()
    updated = Visit.objects.filter(pk=visit.pk, status=VisitStatus.OPEN, alarm_raised_at__isnull=True).update(
        alarm_raised_at=now,
        alert_level=2,
        next_alert_at=now + cfg.visit_escalation,
        acknowledged_at=None,
        acknowledged_by=None,
    )
    if not updated:
        return False
    visit.refresh_from_db()
    record_history(Visit, [visit.pk], by=by, reason="Alarm raised")
    SafetyEvent.objects.create(visit=visit, kind=SafetyEventKind.ALARM, actor=by, at=now)
    managers = managers_by_team([visit.team_id])
    recipients = visit_recipients(visit, 2, [], managers, [])
    title, body = visit_alert_text(visit, 2, alarm=True)
    rows, events = alerts(
        item=visit,
        kind=NotificationKind.LONE_WORKING,
        stage="alarm",
        recipients=recipients,
        title=title,
        body=body,
        content_type=ContentType.objects.get_for_model(Visit),
        now=now,
    )
    send(rows, events)
    reminders.dispatch_soon()
    return True


def acknowledge_visit_alert(visit: Visit, *, by: User) -> bool:
    """Someone alerted has taken it on: the alert goes no further up the chain."""
    updated = Visit.objects.filter(
        pk=visit.pk, status=VisitStatus.OPEN, alert_level__gte=2, acknowledged_at__isnull=True
    ).update(acknowledged_by=by, acknowledged_at=timezone.now(), next_alert_at=None)
    if updated:
        record_history(Visit, [visit.pk], by=by, reason="Alert acknowledged")
        SafetyEvent.objects.create(visit=visit, kind=SafetyEventKind.ACKNOWLEDGED, actor=by)
        visit.refresh_from_db()
    return bool(updated)


def scan_overdue_visits(now: datetime | None = None) -> int:
    """Alert the next people for every open visit whose alert has fallen due. Idempotent."""
    now = now or timezone.now()
    cfg = SafetySettings.load()
    chain = cfg.chain(EscalationChain.VISIT)
    with transaction.atomic():
        # Locked rows are skipped by a scan running alongside, and a check-out or an extension
        # waits for this scan to commit, so nobody is alerted about a visit that just closed.
        due = list(
            Visit.objects.open()
            .filter(next_alert_at__lte=now)
            .select_related("worker")
            .select_for_update(skip_locked=True, of=("self",))
        )
        return _escalate_visits(due, now, cfg, chain) if due else 0


def _escalate_visits(due: list[Visit], now: datetime, cfg: SafetySettings, chain) -> int:
    managers = managers_by_team({visit.team_id for visit in due})
    leads = development_lead_ids() if any(t == EscalationTarget.DEVELOPMENT_LEAD for t, _ in chain) else []
    content_type = ContentType.objects.get_for_model(Visit)
    last_level = 2 + len(chain)
    rows, events, moves, finished = [], [], defaultdict(list), []
    for visit in due:
        level = visit.alert_level + 1
        recipients = visit_recipients(visit, level, chain, managers, leads) if level <= last_level else []
        while not recipients and level < last_level:  # nobody at this step (no buddy, no manager): go on
            level += 1
            recipients = visit_recipients(visit, level, chain, managers, leads)
        if not recipients:
            finished.append(visit.pk)
            continue
        title, body = visit_alert_text(visit, level)
        more_rows, more_events = alerts(
            item=visit,
            kind=NotificationKind.LONE_WORKING,
            stage=visit.overdue_stage(level),
            recipients=recipients,
            title=title,
            body=body,
            content_type=content_type,
            now=now,
        )
        rows += more_rows
        events += more_events
        moves[(visit.alert_level, level)].append(visit.pk)
    send(rows, events)
    for (old, new), ids in moves.items():
        # Conditional: a scan running alongside that already moved a visit moves it no further.
        # The next step falls due a step after this one fell due, not after this scan ran: a scan
        # that runs late must not make every later step late too.
        Visit.objects.filter(pk__in=ids, alert_level=old, status=VisitStatus.OPEN).update(
            alert_level=new, next_alert_at=F("next_alert_at") + cfg.visit_escalation
        )
    if finished:
        Visit.objects.filter(pk__in=finished).update(next_alert_at=None)
    record_history(Visit, [pk for ids in moves.values() for pk in ids] + finished, reason="Overdue alert sent")
    return len(rows)


# Risk concerns --------------------------------------------------------------------------------


def concern_alert_text(concern: RiskConcern, level: int) -> tuple[str, str]:
    severity = concern.get_severity_display().lower()
    title = f"Risk concern ({severity}) raised by {concern.raised_by}: please acknowledge"
    if level > 0:
        title = f"Unacknowledged risk concern ({severity}) raised by {concern.raised_by}"
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
    _tell_raiser(concern, by=by, stage="acknowledged", title=f"{by} acknowledged the risk concern you raised")
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
    _tell_raiser(concern, by=by, stage="resolved", title=f"{by} resolved the risk concern you raised", body=note)
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
