"""Supervision and support. Content tiers are kept apart in the data: an agreement and its sessions'
dates and attendance (seen by managers and the development team) live in different tables from what
was discussed, the actions and wellbeing notes (SessionContent, Action: the two people in the room
only). Wellbeing plans and the health passport have their own, narrower rules."""

from .agreements import (
    Action,
    Agreement,
    AgreementType,
    Session,
    SessionContent,
    SessionStatus,
    line_manager_ids,
)
from .config import SupervisionSettings
from .health import AdjustmentPassportQuerySet, HealthCheck, HealthOutcome, ReasonableAdjustment
from .induction import Induction, ShadowingEntry
from .wellbeing import WellbeingPlan, WellbeingPlanVersion

__all__ = [
    "Action",
    "AdjustmentPassportQuerySet",
    "Agreement",
    "AgreementType",
    "HealthCheck",
    "HealthOutcome",
    "Induction",
    "ReasonableAdjustment",
    "Session",
    "SessionContent",
    "SessionStatus",
    "ShadowingEntry",
    "SupervisionSettings",
    "WellbeingPlan",
    "WellbeingPlanVersion",
    "line_manager_ids",
]
