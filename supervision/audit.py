"""Supervision's part of the audit: every record is about the member of staff supported."""

from peersupport import plugins

SUBJECTS = {
    "Agreement": "supervisee",
    "Session": "agreement__supervisee",
    "SessionContent": "session__agreement__supervisee",
    "Action": "session__agreement__supervisee",
    "HealthCheck": "worker",
    "ReasonableAdjustment": "worker",
    "Induction": "worker",
    "ShadowingEntry": "induction__worker",
    "WellbeingPlan": "worker",
}


def register() -> None:
    plugins.register_audit_subjects("supervision", SUBJECTS)
