"""People: the caseload list, a person's page, their record, status and history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from peersupport.audit import log_view
from peersupport.templatetags.display import ago

from .. import services
from ..attention import Attention, attention_for, review_overdue
from ..forms.people import PersonFilter, PersonForm, StatusChangeForm
from ..models import (
    NOT_SEEN_DAYS,
    AdvanceStatement,
    AppointmentOutcome,
    GoalRating,
    Person,
    RecoveryGoal,
    RecoveryPlan,
    Visit,
    caseload_rows,
    dialog_outcomes,
    goal_outcome,
)
from .base import GET_POST, RECENT_CONTACTS, check_can_add, visible_person

# Caseload and people -----------------------------------------------------------------------


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_manager and not request.user.is_psw:
        # A manager's one people list is the review's (its filters, figures and reassignment).
        params = request.GET.copy()
        if "assigned_worker" in params:
            params["worker"] = params.pop("assigned_worker")[-1]
        query = params.urlencode()
        return redirect(reverse("caseload:review-people") + (f"?{query}" if query else ""))
    people = Person.objects.visible_to(request.user).with_summary()
    filters = PersonFilter(request.GET, queryset=people, user=request.user)
    rows = caseload_rows(filters.qs) if filters.is_valid() else []
    can_add = request.user.is_psw or request.user.is_manager
    return render(request, "caseload/people/person_list.html", {"filter": filters, "people": rows, "can_add": can_add})


@GET_POST
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_psw or request.user.is_manager):
        raise PermissionDenied("People are added by peer support workers and team managers.")
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"{person.display_name} has been added.")
        return redirect(person)
    return render(request, "caseload/people/person_form.html", {"form": form})


@require_GET
@login_required
def person_detail(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Who the person is, what to do next and what needs attention, on the first screen. The rest
    folds into sections that load when opened (or open on a page of their own without JavaScript),
    so the page reads only what its first screen shows."""
    user = request.user
    person = visible_person(request, person_pk)
    log_view(request, person)
    today = timezone.localdate()
    attention = attention_for(person, user)
    # Reached through the person the user may see (every concern about them is theirs to see), so the
    # query does not rebuild the role's scope a second time.
    concerns = person.risk_concerns.unresolved().select_related("escalated_to").order_by("-raised_at")
    last_seen = attention.last_seen_at
    context = {
        "attention": attention,
        **_permissions(user, person),
        "can_lone_work": user.is_psw or user.is_manager,
        "not_seen_for_long": last_seen is None or (today - timezone.localdate(last_seen)).days >= NOT_SEEN_DAYS,
        "plan_overdue": review_overdue(attention.plan_review_on, today),
        "statement_overdue": review_overdue(attention.statement_review_on, today),
        "concerns": list(concerns) if attention.open_concerns else [],
        # The user's own visit in progress, whoever it is with: one at a time, so it blocks starting another.
        "my_visit": (
            Visit.objects.open().filter(worker=user, pk=attention.my_visit_id).select_related("person").first()
            if attention.my_visit_id
            else None
        ),
        "closure": person.status_changes.closures().first() if person.is_closed else None,
    }
    plans_overdue = context["plan_overdue"] or context["statement_overdue"]
    context["sections"] = _folded_sections(person, attention, plans_overdue)
    return render(request, "caseload/people/person_detail.html", context)


def _folded_sections(person: Person, attention: Attention, plans_overdue: bool) -> list[dict]:
    """The folded sections, each with what its heading line says before it is opened."""
    notes = {
        "recent-contacts": f"last seen {ago(attention.last_seen_at)}" if attention.last_seen_at else "none yet",
        "goals": f"{attention.active_goals} active",
        "appointments": (
            f"next {date_format(timezone.localtime(attention.next_appointment_at), 'D j M')}"
            if attention.next_appointment_at
            else "none booked"
        ),
    }
    return [
        {
            "slug": section.slug,
            "title": section.heading,
            "url": reverse(f"caseload:person-{section.slug}", kwargs={"person_pk": person.pk}),
            "note": notes.get(section.slug, ""),
            "warning": "Review overdue" if section.slug == "plans" and plans_overdue else "",
        }
        for section in SECTIONS.values()
    ]


def _permissions(user, person: Person) -> dict:
    return {"person": person, "can_edit": person.can_edit(user), "can_add": person.can_add_entries(user)}


def _recent_contacts(person: Person) -> dict:
    contacts = list(person.contacts.current().select_related("worker")[:RECENT_CONTACTS])
    return {"contacts": contacts}


def _goals(person: Person) -> list[RecoveryGoal]:
    current_ratings = Prefetch("ratings", queryset=GoalRating.objects.current().order_by("rated_on", "recorded_at"))
    goals = list(person.goals.current().prefetch_related(current_ratings))
    for goal in goals:
        goal.outcome = goal_outcome(list(goal.ratings.all()))
    return goals


def _appointments(person: Person) -> dict:
    now = timezone.now()
    appointments = list(person.appointments.select_related("worker"))
    upcoming = [a for a in appointments if a.starts_at >= now and a.outcome == AppointmentOutcome.PLANNED]
    past = [a for a in reversed(appointments) if a not in upcoming]
    return {"upcoming": upcoming, "past_appointments": past}


def _plans(person: Person) -> dict:
    today = timezone.localdate()
    plan, statement = RecoveryPlan.objects.latest_for(person), AdvanceStatement.objects.latest_for(person)
    return {
        "plan": plan,
        "statement": statement,
        "plan_overdue": review_overdue(plan and plan.review_on, today),
        "statement_overdue": review_overdue(statement and statement.review_on, today),
    }


def _outcomes(person: Person) -> dict:
    assessments = list(person.dialog_assessments.current().order_by("assessed_on", "recorded_at"))
    return {"goals": _goals(person), "assessments": assessments, "dialog_outcomes": dialog_outcomes(assessments)}


@dataclass(frozen=True)
class Section:
    """A folded section of the person's page: its title on a page of its own, what it reads, and
    its heading where it folds on the person's page (the title, unless given)."""

    slug: str
    title: str
    read: Callable[[Person], dict]
    folded_title: str = ""

    @property
    def heading(self) -> str:
        return self.folded_title or self.title


SECTIONS = {
    section.slug: section
    for section in (
        Section("recent-contacts", "Recent contacts", _recent_contacts, folded_title="Contacts"),
        Section("goals", "Recovery goals", lambda person: {"goals": _goals(person)}),
        Section("appointments", "Appointments", _appointments),
        Section("plans", "Plans", _plans),
        Section("outcomes", "Outcomes", _outcomes),
    )
}


def _person_section(request: HttpRequest, person_pk: int, slug: str) -> HttpResponse:
    """One section of the person's page: the fragment the page opens in place (htmx), or a page of
    its own. Either way a view of the person's record, logged as one."""
    section = SECTIONS[slug]
    person = visible_person(request, person_pk)
    log_view(request, person)
    context = {**_permissions(request.user, person), **section.read(person), "section": section}
    template = f"caseload/people/sections/_{slug.replace('-', '_')}.html"
    if not request.htmx:
        context["section_template"] = template
        template = "caseload/people/person_section.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _section_view(slug: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_GET
    @login_required
    def view(request: HttpRequest, person_pk: int) -> HttpResponse:
        return _person_section(request, person_pk, slug)

    view.__name__ = f"person_{slug.replace('-', '_')}"
    return view


person_recent_contacts = _section_view("recent-contacts")
person_goals = _section_view("goals")
person_appointments = _section_view("appointments")
person_plans = _section_view("plans")
person_outcomes = _section_view("outcomes")


@GET_POST
@login_required
def person_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_person(request, person_pk)
    check_can_add(request, person, "These details cannot be changed")
    if request.method == "POST":
        with transaction.atomic():
            # Locked, so two saves at the same moment are checked one after the other.
            current = (
                Person.objects.select_for_update(of=("self",))
                .select_related("team", "assigned_worker")
                .get(pk=person.pk)
            )
            form = PersonForm(request.POST, instance=current, user=request.user)
            if form.is_valid() and not form.refuse_if_stale():
                form.save()
                messages.success(request, "Details saved.")
                return redirect(person)
        return render(request, "caseload/people/person_form.html", {"form": form, "person": person})
    form = PersonForm(instance=person, user=request.user)
    return render(request, "caseload/people/person_form.html", {"form": form, "person": person})


@GET_POST
@login_required
def person_status(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_person(request, person_pk)
    if not person.can_edit(request.user):
        raise PermissionDenied("Only the person's worker or their team manager can change their status.")
    form = StatusChangeForm(request.POST or None, person=person)
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
    return render(request, "caseload/people/person_status.html", {"form": form, "person": person})


@require_GET
@login_required
def person_history(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_person(request, person_pk)
    log_view(request, person)
    return render(request, "caseload/people/person_history.html", {"person": person, "events": _history(person)})


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
