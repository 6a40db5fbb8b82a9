from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = "Staff, teams and audit"

    def ready(self):
        from . import home, middleware, plugins, tasks  # noqa: F401  (home sections, sign-in activity, the send task)
        from .governance import retention

        retention.register()
        plugins.register_nav(
            "Governance",
            "governance:home",
            visible=lambda user: user.is_information_governance_lead or user.is_clinical_reviewer,
            order=90,
            active=("governance:",),
        )
        plugins.register_tests("peersupport.tests.plugin")
