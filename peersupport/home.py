"""The core's sections of the role-aware home page: the reminders warning, the workforce for the
development team, the governance roles' work and the administrator's counts. The apps register their
own (plugins)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from . import plugins, reminders
from .governance_models import Destruction, RequestStatus, SubjectAccessRequest
from .models import EmploymentStatus, Role, Team, User


def reminders_warning(request: HttpRequest) -> dict | None:
    """Administrators and managers are told when reminders and alerts have stopped going out."""
    user = request.user
    if not (user.is_superuser or user.is_manager) or not reminders.sender_is_stale():
        return None
    return {"reminders_last_run": reminders.last_sender_run()}


def workforce(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_development_team:
        return None
    in_post = Q(memberships__role=Role.PSW, memberships__user__employment_status=EmploymentStatus.IN_POST)
    on_leave = Q(memberships__role=Role.PSW, memberships__user__employment_status=EmploymentStatus.LONG_LEAVE)
    teams = Team.objects.visible_to(user).service_teams()
    return {
        "workforce": list(
            teams.annotate(
                psws_in_post=Count("memberships", filter=in_post), psws_on_leave=Count("memberships", filter=on_leave)
            ).order_by("name")
        ),
        "new_starters": list(
            User.objects.visible_to(user)
            .peer_workers()
            .in_post()
            .filter(start_date__isnull=False)
            .order_by("-start_date")[:8]
        ),
    }


def governance(request: HttpRequest) -> dict | None:
    """The information governance lead's and clinical reviewers' work waiting: subject access requests
    by stage (and those past their due date), destructions waiting for a reviewer's agreement."""
    user = request.user
    if not (user.is_information_governance_lead or user.is_clinical_reviewer):
        return None
    waiting = (RequestStatus.OPEN, RequestStatus.PREPARED)
    requests = SubjectAccessRequest.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status=RequestStatus.OPEN)),
        prepared=Count("pk", filter=Q(status=RequestStatus.PREPARED)),
        overdue=Count("pk", filter=Q(status__in=waiting, due_on__lt=timezone.localdate())),
    )
    to_agree = Destruction.objects.visible_to(user).filter(agreed_by=None).count()
    return {"governance": {**requests, "destructions_to_agree": to_agree}}


def administration(request: HttpRequest) -> dict | None:
    if not request.user.is_superuser:
        return None
    return {"admin_counts": {"staff": User.objects.count(), "teams": Team.objects.count()}}


plugins.register_home_section(
    "reminders-warning", template="home/_reminders_warning.html", context=reminders_warning, order=-100
)
plugins.register_home_section("workforce", template="home/_workforce.html", context=workforce, order=800)
plugins.register_home_section("governance", template="home/_governance.html", context=governance, order=850)
plugins.register_home_section("administration", template="home/_administration.html", context=administration, order=900)
