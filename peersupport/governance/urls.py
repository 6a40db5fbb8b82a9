from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:subject_name>/<int:governed_pk>/subject-access/new/", views.request_new, name="request-new"),
    path("subject-access/<int:request_pk>/", views.request_detail, name="request-detail"),
    path("subject-access/<int:request_pk>/prepare/", views.request_prepare, name="request-prepare"),
    path("subject-access/<int:request_pk>/review/", views.request_review, name="request-review"),
    path("subject-access/<int:request_pk>/download/", views.request_download, name="request-download"),
    path("retention/", views.retention_list, name="retention"),
    path("retention/<slug:subject_name>/<int:governed_pk>/destroy/", views.retention_propose, name="retention-propose"),
    path("retention/<int:destruction_pk>/agree/", views.retention_agree, name="retention-agree"),
]
