"""The contact log: list, log, read, amend, mark entered in error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport.audit import log_view

from .. import services
from ..forms.contacts import AmendContactForm, ContactForm
from ..models import (
    Contact,
    Person,
    Resource,
    Visit,
)
from ..services import safety
from .base import (
    GET_POST,
    RECENT_RESOURCES,
    amendment_chain,
    check_can_correct,
    entered_in_error,
    visible_person,
    writable_person,
)

# Contacts --------------------------------------------------------------------------------------


@require_GET
@login_required
def contact_list(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_person(request, person_pk)
    log_view(request, person)  # every note of the person is on this page, as on their page
    contacts = person.contacts.current().select_related("worker").prefetch_related("goals", "signposted_to")
    return render(request, "caseload/contacts/contact_list.html", {"person": person, "contacts": contacts})


def _usual_duration(person: Person, user) -> int:
    # One value, not a deferred instance (reading one lazily loads its person: a second query).
    last = person.contacts.current().seen().filter(worker=user).values_list("duration_minutes", flat=True).first()
    return last if last is not None else 60


def _checked_out_visit(request: HttpRequest, person: Person) -> Visit | None:
    """The worker's own visit to this person named in ?visit= (after checking out), or None."""
    pk = request.POST.get("visit") or request.GET.get("visit") or ""
    if not pk.isdigit():
        return None
    visits = Visit.objects.visible_to(request.user).filter(worker=request.user, person=person, pk=int(pk))
    return visits.first()


def _contact_defaults(request: HttpRequest, person: Person, visit: Visit | None) -> dict:
    usual = _usual_duration(person, request.user)
    if visit is None:
        return {"contact_at": timezone.localtime().replace(second=0, microsecond=0), "duration_minutes": usual}
    ended = visit.closed_at or timezone.now()
    minutes = max(1, round((ended - visit.started_at).total_seconds() / 60))
    return {
        "contact_at": timezone.localtime(visit.started_at).replace(second=0, microsecond=0),
        "duration_minutes": minutes,
        "location": visit.location,
    }


@GET_POST
@login_required
def contact_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = writable_person(request, person_pk, with_team=False)
    visit = _checked_out_visit(request, person)
    if request.method == "GET":
        form = ContactForm(initial=_contact_defaults(request, person, visit), person=person)
    else:
        # The defaults (a query) only matter if the form comes back: a saved contact needs none.
        form = ContactForm(request.POST, person=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            contact = form.save(commit=False)
            contact.person, contact.worker = person, request.user
            contact.save()
            # A new contact has no goals or signposting yet: add only what was chosen (saving an empty
            # choice would read the empty sets back first, a query each; an empty choice is known
            # without asking the database).
            for field in ("goals", "signposted_to"):
                chosen = form.cleaned_data.get(field)
                if chosen is not None and not chosen.query.is_empty():
                    getattr(contact, field).add(*chosen)
            visit = safety.close_visit_for_contact(contact)
        notes = [" Marked as a late entry." if contact.is_late_entry else "", " Your visit is closed." if visit else ""]
        messages.success(request, "Contact saved." + "".join(notes))
        if contact.risk_flag:
            # A risk noted in a contact goes straight on to raising the concern, linked to the contact.
            url = reverse("caseload:concern-create", kwargs={"person_pk": person.pk})
            return redirect(f"{url}?contact={contact.pk}")
        return redirect(person)
    if request.method == "POST":
        form.initial = {**_contact_defaults(request, person, visit), **form.initial}
        form.offer_usual_minutes()
    return _contact_form_page(request, form, person, visit=visit)


def _contact_form_page(
    request: HttpRequest, form: ContactForm, person: Person, original=None, visit: Visit | None = None
) -> HttpResponse:
    """The contact form offers the resources this worker signposts to most recently, unticked."""
    chosen = form.chosen_resources()
    recent = (
        Resource.objects.active()
        .filter(signposting_contacts__worker=request.user)
        .exclude(pk__in=[r.pk for r in chosen])
        .annotate(last_used=Max("signposting_contacts__contact_at"))
        .order_by("-last_used")[:RECENT_RESOURCES]
    )
    context = {
        "form": form,
        "person": person,
        "original": original,
        "chosen_resources": chosen,
        "recent_resources": list(recent),
        "visit": visit,
        # The optional choices open when something in them is filled in or refused.
        "more_open": bool(
            chosen
            or form["location"].value()
            or form["goals"].value()
            or {"location", "goals", "signposted_to"} & set(form.errors)
        ),
    }
    return render(request, "caseload/contacts/contact_form.html", context)


@require_GET
@login_required
def contact_detail(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("person", "worker"), pk=contact_pk
    )
    log_view(request, contact.person)
    related = contact.person.contacts.select_related("worker", "corrected_by").prefetch_related(
        "goals", "signposted_to"
    )
    versions = amendment_chain(contact, related)
    context = {
        "contact": contact,
        "person": contact.person,
        "versions": versions,
        "can_correct": contact.is_current and contact.person.can_edit(request.user),
    }
    return render(request, "caseload/contacts/contact_detail.html", context)


@GET_POST
@login_required
def contact_amend(request: HttpRequest, contact_pk: int) -> HttpResponse:
    original = get_object_or_404(Contact.objects.visible_to(request.user).select_related("person"), pk=contact_pk)
    person = original.person
    check_can_correct(request, person, original)
    form = AmendContactForm(request.POST or None, instance=original.draft_amendment(), person=person)
    if request.method == "POST" and form.is_valid():
        replacement = form.save(commit=False)
        m2m = {"goals": form.cleaned_data["goals"], "signposted_to": form.cleaned_data["signposted_to"]}
        services.amend(
            original=original, replacement=replacement, by=request.user, reason=form.cleaned_data["reason"], m2m=m2m
        )
        messages.success(request, "Contact amended. The original stays in its history.")
        return redirect("caseload:contact-detail", contact_pk=replacement.pk)
    return _contact_form_page(request, form, person, original)


@GET_POST
@login_required
def contact_error(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user).select_related("person"), pk=contact_pk)
    back = reverse("caseload:contact-detail", kwargs={"contact_pk": contact.pk})
    return entered_in_error(request, contact, contact.person, "contact", back)
