from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/<int:person_pk>/", views.person_detail, name="person-detail"),
]
