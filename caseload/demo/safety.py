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
)
from ..services.safety import acknowledge_concern, raise_concern, resolve_concern, start_visit

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

    start_visit(
        worker=priya,
        person=priyas[0],
        location="Home visit, Carlton Road, Worksop",
        expected_end=now + timedelta(minutes=50),
        buddy=paul,
    )
    # Olive is past her expected end and her buddy and manager have been alerted: the demo shows an alert.
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
            title=f"{olive}'s lone-working visit is overdue"
            if recipient != olive
            else "Your visit is overdue: check out or extend it",
            url=overdue.get_absolute_url(),
        )

    raise_concern(
        person=priyas[1],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.HIGH,
        description="Said they have stopped taking their medication and are not sleeping. "
        "Agreed I would let the team know today.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.SUPERVISOR,
    )
    acknowledged = raise_concern(
        person=priyas[2],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.MODERATE,
        description="Landlord has served notice; worried about where they will live next month.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.CARE_COORDINATOR,
    )
    acknowledge_concern(acknowledged, by=maya)
    resolved = raise_concern(
        person=priyas[2],
        contact=None,
        raised_by=priya,
        severity=ConcernSeverity.LOW,
        description="Missed two appointments in a row.",
        escalated_to=maya,
        escalated_to_role=EscalationRole.SUPERVISOR,
    )
    resolve_concern(resolved, by=maya, note="Spoke with them: a change of shifts at work. New day agreed.")
    reminders.send_due_reminders()  # so the bells show the alerts even before a worker runs
