"""Supervision's sections of the role-aware home page (registered in SupervisionConfig.ready()).
No section says anything about a wellbeing plan: it is optional and never nagged about."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from peersupport import plugins

from .models import Action, Agreement, Induction, Session, SessionStatus


def mine(request: HttpRequest) -> dict | None:
    """A worker's next supervision, their open actions and their induction's progress."""
    user = request.user
    if not user.is_psw:
        return None
    today = timezone.localdate()
    upcoming = Session.objects.filter(
        agreement=OuterRef("pk"), status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    agreements = list(
        Agreement.objects.visible_to(user)
        .active_on(today)
        .filter(supervisee=user)
        .select_related("supervisor")
        .annotate(
            next_session_at=Subquery(upcoming.values("starts_at")[:1]),
            next_session_pk=Subquery(upcoming.values("pk")[:1]),
        )
    )
    booked = sorted((a for a in agreements if a.next_session_at), key=lambda a: a.next_session_at)
    next_session = (
        {
            "at": booked[0].next_session_at,
            "url": reverse("supervision:session-detail", args=[booked[0].next_session_pk]),
            "supervisor": booked[0].supervisor,
        }
        if booked
        else None
    )
    actions = Action.objects.visible_to(user).open().filter(owner=user).select_related("session")
    induction = Induction.objects.visible_to(user).filter(worker=user, shadowing_signed_off_at__isnull=True)
    return {
        "supervision_agreements": agreements,
        "supervision_next_session": next_session,
        "supervision_actions": list(actions[:10]),
        "supervision_induction": induction.select_related("mentor").first(),
        "supervision_today": today,
    }


def supervising(request: HttpRequest) -> dict | None:
    """A supervisor's supervisees' due dates and a manager's overdue supervision in their teams: one
    query for both."""
    user = request.user
    if not (user.is_manager or user.is_development_team):
        return None
    today = timezone.localdate()
    scope = Q(supervisor=user)
    if user.managed_team_ids:
        scope |= Q(supervisee__memberships__team_id__in=user.managed_team_ids, next_due_on__lt=today)
    agreements = list(
        Agreement.objects.visible_to(user)
        .active_on(today)
        .filter(pk__in=Agreement.objects.filter(scope).values("pk"))
        .select_related("supervisee", "supervisor")
        .order_by("next_due_on")
    )
    supervisees = [a for a in agreements if a.supervisor_id == user.pk]
    overdue = [a for a in agreements if a.next_due_on and a.next_due_on < today and a.supervisor_id != user.pk]
    if not supervisees and not user.is_manager:
        return None
    return {
        "supervision_supervisees": supervisees,
        "supervision_team_overdue": overdue if user.is_manager else [],
        "supervision_is_manager": user.is_manager,
        "supervision_today": today,
    }


def register() -> None:
    plugins.register_home_section("supervision-mine", template="supervision/home/_mine.html", context=mine, order=400)
    plugins.register_home_section(
        "supervision-supervising", template="supervision/home/_supervising.html", context=supervising, order=410
    )
