"""Risk concerns: severity, status, the set rules and one concern's rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..contacts import Contact
from ..people import Person
from .events import SafetyEvent, SafetyEventKind


class ConcernSeverity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Awaiting acknowledgement"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class EscalationRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    DUTY_WORKER = "duty_worker", "Duty worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    TEAM_MANAGER = "team_manager", "Team manager"


class RiskConcernQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskConcernQuerySet:
        """Concerns about people the user may see, and concerns escalated to them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(person__in=Person.objects.visible_to(user))
            | Q(escalated_to=user)
            | Q(
                pk__in=SafetyEvent.objects.filter(
                    kind=SafetyEventKind.ALERT, recipient=user, concern__isnull=False
                ).values("concern")
            )
        )

    def unresolved(self) -> RiskConcernQuerySet:
        return self.exclude(status=ConcernStatus.RESOLVED)


class RiskConcern(models.Model):
    """A risk concern about a person, escalated to a named person who must acknowledge it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_concerns")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    description = models.TextField("what is the concern?", max_length=5000)
    severity = models.CharField(max_length=10, choices=ConcernSeverity.choices)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_escalated_to_me"
    )
    escalated_to_role = models.CharField("their role", max_length=20, choices=EscalationRole.choices)
    status = models.CharField(max_length=15, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    # 0 the named person; 1 onwards the chain's steps.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=5000, blank=True)

    history = HistoricalRecords()
    objects = RiskConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} risk concern about {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:concern-detail", kwargs={"concern_pk": self.pk})

    def was_alerted(self, user) -> bool:
        return (
            self.escalated_to_id == user.pk or self.events.filter(kind=SafetyEventKind.ALERT, recipient=user).exists()
        )

    def escalated_to_held_role(self) -> str:
        """The role the escalation contact holds for this person: a manager of the person's team is
        their team manager, whatever role was picked when the concern was raised."""
        if self.person.team_id in self.escalated_to.managed_team_ids:
            return EscalationRole.TEAM_MANAGER.label
        return self.get_escalated_to_role_display()

    def can_acknowledge(self, user) -> bool:
        return self.status == ConcernStatus.OPEN and self.was_alerted(user)

    def can_resolve(self, user) -> bool:
        if self.status == ConcernStatus.RESOLVED:
            return False
        return self.person.team_id in user.managed_team_ids or self.was_alerted(user)
