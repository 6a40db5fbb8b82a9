from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import twofactor
from .models import Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "afc_band", "employment_status", "is_active"]
    list_filter = ["employment_status", "afc_band", "memberships__role", "memberships__team", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["first_name", "last_name", "phone"]}),
        ("Employment", {"fields": ["job_title", "afc_band", "contracted_hours", "start_date", "employment_status"]}),
        (
            "System access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"], "classes": ["collapse"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"], "classes": ["collapse"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset second factor (lost phone): set up a new app at next sign-in")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset(user, request=request)
        self.message_user(
            request,
            f"Second factor reset for {len(queryset)} member{'s' if len(queryset) != 1 else ''} of staff; "
            "their sessions have ended and they set up a new authenticator app when they next sign in.",
        )


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service", "is_development_team", "people_per_full_time"]
    search_fields = ["name", "service"]
    inlines = [
        type(
            "TeamMembershipInline",
            (admin.TabularInline,),
            {"model": Membership, "extra": 1, "autocomplete_fields": ["user"]},
        )
    ]


from .models import EmailPreference, Notification, Reminder  # noqa: E402


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The outbox, for looking into a delivery problem. Read-only: the sender owns these rows."""

    list_display = ["title", "recipient", "kind", "stage", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "recipient__email", "last_error"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReminderAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    autocomplete_fields = ["user"]


from .models import AuditEvent  # noqa: E402


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit, read-only, for those who may search it (the audit search page has the filters and
    downloads). Nobody adds, changes or deletes an event here."""

    list_display = ["at", "actor_email", "action", "target_type", "target_id", "subject_type", "subject_id", "path"]
    list_filter = ["action"]
    search_fields = ["actor_email", "path"]
    date_hierarchy = "at"
    list_select_related = ["target_type", "subject_type"]

    def has_view_permission(self, request, obj=None):
        return request.user.can_search_audit

    def has_module_permission(self, request):
        return request.user.can_search_audit

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
