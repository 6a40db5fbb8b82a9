from django.urls import path

from . import public, views

app_name = "devdays"

urlpatterns = [
    path("", views.day_list, name="day-list"),
    path("plan/", views.plan, name="plan"),
    path("new/", views.day_create, name="day-create"),
    path("attendance/", views.attendance, name="attendance"),
    path("figures/", views.figures_page, name="figures"),
    path("figures.csv", views.figures_csv, name="figures-csv"),
    path("figures.xlsx", views.figures_xlsx, name="figures-xlsx"),
    path("calendar/", views.my_calendar, name="my-calendar"),
    path("<int:day_pk>/", views.day_detail, name="day-detail"),
    path("<int:day_pk>/edit/", views.day_edit, name="day-edit"),
    path("<int:day_pk>/cancel/", views.day_cancel, name="day-cancel"),
    path("<int:day_pk>/agenda/new/", views.item_create, name="item-create"),
    path("<int:day_pk>/agenda/<int:item_pk>/", views.item_edit, name="item-edit"),
    path("<int:day_pk>/agenda/<int:item_pk>/remove/", views.item_remove, name="item-remove"),
    path("<int:day_pk>/invite/", views.invite, name="invite"),
    path("<int:day_pk>/invitations/", views.invitation_list, name="invitation-list"),
    path("<int:day_pk>/my-answer/", views.my_answer, name="my-answer"),
    path("<int:day_pk>/register/", views.register, name="register"),
    path("<int:day_pk>/register/walk-in/", views.walk_in, name="walk-in"),
    path("<int:day_pk>/feedback/", views.feedback_give, name="feedback"),
    path("<int:day_pk>/feedback/summary/", views.feedback_summary, name="feedback-summary"),
    path("<int:day_pk>/certificate/", views.certificate, name="certificate"),
    # Without signing in.
    path("dates/", public.dates, name="dates"),
    path("feed/<str:feed_token>.ics", public.feed, name="feed"),
    path("answer/<int:invitation_pk>/<str:answer_token>/", public.answer, name="answer"),
    path("answer/<int:invitation_pk>/<str:answer_token>/calendar/", public.answer_calendar, name="answer-calendar"),
    path(
        "answer/<int:invitation_pk>/<str:answer_token>/certificate/",
        public.answer_certificate,
        name="answer-certificate",
    ),
]
