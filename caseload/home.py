"""The caseload's sections of the role-aware home page, registered in CaseloadConfig.ready()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator

from peersupport import plugins
from peersupport.models import EmploymentStatus, Role, Team, User
from peersupport.templatetags.display import days_since, in_days

from .models import (
    Appointment,
    CaseloadCover,
    ConcernStatus,
    Person,
    PersonStatus,
    RiskConcern,
    SafetyEvent,
    SafetyEventKind,
    Visit,
    caseload_rows,
)

UPCOMING_APPOINTMENTS = 6
FIRST_WORDS = 10


def waited(since: dt.datetime, today: dt.date | None = None) -> str:
    """How long something has waited, in days as people say it: today, yesterday, 3 days."""
    return in_days(days_since(since, today), suffix="")


@dataclass
class Covering:
    """A caseload the user covers today: its open people, who needs attention first, and what its own
    worker would see on their home page: the visits in progress with its people, its open risk
    concerns and its booked appointments."""

    cover: CaseloadCover
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    concerns: list[RiskConcern] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)


def _covering(user: User) -> list[Covering]:
    """The caseloads a worker covers today (five queries, however many caseloads and people)."""
    covers = list(
        CaseloadCover.objects.active_on()
        .filter(covering_worker=user)
        .select_related("absent_worker", "team", "granted_by")
    )
    if not covers:
        return []
    covered = Person.objects.visible_to(user).filter(pk__in=CaseloadCover.objects.people_covered_by(user))
    covered = covered.exclude(assigned_worker=user)
    sections = {(c.absent_worker_id, c.team_id): Covering(cover=c) for c in covers}
    for person in caseload_rows(covered.open().with_summary()):
        sections[(person.assigned_worker_id, person.team_id)].people.append(person)
    # Visits in progress with the covered people, whoever is on them (the absent colleague, a manager, a
    # colleague; the user's own is in the lone-working section), reached through the people the user may
    # see. A visit's page stays with its worker, those alerted and its team's managers
    # (Visit.objects.visible_to), so the list names the worker and links the person.
    visits = Visit.objects.open().filter(person__in=covered).exclude(worker=user).select_related("person", "worker")
    for visit in visits.order_by("expected_end"):
        sections[(visit.person.assigned_worker_id, visit.person.team_id)].visits.append(visit)
    today = timezone.localdate()
    concerns = (
        RiskConcern.objects.visible_to(user)
        .filter(person__in=covered)
        .unresolved()
        .select_related("person", "raised_by")
    )
    for concern in concerns.order_by("-raised_at"):
        concern.first_words = Truncator(concern.description).words(FIRST_WORDS)
        concern.waited = waited(concern.raised_at, today)
        sections[(concern.person.assigned_worker_id, concern.person.team_id)].concerns.append(concern)
    appointments = (
        Appointment.objects.visible_to(user)
        .filter(person__in=covered)
        .upcoming()
        .select_related("person", "worker")
        .order_by("starts_at")
    )
    for appointment in appointments[: UPCOMING_APPOINTMENTS * len(covers)]:
        section = sections[(appointment.person.assigned_worker_id, appointment.person.team_id)]
        if len(section.appointments) < UPCOMING_APPOINTMENTS:
            section.appointments.append(appointment)
    return list(sections.values())


def _alerted(user: User, field: str) -> Q:
    """Visits or concerns a safety alert was sent to the user about."""
    alerts = SafetyEvent.objects.filter(kind=SafetyEventKind.ALERT, recipient=user).exclude(**{field: None})
    return Q(pk__in=alerts.values(field))


def safety(request: HttpRequest) -> dict | None:
    """Safety first on the home page: the alerts waiting for the user, each naming the person; their
    own visit; their teams' visits (managers); every open risk concern they may see, each once."""
    user = request.user
    # The people the user may see (their caseload, their teams, those they cover), by the one rule. An
    # alert names the person it is about only to those who may see them (a buddy from another team may not).
    people = Person.objects.visible_to(user)
    person_shown = Exists(people.filter(pk=OuterRef("person_id")))
    concerns = (
        RiskConcern.objects.visible_to(user)
        .unresolved()
        .select_related("person", "raised_by", "escalated_to")
        .annotate(person_shown=person_shown)
    )
    visits = (
        Visit.objects.visible_to(user)
        .open()
        .select_related("worker", "person", "team", "acknowledged_by")
        .annotate(person_shown=person_shown)
    )
    awaiting = list(
        concerns.filter(status=ConcernStatus.OPEN)
        .filter(Q(escalated_to=user) | _alerted(user, "concern"))
        .order_by("raised_at")
    )
    data = {
        "user": user,
        "my_visit": visits.filter(worker=user).first() if user.is_psw or user.is_manager else None,
        "concerns_to_acknowledge": awaiting,
        "visits_to_acknowledge": list(
            visits.filter(alert_level__gte=2, acknowledged_at__isnull=True)
            .exclude(worker=user)
            .filter(_alerted(user, "visit"))
        ),
        "show_concerns": user.is_psw or user.is_manager,
    }
    if data["show_concerns"]:
        # A concern already among the alerts above is not listed again.
        listed = {c.pk for c in awaiting}
        others = concerns.filter(person__in=people).order_by("-raised_at")
        data["open_concerns"] = [c for c in others if c.pk not in listed]
        data["open_concern_count"] = len(listed | {c.pk for c in others})
    if user.is_manager:
        data["team_visits"] = list(visits.filter(team_id__in=user.managed_team_ids).order_by("expected_end"))
    today = timezone.localdate()
    for concern in [*awaiting, *data.get("open_concerns", [])]:
        concern.first_words = Truncator(concern.description).words(FIRST_WORDS)
        concern.waited = waited(concern.raised_at, today)
    return data


def my_caseload(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_psw:
        return None
    people = Person.objects.visible_to(user).filter(assigned_worker=user).open().with_summary()
    appointments = Appointment.objects.visible_to(user).filter(worker=user).upcoming().select_related("person")
    return {
        "my_people": caseload_rows(people),
        "covering": _covering(user),
        "upcoming_appointments": list(appointments[:UPCOMING_APPOINTMENTS]),
    }


def my_teams(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_manager:
        return None
    teams = Team.objects.visible_to(user).filter(pk__in=user.managed_team_ids)
    workers = (
        User.objects.visible_to(user)
        .filter(memberships__team_id__in=user.managed_team_ids, memberships__role=Role.PSW)
        .annotate(
            # Counted in the manager's teams only, as the people list it links to lists them.
            open_caseload=Count(
                "caseload",
                filter=~Q(caseload__status=PersonStatus.CLOSED) & Q(caseload__team_id__in=user.managed_team_ids),
                distinct=True,
            )
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    team_people = Person.objects.visible_to(user).filter(team_id__in=user.managed_team_ids).open()
    awaiting = team_people.filter(
        Q(assigned_worker__isnull=True) | ~Q(assigned_worker__employment_status=EmploymentStatus.IN_POST)
    )
    return {
        "managed_teams": list(teams),
        "team_workers": list(workers),
        "awaiting_allocation": list(awaiting.select_related("assigned_worker", "team").order_by("referral_date")),
    }


def register() -> None:
    plugins.register_home_section("caseload-safety", template="caseload/home/_safety.html", context=safety, order=0)
    plugins.register_home_section("caseload-mine", template="caseload/home/_psw.html", context=my_caseload, order=100)
    plugins.register_home_section("caseload-teams", template="caseload/home/_manager.html", context=my_teams, order=200)
