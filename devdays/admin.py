from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, DevelopmentDay, Invitation


@admin.register(DevelopmentDay)
class DevelopmentDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "status", "venue", "capacity"]
    list_filter = ["status"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["day", "starts_at", "title", "type"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["day", "full_name", "answer", "attended"]
    list_filter = ["answer", "attended"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["user", "attendance_recorded_by"]
