from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = "Staff, teams and audit"

    def ready(self):
        from . import audit, home, middleware, plugins, tasks  # noqa: F401  (home sections, sign-in activity, the send task)

        audit.connect_history_models()
        plugins.register_audit_subjects(
            "peersupport", {"User": "", "Membership": "user", "EmailPreference": "user", "Team": None}
        )
        plugins.register_audit_search("peersupport.User", audit.find_staff)
        plugins.register_nav(
            "Audit",
            "audit-search",
            visible=lambda user: user.can_search_audit,
            order=900,
            active=("audit-",),
        )
