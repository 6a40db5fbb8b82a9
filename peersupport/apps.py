from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = "Staff, teams and audit"

    def ready(self):
        from . import audit, home, middleware, plugins, signals, tasks  # noqa: F401  (home sections, sign-in activity and its audit, the send task)
        from .governance import retention

        audit.connect_history_models()
        plugins.register_audit_subjects(
            "peersupport",
            # A subject access request names its person generically; its own events (sar-*) say whom.
            {"User": "", "Membership": "user", "EmailPreference": "user", "Team": None, "SubjectAccessRequest": None},
        )
        plugins.register_audit_search("peersupport.User", audit.find_staff)
        plugins.register_nav(
            "Audit",
            "audit-search",
            visible=lambda user: user.can_search_audit,
            order=900,
            active=("audit-",),
        )
        retention.register()
        plugins.register_nav(
            "Governance",
            "governance:home",
            visible=lambda user: user.is_information_governance_lead or user.is_clinical_reviewer,
            order=90,
            active=("governance:",),
        )
        plugins.register_tests("peersupport.tests.plugin")
