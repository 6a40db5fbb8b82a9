"""Supervision's kinds of notification, registered with the core's outbox in SupervisionConfig.ready().
No message carries what was discussed: titles and bodies say who, when and what is due only."""

from __future__ import annotations

from django.db import models

from peersupport import plugins

from . import ics


class NotificationKind(models.TextChoices):
    DUE = "supervision_due", "Supervision due soon or overdue"
    ESCALATION = "supervision_escalation", "Overdue supervision in my teams"
    INVITE = "supervision_invite", "Supervision sessions for my calendar"
    INDUCTION = "supervision_induction", "Induction and shadowing sign-off"
    ADJUSTMENT_REVIEW = "supervision_adjustment", "Reasonable adjustment reviews"


def register() -> None:
    for value, label in NotificationKind.choices:
        options = {}
        if value == NotificationKind.INVITE:
            options["attachments"] = ics.attachments
        plugins.register_kind(value, label, **options)
