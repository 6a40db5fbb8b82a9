"""The safety workflows: lone-working visits (visits.py) and risk concerns (concerns.py). Each alerts
people (history, events, notifications) and is called explicitly from the views and the scans; the
models keep only one instance's rules. The public names are importable from here."""

from ..alerts import hhmm
from .concerns import (
    acknowledge_concern,
    concern_alert_text,
    raise_concern,
    resolve_concern,
    scan_unacknowledged_concerns,
)
from .visits import (
    EXTEND_CHOICES,
    MAX_VISIT_LENGTH,
    VisitAlreadyOpen,
    acknowledge_visit_alert,
    check_out,
    close_visit,
    close_visit_for_contact,
    default_team_for,
    extend_visit,
    raise_alarm,
    scan_overdue_visits,
    start_visit,
    visit_alert_text,
    visit_recipients,
)

__all__ = [
    "EXTEND_CHOICES",
    "MAX_VISIT_LENGTH",
    "VisitAlreadyOpen",
    "acknowledge_concern",
    "acknowledge_visit_alert",
    "check_out",
    "close_visit",
    "close_visit_for_contact",
    "concern_alert_text",
    "default_team_for",
    "extend_visit",
    "hhmm",
    "raise_alarm",
    "raise_concern",
    "resolve_concern",
    "scan_overdue_visits",
    "scan_unacknowledged_concerns",
    "start_visit",
    "visit_alert_text",
    "visit_recipients",
]
