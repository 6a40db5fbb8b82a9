from datetime import timedelta

from django.apps import AppConfig


class DevdaysConfig(AppConfig):
    name = "devdays"
    verbose_name = "Peer development days"

    def ready(self) -> None:
        from peersupport import plugins

        from . import audit, demo, home, kinds, scans

        kinds.register()
        plugins.register_scan(scans.scan_reminders, every=timedelta(minutes=15))
        plugins.register_scan(scans.scan_offers, every=timedelta(minutes=15))
        plugins.register_scan(scans.scan_new_audience, every=timedelta(minutes=15))
        home.register()
        plugins.register_nav(
            "Development days",
            "devdays:day-list",
            visible=lambda user: user.is_psw or user.is_manager or user.is_development_team or user.is_superuser,
            order=60,
            active=("devdays:",),
        )
        plugins.register_tests("devdays.tests.plugin")
        audit.register()
        plugins.register_demo("devdays", demo.seed, order=40)
