from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AdvanceStatement,
    Appointment,
    Contact,
    DialogAssessment,
    GoalRating,
    Person,
    RecoveryGoal,
    RecoveryPlan,
    Resource,
    StatusChange,
)


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        # Clinical records are never hard-deleted.
        return False


@admin.register(Person)
class PersonAdmin(NoDeleteAdmin):
    list_display = ["family_name", "given_name", "team", "assigned_worker", "status", "referral_date"]
    list_filter = ["status", "team"]
    search_fields = ["family_name", "given_name", "preferred_name", "nhs_number"]
    list_select_related = ["team", "assigned_worker"]
    autocomplete_fields = ["assigned_worker", "consent_recorded_by", "team"]


class ClinicalEntryAdmin(NoDeleteAdmin):
    """Entries are corrected in the app, with a reason; the admin only reads them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Contact)
class ContactAdmin(ClinicalEntryAdmin):
    list_display = ["person", "worker", "contact_at", "contact_type", "entry_status"]
    list_filter = ["contact_type", "entry_status", "person__team"]
    list_select_related = ["person", "worker"]


@admin.register(StatusChange)
class StatusChangeAdmin(ClinicalEntryAdmin):
    list_display = ["person", "from_status", "to_status", "changed_on", "changed_by"]
    list_select_related = ["person", "changed_by"]


@admin.register(RecoveryGoal)
class RecoveryGoalAdmin(ClinicalEntryAdmin):
    list_display = ["person", "life_area", "status", "set_on"]
    list_select_related = ["person"]


@admin.register(GoalRating)
class GoalRatingAdmin(ClinicalEntryAdmin):
    list_display = ["goal", "score", "rated_on", "entry_status"]
    list_select_related = ["goal"]


@admin.register(RecoveryPlan)
class RecoveryPlanAdmin(ClinicalEntryAdmin):
    list_display = ["person", "version", "agreed_on", "review_on", "entry_status"]
    list_select_related = ["person"]


@admin.register(AdvanceStatement)
class AdvanceStatementAdmin(ClinicalEntryAdmin):
    list_display = ["person", "version", "agreed_on", "review_on", "consent_to_share", "entry_status"]
    list_select_related = ["person"]


@admin.register(Appointment)
class AppointmentAdmin(ClinicalEntryAdmin):
    list_display = ["person", "title", "starts_at", "outcome"]
    list_select_related = ["person"]


@admin.register(DialogAssessment)
class DialogAssessmentAdmin(ClinicalEntryAdmin):
    list_display = ["person", "assessed_on", "stage", "rater", "quality_of_life", "treatment_satisfaction"]
    list_select_related = ["person"]


@admin.register(Resource)
class ResourceAdmin(NoDeleteAdmin):
    list_display = ["name", "category", "provider", "area", "active", "checked_on"]
    list_filter = ["category", "provider", "active"]
    search_fields = ["name", "area", "description"]


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
