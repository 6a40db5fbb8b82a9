from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class SupervisionSettings(models.Model):
    """The service's reminder timings, one row, changed by an administrator in the admin."""

    due_soon_days = models.PositiveSmallIntegerField(
        "remind this many days before supervision is due",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "tell the manager when supervision is overdue by more than this many days",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    induction_months = models.PositiveSmallIntegerField(
        "months a new worker has a mentor, unless set otherwise",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    adjustment_review_notice_days = models.PositiveSmallIntegerField(
        "remind this many days before a reasonable adjustment is due for review",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = "supervision settings"
        verbose_name_plural = "supervision settings"

    def __str__(self) -> str:
        return "Supervision settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row: a second save changes the first
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> SupervisionSettings:
        return cls.objects.filter(pk=1).first() or cls()
