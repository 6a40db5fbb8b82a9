"""The caseload's URLs, one list per sub-domain (the same names as caseload/views/)."""

from django.urls import path

from .views import appointments, contacts, goals, outcomes, people, plans, review, safety, signposting

app_name = "caseload"

# People.
people_urls = [
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:person_pk>/", people.person_detail, name="person-detail"),
    path("people/<int:person_pk>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:person_pk>/status/", people.person_status, name="person-status"),
    path("people/<int:person_pk>/history/", people.person_history, name="person-history"),
    # The person's page's folded sections, each opened in place (htmx) or as a page of its own.
    path("people/<int:person_pk>/recent-contacts/", people.person_recent_contacts, name="person-recent-contacts"),
    path("people/<int:person_pk>/goals/", people.person_goals, name="person-goals"),
    path("people/<int:person_pk>/appointments/", people.person_appointments, name="person-appointments"),
    path("people/<int:person_pk>/plans/", people.person_plans, name="person-plans"),
    path("people/<int:person_pk>/outcomes/", people.person_outcomes, name="person-outcomes"),
]

# The contact log.
contacts_urls = [
    path("people/<int:person_pk>/contacts/", contacts.contact_list, name="contact-list"),
    path("people/<int:person_pk>/contacts/new/", contacts.contact_create, name="contact-create"),
    path("contacts/<int:contact_pk>/", contacts.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_pk>/amend/", contacts.contact_amend, name="contact-amend"),
    path("contacts/<int:contact_pk>/entered-in-error/", contacts.contact_error, name="contact-error"),
]

# Recovery goals and ratings.
goals_urls = [
    path("people/<int:person_pk>/goals/new/", goals.goal_create, name="goal-create"),
    path("goals/<int:goal_pk>/", goals.goal_detail, name="goal-detail"),
    path("goals/<int:goal_pk>/edit/", goals.goal_edit, name="goal-edit"),
    path("goals/<int:goal_pk>/rate/", goals.goal_rate, name="goal-rate"),
    path("goals/<int:goal_pk>/entered-in-error/", goals.goal_error, name="goal-error"),
    path("ratings/<int:rating_pk>/amend/", goals.rating_amend, name="rating-amend"),
    path("ratings/<int:rating_pk>/entered-in-error/", goals.rating_error, name="rating-error"),
]

# Recovery plans and advance statements.
plans_urls = [
    path("people/<int:person_pk>/plan/new/", plans.plan_create, name="plan-create"),
    path("people/<int:person_pk>/advance-statement/new/", plans.statement_create, name="statement-create"),
    path("plans/<int:plan_pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:plan_pk>/entered-in-error/", plans.plan_error, name="plan-error"),
    path("advance-statements/<int:statement_pk>/", plans.statement_detail, name="statement-detail"),
    path("advance-statements/<int:statement_pk>/print/", plans.statement_print, name="statement-print"),
    path("advance-statements/<int:statement_pk>/entered-in-error/", plans.statement_error, name="statement-error"),
]

# Appointments.
appointments_urls = [
    path("people/<int:person_pk>/appointments/new/", appointments.appointment_create, name="appointment-create"),
    path("appointments/<int:appointment_pk>/edit/", appointments.appointment_edit, name="appointment-edit"),
]

# DIALOG.
outcomes_urls = [
    path("people/<int:person_pk>/dialog/new/", outcomes.dialog_create, name="dialog-create"),
    path("dialog/<int:dialog_pk>/", outcomes.dialog_detail, name="dialog-detail"),
    path("dialog/<int:dialog_pk>/amend/", outcomes.dialog_amend, name="dialog-amend"),
    path("dialog/<int:dialog_pk>/entered-in-error/", outcomes.dialog_error, name="dialog-error"),
]

# The signposting directory.
signposting_urls = [
    path("signposting/", signposting.resource_list, name="resource-list"),
    path("signposting/new/", signposting.resource_create, name="resource-create"),
    path("signposting/search/", signposting.resource_search, name="resource-search"),
    path("signposting/<int:resource_pk>/edit/", signposting.resource_edit, name="resource-edit"),
]

# Lone working and risk concerns.
safety_urls = [
    path("visits/", safety.visit_list, name="visit-list"),
    path("visits/buddies/", safety.buddies, name="buddies"),
    path("visits/start/", safety.visit_start, name="visit-start"),
    path("people/<int:person_pk>/visits/start/", safety.visit_start, name="person-visit-start"),
    path("visits/<int:visit_pk>/", safety.visit_detail, name="visit-detail"),
    path("visits/<int:visit_pk>/extend/", safety.visit_extend, name="visit-extend"),
    path("visits/<int:visit_pk>/check-out/", safety.visit_checkout, name="visit-checkout"),
    path("visits/<int:visit_pk>/alarm/", safety.visit_alarm, name="visit-alarm"),
    path("visits/<int:visit_pk>/acknowledge/", safety.visit_acknowledge, name="visit-acknowledge"),
    path("visits/<int:visit_pk>/close/", safety.visit_close, name="visit-close"),
    path("people/<int:person_pk>/concerns/new/", safety.concern_create, name="concern-create"),
    path("concerns/<int:concern_pk>/", safety.concern_detail, name="concern-detail"),
    path("concerns/<int:concern_pk>/acknowledge/", safety.concern_acknowledge, name="concern-acknowledge"),
    path("concerns/<int:concern_pk>/resolve/", safety.concern_resolve, name="concern-resolve"),
]

# Manager review.
review_urls = [
    path("review/board/", review.board, name="review-board"),
    path("review/board.csv", review.board_csv, name="review-board-csv"),
    path("review/board.xlsx", review.board_xlsx, name="review-board-xlsx"),
    path("review/people/", review.person_list, name="review-people"),
    path("review/people.csv", review.person_list_csv, name="review-people-csv"),
    path("review/people.xlsx", review.person_list_xlsx, name="review-people-xlsx"),
    path("review/needs-reassignment/", review.reassignment_queue, name="review-reassignment"),
    path("review/reassign/", review.reassign, name="review-reassign"),
    path("review/cover/", review.cover_list, name="review-cover"),
    path("review/cover/<int:cover_pk>/end/", review.cover_end, name="review-cover-end"),
    path("review/figures/", review.figures, name="review-figures"),
]

urlpatterns = [
    *people_urls,
    *contacts_urls,
    *goals_urls,
    *plans_urls,
    *appointments_urls,
    *outcomes_urls,
    *signposting_urls,
    *safety_urls,
    *review_urls,
]
