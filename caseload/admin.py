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
