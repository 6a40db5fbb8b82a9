"""Supervision's demo data (registered as a demo seeder): agreements with held, scheduled and missed
sessions, an induction waiting for its mentor's sign-off, a wellbeing plan and a health passport.
Safe to run twice: every record is looked up before it is made."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import (
    Action,
    Agreement,
    AgreementType,
    HealthCheck,
    HealthOutcome,
    Induction,
    ReasonableAdjustment,
    Session,
    SessionContent,
    SessionStatus,
    ShadowingEntry,
    WellbeingPlan,
    WellbeingPlanVersion,
)
from .models.induction import hold_reason


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _agreement(supervisor, supervisee, kind, weeks, starts_on) -> Agreement:
    agreement, _ = Agreement.objects.get_or_create(
        supervisor=supervisor,
        supervisee=supervisee,
        agreement_type=kind,
        defaults={"frequency_weeks": weeks, "starts_on": starts_on, "created_by": supervisor},
    )
    return agreement


def _held(agreement, day, themes, wellbeing="", actions=()) -> None:
    session, made = Session.objects.get_or_create(
        agreement=agreement,
        starts_at=_at(day),
        defaults={"status": SessionStatus.HELD, "duration_minutes": 60, "recorded_by": agreement.supervisor},
    )
    if not made:
        return
    SessionContent.objects.create(
        session=session,
        themes=themes,
        wellbeing_discussed=bool(wellbeing),
        wellbeing_notes=wellbeing,
        updated_by=agreement.supervisor,
    )
    for description, owner, due in actions:
        Action.objects.create(session=session, description=description, owner=owner, due_on=due)
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(supervisor_signed_off_at=now, supervisee_signed_off_at=now)


def seed(staff) -> list[str]:
    users, today = staff.users, timezone.localdate()
    maya, priya, paul, kwame = users["Maya Morris"], users["Priya Patel"], users["Paul Price"], users["Kwame Mensah"]
    dev, grace, aisha, sian, omar = (
        users["Dev Dhillon"],
        users["Grace Hughes"],
        users["Aisha Rahman"],
        users["Sian Roberts"],
        users["Omar Osei"],
    )
    start = today - dt.timedelta(days=180)

    peer = _agreement(dev, priya, AgreementType.PEER, 4, start)
    _held(
        peer,
        today - dt.timedelta(days=26),
        "Using my story with a new person: how much to share and when. Ending well with someone moving on.",
        "Busy month; taking a proper lunch break has helped.",
        [("Read the trust's guidance on sharing lived experience", priya, today + dt.timedelta(days=10))],
    )
    Session.objects.get_or_create(
        agreement=peer,
        starts_at=_at(today + dt.timedelta(days=3), 14),
        defaults={"status": SessionStatus.SCHEDULED, "location": "Room 2, Bassetlaw", "recorded_by": dev},
    )
    line = _agreement(maya, priya, AgreementType.LINE_MANAGEMENT, 6, start)
    _held(line, today - dt.timedelta(days=20), "Caseload size and the new referrals pathway.")
    kwame_peer = _agreement(dev, kwame, AgreementType.PEER, 4, start)
    _held(kwame_peer, today - dt.timedelta(days=50), "Boundaries with a person who calls often.")
    _agreement(grace, aisha, AgreementType.LINE_MANAGEMENT, 4, today - dt.timedelta(days=70))  # none held: overdue
    _agreement(omar, sian, AgreementType.CLINICAL, 8, today - dt.timedelta(days=30))
    for agreement in Agreement.objects.all():
        agreement.refresh_due()

    induction, made = Induction.objects.get_or_create(
        worker=paul,
        defaults={
            "mentor": priya,
            "starts_on": paul.start_date or today,
            "mentoring_ends_on": (paul.start_date or today) + dt.timedelta(days=91),
            "welcome_done": True,
            "codes_of_conduct_acknowledged": True,
            "it_access_done": True,
            "laptop_issued": True,
            "created_by": maya,
        },
    )
    if made:
        paul.caseload_hold = hold_reason(priya)
        paul.save(update_fields=["caseload_hold"])
        ShadowingEntry.objects.create(
            induction=induction,
            shadowed="Priya Patel",
            their_role="Peer support worker",
            shadowed_on=min(today, (paul.start_date or today) + dt.timedelta(days=7)),
            learned="How Priya opens a first meeting and agrees what the person wants from peer support.",
            recorded_by=paul,
        )

    plan, _ = WellbeingPlan.objects.get_or_create(worker=priya)
    if not plan.versions.exists():
        WellbeingPlanVersion.objects.create(
            plan=plan,
            number=1,
            keeps_me_well="A walk at lunchtime; finishing on time on Fridays.",
            early_signs="I stop replying to messages and skip breaks.",
            triggers="Back-to-back crisis visits.",
            what_helps="A quick check-in with a colleague after a hard visit.",
            manager_can_do="Ask how I am in supervision, not in the corridor.",
        )

    HealthCheck.objects.get_or_create(
        worker=sian,
        defaults={
            "checked_on": dt.date(2021, 12, 1),
            "outcome": HealthOutcome.FIT_WITH_ADJUSTMENTS,
            "recorded_by": omar,
        },
    )
    ReasonableAdjustment.objects.get_or_create(
        worker=sian,
        description="A later start on Mondays for a regular appointment.",
        defaults={"agreed_on": dt.date(2022, 1, 10), "review_on": today + dt.timedelta(days=10), "recorded_by": omar},
    )
    return [
        f"Supervision: {Agreement.objects.count()} agreements, {Session.objects.count()} sessions; "
        f"{paul} is waiting for {priya} to sign off shadowing."
    ]
