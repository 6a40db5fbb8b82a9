"""What happened on a visit or a concern, and who was alerted: the safety record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SafetyEventKind(models.TextChoices):
    STARTED = "started", "Visit started"
    EXTENDED = "extended", "Visit extended"
    ALERT = "alert", "Alert sent"
    ALARM = "alarm", "Alarm raised"
    ACKNOWLEDGED = "acknowledged", "Alert acknowledged"
    CLOSED = "closed", "Visit closed"
    RAISED = "raised", "Concern raised"
    RESOLVED = "resolved", "Concern resolved"


class SafetyEvent(models.Model):
    """Every event in a visit's or a concern's life, alerts included, kept for good."""

    visit = models.ForeignKey("caseload.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    concern = models.ForeignKey(
        "caseload.RiskConcern", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=15, choices=SafetyEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, concern__isnull=True) | Q(visit__isnull=True, concern__isnull=False),
                name="safety_event_for_a_visit_or_a_concern",
            ),
            models.UniqueConstraint(
                fields=["visit", "recipient", "stage"],
                condition=Q(kind=SafetyEventKind.ALERT),
                name="one_visit_alert_per_stage",
            ),
            models.UniqueConstraint(
                fields=["concern", "recipient", "stage"],
                condition=Q(kind=SafetyEventKind.ALERT),
                name="one_concern_alert_per_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {timezone.localtime(self.at):%d %b %Y %H:%M}"
