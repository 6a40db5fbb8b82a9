"""Supervision's part of the shared test world (registered in SupervisionConfig.ready()): a supervisor,
a supervisee and a mentor in the cast, and outsider records nobody in the cast may reach."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peersupport.models import Role
from peersupport.tests.factories import OUTSIDER_MARKER, make_worker
from supervision.models import (
    HealthCheck,
    HealthOutcome,
    Induction,
    ReasonableAdjustment,
    ShadowingEntry,
    WellbeingPlan,
    WellbeingPlanVersion,
)
from supervision.tests.factories import ActionFactory, AgreementFactory, ContentFactory, SessionFactory


def extend_trust(trust) -> None:
    """Sasha (a peer development worker) supervises Priya; Priya mentored Paul, whose shadowing she
    has signed off (so Paul carries no caseload hold)."""
    today = timezone.localdate()
    trust.supervisor = make_worker(
        trust.devteam, Role.DEVELOPMENT_WORKER, first_name="Sasha", last_name="Stone", email="sasha@example.nhs.uk"
    )
    trust.agreement = AgreementFactory(
        supervisor=trust.supervisor, supervisee=trust.psw, starts_on=today - dt.timedelta(days=60)
    )
    trust.session = SessionFactory(agreement=trust.agreement, starts_at=timezone.now() - dt.timedelta(days=10))
    trust.induction = Induction.objects.create(
        worker=trust.colleague,
        mentor=trust.psw,
        starts_on=today - dt.timedelta(days=30),
        mentoring_ends_on=today + dt.timedelta(days=60),
        created_by=trust.manager,
        shadowing_signed_off_at=timezone.now(),
        shadowing_signed_off_by=trust.psw,
    )
    trust.extra_roles.update(supervisor=trust.supervisor, supervisee=trust.psw, mentor=trust.psw)


def build_outsider(outsider) -> None:
    """Hugo, the outsider manager, is supervised by Hector and inducted with Hector as mentor: Hugo is
    no peer worker, so not even the development team's trust-wide view reaches him."""
    hector = make_worker(outsider.team, Role.MANAGER, first_name="Hector", last_name="Hidden")
    hugo = outsider.manager
    agreement = AgreementFactory(supervisor=hector, supervisee=hugo)
    session = SessionFactory(agreement=agreement)
    ContentFactory(session=session, themes=OUTSIDER_MARKER, wellbeing_notes=OUTSIDER_MARKER)
    action = ActionFactory(session=session, description=OUTSIDER_MARKER, owner=hugo)
    plan = WellbeingPlan.objects.create(worker=hugo, share_with_supervisors=True, share_with_team=True)
    WellbeingPlanVersion.objects.create(
        plan=plan, number=1, **{name: OUTSIDER_MARKER for name in WellbeingPlanVersion.TEXT_FIELDS}
    )
    today = timezone.localdate()
    induction = Induction.objects.create(
        worker=hugo, mentor=hector, starts_on=today, mentoring_ends_on=today + dt.timedelta(days=90), created_by=hector
    )
    ShadowingEntry.objects.create(
        induction=induction,
        shadowed=OUTSIDER_MARKER,
        their_role=OUTSIDER_MARKER,
        shadowed_on=today,
        learned=OUTSIDER_MARKER,
        recorded_by=hugo,
    )
    HealthCheck.objects.create(worker=hugo, checked_on=today, outcome=HealthOutcome.FIT, recorded_by=hector)
    adjustment = ReasonableAdjustment.objects.create(
        worker=hugo, description=OUTSIDER_MARKER, agreed_on=today, review_on=today, recorded_by=hector
    )
    outsider.extra.update(
        agreement=agreement, session=session, action=action, plan=plan, induction=induction, adjustment=adjustment
    )


FILLERS = {
    "agreement_pk": lambda o: o.extra["agreement"].pk,
    "session_pk": lambda o: o.extra["session"].pk,
    "action_pk": lambda o: o.extra["action"].pk,
    "plan_pk": lambda o: o.extra["plan"].pk,
    "induction_pk": lambda o: o.extra["induction"].pk,
    "worker_pk": lambda o: o.manager.pk,
    "adjustment_pk": lambda o: o.extra["adjustment"].pk,
}
