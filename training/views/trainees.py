"""Trainees (staff and people not employed by the trust), consent, external equivalents, the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from peersupport.audit import log_view
from peersupport.exports import csv_response
from peersupport.reauth import personal_data_download

from .. import forms
from ..models import Enrolment, ExternalEquivalent, Trainee
from ..rules import runs_training
from .common import GET_POST, require_training_team


@require_GET
@login_required
def trainee_list(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    trainees = Trainee.objects.visible_to(request.user).select_related("user")
    return render(request, "training/trainee_list.html", {"trainees": trainees})


@GET_POST
@login_required
def trainee_create(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    form = forms.TraineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        trainee = form.save()
        messages.success(request, f"{trainee} added.")
        return redirect(trainee)
    return render(request, "training/form.html", {"form": form, "title": "Add a trainee not employed by the trust"})


def _trainee(request: HttpRequest, trainee_pk: int) -> Trainee:
    return get_object_or_404(Trainee.objects.visible_to(request.user).select_related("user"), pk=trainee_pk)


@require_GET
@login_required
def trainee_detail(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    trainee = _trainee(request, trainee_pk)
    log_view(request, trainee)
    enrolments = trainee.enrolments.select_related("cohort__course").order_by("-cohort__starts_on")
    return render(
        request,
        "training/trainee_detail.html",
        {
            "trainee": trainee,
            "enrolments": enrolments,
            "equivalents": trainee.equivalents.select_related("course", "approved_by"),
            "on_register": Trainee.objects.register().filter(pk=trainee.pk).exists(),
            "can_edit": runs_training(request.user),
        },
    )


@GET_POST
@login_required
def trainee_edit(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    trainee = _trainee(request, trainee_pk)
    require_training_team(request.user)
    form = forms.TraineeForm(request.POST or None, instance=trainee)
    if trainee.user_id:
        form.fields["email"].required = False
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{trainee} updated.")
        return redirect(trainee)
    return render(request, "training/form.html", {"form": form, "title": f"Edit {trainee}", "back": trainee})


@GET_POST
@login_required
def consent_withdraw(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    trainee = _trainee(request, trainee_pk)
    require_training_team(request.user)
    form = forms.WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        trainee.withdraw_consent(by=request.user)
        messages.success(request, f"{trainee} will not be contacted any more.")
        return redirect(trainee)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": f"Withdraw {trainee}'s consent to be contacted",
            "back": trainee,
            "submit": "Withdraw consent",
        },
    )


@GET_POST
@login_required
def equivalent_create(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    trainee = _trainee(request, trainee_pk)
    require_training_team(request.user)
    form = forms.ExternalEquivalentForm(request.POST or None, trainee=trainee, user=request.user)
    if request.method == "POST" and form.is_valid():
        equivalent = form.save()
        messages.success(request, f"{equivalent.title} recorded as equivalent to {equivalent.course}.")
        return redirect(trainee)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Approve an external course for {trainee}", "back": trainee},
    )


def _register(request: HttpRequest):
    return (
        Trainee.objects.visible_to(request.user)
        .register()
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "enrolments", queryset=Enrolment.objects.filter(completed_on__isnull=False, withdrawn_at__isnull=True)
            ),
            Prefetch("equivalents", queryset=ExternalEquivalent.objects.filter(withdrawn_at__isnull=True)),
        )
    )


def _completed_on(trainee: Trainee):
    dates = [e.completed_on for e in trainee.enrolments.all()] + [e.completed_on for e in trainee.equivalents.all()]
    return min(dates) if dates else None


@require_GET
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """People trained but not in role: the audience of development days. The development team only."""
    require_training_team(request.user)
    trainees = list(_register(request))
    for trainee in trainees:
        trainee.trained_on = _completed_on(trainee)
    return render(request, "training/register.html", {"trainees": trainees})


@require_GET
@login_required
@personal_data_download
def register_download(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    rows = (
        (
            t.display_name,
            t.contact_email,
            t.phone,
            "Yes" if t.may_be_contacted else "No",
            "Former or other staff" if t.user_id else "Never employed",
            _completed_on(t),
        )
        for t in _register(request)
    )
    return csv_response(
        "trained-not-in-role", ["Name", "Email", "Phone", "May be contacted", "Employment", "Trained on"], rows
    )
