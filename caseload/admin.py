from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "team", "assigned_worker", "status", "referral_date"]
    list_filter = ["status", "team"]
    search_fields = ["family_name", "given_name", "preferred_name", "nhs_number"]
    list_select_related = ["team", "assigned_worker"]
    autocomplete_fields = ["assigned_worker", "consent_recorded_by", "team"]

    def has_delete_permission(self, request, obj=None):
        # Clinical records are never hard-deleted.
        return False


# Lone working and risk concerns: settings and chains are edited here; records are never deleted.
from .models import EscalationStep, LoneWorkingBuddy, RiskConcern, SafetyEvent, SafetySettings, Visit  # noqa: E402


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["chain", "position", "target", "user"]


@admin.register(SafetySettings)
class SafetySettingsAdmin(SimpleHistoryAdmin):
    inlines = [EscalationStepInline]
    fieldsets = [
        (
            "Lone working",
            {
                "fields": ["visit_grace_minutes", "visit_escalation_minutes"],
                "description": "An overdue visit alerts the worker, then their buddy and manager, "
                "then each step of the visit chain below, until someone acknowledges.",
            },
        ),
        (
            "Risk concerns",
            {
                "fields": ["concern_high_minutes", "concern_moderate_minutes", "concern_low_minutes"],
                "description": "An unacknowledged concern goes from the named person to each step "
                "of the concern chain below. An empty chain uses the defaults: the "
                "worker's manager, then the development lead.",
            },
        ),
    ]

    def has_add_permission(self, request):
        return not SafetySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoneWorkingBuddy)
class LoneWorkingBuddyAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "buddy"]
    autocomplete_fields = ["worker", "buddy"]
    search_fields = ["worker__first_name", "worker__last_name", "buddy__first_name", "buddy__last_name"]


class SafetyEventInline(admin.TabularInline):
    model = SafetyEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "recipient", "stage", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlySafetyAdmin(SimpleHistoryAdmin):
    inlines = [SafetyEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlySafetyAdmin):
    list_display = ["worker", "location", "started_at", "expected_end", "status", "alert_level"]
    list_filter = ["status", "team"]
    list_select_related = ["worker"]


@admin.register(RiskConcern)
class RiskConcernAdmin(ReadOnlySafetyAdmin):
    list_display = ["person", "severity", "status", "raised_by", "escalated_to", "raised_at"]
    list_filter = ["status", "severity"]
    list_select_related = ["person", "raised_by", "escalated_to"]
