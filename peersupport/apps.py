from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = "Staff, teams and audit"

    def ready(self):
        from . import middleware  # noqa: F401  (signing in counts as activity)
