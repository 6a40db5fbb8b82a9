from datetime import timedelta

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from peersupport import plugins

        from . import audit, demo, home, kinds, scans

        kinds.register()
        plugins.register_scan(scans.scan_expiring_training, every=timedelta(hours=1), order=300)
        home.register()
        plugins.register_nav(
            "Training",
            "training:overview",
            visible=lambda user: user.is_authenticated,
            order=40,
            active=("training:",),
        )
        plugins.register_tests("training.tests.plugin")
        audit.register()
        plugins.register_demo("training", demo.seed, order=20)
