from django.urls import path

from .views import agreements, compliance, induction, passport, wellbeing

app_name = "supervision"

urlpatterns = [
    path("", agreements.overview, name="overview"),
    path("agreements/new/", agreements.agreement_create, name="agreement-create"),
    path("agreements/<int:agreement_pk>/", agreements.agreement_detail, name="agreement-detail"),
    path("agreements/<int:agreement_pk>/edit/", agreements.agreement_edit, name="agreement-edit"),
    path("agreements/<int:agreement_pk>/sessions/new/", agreements.session_create, name="session-create"),
    path("sessions/<int:session_pk>/", agreements.session_detail, name="session-detail"),
    path("sessions/<int:session_pk>/edit/", agreements.session_edit, name="session-edit"),
    path("sessions/<int:session_pk>/notes/", agreements.session_notes, name="session-notes"),
    path("sessions/<int:session_pk>/actions/new/", agreements.action_create, name="action-create"),
    path("sessions/<int:session_pk>/sign-off/", agreements.session_sign_off, name="session-sign-off"),
    path("sessions/<int:session_pk>/calendar.ics", agreements.session_calendar, name="session-calendar"),
    path("actions/<int:action_pk>/done/", agreements.action_done, name="action-done"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance.csv", compliance.compliance_csv, name="compliance-csv"),
    path("compliance.xlsx", compliance.compliance_xlsx, name="compliance-xlsx"),
    path("wellbeing/", wellbeing.wellbeing_mine, name="wellbeing-mine"),
    path("wellbeing/edit/", wellbeing.wellbeing_edit, name="wellbeing-edit"),
    path("wellbeing/sharing/", wellbeing.wellbeing_sharing, name="wellbeing-sharing"),
    path("wellbeing/<int:plan_pk>/", wellbeing.wellbeing_shared, name="wellbeing-shared"),
    path("induction/", induction.induction_list, name="induction-list"),
    path("induction/new/", induction.induction_create, name="induction-create"),
    path("induction/<int:induction_pk>/", induction.induction_detail, name="induction-detail"),
    path("induction/<int:induction_pk>/checklist/", induction.induction_checklist, name="induction-checklist"),
    path("induction/<int:induction_pk>/mentor/", induction.induction_mentor, name="induction-mentor"),
    path("induction/<int:induction_pk>/shadowing/new/", induction.shadowing_create, name="shadowing-create"),
    path("induction/<int:induction_pk>/sign-off/", induction.induction_sign_off, name="induction-sign-off"),
    path("passports/", passport.passport_list, name="passport-list"),
    path("passports/<int:worker_pk>/", passport.passport, name="passport"),
    path("passports/<int:worker_pk>/health-check/new/", passport.health_check_create, name="health-check-create"),
    path("passports/<int:worker_pk>/adjustments/new/", passport.adjustment_create, name="adjustment-create"),
    path("adjustments/<int:adjustment_pk>/edit/", passport.adjustment_edit, name="adjustment-edit"),
]
