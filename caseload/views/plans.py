"""Recovery plans and advance statements, versioned."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport.audit import log_view

from .. import services
from ..forms.plans import AdvanceStatementForm, RecoveryPlanForm
from ..models import (
    AdvanceStatement,
    RecoveryPlan,
)
from .base import GET_POST, entered_in_error, writable_person

# Recovery plans and advance statements ---------------------------------------------------------

DOCUMENTS = {
    RecoveryPlan: (RecoveryPlanForm, "recovery plan", "caseload/plans/plan"),
    AdvanceStatement: (AdvanceStatementForm, "advance statement", "caseload/plans/statement"),
}


def _new_version(request: HttpRequest, person_pk: int, model: type[RecoveryPlan | AdvanceStatement]) -> HttpResponse:
    person = writable_person(request, person_pk)
    form_class, what, template = DOCUMENTS[model]
    latest = model.objects.latest_for(person)
    newest = model.objects.filter(person=person).order_by("-version").first()
    initial = {"based_on": newest.version if newest else 0}
    if latest:
        initial.update({name: getattr(latest, name) for name in form_class._meta.fields if name != "based_on"})
        # The review date carries over: the worker moves it on if the review has been done.
        initial.update(agreed_on=timezone.localdate(), review_on=latest.review_on)
    form = form_class(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            document = services.save_version(
                document=form.save(commit=False), person=person, by=request.user, based_on=form.cleaned_data["based_on"]
            )
        except services.VersionConflict as error:
            conflict = model.objects.filter(person=person, version=error.latest).select_related("written_by").first()
            form = form_class(_rebased(request.POST, error.latest), initial=initial)
        else:
            messages.success(request, f"Version {document.version} of the {what} saved.")
            return redirect(document)
    context = {"form": form, "person": person, "latest": latest, "conflict": conflict, "what": what}
    return render(request, f"{template}_form.html", context)


def _rebased(data, version: int):
    """The writer's text, now based on the newer version, so a second deliberate save can go ahead."""
    data = data.copy()
    data["based_on"] = str(version)
    return data


@GET_POST
@login_required
def plan_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _new_version(request, person_pk, RecoveryPlan)


@GET_POST
@login_required
def statement_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _new_version(request, person_pk, AdvanceStatement)


def _version_page(request: HttpRequest, document: RecoveryPlan | AdvanceStatement, template: str) -> HttpResponse:
    person = document.person
    log_view(request, person)
    versions = type(document).objects.filter(person=person).select_related("written_by", "corrected_by")
    latest = next((v for v in versions if v.is_current), None)
    context = {
        "document": document,
        "person": person,
        "versions": versions,
        "latest": latest,
        "can_edit": person.can_edit(request.user),
        "can_add": person.can_add_entries(request.user),
        "today": timezone.localdate(),
    }
    return render(request, template, context)


@require_GET
@login_required
def plan_detail(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(
        RecoveryPlan.objects.visible_to(request.user).select_related("person", "written_by"), pk=plan_pk
    )
    return _version_page(request, plan, "caseload/plans/plan_detail.html")


@GET_POST
@login_required
def plan_error(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(RecoveryPlan.objects.visible_to(request.user).select_related("person"), pk=plan_pk)
    return entered_in_error(request, plan, plan.person, "recovery plan version", plan.get_absolute_url())


def _visible_statement(request: HttpRequest, statement_pk: int) -> AdvanceStatement:
    statements = AdvanceStatement.objects.visible_to(request.user).select_related("person", "written_by")
    return get_object_or_404(statements, pk=statement_pk)


@require_GET
@login_required
def statement_detail(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    return _version_page(request, statement, "caseload/plans/statement_detail.html")


@require_GET
@login_required
def statement_print(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    log_view(request, statement.person)
    return render(request, "caseload/plans/statement_print.html", {"statement": statement, "person": statement.person})


@GET_POST
@login_required
def statement_error(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    back = statement.get_absolute_url()
    return entered_in_error(request, statement, statement.person, "advance statement version", back)
