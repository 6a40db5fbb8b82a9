from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from peersupport import plugins

        from . import audit, demo, home, kinds, subject_access, summaries  # noqa: F401  (summaries: keeps the board current)
        from .services import safety

        kinds.register()
        # Safety scans run on every beat (REMINDER_SCAN_SECONDS), before every other scan. Named as
        # before the scans moved into services/, so their heartbeats (keyed by name) carry on.
        for scan, name in (
            (safety.scan_overdue_visits, "caseload.safety.scan_overdue_visits"),
            (safety.scan_unacknowledged_concerns, "caseload.safety.scan_unacknowledged_concerns"),
        ):
            plugins.register_scan(scan, order=plugins.SAFETY_ORDER, name=name)
        home.register()
        subject_access.register()
        # A manager has one people list, the review's (caseload:person-list sends them there).
        plugins.register_nav(
            "My caseload",
            "caseload:person-list",
            visible=lambda user: user.is_psw,
            order=10,
        )
        plugins.register_nav(
            "People",
            "caseload:review-people",
            visible=lambda user: user.is_manager,
            order=11,
        )
        plugins.register_nav(
            "Caseload board",
            "caseload:review-board",
            visible=lambda user: user.is_manager,
            order=20,
            active=(
                "caseload:review-board",
                "caseload:review-reassign",
                "caseload:review-cover",
                "caseload:review-fig",
            ),
        )
        plugins.register_nav(
            "Signposting",
            "caseload:resource-list",
            visible=lambda user: user.is_psw or user.is_manager or user.is_development_team,
            order=30,
        )
        plugins.register_tests("caseload.tests.plugin")
        audit.register()
        plugins.register_demo("caseload", lambda staff: demo.seed(staff), order=10)
