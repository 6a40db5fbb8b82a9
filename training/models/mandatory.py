"""Mandatory training: subjects with a renewal period, and each person's completions with their expiry."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

# A completion turns amber this many days before it expires (the first reminder goes then too).
AMBER_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SubjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubjectQuerySet:
        """Reference data: every member of staff may read the subjects."""
        return self.all() if user.is_authenticated else self.none()

    def active(self) -> SubjectQuerySet:
        return self.filter(retired_at__isnull=True)


class TrainingSubject(models.Model):
    name = models.CharField(max_length=120, unique=True)
    renewal_months = models.PositiveSmallIntegerField(
        "renew every (months)",
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="For example 12 for every year, 36 for every three years.",
    )
    description = models.TextField(blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def renewal_label(self) -> str:
        if self.renewal_months % 12 == 0:
            years = self.renewal_months // 12
            return "every year" if years == 1 else f"every {years} years"
        return f"every {self.renewal_months} months"


class CompletionSource(models.TextChoices):
    RECORDED = "recorded", "Recorded here"
    IMPORTED = "imported", "Imported from historic records"


class CompletionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompletionQuerySet:
        """Follows whose training it is: the staff a user may see (a worker themselves, a manager their
        teams', the development team every peer worker)."""
        if not user.is_authenticated:
            return self.none()
        from ..rules import staff_in_reach

        return self.filter(user__in=staff_in_reach(user))

    def current(self) -> CompletionQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class TrainingCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions")
    subject = models.ForeignKey(TrainingSubject, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    expires_on = models.DateField()
    source = models.CharField(max_length=20, choices=CompletionSource.choices, default=CompletionSource.RECORDED)
    import_batch = models.ForeignKey(
        "training.ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Never deleted: a completion entered in error is withdrawn with a reason.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            # The same course on the same day is one record: importing a file twice adds nothing.
            models.UniqueConstraint(
                fields=["user", "subject", "completed_on"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_completion_a_day",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("completed_on")), name="expires_after_completion"
            ),
        ]
        indexes = [models.Index(fields=["user", "subject", "-expires_on"]), models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.subject} by {self.user}, {date_format(self.completed_on)}"

    def clean(self):
        super().clean()
        check_dates(self.completed_on, self.expires_on)


def check_dates(completed_on: date | None, expires_on: date | None) -> None:
    errors = {}
    if completed_on and completed_on > timezone.localdate():
        errors["completed_on"] = "A completion date cannot be in the future."
    if completed_on and expires_on and expires_on <= completed_on:
        errors["expires_on"] = f"The expiry date must be after the completion date ({date_format(completed_on)})."
    if errors:
        raise ValidationError(errors)
