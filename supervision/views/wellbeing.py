"""The wellbeing at work plan: the worker writes it; others read it only while the worker shares it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from peersupport.audit import log_view

from ..forms import SharingForm, WellbeingVersionForm
from ..models import WellbeingPlan, WellbeingPlanVersion
from .common import GET_POST, form_page


def _my_plan(request: HttpRequest) -> WellbeingPlan | None:
    return WellbeingPlan.objects.filter(worker=request.user).first()


@require_GET
@login_required
def wellbeing_mine(request: HttpRequest) -> HttpResponse:
    plan = _my_plan(request)
    versions = list(plan.versions.all()) if plan else []
    return render(
        request,
        "supervision/wellbeing_mine.html",
        {
            "plan": plan,
            "versions": versions,
            "current": versions[0] if versions else None,
            "sharing": SharingForm(instance=plan) if plan else None,
        },
    )


@GET_POST
@login_required
def wellbeing_edit(request: HttpRequest) -> HttpResponse:
    plan = _my_plan(request)
    current = plan.current() if plan else None
    initial = {name: getattr(current, name) for name in WellbeingPlanVersion.TEXT_FIELDS} if current else {}
    form = WellbeingVersionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan, _ = WellbeingPlan.objects.get_or_create(worker=request.user)
            last = plan.versions.aggregate(last=Max("number"))["last"] or 0
            version = form.save(commit=False)
            version.plan, version.number = plan, last + 1
            version.save()
        messages.success(request, f"Your plan is saved as version {version.number}.")
        return redirect("supervision:wellbeing-mine")
    return form_page(
        request,
        form,
        title="My wellbeing at work plan",
        submit="Save my plan",
        cancel="supervision:wellbeing-mine",
        intro="Optional, and yours: nobody else reads it unless you choose to share it. "
        "Each save keeps the earlier versions.",
    )


@require_POST
@login_required
def wellbeing_sharing(request: HttpRequest) -> HttpResponse:
    plan = get_object_or_404(WellbeingPlan.objects.filter(worker=request.user))
    form = SharingForm(request.POST, instance=plan)
    if form.is_valid():
        form.save()
        messages.success(
            request, "Sharing updated. It takes effect now." if plan.is_shared else "Your plan is now private to you."
        )
    return redirect("supervision:wellbeing-mine")


@require_GET
@login_required
def wellbeing_shared(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(WellbeingPlan.objects.visible_to(request.user).select_related("worker"), pk=plan_pk)
    log_view(request, plan)
    return render(request, "supervision/wellbeing_shared.html", {"plan": plan, "current": plan.current()})
