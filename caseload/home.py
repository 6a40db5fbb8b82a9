"""The caseload's sections of the role-aware home page, registered in CaseloadConfig.ready()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest

from peersupport import plugins
from peersupport.models import EmploymentStatus, Role, Team, User

from .models import Appointment, CaseloadCover, Person, PersonStatus, caseload_rows

UPCOMING_APPOINTMENTS = 6


def _covering(user: User) -> list[tuple[CaseloadCover, list[Person]]]:
    """The caseloads a worker covers today, each with its open people, who needs attention first
    (two queries, however many)."""
    covers = list(
        CaseloadCover.objects.active_on()
        .filter(covering_worker=user)
        .select_related("absent_worker", "team", "granted_by")
    )
    if not covers:
        return []
    covered = Person.objects.visible_to(user).filter(pk__in=CaseloadCover.objects.people_covered_by(user))
    rows = caseload_rows(covered.exclude(assigned_worker=user).open().with_summary())
    return [
        (cover, [p for p in rows if (p.assigned_worker_id, p.team_id) == (cover.absent_worker_id, cover.team_id)])
        for cover in covers
    ]


def safety(request: HttpRequest) -> dict | None:
    return {}


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
        .annotate(open_caseload=Count("caseload", filter=~Q(caseload__status=PersonStatus.CLOSED), distinct=True))
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
