from datetime import timedelta

from django.utils import timezone

from caseload.models import ConcernSeverity, EscalationRole
from caseload.services.safety import raise_concern, start_visit


def visit_for(trust, *, minutes: int = 60, person=True, worker=None, buddy=None):
    return start_visit(
        worker=worker or trust.psw,
        person=trust.person if person else None,
        location="12 Oak Road, Worksop",
        expected_end=timezone.now() + timedelta(minutes=minutes),
        buddy=buddy or trust.colleague,
    )


def concern_for(trust, *, severity=ConcernSeverity.HIGH, escalated_to=None):
    return raise_concern(
        person=trust.person,
        contact=None,
        raised_by=trust.psw,
        description="Sam spoke about not wanting to be here any more.",
        severity=severity,
        escalated_to=escalated_to or trust.colleague,
        escalated_to_role=EscalationRole.DUTY_WORKER,
    )
