from datetime import timedelta

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision and support"

    def ready(self) -> None:
        from peersupport import plugins

        from . import audit, demo, escalation, home, kinds, scans

        kinds.register()
        plugins.register_scan(scans.scan_supervision_due, every=timedelta(hours=1), order=400)
        plugins.register_scan(scans.scan_adjustment_reviews, every=timedelta(hours=6), order=410)
        home.register()
        plugins.register_nav(
            "Supervision",
            "supervision:overview",
            visible=lambda user: user.is_authenticated,
            order=50,
            active=("supervision:",),
        )
        plugins.register_tests("supervision.tests.plugin")
        audit.register()
        escalation.register()
        plugins.register_demo("supervision", demo.seed, order=30)
