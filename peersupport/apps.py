from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = "Staff, teams and audit"

    def ready(self):
        from . import home, middleware, signals, tasks  # noqa: F401  (home sections, sign-in activity, audit, the send task)
