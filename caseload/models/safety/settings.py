"""Lone-working and risk-concern settings: grace and escalation times, the escalation chains, buddies."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .concerns import ConcernSeverity


class EscalationChain(models.TextChoices):
    CONCERN = "concern", "Risk concerns (after the named person)"
    VISIT = "visit", "Overdue visits (after the buddy and manager)"


class EscalationTarget(models.TextChoices):
    MANAGER = "manager", "The worker's team manager"
    DEVELOPMENT_LEAD = "development_lead", "The peer support development lead"
    NAMED = "named", "A named member of staff"


# Used whenever an administrator has left a chain empty: nobody's alert may stop at nobody.
DEFAULT_CHAINS = {
    EscalationChain.CONCERN: [EscalationTarget.MANAGER, EscalationTarget.DEVELOPMENT_LEAD],
    EscalationChain.VISIT: [EscalationTarget.DEVELOPMENT_LEAD],
}


class SafetySettings(models.Model):
    """Grace periods and escalation timers, edited in the admin. One row; safe defaults."""

    visit_grace_minutes = models.PositiveSmallIntegerField(
        "grace period for a visit (minutes)",
        default=15,
        validators=[MaxValueValidator(120)],
        help_text="How long after the expected end a visit counts as overdue and the worker is alerted.",
    )
    visit_escalation_minutes = models.PositiveSmallIntegerField(
        "time to acknowledge a visit alert (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="An unacknowledged visit alert goes to the next people after this long.",
    )
    concern_high_minutes = models.PositiveIntegerField(
        "time to acknowledge a high concern (minutes)", default=30, validators=[MinValueValidator(1)]
    )
    concern_moderate_minutes = models.PositiveIntegerField(
        "time to acknowledge a moderate concern (minutes)", default=240, validators=[MinValueValidator(1)]
    )
    concern_low_minutes = models.PositiveIntegerField(
        "time to acknowledge a low concern (minutes)", default=1440, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "safety settings"
        verbose_name_plural = "safety settings"

    def __str__(self) -> str:
        return "Lone-working and risk-concern settings"

    @classmethod
    def load(cls) -> SafetySettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row

    def concern_timer(self, severity: str) -> timedelta:
        minutes = {
            ConcernSeverity.HIGH: self.concern_high_minutes,
            ConcernSeverity.MODERATE: self.concern_moderate_minutes,
        }.get(severity, self.concern_low_minutes)
        return timedelta(minutes=minutes)

    @property
    def visit_grace(self) -> timedelta:
        return timedelta(minutes=self.visit_grace_minutes)

    @property
    def visit_escalation(self) -> timedelta:
        return timedelta(minutes=self.visit_escalation_minutes)

    def chain(self, chain: str) -> list[tuple[str, int | None]]:
        """The steps of a chain as (target, named user id), or the default when none are set."""
        steps = [(step.target, step.user_id) for step in self.steps.filter(chain=chain).order_by("position", "pk")]
        return steps or [(target, None) for target in DEFAULT_CHAINS[chain]]


class EscalationStep(models.Model):
    safety_settings = models.ForeignKey(SafetySettings, on_delete=models.CASCADE, related_name="steps")
    chain = models.CharField(max_length=20, choices=EscalationChain.choices)
    position = models.PositiveSmallIntegerField(default=1)
    target = models.CharField(max_length=30, choices=EscalationTarget.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only for 'a named member of staff', e.g. the on-call senior manager.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "position", "pk"]

    def __str__(self) -> str:
        who = self.user if self.target == EscalationTarget.NAMED else self.get_target_display()
        return f"{self.get_chain_display()}: step {self.position}, {who}"

    def clean(self):
        super().clean()
        if self.target == EscalationTarget.NAMED and not self.user_id:
            raise ValidationError({"user": "Choose the member of staff for this step."})
        if self.target != EscalationTarget.NAMED and self.user_id:
            raise ValidationError({"user": "Only a 'named member of staff' step names someone."})


class LoneWorkingBuddy(models.Model):
    """The colleague a worker names as their lone-working buddy: alerted when a visit runs over."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lone_working_buddy")
    buddy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buddy_for")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lone-working buddy"

    def __str__(self) -> str:
        return f"{self.buddy} is buddy for {self.worker}"

    def clean(self):
        super().clean()
        if self.worker_id and self.worker_id == self.buddy_id:
            raise ValidationError({"buddy": "A worker cannot be their own buddy."})
