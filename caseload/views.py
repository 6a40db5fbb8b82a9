from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from peersupport.audit import log_view

from .models import Person


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user).select_related("team", "assigned_worker")
    return render(request, "caseload/person_list.html", {"people": people})


@require_GET
@login_required
def person_detail(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("team", "assigned_worker"), pk=person_pk
    )
    log_view(request, person)
    return render(request, "caseload/person_detail.html", {"person": person})
