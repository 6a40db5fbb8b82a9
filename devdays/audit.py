"""Development days' part of the audit: an invitation is about the member of staff or trainee invited."""

from peersupport import plugins

SUBJECTS = {
    "Invitation": ("user", "trainee__user", "trainee"),
    "DevelopmentDay": None,
    "AgendaItem": None,
}


def register() -> None:
    plugins.register_audit_subjects("devdays", SUBJECTS)
