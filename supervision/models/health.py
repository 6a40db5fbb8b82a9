"""Occupational health checks and the reasonable adjustments passport. They follow the worker
across teams and managers: the worker, their line manager and the development lead only (SPEC 3)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import DEVELOPMENT_ROLES, Role, User


class HealthOutcome(models.TextChoices):
    FIT = "fit", "Fit"
    FIT_WITH_ADJUSTMENTS = "fit_with_adjustments", "Fit with adjustments"


def passport_holders_visible_to(user) -> models.QuerySet:
    """Workers whose health passport a user may read: themselves; a line manager, the peer support
    workers of their teams; the development lead, every peer worker and the development team. Not
    other managers, not the development workers, not an administrator as such."""
    if not user.is_authenticated:
        return User.objects.none()
    scope = Q(pk=user.pk)
    if user.managed_team_ids:
        scope |= Q(memberships__team_id__in=user.managed_team_ids, memberships__role=Role.PSW)
    if user.is_development_lead:
        scope |= Q(memberships__role__in=[Role.PSW, *DEVELOPMENT_ROLES])
    return User.objects.filter(pk__in=User.objects.filter(scope).values("pk"))


def can_record_passport(user, worker: User) -> bool:
    """The line manager and the development lead record; the worker reads."""
    return user.pk != worker.pk


class AdjustmentPassportQuerySet(models.QuerySet):
    def visible_to(self, user) -> AdjustmentPassportQuerySet:
        return self.filter(worker__in=passport_holders_visible_to(user))


class HealthCheck(models.Model):
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="health_checks")
    checked_on = models.DateField("date of the check")
    outcome = models.CharField(max_length=30, choices=HealthOutcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AdjustmentPassportQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"Occupational health check on {self.checked_on:%d %b %Y}"

    def clean(self) -> None:
        super().clean()
        if self.checked_on and self.checked_on > timezone.localdate():
            raise ValidationError({"checked_on": "Record the check once it has happened: the date is in the future."})


class ReasonableAdjustment(models.Model):
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="adjustments")
    description = models.TextField("adjustment agreed")
    agreed_on = models.DateField("date agreed")
    review_on = models.DateField("review date")
    ended_on = models.DateField("no longer needed from", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = AdjustmentPassportQuerySet.as_manager()

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return f"Reasonable adjustment agreed {self.agreed_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:passport", args=[self.worker_id])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.agreed_on and self.review_on and self.review_on < self.agreed_on:
            errors["review_on"] = "The review cannot be before the date the adjustment was agreed."
        if self.agreed_on and self.ended_on and self.ended_on < self.agreed_on:
            errors["ended_on"] = "An adjustment cannot end before it was agreed."
        if errors:
            raise ValidationError(errors)
