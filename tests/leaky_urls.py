"""A URLconf with deliberately unscoped views, to prove the access sweep bites."""

from django.http import HttpResponse
from django.urls import include, path

from caseload.models import Person


def leaky_person(request, person_pk):
    person = Person.objects.get(pk=person_pk)  # unscoped on purpose
    return HttpResponse(person.display_name)


def leaky_list(request):
    return HttpResponse(", ".join(p.display_name for p in Person.objects.all()))


def mystery(request, mystery_pk):
    return HttpResponse("")


urlpatterns = [
    path("", include("peersupport.urls")),
    path("leaky/<int:person_pk>/", leaky_person, name="leaky-person"),
    path("leaky/", leaky_list, name="leaky-list"),
    path("mystery/<int:mystery_pk>/", mystery, name="leaky-mystery"),
]
