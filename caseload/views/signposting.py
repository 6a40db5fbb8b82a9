"""The signposting directory, and its search inside the contact form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..forms.signposting import ResourceForm
from ..models import (
    Resource,
    may_keep_directory,
)
from .base import GET_POST

# Signposting directory ------------------------------------------------------------------------


@require_GET
@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = Resource.objects.visible_to(request.user)
    text, category = request.GET.get("q", "")[:100], request.GET.get("category", "")
    show_inactive = request.GET.get("inactive") == "1"
    found = resources.search(text)
    if category:
        found = found.filter(category=category)
    if not show_inactive:
        found = found.active()
    context = {
        "resources": list(found),
        "q": text,
        "category": category,
        "show_inactive": show_inactive,
        "categories": Resource._meta.get_field("category").choices,
        "can_edit": Resource().can_edit(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "caseload/signposting/resource_list.html", context)


@GET_POST
@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    if not may_keep_directory(request.user):
        raise PermissionDenied("The signposting directory is kept by peer support workers and their managers.")
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.updated_by = request.user
        resource.save()
        messages.success(request, f"{resource.name} added to the directory.")
        return redirect("caseload:resource-list")
    return render(request, "caseload/signposting/resource_form.html", {"form": form})


@GET_POST
@login_required
def resource_edit(request: HttpRequest, resource_pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=resource_pk)
    if not resource.can_edit(request.user):
        raise PermissionDenied("The signposting directory is kept by peer support workers and their managers.")
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.updated_by = request.user
        resource.save()
        messages.success(request, f"{resource.name} updated.")
        return redirect("caseload:resource-list")
    return render(request, "caseload/signposting/resource_form.html", {"form": form, "resource": resource})


@require_GET
@login_required
def resource_search(request: HttpRequest) -> HttpResponse:
    """The directory search inside the contact form (htmx): ticked choices stay, matches follow."""
    resources = Resource.objects.visible_to(request.user)
    chosen_ids = [v for v in request.GET.getlist("signposted_to") if v.isdigit()]
    chosen = list(resources.filter(pk__in=chosen_ids))
    text = request.GET.get("q", "")[:100]
    matches = list(resources.active().search(text).exclude(pk__in=chosen_ids)[:8]) if text.strip() else []
    context = {"chosen": chosen, "matches": matches, "q": text}
    return render(request, "caseload/signposting/_resource_choices.html", context)
