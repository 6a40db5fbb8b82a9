"""Lone-working visits and risk concerns. Every view starts with a scoped fetch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peersupport.audit import log_view
from peersupport.models import Role, User

from ..forms.safety import BuddiesForm, ConcernForm, ExtendForm, NoteForm, VisitStartForm
from ..models import ConcernStatus, Contact, LoneWorkingBuddy, Person, RiskConcern, Visit, VisitCloseReason, VisitStatus
from ..services import safety


def _visit(request: HttpRequest, visit_pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("worker", "person", "team", "buddy"), pk=visit_pk
    )


def _concern(request: HttpRequest, concern_pk: int) -> RiskConcern:
    return get_object_or_404(
        RiskConcern.objects.visible_to(request.user).select_related("person", "raised_by", "escalated_to"),
        pk=concern_pk,
    )


@require_http_methods(["GET", "POST"])
@login_required
def visit_start(request: HttpRequest, person_pk: int | None = None) -> HttpResponse:
    # The scoped fetch first: a person out of reach answers 404, whatever the role.
    person = get_object_or_404(Person.objects.visible_to(request.user).open(), pk=person_pk) if person_pk else None
    if not (request.user.is_psw or request.user.is_manager):
        raise PermissionDenied("Lone-working visits are for staff in a service team.")
    current = Visit.objects.visible_to(request.user).open().filter(worker=request.user).first()
    form = VisitStartForm(request.POST or None, worker=request.user, person=person)
    if request.method == "POST" and form.is_valid() and current is None:
        try:
            visit = safety.start_visit(worker=request.user, person=person, **form.cleaned_data)
        except safety.VisitAlreadyOpen:
            current = Visit.objects.visible_to(request.user).open().filter(worker=request.user).first()
        else:
            messages.success(request, f"Visit started. Check out by {safety.hhmm(visit.expected_end)}.")
            return redirect(visit)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "caseload/safety/visit_start.html", {"form": form, "person": person, "current": current}, status=status
    )


@require_GET
@login_required
def visit_detail(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _visit(request, visit_pk)
    person_visible = bool(visit.person_id and Person.objects.visible_to(request.user).filter(pk=visit.person_id))
    context = {
        "visit": visit,
        "events": visit.events.select_related("actor", "recipient"),
        "is_worker": visit.worker_id == request.user.pk,
        "can_respond": visit.can_respond(request.user),
        "person_visible": person_visible,
        "extend_form": ExtendForm(),
    }
    return render(request, "caseload/safety/visit_detail.html", context)


def _worker_action(request: HttpRequest, visit_pk: int):
    visit = _visit(request, visit_pk)
    if visit.worker_id != request.user.pk:
        raise PermissionDenied("Only the worker on the visit can do that. Nothing was changed.")
    if not visit.is_open:
        messages.info(request, "This visit is already closed. Nothing was changed.")
        return visit, redirect(visit)
    return visit, None


@require_POST
@login_required
def visit_extend(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit, refusal = _worker_action(request, visit_pk)
    if refusal:
        return refusal
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["minutes"][0])
    elif safety.extend_visit(visit, by=request.user, minutes=form.cleaned_data["minutes"]):
        messages.success(request, f"Visit extended. Check out by {safety.hhmm(visit.expected_end)}.")
    return redirect(visit)


@require_POST
@login_required
def visit_checkout(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit, refusal = _worker_action(request, visit_pk)
    if refusal:
        return refusal
    safety.check_out(visit, by=request.user)
    if visit.person and visit.person.can_add_entries(request.user):
        # Straight on to the contact for the visit, its place and times carried over.
        messages.success(request, "You have checked out safe. The visit is closed. Now log the contact for it.")
        url = reverse("caseload:contact-create", kwargs={"person_pk": visit.person_id})
        return redirect(f"{url}?visit={visit.pk}")
    messages.success(request, "You have checked out safe. The visit is closed.")
    return redirect(visit.person or "home")


@require_POST
@login_required
def visit_alarm(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit, refusal = _worker_action(request, visit_pk)
    if refusal:
        return refusal
    if safety.raise_alarm(visit, by=request.user):
        messages.warning(
            request, "Alarm raised: your buddy and your manager have been alerted. Call 999 if you are in danger."
        )
    else:
        messages.info(request, "The alarm was already raised; your buddy and your manager have been alerted.")
    return redirect(visit)


@require_POST
@login_required
def visit_acknowledge(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _visit(request, visit_pk)
    if not visit.is_open:
        messages.info(request, "This visit is already closed. Nothing was changed.")
        return redirect(visit)
    if not visit.can_respond(request.user):
        raise PermissionDenied("Only the people alerted about this visit, or its team manager, can acknowledge it.")
    if safety.acknowledge_visit_alert(visit, by=request.user):
        messages.success(
            request,
            "Acknowledged: the alert goes no further. Close the visit with a note once you know the worker is safe.",
        )
    else:
        messages.info(request, "There is no alert waiting for acknowledgement on this visit. Nothing was changed.")
    return redirect(visit)


@require_http_methods(["GET", "POST"])
@login_required
def visit_close(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _visit(request, visit_pk)
    if not visit.is_open:
        messages.info(request, "This visit is already closed. Nothing was changed.")
        return redirect(visit)
    if not visit.can_respond(request.user):
        raise PermissionDenied("Only the people alerted about this visit, or its team manager, can close it.")
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        safety.close_visit(
            visit, by=request.user, reason=VisitCloseReason.CLOSED_WITH_NOTE, note=form.cleaned_data["note"]
        )
        messages.success(request, "The visit is closed and your note is kept.")
        return redirect(visit)
    return render(
        request, "caseload/safety/visit_close.html", {"visit": visit, "form": form}, status=400 if form.errors else 200
    )


@require_GET
@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = Visit.objects.visible_to(request.user).select_related(
        "worker", "person", "team", "buddy", "acknowledged_by"
    )
    context = {
        "open_visits": list(visits.open().order_by("expected_end")),
        "recent": list(visits.filter(worker=request.user, status=VisitStatus.CLOSED).order_by("-closed_at")[:10]),
    }
    template = "caseload/safety/_visit_board.html" if request.htmx else "caseload/safety/visit_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@login_required
def concern_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("team"), pk=person_pk)
    contact_pk = request.GET.get("contact") or request.POST.get("contact") or ""
    if contact_pk and not contact_pk.isdigit():
        raise Http404("No such contact")
    contacts = Contact.objects.visible_to(request.user).filter(person=person)
    contact = get_object_or_404(contacts, pk=contact_pk) if contact_pk else None
    form = ConcernForm(request.POST or None, raised_by=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        concern = safety.raise_concern(person=person, contact=contact, raised_by=request.user, **form.cleaned_data)
        messages.success(request, f"Concern raised. {concern.escalated_to} has been alerted and must acknowledge it.")
        return redirect(concern)
    context = {"form": form, "person": person, "contact": contact}
    return render(request, "caseload/safety/concern_form.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def concern_detail(request: HttpRequest, concern_pk: int) -> HttpResponse:
    concern = _concern(request, concern_pk)
    log_view(request, concern.person)
    context = {
        "concern": concern,
        "events": concern.events.select_related("actor", "recipient"),
        "can_acknowledge": concern.can_acknowledge(request.user),
        "can_resolve": concern.can_resolve(request.user),
        "person_visible": Person.objects.visible_to(request.user).filter(pk=concern.person_id).exists(),
    }
    return render(request, "caseload/safety/concern_detail.html", context)


@require_POST
@login_required
def concern_acknowledge(request: HttpRequest, concern_pk: int) -> HttpResponse:
    concern = _concern(request, concern_pk)
    if concern.status != ConcernStatus.OPEN:
        messages.info(request, f"This concern was already {concern.get_status_display().lower()}. Nothing was changed.")
        return redirect(concern)
    if not concern.can_acknowledge(request.user):
        raise PermissionDenied("Only the people this concern was escalated to can acknowledge it. Nothing was changed.")
    safety.acknowledge_concern(concern, by=request.user)
    messages.success(request, "Acknowledged. The person who raised it has been told.")
    return redirect(concern)


@require_http_methods(["GET", "POST"])
@login_required
def concern_resolve(request: HttpRequest, concern_pk: int) -> HttpResponse:
    concern = _concern(request, concern_pk)
    if concern.status == ConcernStatus.RESOLVED:
        messages.info(request, "This concern is already resolved. Nothing was changed.")
        return redirect(concern)
    if not concern.can_resolve(request.user):
        raise PermissionDenied("Only the people this concern was escalated to, or the team manager, can resolve it.")
    form = NoteForm(request.POST or None)
    form.fields["note"].label = "How was it resolved?"
    if request.method == "POST" and form.is_valid():
        safety.resolve_concern(concern, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, "The concern is resolved and your note is kept.")
        return redirect(concern)
    return render(
        request,
        "caseload/safety/concern_resolve.html",
        {"concern": concern, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def buddies(request: HttpRequest) -> HttpResponse:
    if not request.user.is_manager:
        raise PermissionDenied("Team managers name the lone-working buddies for their teams.")
    workers = list(
        User.objects.visible_to(request.user)
        .in_post()
        .filter(memberships__team_id__in=request.user.managed_team_ids, memberships__role=Role.PSW)
        .distinct()
        .order_by("first_name", "last_name")
    )
    current = dict(LoneWorkingBuddy.objects.filter(worker__in=workers).values_list("worker_id", "buddy_id"))
    form = BuddiesForm(request.POST or None, workers=workers, current=current, team_ids=request.user.managed_team_ids)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Lone-working buddies saved.")
        return redirect("caseload:buddies")
    return render(request, "caseload/safety/buddies.html", {"form": form}, status=400 if form.errors else 200)
