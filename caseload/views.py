from __future__ import annotations

from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from peersupport.audit import log_view

from . import forms, services
from .attention import caseload_rows
from .filters import PersonFilter
from .models import (
    AdvanceStatement,
    Amendable,
    Appointment,
    AppointmentOutcome,
    Contact,
    Correctable,
    DialogAssessment,
    DialogStage,
    EntryStatus,
    GoalRating,
    Person,
    RecoveryGoal,
    RecoveryPlan,
    Resource,
    Visit,
    dialog_outcomes,
    goal_outcome,
)

GET_POST = require_http_methods(["GET", "POST"])
RECENT_CONTACTS = 5
RECENT_RESOURCES = 5


def _visible_person(request: HttpRequest, person_pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("team", "assigned_worker"), pk=person_pk
    )


def _writable_person(request: HttpRequest, person_pk: int) -> Person:
    """A person the user may add entries to: seen, may edit, and the record is not closed."""
    person = _visible_person(request, person_pk)
    if not person.can_add_entries(request.user):
        raise PermissionDenied
    return person


def _check_can_correct(request: HttpRequest, person: Person, entry: Correctable) -> None:
    """Corrections are allowed on closed records too, but only on the current version of an entry."""
    if not person.can_edit(request.user) or not entry.is_current:
        raise PermissionDenied


# Caseload and people -----------------------------------------------------------------------


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user).with_summary()
    filters = PersonFilter(request.GET, queryset=people, user=request.user)
    rows = caseload_rows(filters.qs) if filters.is_valid() else []
    can_add = request.user.is_psw or request.user.is_manager
    return render(request, "caseload/person_list.html", {"filter": filters, "people": rows, "can_add": can_add})


@GET_POST
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_psw or request.user.is_manager):
        raise PermissionDenied
    form = forms.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"{person.display_name} has been added.")
        return redirect(person)
    return render(request, "caseload/person_form.html", {"form": form})


@require_GET
@login_required
def person_detail(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    log_view(request, person)
    return render(request, "caseload/person_detail.html", _person_page(request, person))


def _person_page(request: HttpRequest, person: Person) -> dict:
    current_ratings = Prefetch("ratings", queryset=GoalRating.objects.current().order_by("rated_on", "recorded_at"))
    goals = list(person.goals.current().prefetch_related(current_ratings))
    for goal in goals:
        goal.outcome = goal_outcome(list(goal.ratings.all()))
    contacts = person.contacts.current().select_related("worker").prefetch_related("goals", "signposted_to")
    now = timezone.now()
    appointments = person.appointments.select_related("worker").prefetch_related("goals")
    assessments = list(person.dialog_assessments.current().order_by("assessed_on", "recorded_at"))
    return {
        "person": person,
        "can_edit": person.can_edit(request.user),
        "can_add": person.can_add_entries(request.user),
        "contacts": list(contacts[:RECENT_CONTACTS]),
        "goals": goals,
        "plan": RecoveryPlan.objects.latest_for(person),
        "statement": AdvanceStatement.objects.latest_for(person),
        "upcoming": [a for a in appointments if a.starts_at >= now and a.outcome == AppointmentOutcome.PLANNED],
        "past_appointments": [a for a in appointments if a.starts_at < now or a.outcome != AppointmentOutcome.PLANNED],
        "assessments": assessments,
        "dialog_outcomes": dialog_outcomes(assessments),
        "closure": person.status_changes.closures().select_related("changed_by").first() if person.is_closed else None,
        "today": timezone.localdate(),
    }


@GET_POST
@login_required
def person_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    if not person.can_add_entries(request.user):
        raise PermissionDenied
    form = forms.PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Details saved.")
        return redirect(person)
    return render(request, "caseload/person_form.html", {"form": form, "person": person})


@GET_POST
@login_required
def person_status(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    if not person.can_edit(request.user):
        raise PermissionDenied
    form = forms.StatusChangeForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.change_status(
            person=person,
            by=request.user,
            to_status=data["to_status"],
            on=data["changed_on"],
            note=data["note"],
            closure_reason=data["closure_reason"],
            ending_summary=data["ending_summary"],
            consent_date=data.get("consent_date"),
        )
        messages.success(request, f"{person.display_name} is now {person.get_status_display().lower()}.")
        return redirect(person)
    return render(request, "caseload/person_status.html", {"form": form, "person": person})


@require_GET
@login_required
def person_history(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    log_view(request, person)
    return render(request, "caseload/person_history.html", {"person": person, "events": _history(person)})


def _history(person: Person) -> list[dict]:
    """Everything that changed on a record, newest first: corrections, status changes, new plan
    versions, goal changes and edits to the person's details (each a fixed number of queries)."""
    events = []
    for change in person.status_changes.select_related("changed_by"):
        events.append({"at": change.recorded_at, "by": change.changed_by, "kind": "status", "change": change})
    corrected = [
        (person.contacts.corrected(), "contact"),
        (GoalRating.objects.filter(goal__person=person).corrected().select_related("goal"), "goal rating"),
        (person.goals.corrected(), "goal"),
        (person.recovery_plans.corrected(), "recovery plan"),
        (person.advance_statements.corrected(), "advance statement"),
        (person.dialog_assessments.corrected(), "DIALOG"),
    ]
    for queryset, label in corrected:
        for entry in queryset.select_related("corrected_by"):
            events.append(
                {
                    "at": entry.corrected_at,
                    "by": entry.corrected_by,
                    "kind": "correction",
                    "entry": entry,
                    "label": label,
                }
            )
    for model, label in ((RecoveryPlan, "Recovery plan"), (AdvanceStatement, "Advance statement")):
        for version in model.objects.filter(person=person).select_related("written_by"):
            events.append(
                {
                    "at": version.created_at,
                    "by": version.written_by,
                    "kind": "version",
                    "entry": version,
                    "label": label,
                }
            )
    goal_history = RecoveryGoal.history.filter(person_id=person.pk).select_related("history_user")
    events += _changes(goal_history, "goal")
    events += _changes(Person.history.filter(id=person.pk).select_related("history_user"), "details")
    return sorted(events, key=lambda e: e["at"], reverse=True)


def _changes(history: QuerySet, kind: str) -> list[dict]:
    """Field-by-field changes between consecutive historical rows of each record."""
    ignored = {"status", "status_changed_on", "entry_status", "correction_reason", "corrected_by", "corrected_at"}
    by_record: dict[int, list] = {}
    for row in history.order_by("history_date", "history_id"):
        by_record.setdefault(row.id, []).append(row)
    events = []
    for rows in by_record.values():
        for before, after in pairwise(rows):
            delta = after.diff_against(before, foreign_keys_are_objs=False)
            fields = [
                after.instance._meta.get_field(c.field).verbose_name for c in delta.changes if c.field not in ignored
            ]
            if kind == "goal" and any(c.field == "status" for c in delta.changes):
                fields.append(f"status to {after.get_status_display().lower()}")
            if fields:
                events.append(
                    {
                        "at": after.history_date,
                        "by": after.history_user,
                        "kind": kind,
                        "fields": fields,
                        "reason": after.history_change_reason,
                        "record": after,
                    }
                )
    return events


# Contacts --------------------------------------------------------------------------------------


@require_GET
@login_required
def contact_list(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    contacts = person.contacts.current().select_related("worker").prefetch_related("goals", "signposted_to")
    return render(request, "caseload/contact_list.html", {"person": person, "contacts": contacts})


def _usual_duration(person: Person, user) -> int:
    last = person.contacts.current().seen().filter(worker=user).only("duration_minutes").first()
    return last.duration_minutes if last else 60


@GET_POST
@login_required
def contact_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _writable_person(request, person_pk)
    initial = {
        "contact_at": timezone.localtime().replace(second=0, microsecond=0),
        "duration_minutes": _usual_duration(person, request.user),
    }
    form = forms.ContactForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            contact = form.save(commit=False)
            contact.person, contact.worker = person, request.user
            contact.save()
            form.save_m2m()
            visit = Visit.objects.close_for_contact(contact)
        notes = [" Marked as a late entry." if contact.is_late_entry else "", " Your visit is closed." if visit else ""]
        messages.success(request, "Contact saved." + "".join(notes))
        if contact.risk_flag:
            # A risk noted in a contact goes straight on to raising the concern, linked to the contact.
            url = reverse("caseload:concern-create", kwargs={"person_pk": person.pk})
            return redirect(f"{url}?contact={contact.pk}")
        return redirect(person)
    return _contact_form_page(request, form, person)


def _contact_form_page(request: HttpRequest, form: forms.ContactForm, person: Person, original=None) -> HttpResponse:
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
    return render(request, "caseload/contact_form.html", context)


def _chain(entry: Amendable, related: QuerySet) -> list:
    """Every version of an entry, oldest first, from one query over the corrected rows around it."""
    rows = {
        row.pk: row
        for row in related.filter(Q(amends__isnull=False) | ~Q(entry_status=EntryStatus.CURRENT) | Q(pk=entry.pk))
    }
    rows[entry.pk] = entry
    replaced_by = {row.amends_id: row for row in rows.values() if row.amends_id}
    first = entry
    while first.amends_id in rows:
        first = rows[first.amends_id]
    chain = [first]
    while chain[-1].pk in replaced_by:
        chain.append(replaced_by[chain[-1].pk])
    return chain


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
    versions = _chain(contact, related)
    context = {
        "contact": contact,
        "person": contact.person,
        "versions": versions,
        "can_correct": contact.is_current and contact.person.can_edit(request.user),
    }
    return render(request, "caseload/contact_detail.html", context)


@GET_POST
@login_required
def contact_amend(request: HttpRequest, contact_pk: int) -> HttpResponse:
    original = get_object_or_404(Contact.objects.visible_to(request.user).select_related("person"), pk=contact_pk)
    person = original.person
    _check_can_correct(request, person, original)
    form = forms.AmendContactForm(request.POST or None, instance=original.draft_amendment(), person=person)
    if request.method == "POST" and form.is_valid():
        replacement = form.save(commit=False)
        m2m = {"goals": form.cleaned_data["goals"], "signposted_to": form.cleaned_data["signposted_to"]}
        services.amend(
            original=original, replacement=replacement, by=request.user, reason=form.cleaned_data["reason"], m2m=m2m
        )
        messages.success(request, "Contact amended. The original stays in its history.")
        return redirect("caseload:contact-detail", contact_pk=replacement.pk)
    return _contact_form_page(request, form, person, original)


def _entered_in_error(request: HttpRequest, entry: Correctable, person: Person, what: str, back: str) -> HttpResponse:
    _check_can_correct(request, person, entry)
    form = forms.EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry.mark_entered_in_error(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"The {what} is marked as entered in error. It stays in the record's history.")
        return redirect(back)
    context = {"form": form, "person": person, "entry": entry, "what": what, "back": back}
    return render(request, "caseload/entered_in_error.html", context)


@GET_POST
@login_required
def contact_error(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user).select_related("person"), pk=contact_pk)
    back = reverse("caseload:contact-detail", kwargs={"contact_pk": contact.pk})
    return _entered_in_error(request, contact, contact.person, "contact", back)


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
    return render(request, "caseload/_resource_choices.html", context)


# Goals and ratings ------------------------------------------------------------------------------


@GET_POST
@login_required
def goal_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _writable_person(request, person_pk)
    form = forms.GoalForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.person, goal.created_by = person, request.user
        goal.save()
        messages.success(request, "Goal added. Rate it with the person to start their goal-based outcome.")
        return redirect(goal)
    return render(request, "caseload/goal_form.html", {"form": form, "person": person})


def _visible_goal(request: HttpRequest, goal_pk: int) -> RecoveryGoal:
    return get_object_or_404(RecoveryGoal.objects.visible_to(request.user).select_related("person"), pk=goal_pk)


@require_GET
@login_required
def goal_detail(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    log_view(request, goal.person)
    ratings = list(goal.ratings.select_related("recorded_by", "corrected_by").order_by("rated_on", "recorded_at"))
    current = [r for r in ratings if r.is_current]
    context = {
        "goal": goal,
        "person": goal.person,
        "ratings": ratings,
        "current_ratings": current,
        "outcome": goal_outcome(current),
        "can_edit": goal.person.can_edit(request.user),
        "can_add": goal.person.can_add_entries(request.user) and goal.is_current,
    }
    return render(request, "caseload/goal_detail.html", context)


@GET_POST
@login_required
def goal_edit(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    if not goal.person.can_add_entries(request.user) or not goal.is_current:
        raise PermissionDenied
    form = forms.GoalEditForm(request.POST or None, instance=goal, person=goal.person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Goal saved. Earlier wording stays in the record's history.")
        return redirect(goal)
    return render(request, "caseload/goal_form.html", {"form": form, "person": goal.person, "goal": goal})


@GET_POST
@login_required
def goal_error(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    return _entered_in_error(request, goal, goal.person, "goal", goal.person.get_absolute_url())


@GET_POST
@login_required
def goal_rate(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    if not goal.person.can_add_entries(request.user) or not goal.is_current:
        raise PermissionDenied
    form = forms.GoalRatingForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        rating = form.save(commit=False)
        rating.goal, rating.recorded_by = goal, request.user
        rating.save()
        messages.success(request, f"Rating of {rating.score} out of 10 saved.")
        return redirect(goal)
    return render(request, "caseload/rating_form.html", {"form": form, "goal": goal, "person": goal.person})


def _visible_rating(request: HttpRequest, rating_pk: int) -> GoalRating:
    ratings = GoalRating.objects.visible_to(request.user).select_related("goal__person")
    return get_object_or_404(ratings, pk=rating_pk)


@GET_POST
@login_required
def rating_amend(request: HttpRequest, rating_pk: int) -> HttpResponse:
    original = _visible_rating(request, rating_pk)
    goal = original.goal
    _check_can_correct(request, goal.person, original)
    form = forms.AmendGoalRatingForm(request.POST or None, instance=original.draft_amendment(), goal=goal)
    if request.method == "POST" and form.is_valid():
        services.amend(
            original=original, replacement=form.save(commit=False), by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Rating amended. The original stays in the goal's history.")
        return redirect(goal)
    context = {"form": form, "goal": goal, "person": goal.person, "original": original}
    return render(request, "caseload/rating_form.html", context)


@GET_POST
@login_required
def rating_error(request: HttpRequest, rating_pk: int) -> HttpResponse:
    rating = _visible_rating(request, rating_pk)
    return _entered_in_error(request, rating, rating.goal.person, "rating", rating.goal.get_absolute_url())


# Recovery plans and advance statements ---------------------------------------------------------

DOCUMENTS = {
    RecoveryPlan: (forms.RecoveryPlanForm, "recovery plan", "caseload/plan"),
    AdvanceStatement: (forms.AdvanceStatementForm, "advance statement", "caseload/statement"),
}


def _new_version(request: HttpRequest, person_pk: int, model: type[RecoveryPlan | AdvanceStatement]) -> HttpResponse:
    person = _writable_person(request, person_pk)
    form_class, what, template = DOCUMENTS[model]
    latest = model.objects.latest_for(person)
    newest = model.objects.filter(person=person).order_by("-version").first()
    initial = {"based_on": newest.version if newest else 0}
    if latest:
        initial.update({name: getattr(latest, name) for name in form_class._meta.fields if name != "based_on"})
        initial.update(agreed_on=timezone.localdate(), review_on=None)
    form = form_class(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            document = services.save_version(
                document=form.save(commit=False), person=person, by=request.user, based_on=form.cleaned_data["based_on"]
            )
        except services.VersionConflict as error:
            conflict = model.objects.filter(person=person, version=error.latest).select_related("written_by").first()
            form = form_class(_rebased(request.POST, error.latest), initial=initial)
        else:
            messages.success(request, f"Version {document.version} of the {what} saved.")
            return redirect(document)
    context = {"form": form, "person": person, "latest": latest, "conflict": conflict, "what": what}
    return render(request, f"{template}_form.html", context)


def _rebased(data, version: int):
    """The writer's text, now based on the newer version, so a second deliberate save can go ahead."""
    data = data.copy()
    data["based_on"] = str(version)
    return data


@GET_POST
@login_required
def plan_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _new_version(request, person_pk, RecoveryPlan)


@GET_POST
@login_required
def statement_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _new_version(request, person_pk, AdvanceStatement)


def _version_page(request: HttpRequest, document: RecoveryPlan | AdvanceStatement, template: str) -> HttpResponse:
    person = document.person
    log_view(request, person)
    versions = type(document).objects.filter(person=person).select_related("written_by", "corrected_by")
    latest = next((v for v in versions if v.is_current), None)
    context = {
        "document": document,
        "person": person,
        "versions": versions,
        "latest": latest,
        "can_edit": person.can_edit(request.user),
        "can_add": person.can_add_entries(request.user),
        "today": timezone.localdate(),
    }
    return render(request, template, context)


@require_GET
@login_required
def plan_detail(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(
        RecoveryPlan.objects.visible_to(request.user).select_related("person", "written_by"), pk=plan_pk
    )
    return _version_page(request, plan, "caseload/plan_detail.html")


@GET_POST
@login_required
def plan_error(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(RecoveryPlan.objects.visible_to(request.user).select_related("person"), pk=plan_pk)
    return _entered_in_error(request, plan, plan.person, "recovery plan version", plan.get_absolute_url())


def _visible_statement(request: HttpRequest, statement_pk: int) -> AdvanceStatement:
    statements = AdvanceStatement.objects.visible_to(request.user).select_related("person", "written_by")
    return get_object_or_404(statements, pk=statement_pk)


@require_GET
@login_required
def statement_detail(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    return _version_page(request, statement, "caseload/statement_detail.html")


@require_GET
@login_required
def statement_print(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    log_view(request, statement.person)
    return render(request, "caseload/statement_print.html", {"statement": statement, "person": statement.person})


@GET_POST
@login_required
def statement_error(request: HttpRequest, statement_pk: int) -> HttpResponse:
    statement = _visible_statement(request, statement_pk)
    back = statement.get_absolute_url()
    return _entered_in_error(request, statement, statement.person, "advance statement version", back)


# Appointments -----------------------------------------------------------------------------------


@GET_POST
@login_required
def appointment_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _writable_person(request, person_pk)
    form = forms.AppointmentForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        appointment = form.save(commit=False)
        appointment.person, appointment.created_by = person, request.user
        appointment.worker = person.assigned_worker or request.user
        appointment.save()
        form.save_m2m()
        messages.success(request, "Appointment saved.")
        return redirect(person)
    return render(request, "caseload/appointment_form.html", {"form": form, "person": person})


@GET_POST
@login_required
def appointment_edit(request: HttpRequest, appointment_pk: int) -> HttpResponse:
    appointments = Appointment.objects.visible_to(request.user).select_related("person")
    appointment = get_object_or_404(appointments, pk=appointment_pk)
    if not appointment.person.can_edit(request.user):
        raise PermissionDenied
    form = forms.AppointmentForm(request.POST or None, instance=appointment, person=appointment.person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Appointment saved.")
        return redirect(appointment.person)
    context = {"form": form, "person": appointment.person, "appointment": appointment}
    return render(request, "caseload/appointment_form.html", context)


# DIALOG ------------------------------------------------------------------------------------------


@GET_POST
@login_required
def dialog_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    if not person.can_edit(request.user):
        raise PermissionDenied
    form = forms.DialogForm(request.POST or None, person=person, initial=_dialog_initial(person))
    if request.method == "POST" and form.is_valid():
        assessment = form.save(commit=False)
        assessment.person, assessment.recorded_by = person, request.user
        assessment.save()
        messages.success(request, "DIALOG saved.")
        return redirect(person)
    return render(request, "caseload/dialog_form.html", {"form": form, "person": person})


def _dialog_initial(person: Person) -> dict:
    """The first DIALOG is the start; a closed record's is the closure rating (taken at the ending)."""
    if person.is_closed:
        return {"stage": DialogStage.CLOSURE}
    has_any = person.dialog_assessments.current().exists()
    return {"stage": DialogStage.REVIEW if has_any else DialogStage.START}


def _visible_dialog(request: HttpRequest, dialog_pk: int) -> DialogAssessment:
    assessments = DialogAssessment.objects.visible_to(request.user).select_related("person", "recorded_by")
    return get_object_or_404(assessments, pk=dialog_pk)


@require_GET
@login_required
def dialog_detail(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    assessment = _visible_dialog(request, dialog_pk)
    log_view(request, assessment.person)
    related = assessment.person.dialog_assessments.select_related("recorded_by", "corrected_by")
    context = {
        "assessment": assessment,
        "person": assessment.person,
        "versions": _chain(assessment, related),
        "can_correct": assessment.is_current and assessment.person.can_edit(request.user),
    }
    return render(request, "caseload/dialog_detail.html", context)


@GET_POST
@login_required
def dialog_amend(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    original = _visible_dialog(request, dialog_pk)
    person = original.person
    _check_can_correct(request, person, original)
    instance = original.draft_amendment()
    form = forms.AmendDialogForm(request.POST or None, instance=instance, person=person)
    if request.method == "POST" and form.is_valid():
        replacement = services.amend(
            original=original, replacement=form.save(commit=False), by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "DIALOG amended. The original stays in its history.")
        return redirect("caseload:dialog-detail", dialog_pk=replacement.pk)
    return render(request, "caseload/dialog_form.html", {"form": form, "person": person, "original": original})


@GET_POST
@login_required
def dialog_error(request: HttpRequest, dialog_pk: int) -> HttpResponse:
    assessment = _visible_dialog(request, dialog_pk)
    back = reverse("caseload:dialog-detail", kwargs={"dialog_pk": assessment.pk})
    return _entered_in_error(request, assessment, assessment.person, "DIALOG", back)


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
    return render(request, "caseload/resource_list.html", context)


@GET_POST
@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    if not Resource().can_edit(request.user):
        raise PermissionDenied
    form = forms.ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.updated_by = request.user
        resource.save()
        messages.success(request, f"{resource.name} added to the directory.")
        return redirect("caseload:resource-list")
    return render(request, "caseload/resource_form.html", {"form": form})


@GET_POST
@login_required
def resource_edit(request: HttpRequest, resource_pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=resource_pk)
    if not resource.can_edit(request.user):
        raise PermissionDenied
    form = forms.ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.updated_by = request.user
        resource.save()
        messages.success(request, f"{resource.name} updated.")
        return redirect("caseload:resource-list")
    return render(request, "caseload/resource_form.html", {"form": form, "resource": resource})
