from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/<int:person_pk>/", views.person_detail, name="person-detail"),
]

# Lone working and risk concerns.
from . import safety_views  # noqa: E402

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
