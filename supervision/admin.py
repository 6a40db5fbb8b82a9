"""Admin: settings, agreements, sessions' dates and inductions only. What is discussed in supervision,
wellbeing plans and the health passport are not registered at all: the supervisor and supervisee,
the worker, and the worker's line manager and the development lead read them in the app, where
access is scoped; an administrator as such has no right to them (SPEC section 3)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Induction, Session, SupervisionSettings


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "due_soon_days",
        "escalate_after_days",
        "induction_months",
        "adjustment_review_notice_days",
    ]

    def has_add_permission(self, request) -> bool:
        return not SupervisionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = [
        "supervisee",
        "supervisor",
        "agreement_type",
        "frequency_weeks",
        "starts_on",
        "ends_on",
        "next_due_on",
    ]
    list_filter = ["agreement_type"]
    search_fields = ["supervisee__last_name", "supervisor__last_name"]
    autocomplete_fields = ["supervisor", "supervisee", "created_by"]
    readonly_fields = ["last_held_on", "next_due_on"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an agreement is ended (its end date), never deleted


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    """Dates and attendance only; the content lives in models that are not in the admin."""

    list_display = ["agreement", "starts_at", "status", "duration_minutes"]
    list_filter = ["status"]
    autocomplete_fields = ["recorded_by"]
    raw_id_fields = ["agreement"]
    readonly_fields = ["sequence", "supervisor_signed_off_at", "supervisee_signed_off_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # records are never hard-deleted


@admin.register(Induction)
class InductionAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "mentor", "starts_on", "mentoring_ends_on", "shadowing_signed_off_at"]
    autocomplete_fields = ["worker", "mentor", "created_by"]
    readonly_fields = ["shadowing_signed_off_at", "shadowing_signed_off_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
