"""The caseload's kinds of notification, registered with the core's outbox in CaseloadConfig.ready()."""

from django.db import models

from peersupport import plugins


class NotificationKind(models.TextChoices):
    RISK_CONCERN = "risk_concern", "Risk concern alerts"
    LONE_WORKING = "lone_working", "Lone-working alerts"
    CONCERN_UPDATE = "concern_update", "Updates on risk concerns I raised"
    VISIT_UPDATE = "visit_update", "A colleague's overdue visit is closed"
    CASELOAD_CHANGE = "caseload_change", "People joining or leaving my caseload"


# Alerts that protect people are always emailed, whatever the recipient prefers.
SAFETY_KINDS = frozenset({NotificationKind.RISK_CONCERN, NotificationKind.LONE_WORKING})


def register() -> None:
    for value, label in NotificationKind.choices:
        plugins.register_kind(value, label, safety=value in SAFETY_KINDS)
