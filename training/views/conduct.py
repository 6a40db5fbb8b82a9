"""Codes of conduct: versions and each worker's acknowledgement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .. import forms
from ..models import Acknowledgement, CodeVersion, codes_for
from ..rules import runs_training
from .common import GET_POST, require_training_team


@require_GET
@login_required
def code_list(request: HttpRequest) -> HttpResponse:
    versions = CodeVersion.objects.visible_to(request.user).select_related("published_by")
    current = {v.pk for v in CodeVersion.objects.current()}
    return render(
        request,
        "training/code_list.html",
        {"versions": versions, "current": current, "can_edit": runs_training(request.user)},
    )


@GET_POST
@login_required
def code_create(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    form = forms.CodeVersionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.save()
        messages.success(request, f"{version} published. Everyone it applies to will be asked to acknowledge it.")
        return redirect("training:code-list")
    return render(request, "training/form.html", {"form": form, "title": "Publish a code of conduct version"})


@GET_POST
@login_required
def code_detail(request: HttpRequest, version_pk: int) -> HttpResponse:
    """Read a version; a worker it applies to acknowledges the version in force here."""
    version = get_object_or_404(CodeVersion.objects.visible_to(request.user), pk=version_pk)
    acknowledgement = Acknowledgement.objects.filter(version=version, user=request.user).first()
    is_current = version.pk in {v.pk for v in CodeVersion.objects.current()}
    may_acknowledge = is_current and version.kind in codes_for(request.user) and acknowledgement is None
    form = forms.AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_acknowledge:
            raise PermissionDenied
        if form.is_valid():
            Acknowledgement.objects.get_or_create(version=version, user=request.user)
            messages.success(request, f"Thank you: you acknowledged the {version}.")
            return redirect("home")
    return render(
        request,
        "training/code_detail.html",
        {"version": version, "acknowledgement": acknowledgement, "may_acknowledge": may_acknowledge, "form": form},
    )
