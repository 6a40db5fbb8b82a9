from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caseload.attention import caseload_rows
from caseload.models import Appointment, CaseloadCover, Person, PersonStatus

from .models import EmploymentStatus, Role, Team, User

UPCOMING_APPOINTMENTS = 6


def _worker_rows(team_ids: set[int]) -> list[User]:
    """Peer support workers in the given teams with their open caseload size."""
    return list(
        User.objects.filter(memberships__team_id__in=team_ids, memberships__role=Role.PSW)
        .annotate(open_caseload=Count("caseload", filter=~Q(caseload__status=PersonStatus.CLOSED), distinct=True))
        .distinct()
        .order_by("last_name", "first_name")
    )


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


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {}
    if user.is_psw:
        people = Person.objects.visible_to(user).filter(assigned_worker=user).open().with_summary()
        context["my_people"] = caseload_rows(people)
        context["covering"] = _covering(user)
        appointments = Appointment.objects.visible_to(user).filter(worker=user).upcoming()
        context["upcoming_appointments"] = list(appointments.select_related("person")[:UPCOMING_APPOINTMENTS])
    if user.is_manager:
        teams = Team.objects.filter(pk__in=user.managed_team_ids)
        context["managed_teams"] = list(teams)
        context["team_workers"] = _worker_rows(user.managed_team_ids)
        team_people = Person.objects.visible_to(user).filter(team_id__in=user.managed_team_ids).open()
        context["awaiting_allocation"] = list(
            team_people.filter(Q(assigned_worker__isnull=True) | ~Q(assigned_worker__employment_status="in_post"))
            .select_related("assigned_worker", "team")
            .order_by("referral_date")
        )
    if user.is_development_team:
        context["workforce"] = list(
            Team.objects.service_teams()
            .annotate(
                psws_in_post=Count(
                    "memberships",
                    filter=Q(memberships__role=Role.PSW, memberships__user__employment_status=EmploymentStatus.IN_POST),
                ),
                psws_on_leave=Count(
                    "memberships",
                    filter=Q(
                        memberships__role=Role.PSW, memberships__user__employment_status=EmploymentStatus.LONG_LEAVE
                    ),
                ),
            )
            .order_by("name")
        )
        context["new_starters"] = list(
            User.objects.peer_workers().in_post().filter(start_date__isnull=False).order_by("-start_date")[:8]
        )
    if user.is_superuser:
        context["admin_counts"] = {
            "staff": User.objects.count(),
            "teams": Team.objects.count(),
        }
    return render(request, "home.html", context)
