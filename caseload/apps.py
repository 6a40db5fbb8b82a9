from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from peersupport import plugins

        from . import demo_all, home, kinds, safety, summaries  # noqa: F401  (summaries: keeps the board current on saves)

        kinds.register()
        # Safety scans run on every beat (REMINDER_SCAN_SECONDS), before every other scan.
        plugins.register_scan(safety.scan_overdue_visits, order=plugins.SAFETY_ORDER)
        plugins.register_scan(safety.scan_unacknowledged_concerns, order=plugins.SAFETY_ORDER)
        home.register()
        plugins.register_nav(
            lambda user: "People" if user.is_manager else "My caseload",
            "caseload:person-list",
            visible=lambda user: user.is_psw or user.is_manager,
            order=10,
        )
        plugins.register_nav(
            "Caseload board",
            "caseload:review-board",
            visible=lambda user: user.is_manager,
            order=20,
            active=("caseload:review-",),
        )
        plugins.register_nav(
            "Signposting",
            "caseload:resource-list",
            visible=lambda user: user.is_psw or user.is_manager or user.is_development_team,
            order=30,
        )
        plugins.register_tests("caseload.tests.plugin")
        plugins.register_demo("caseload", lambda staff: demo_all.seed(staff), order=10)
