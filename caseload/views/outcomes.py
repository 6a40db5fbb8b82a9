"""DIALOG assessments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peersupport.audit import log_view

from .. import services
from ..forms.outcomes import AmendDialogForm, DialogForm
from ..models import (
    DialogAssessment,
    DialogStage,
    Person,
)
from .base import GET_POST, amendment_chain, check_can_correct, entered_in_error, visible_person

# DIALOG ------------------------------------------------------------------------------------------


@GET_POST
@login_required
def dialog_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_person(request, person_pk)
    if not person.can_edit(request.user):
        raise PermissionDenied("You can see this person but may not record a DIALOG for them.")
    form = DialogForm(request.POST or None, person=person, initial=_dialog_initial(person))
    if request.method == "POST" and form.is_valid():
        assessment = form.save(commit=False)
        assessment.person, assessment.recorded_by = person, request.user
        assessment.save()
        messages.success(request, "DIALOG saved.")
        return redirect(person)
    return render(request, "caseload/outcomes/dialog_form.html", {"form": form, "person": person})


def _dialog_initial(person: Person) -> dict:
    """The first DIALOG is the start; a closed record's is the closure rating (taken at the ending)."""
    if person.is_closed:
        return {"stage": DialogStage.CLOSURE}
    has_any = person.dialog_assessments.current().exists()
    return {"stage": DialogStage.REVIEW if has_any else DialogStage.START}


def _visible_dialog(request: HttpRequest, dialog_pk: int) -> DialogAssessment:
    assessments = DialogAssessment.objects.visible_to(request.user).select_related("person", "recorded_by")
    return get_object_or_404(assessments, pk=dialog_pk)


@require_GET
@login_required
def dialog_detail(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    assessment = _visible_dialog(request, dialog_pk)
    log_view(request, assessment.person)
    related = assessment.person.dialog_assessments.select_related("recorded_by", "corrected_by")
    context = {
        "assessment": assessment,
        "person": assessment.person,
        "versions": amendment_chain(assessment, related),
        "can_correct": assessment.is_current and assessment.person.can_edit(request.user),
    }
    return render(request, "caseload/outcomes/dialog_detail.html", context)


@GET_POST
@login_required
def dialog_amend(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    original = _visible_dialog(request, dialog_pk)
    person = original.person
    check_can_correct(request, person, original)
    instance = original.draft_amendment()
    form = AmendDialogForm(request.POST or None, instance=instance, person=person)
    if request.method == "POST" and form.is_valid():
        replacement = services.amend(
            original=original, replacement=form.save(commit=False), by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "DIALOG amended. The original stays in its history.")
        return redirect("caseload:dialog-detail", dialog_pk=replacement.pk)
    return render(request, "caseload/outcomes/dialog_form.html", {"form": form, "person": person, "original": original})


@GET_POST
@login_required
def dialog_error(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    assessment = _visible_dialog(request, dialog_pk)
    back = reverse("caseload:dialog-detail", kwargs={"dialog_pk": assessment.pk})
    return entered_in_error(request, assessment, assessment.person, "DIALOG", back)
