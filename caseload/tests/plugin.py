"""The caseload's part of the shared test world (registered in CaseloadConfig.ready()): the people in
the fixed cast, and the outsider records and URL fillers of the access sweep."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from caseload.kinds import NotificationKind
from caseload.models import CaseloadCover, ConcernSeverity, EscalationRole
from caseload.services.safety import raise_concern, start_visit
from caseload.tests.factories import (
    AdvanceStatementFactory,
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)
from peersupport.models import Notification
from peersupport.tests.factories import OUTSIDER_MARKER, make_worker

# The signposting directory holds no personal data: every member of staff may read it.
SHARED_KWARGS = {"resource_pk"}


def extend_trust(trust) -> None:
    """Priya supports Sam; Olive supports Sol."""
    trust.person = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Sam", family_name="Sutton")
    trust.other_person = PersonFactory(
        team=trust.south, assigned_worker=trust.other_psw, given_name="Sol", family_name="Sharp"
    )


def build_outsider(outsider) -> None:
    given, family = OUTSIDER_MARKER.split()
    person = PersonFactory(team=outsider.team, assigned_worker=outsider.psw, given_name=given, family_name=family)
    outsider.person = person
    goal = RecoveryGoalFactory(person=person, created_by=outsider.psw)
    outsider.extra.update(
        contact=ContactFactory(person=person, worker=outsider.psw, notes=OUTSIDER_MARKER),
        goal=goal,
        rating=GoalRatingFactory(goal=goal, recorded_by=outsider.psw),
        plan=RecoveryPlanFactory(person=person, written_by=outsider.psw),
        statement=AdvanceStatementFactory(person=person, written_by=outsider.psw),
        appointment=AppointmentFactory(person=person, worker=outsider.psw),
        dialog=DialogAssessmentFactory(person=person, recorded_by=outsider.psw),
        resource=ResourceFactory(name="Hidden Valley allotments"),
    )
    # A colleague of the outsider worker covers their caseload, now.
    colleague = make_worker(outsider.team, first_name="Harriet", last_name="Hidden")
    outsider.extra["cover"] = CaseloadCover.objects.create(
        team=outsider.team,
        absent_worker=outsider.psw,
        covering_worker=colleague,
        starts_on=dt.date(2000, 1, 1),
        ends_on=dt.date(2999, 12, 31),
        granted_by=outsider.manager,
    )
    # Safety and notifications: a visit, a concern and a notification that belong to the outsider.
    outsider.extra["visit"] = start_visit(
        worker=outsider.psw,
        person=person,
        location=f"{OUTSIDER_MARKER}'s home",
        expected_end=timezone.now() + timedelta(hours=1),
        buddy=outsider.manager,
    )
    outsider.extra["concern"] = raise_concern(
        person=person,
        contact=None,
        raised_by=outsider.psw,
        description=f"{OUTSIDER_MARKER} said something worrying.",
        severity=ConcernSeverity.HIGH,
        escalated_to=outsider.manager,
        escalated_to_role=EscalationRole.SUPERVISOR,
    )
    outsider.extra["notification"] = Notification.objects.create(
        recipient=outsider.psw, kind=NotificationKind.CONCERN_UPDATE, title=f"About {OUTSIDER_MARKER}"
    )


FILLERS = {
    "person_pk": lambda o: o.person.pk,
    "contact_pk": lambda o: o.extra["contact"].pk,
    "goal_pk": lambda o: o.extra["goal"].pk,
    "rating_pk": lambda o: o.extra["rating"].pk,
    "plan_pk": lambda o: o.extra["plan"].pk,
    "statement_pk": lambda o: o.extra["statement"].pk,
    "appointment_pk": lambda o: o.extra["appointment"].pk,
    "dialog_pk": lambda o: o.extra["dialog"].pk,
    "resource_pk": lambda o: o.extra["resource"].pk,
    "cover_pk": lambda o: o.extra["cover"].pk,
    "visit_pk": lambda o: o.extra["visit"].pk,
    "concern_pk": lambda o: o.extra["concern"].pk,
    "notification_pk": lambda o: o.extra["notification"].pk,
}
