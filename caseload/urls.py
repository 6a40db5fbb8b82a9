from django.urls import path

from . import safety_views, views
from .urls_review import urlpatterns as review_urlpatterns

app_name = "caseload"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:person_pk>/", views.person_detail, name="person-detail"),
    path("people/<int:person_pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:person_pk>/status/", views.person_status, name="person-status"),
    path("people/<int:person_pk>/history/", views.person_history, name="person-history"),
    path("people/<int:person_pk>/contacts/", views.contact_list, name="contact-list"),
    path("people/<int:person_pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("people/<int:person_pk>/goals/new/", views.goal_create, name="goal-create"),
    path("people/<int:person_pk>/plan/new/", views.plan_create, name="plan-create"),
    path("people/<int:person_pk>/advance-statement/new/", views.statement_create, name="statement-create"),
    path("people/<int:person_pk>/appointments/new/", views.appointment_create, name="appointment-create"),
    path("people/<int:person_pk>/dialog/new/", views.dialog_create, name="dialog-create"),
    path("contacts/<int:contact_pk>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_pk>/amend/", views.contact_amend, name="contact-amend"),
    path("contacts/<int:contact_pk>/entered-in-error/", views.contact_error, name="contact-error"),
    path("goals/<int:goal_pk>/", views.goal_detail, name="goal-detail"),
    path("goals/<int:goal_pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:goal_pk>/rate/", views.goal_rate, name="goal-rate"),
    path("goals/<int:goal_pk>/entered-in-error/", views.goal_error, name="goal-error"),
    path("ratings/<int:rating_pk>/amend/", views.rating_amend, name="rating-amend"),
    path("ratings/<int:rating_pk>/entered-in-error/", views.rating_error, name="rating-error"),
    path("plans/<int:plan_pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:plan_pk>/entered-in-error/", views.plan_error, name="plan-error"),
    path("advance-statements/<int:statement_pk>/", views.statement_detail, name="statement-detail"),
    path("advance-statements/<int:statement_pk>/print/", views.statement_print, name="statement-print"),
    path("advance-statements/<int:statement_pk>/entered-in-error/", views.statement_error, name="statement-error"),
    path("appointments/<int:appointment_pk>/edit/", views.appointment_edit, name="appointment-edit"),
    path("dialog/<int:dialog_pk>/", views.dialog_detail, name="dialog-detail"),
    path("dialog/<int:dialog_pk>/amend/", views.dialog_amend, name="dialog-amend"),
    path("dialog/<int:dialog_pk>/entered-in-error/", views.dialog_error, name="dialog-error"),
    path("signposting/", views.resource_list, name="resource-list"),
    path("signposting/new/", views.resource_create, name="resource-create"),
    path("signposting/search/", views.resource_search, name="resource-search"),
    path("signposting/<int:resource_pk>/edit/", views.resource_edit, name="resource-edit"),
]

# Lone working and risk concerns.
urlpatterns += [
    path("visits/", safety_views.visit_list, name="visit-list"),
    path("visits/buddies/", safety_views.buddies, name="buddies"),
    path("visits/start/", safety_views.visit_start, name="visit-start"),
    path("people/<int:person_pk>/visits/start/", safety_views.visit_start, name="person-visit-start"),
    path("visits/<int:visit_pk>/", safety_views.visit_detail, name="visit-detail"),
    path("visits/<int:visit_pk>/extend/", safety_views.visit_extend, name="visit-extend"),
    path("visits/<int:visit_pk>/check-out/", safety_views.visit_checkout, name="visit-checkout"),
    path("visits/<int:visit_pk>/alarm/", safety_views.visit_alarm, name="visit-alarm"),
    path("visits/<int:visit_pk>/acknowledge/", safety_views.visit_acknowledge, name="visit-acknowledge"),
    path("visits/<int:visit_pk>/close/", safety_views.visit_close, name="visit-close"),
    path("people/<int:person_pk>/concerns/new/", safety_views.concern_create, name="concern-create"),
    path("concerns/<int:concern_pk>/", safety_views.concern_detail, name="concern-detail"),
    path("concerns/<int:concern_pk>/acknowledge/", safety_views.concern_acknowledge, name="concern-acknowledge"),
    path("concerns/<int:concern_pk>/resolve/", safety_views.concern_resolve, name="concern-resolve"),
]

urlpatterns += review_urlpatterns
