"""Appointments and activities a worker goes to with the person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .goals import RecoveryGoal
from .people import Person


class AppointmentKind(models.TextChoices):
    HEALTH = "health", "Health appointment"
    REVIEW = "review", "Care review or meeting"
    BENEFITS = "benefits", "Benefits, housing or money"
    WORK = "work", "Work, volunteering or learning"
    ACTIVITY = "activity", "Activity or group"
    OTHER = "other", "Other"


class AppointmentOutcome(models.TextChoices):
    PLANNED = "planned", "Planned"
    ATTENDED = "attended", "Went ahead"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"
    REARRANGED = "rearranged", "Rearranged"


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def upcoming(self, now=None) -> AppointmentQuerySet:
        return self.filter(outcome=AppointmentOutcome.PLANNED, starts_at__gte=now or timezone.now())


class Appointment(models.Model):
    """An appointment, meeting or activity the worker goes to with the person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    title = models.CharField("what", max_length=200)
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices, default=AppointmentKind.HEALTH)
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    goals = models.ManyToManyField(RecoveryGoal, blank=True, related_name="appointments")
    outcome = models.CharField(max_length=20, choices=AppointmentOutcome.choices, default=AppointmentOutcome.PLANNED)
    outcome_note = models.TextField("how it went", max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[goals])
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["worker", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title}, {date_format(timezone.localtime(self.starts_at), 'DATETIME_FORMAT')}"


# DIALOG ---------------------------------------------------------------------------------------
