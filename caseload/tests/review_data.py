"""Many workers at once for the manager-review query-count tests: bulk inserts, every figure fed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from caseload.models import (
    Contact,
    DialogAssessment,
    GoalRating,
    GoalStatus,
    LifeArea,
    Person,
    PersonStatus,
    RecoveryGoal,
    RecoveryPlan,
    ReferralSource,
)
from caseload.summaries import refresh_goals, refresh_people
from peersupport.models import Membership, Role, Team, User

DIALOG_ITEMS = dict(
    mental_health=3,
    physical_health=4,
    job_situation=2,
    accommodation=5,
    leisure=3,
    family=4,
    friendships=3,
    safety=5,
    medication=4,
    practical_help=4,
    meetings=5,
)


def populate(team: Team, workers: int, *, start: int = 0) -> list[User]:
    """`workers` peer support workers in `team`, each with one person who has a contact this
    month, a plan past review, a goal achieved this quarter rated twice and two DIALOGs."""
    now = timezone.now()
    today = timezone.localdate()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + n}@example.nhs.uk", first_name="Worker", last_name=f"{start + n:04d}", password="!")
        for n in range(workers)
    )
    Membership.objects.bulk_create(Membership(user=u, team=team, role=Role.PSW) for u in users)
    people = Person.objects.bulk_create(
        Person(
            given_name="Person",
            family_name=f"{start + n:04d}",
            team=team,
            assigned_worker=u,
            referral_source=ReferralSource.GP,
            referral_date=today - dt.timedelta(days=40),
            status=PersonStatus.ACTIVE,
        )
        for n, u in enumerate(users)
    )
    Contact.objects.bulk_create(Contact(person=p, worker=p.assigned_worker, contact_at=now) for p in people)
    RecoveryPlan.objects.bulk_create(
        RecoveryPlan(person=p, version=1, review_on=today - dt.timedelta(days=1), written_by=p.assigned_worker)
        for p in people
    )
    goals = RecoveryGoal.objects.bulk_create(
        RecoveryGoal(
            person=p,
            description="Walk to the shop",
            life_area=LifeArea.COMMUNITY,
            status=GoalStatus.ACHIEVED,
            status_changed_on=today,
            created_by=p.assigned_worker,
        )
        for p in people
    )
    GoalRating.objects.bulk_create(
        GoalRating(goal=g, score=score, rated_on=today - dt.timedelta(days=days), recorded_by=g.created_by)
        for g in goals
        for score, days in ((2, 30), (6, 1))
    )
    DialogAssessment.objects.bulk_create(
        DialogAssessment(
            person=p,
            assessed_on=today - dt.timedelta(days=days),
            recorded_by=p.assigned_worker,
            quality_of_life=quality,
            treatment_satisfaction=Decimal("4.33"),
            **DIALOG_ITEMS,
        )
        for p in people
        for quality, days in ((Decimal("3.50"), 30), (Decimal("4.00"), 1))
    )
    # Bulk inserts skip the save signals that keep the board's summaries current.
    refresh_goals(RecoveryGoal.objects.filter(pk__in=[g.pk for g in goals]))
    refresh_people(Person.objects.filter(pk__in=[p.pk for p in people]))
    return users
