from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from . import summaries  # noqa: F401  (connects the board summaries to record saves)
