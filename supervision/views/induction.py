"""Induction: mentor, checklist and shadowing log. The mentor's sign-off lifts the caseload hold."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..forms import ChecklistForm, InductionForm, ShadowingForm
from ..models import Induction
from .common import GET_POST, form_page


def _induction(request: HttpRequest, induction_pk: int) -> Induction:
    return get_object_or_404(
        Induction.objects.visible_to(request.user).select_related("worker", "mentor", "shadowing_signed_off_by"),
        pk=induction_pk,
    )


def _may_start(user) -> bool:
    return user.is_manager or user.is_development_team


@require_GET
@login_required
def induction_list(request: HttpRequest) -> HttpResponse:
    inductions = (
        Induction.objects.visible_to(request.user)
        .select_related("worker", "mentor")
        .prefetch_related("shadowing")
        .order_by("-starts_on")
    )
    return render(
        request,
        "supervision/induction_list.html",
        {"inductions": list(inductions), "can_start": _may_start(request.user)},
    )


@GET_POST
@login_required
def induction_create(request: HttpRequest) -> HttpResponse:
    if not _may_start(request.user):
        raise PermissionDenied
    form = InductionForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        induction = services.start_induction(induction=form.save(commit=False), by=request.user)
        messages.success(
            request,
            f"Induction started. {induction.worker} cannot be allocated people until {induction.mentor} "
            "signs off their shadowing.",
        )
        return redirect(induction)
    return form_page(
        request, form, title="Start an induction", submit="Start induction", cancel="supervision:induction-list"
    )


@require_GET
@login_required
def induction_detail(request: HttpRequest, induction_pk: int) -> HttpResponse:
    induction = _induction(request, induction_pk)
    return render(
        request,
        "supervision/induction_detail.html",
        {
            "induction": induction,
            "shadowing": list(induction.shadowing.select_related("recorded_by")),
            "can_edit_checklist": induction.can_edit_checklist(request.user),
            "can_sign_off": induction.can_sign_off(request.user),
            "can_log": induction.can_log_shadowing(request.user),
        },
    )


@GET_POST
@login_required
def induction_checklist(request: HttpRequest, induction_pk: int) -> HttpResponse:
    induction = _induction(request, induction_pk)
    if not induction.can_edit_checklist(request.user):
        raise PermissionDenied
    form = ChecklistForm(request.POST if request.method == "POST" else None, instance=induction)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Checklist saved.")
        return redirect(induction)
    return form_page(
        request,
        form,
        title=f"Induction checklist: {induction.worker}",
        submit="Save checklist",
        cancel=induction.get_absolute_url(),
    )


@GET_POST
@login_required
def induction_mentor(request: HttpRequest, induction_pk: int) -> HttpResponse:
    induction = _induction(request, induction_pk)
    if not induction.can_edit_checklist(request.user):
        raise PermissionDenied
    form = InductionForm(request.POST if request.method == "POST" else None, instance=induction, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_mentor(induction=form.save(commit=False))
        messages.success(request, "Induction changed.")
        return redirect(induction)
    return form_page(
        request,
        form,
        title=f"Mentor and dates: {induction.worker}",
        submit="Save changes",
        cancel=induction.get_absolute_url(),
    )


@GET_POST
@login_required
def shadowing_create(request: HttpRequest, induction_pk: int) -> HttpResponse:
    induction = _induction(request, induction_pk)
    if not induction.can_log_shadowing(request.user):
        raise PermissionDenied
    form = ShadowingForm(request.POST if request.method == "POST" else None)
    form.instance.induction, form.instance.recorded_by = induction, request.user
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Shadowing recorded.")
        return redirect(induction)
    return form_page(request, form, title="Record shadowing", submit="Save", cancel=induction.get_absolute_url())


@require_POST
@login_required
def induction_sign_off(request: HttpRequest, induction_pk: int) -> HttpResponse:
    induction = _induction(request, induction_pk)
    try:
        services.sign_off_shadowing(induction=induction, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Shadowing signed off: {induction.worker} can now be allocated people.")
    return redirect(induction)
