"""Occupational health and the reasonable adjustments passport: the worker, their line manager and
the development lead; 404 for everyone else (passport_holders_visible_to)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peersupport.audit import log_view
from peersupport.models import User

from ..forms import AdjustmentForm, HealthCheckForm
from ..models import HealthCheck, ReasonableAdjustment
from ..models.health import can_record_passport, passport_holders_visible_to
from .common import GET_POST, form_page


def _worker(request: HttpRequest, worker_pk: int) -> User:
    return get_object_or_404(passport_holders_visible_to(request.user), pk=worker_pk)


@require_GET
@login_required
def passport_list(request: HttpRequest) -> HttpResponse:
    workers = (
        passport_holders_visible_to(request.user)
        .in_post()
        .exclude(pk=request.user.pk)
        .order_by("last_name", "first_name")
    )
    return render(request, "supervision/passport_list.html", {"workers": list(workers)})


@require_GET
@login_required
def passport(request: HttpRequest, worker_pk: int) -> HttpResponse:
    worker = _worker(request, worker_pk)
    log_view(request, worker)
    return render(
        request,
        "supervision/passport.html",
        {
            "worker": worker,
            "checks": list(HealthCheck.objects.visible_to(request.user).filter(worker=worker)),
            "adjustments": list(ReasonableAdjustment.objects.visible_to(request.user).filter(worker=worker)),
            "can_record": can_record_passport(request.user, worker),
        },
    )


def _passport_entry(request: HttpRequest, worker_pk: int, form_class, *, title: str, saved: str) -> HttpResponse:
    """A new entry in a worker's passport, recorded by their line manager or the development lead."""
    worker = _worker(request, worker_pk)
    if not can_record_passport(request.user, worker):
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None)
    form.instance.worker, form.instance.recorded_by = worker, request.user
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect("supervision:passport", worker.pk)
    cancel = reverse("supervision:passport", args=[worker.pk])
    return form_page(request, form, title=f"{title}: {worker}", submit="Save", cancel=cancel)


@GET_POST
@login_required
def health_check_create(request: HttpRequest, worker_pk: int) -> HttpResponse:
    return _passport_entry(
        request,
        worker_pk,
        HealthCheckForm,
        title="Occupational health check",
        saved="Occupational health check recorded.",
    )


@GET_POST
@login_required
def adjustment_create(request: HttpRequest, worker_pk: int) -> HttpResponse:
    return _passport_entry(
        request, worker_pk, AdjustmentForm, title="Reasonable adjustment", saved="Reasonable adjustment recorded."
    )


@GET_POST
@login_required
def adjustment_edit(request: HttpRequest, adjustment_pk: int) -> HttpResponse:
    adjustment = get_object_or_404(
        ReasonableAdjustment.objects.visible_to(request.user).select_related("worker"), pk=adjustment_pk
    )
    if not can_record_passport(request.user, adjustment.worker):
        raise PermissionDenied
    form = AdjustmentForm(request.POST if request.method == "POST" else None, instance=adjustment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Reasonable adjustment changed.")
        return redirect(adjustment)
    return form_page(
        request,
        form,
        title=f"Reasonable adjustment: {adjustment.worker}",
        submit="Save changes",
        cancel=adjustment.get_absolute_url(),
    )
