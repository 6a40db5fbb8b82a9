"""Manager review URLs, part of the caseload namespace (included by caseload/urls.py)."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("review/board/", views.board, name="review-board"),
    path("review/board.csv", views.board_csv, name="review-board-csv"),
    path("review/board.xlsx", views.board_xlsx, name="review-board-xlsx"),
    path("review/people/", views.person_list, name="review-people"),
    path("review/people.csv", views.person_list_csv, name="review-people-csv"),
    path("review/people.xlsx", views.person_list_xlsx, name="review-people-xlsx"),
    path("review/needs-reassignment/", views.reassignment_queue, name="review-reassignment"),
    path("review/reassign/", views.reassign, name="review-reassign"),
    path("review/cover/", views.cover_list, name="review-cover"),
    path("review/cover/<int:cover_pk>/end/", views.cover_end, name="review-cover-end"),
    path("review/figures/", views.figures, name="review-figures"),
]
