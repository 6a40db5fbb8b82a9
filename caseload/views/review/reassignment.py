"""Needs reassignment, reassignment of one or many people, and time-limited cover of a caseload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from peersupport.reauth import reauthentication_required

from ... import emails, services
from ...forms.review import CoverForm, ReassignForm
from ...models import CaseloadCover, Person
from .scope import GET_POST, ManagerScope, people_in_teams

# Needs reassignment and reassignment ------------------------------------------------------------


@require_GET
@login_required
def reassignment_queue(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    people = people_in_teams(request, scope.team_ids).needs_reassignment().select_related("team", "assigned_worker")
    covers = CaseloadCover.objects.visible_to(request.user).active_on().select_related("covering_worker")
    covered_by = {(c.absent_worker_id, c.team_id): c for c in covers}
    rows = list(people.order_by("assigned_worker__last_name", "referral_date"))
    for person in rows:
        person.cover = covered_by.get((person.assigned_worker_id, person.team_id))
    context = {
        "people": rows,
        "reassign_form": ReassignForm(people=Person.objects.none(), memberships=scope.memberships),
    }
    return render(request, "caseload/review/reassignment_queue.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed and target.startswith("/") else reverse("caseload:review-reassignment")


@GET_POST
@login_required
@reauthentication_required(keep=("people",))
def reassign(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    # Every record in the manager's teams, so a closed one chosen is refused as closed.
    in_teams = people_in_teams(request, scope.team_ids).select_related("assigned_worker", "team")
    data = request.POST if request.method == "POST" else None
    form = ReassignForm(data, people=in_teams, memberships=scope.memberships)
    if request.method == "POST" and form.is_valid():
        to_worker = form.cleaned_data["to_worker"]
        team_ids = [m.team_id for m in scope.memberships if m.user_id == to_worker.pk]
        moved = services.reassign(
            people=form.cleaned_data["people"],
            to_worker=to_worker,
            by=request.user,
            reason=form.cleaned_data["reason"],
            worker_team_ids=team_ids,
        )
        count = sum(len(people) for people in moved.values())
        messages.success(
            request,
            f"{count} {'person' if count == 1 else 'people'} reassigned to {to_worker}. "
            "Both workers have been told by email.",
        )
        return redirect(_safe_next(request))
    chosen_ids = request.POST.getlist("people") if data else request.GET.getlist("people")
    chosen = [p for p in in_teams.filter(pk__in=[i for i in chosen_ids if i.isdigit()])]
    context = {"form": form, "chosen": chosen, "next": _safe_next(request)}
    return render(request, "caseload/review/reassign.html", context, status=400 if form.errors else 200)


# Cover ----------------------------------------------------------------------------------------


@GET_POST
@login_required
def cover_list(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    form = CoverForm(request.POST or None, user=request.user, teams=scope.teams, memberships=scope.memberships)
    if request.method == "POST" and form.is_valid():
        cover = form.save(commit=False)
        cover.granted_by = request.user
        cover.save()
        emails.notify_cover(cover)
        messages.success(
            request,
            f"{cover.covering_worker} can see and update {cover.absent_worker}'s caseload in {cover.team} "
            f"from {date_format(cover.starts_on)} until the end of {date_format(cover.ends_on)}.",
        )
        return redirect("caseload:review-cover")
    today = timezone.localdate()
    covers = (
        CaseloadCover.objects.visible_to(request.user)
        .filter(team_id__in=scope.team_ids)
        .select_related("team", "absent_worker", "covering_worker", "granted_by")
    )
    context = {
        "form": form,
        "current": [c for c in covers.current_and_upcoming(today)],
        "past": list(covers.exclude(pk__in=covers.current_and_upcoming(today)).order_by("-ends_on")[:20]),
        "today": today,
    }
    return render(request, "caseload/review/cover.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def cover_end(request: HttpRequest, cover_pk: int) -> HttpResponse:
    covers = CaseloadCover.objects.visible_to(request.user).select_related("absent_worker")
    cover = get_object_or_404(covers, pk=cover_pk)
    if not cover.can_end(request.user):
        raise PermissionDenied("Only a manager of the team can end this cover, and only while it runs.")
    cover.end(by=request.user)
    messages.success(request, f"Cover of {cover.absent_worker}'s caseload has ended.")
    return redirect("caseload:review-cover")
