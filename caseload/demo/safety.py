"""Demo lone working and risk concerns. Idempotent: nothing is added once the demo has them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from peersupport import reminders
from peersupport.demo import DemoStaff
from peersupport.models import Notification

from ..models import (
    ConcernSeverity,
    EscalationRole,
    LoneWorkingBuddy,
    Person,
    PersonStatus,
    RiskConcern,
    SafetyEvent,
    SafetyEventKind,
    Visit,
    VisitCloseReason,
)
from ..services.alerts import hhmm
from ..services.safety import (
    acknowledge_concern,
    check_out,
    close_visit,
    raise_concern,
    resolve_concern,
    start_visit,
)

BUDDIES = [
    ("Priya Patel", "Paul Price"),
    ("Paul Price", "Priya Patel"),
    ("Olive Owen", "Kwame Mensah"),
    ("Kwame Mensah", "Olive Owen"),
    ("Sian Roberts", "Omar Osei"),
    ("Aisha Rahman", "Grace Hughes"),
]


def seed_safety(staff: DemoStaff) -> None:
    users = staff.users
    for worker, buddy in BUDDIES:
        LoneWorkingBuddy.objects.get_or_create(worker=users[worker], defaults={"buddy": users[buddy]})
    if RiskConcern.objects.exists() or Visit.objects.exists():
        return
    priya, paul, maya, olive = users["Priya Patel"], users["Paul Price"], users["Maya Morris"], users["Olive Owen"]
    now = timezone.now()
    priyas = list(Person.objects.filter(assigned_worker=priya, status=PersonStatus.ACTIVE).order_by("pk")[:3])
    olives = list(Person.objects.filter(assigned_worker=olive, status=PersonStatus.ACTIVE).order_by("pk")[:1])

    # The demo leaves no visit open, so any demo worker can start one at once: Priya's visit this morning
    # is checked out, and Olive's went overdue (her buddy and manager were alerted) before she checked out.
    earlier = start_visit(
        worker=priya,
        person=priyas[0],
        location="Home visit, Carlton Road, Worksop",
        expected_end=now + timedelta(minutes=50),
        buddy=paul,
    )
    Visit.objects.filter(pk=earlier.pk).update(
        started_at=now - timedelta(hours=3), expected_end=now - timedelta(hours=2)
    )
    earlier.refresh_from_db()
    check_out(earlier, by=priya)
    # Olive went past her expected end and her buddy and manager were alerted: the demo shows the alerts.
    overdue = start_visit(
        worker=olive,
        person=olives[0],
        location="Sneinton Market café, Nottingham",
        expected_end=now + timedelta(minutes=1),
        buddy=users["Kwame Mensah"],
    )
    Visit.objects.filter(pk=overdue.pk).update(
        started_at=now - timedelta(hours=2),
        expected_end=now - timedelta(minutes=35),
        alert_level=2,
        next_alert_at=now + timedelta(minutes=10),
    )
    overdue.refresh_from_db()
    for recipient, stage in (
        (olive, "overdue-1"),
        (users["Kwame Mensah"], "overdue-2"),
        (users["Omar Osei"], "overdue-2"),
    ):
        SafetyEvent.objects.create(
            visit=overdue,
            kind=SafetyEventKind.ALERT,
            recipient=recipient,
            stage=stage,
            at=now - timedelta(minutes=20 if stage == "overdue-1" else 5),
        )
        Notification.objects.create(
            recipient=recipient,
            kind="lone_working",
            title=f"{olive}'s lone-working visit is overdue (visit from {hhmm(overdue.started_at)})"
            if recipient != olive
            else f"Your visit is overdue: check out or extend it (visit from {hhmm(overdue.started_at)})",
            url=overdue.get_absolute_url(),
        )

    close_visit(overdue, by=olive, reason=VisitCloseReason.CHECKED_OUT, note="Checked out late: phone had died.")

    raise_concern(
        person=priyas[1],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.HIGH,
        description="Said they have stopped taking their medication and are not sleeping. "
        "Agreed I would let the team know today.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.TEAM_MANAGER,
    )
    acknowledged = raise_concern(
        person=priyas[2],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.MODERATE,
        description="Landlord has served notice; worried about where they will live next month.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.TEAM_MANAGER,
    )
    acknowledge_concern(acknowledged, by=maya)
    resolved = raise_concern(
        person=priyas[2],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.LOW,
        description="Missed two appointments in a row.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.TEAM_MANAGER,
    )
    resolve_concern(resolved, by=maya, note="Spoke with them: a change of shifts at work. New day agreed.")
    reminders.send_due_reminders()  # so the bells show the alerts even before a worker runs
