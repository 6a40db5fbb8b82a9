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
    last = person.contacts.current().seen().filter(worker=user).only("duration_minutes").first()
    return last.duration_minutes if last else 60


@GET_POST
@login_required
def contact_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = writable_person(request, person_pk)
    initial = {
        "contact_at": timezone.localtime().replace(second=0, microsecond=0),
        "duration_minutes": _usual_duration(person, request.user),
    }
    form = ContactForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            contact = form.save(commit=False)
            contact.person, contact.worker = person, request.user
            contact.save()
            form.save_m2m()
            visit = safety.close_visit_for_contact(contact)
        notes = [" Marked as a late entry." if contact.is_late_entry else "", " Your visit is closed." if visit else ""]
        messages.success(request, "Contact saved." + "".join(notes))
        if contact.risk_flag:
            # A risk noted in a contact goes straight on to raising the concern, linked to the contact.
            url = reverse("caseload:concern-create", kwargs={"person_pk": person.pk})
            return redirect(f"{url}?contact={contact.pk}")
        return redirect(person)
    return _contact_form_page(request, form, person)


def _contact_form_page(request: HttpRequest, form: ContactForm, person: Person, original=None) -> HttpResponse:
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
