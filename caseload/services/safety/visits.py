"""Lone working: start, extend, check out, close, the alarm, and the escalation of overdue visits."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from peersupport import reminders
from peersupport.models import User

from ...kinds import NotificationKind
from ...models import (
    Contact,
    EscalationChain,
    EscalationTarget,
    Person,
    SafetyEvent,
    SafetyEventKind,
    SafetySettings,
    Visit,
    VisitCloseReason,
    VisitStatus,
)
from ..alerts import alerts, development_lead_ids, hhmm, managers_by_team, record_history, send, step_recipients, unique

MAX_VISIT_LENGTH = timedelta(hours=12)
EXTEND_CHOICES = (15, 30, 60)


class VisitAlreadyOpen(Exception):
    """The worker already has a visit in progress."""


# Lone working ---------------------------------------------------------------------------------


def visit_alert_text(visit: Visit, level: int, *, alarm: bool = False) -> tuple[str, str]:
    where = f"Where: {visit.location}. Started {hhmm(visit.started_at)}, expected to end {hhmm(visit.expected_end)}."
    phone = f" Work mobile: {visit.worker.phone}." if visit.worker.phone else ""
    # Titles carry the visit's start so two alerts never read the same; never the person's name (they
    # leave the system by email).
    started = f"visit from {hhmm(visit.started_at)}"
    if alarm:
        return (
            f"ALARM: {visit.worker} needs help now ({started})",
            f"{visit.worker} raised the alarm during a lone-working visit. {where}{phone} "
            "Try to reach them now; call 999 if you cannot and you think they are in danger. "
            "Then acknowledge the alert.",
        )
    if level == 1:
        return (
            f"Your visit is overdue: check out or extend it ({started})",
            f"{where} Check out if you are safe, or extend the visit. "
            "If you do not, your buddy and your manager will be alerted.",
        )
    return (
        f"{visit.worker}'s lone-working visit is overdue ({started})",
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
            title=f"{visit.worker} extended their visit from {hhmm(visit.started_at)} to {hhmm(new_end)}",
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
            title=f"{visit.worker}'s visit from {hhmm(visit.started_at)} is closed: "
            f"{visit.get_close_reason_display().lower()}",
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
