"""Supervision's part of raising a risk concern (registered in SupervisionConfig.ready()): the worker's
own supervisor is the escalation contact the concern form starts with."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from peersupport import plugins

from .models import Agreement, AgreementType

# The supervisor who knows the worker's practice best first: line management, then clinical, then peer.
PREFERENCE = Case(
    When(agreement_type=AgreementType.LINE_MANAGEMENT, then=Value(0)),
    When(agreement_type=AgreementType.CLINICAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
# caseload.models.EscalationRole.SUPERVISOR, by value: the apps do not import each other.
SUPERVISOR = "supervisor"


def supervisor_of(worker, person, among):
    """The supervisor of the worker's agreement in force today, among the staff the form offers (so a
    supervisor who is not in post, or not someone the worker may escalate to, is skipped for the next
    agreement), with the role "supervisor". One query."""
    agreement = (
        Agreement.objects.visible_to(worker)
        .active_on(timezone.localdate())
        .filter(supervisee=worker, supervisor__in=among)
        .select_related("supervisor")
        .annotate(preference=PREFERENCE)
        .order_by("preference", "-starts_on", "-pk")
        .first()
    )
    return (agreement.supervisor, SUPERVISOR) if agreement else None


def register() -> None:
    plugins.register_escalation_contact("supervision", supervisor_of)
