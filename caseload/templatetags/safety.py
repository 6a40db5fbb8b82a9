"""Safety panels placed on pages owned by others (the person page, the home page) with one tag.

Each panel fetches through the scoped querysets, with a fixed number of queries.
"""

from __future__ import annotations

from django import template
from django.db.models import Q

from caseload.models import ConcernStatus, Person, RiskConcern, SafetyEvent, SafetyEventKind, Visit

register = template.Library()


def _alerted_me(user) -> Q:
    return Q(
        pk__in=SafetyEvent.objects.filter(kind=SafetyEventKind.ALERT, recipient=user)
        .values("visit")
        .exclude(visit=None)
    )


@register.inclusion_tag("caseload/safety/_safety_panel.html", takes_context=True)
def safety_panel(context, person: Person) -> dict:
    user = context["request"].user
    concerns = (
        RiskConcern.objects.visible_to(user)
        .filter(person=person)
        .unresolved()
        .select_related("raised_by", "escalated_to")
        .order_by("-raised_at")
    )
    return {
        "person": person,
        "user": user,
        "concerns": list(concerns),
        "my_visit": Visit.objects.open().filter(worker=user).select_related("person").first(),
        "can_lone_work": user.is_psw or user.is_manager,
    }


@register.inclusion_tag("caseload/safety/_safety_home.html", takes_context=True)
def safety_home(context) -> dict:
    user = context["request"].user
    concerns = RiskConcern.objects.visible_to(user).unresolved().select_related("person", "raised_by", "escalated_to")
    visits = Visit.objects.visible_to(user).open().select_related("worker", "team", "acknowledged_by")
    awaiting = concerns.filter(status=ConcernStatus.OPEN).filter(
        Q(escalated_to=user)
        | Q(
            pk__in=SafetyEvent.objects.filter(kind=SafetyEventKind.ALERT, recipient=user)
            .values("concern")
            .exclude(concern=None)
        )
    )
    data = {
        "user": user,
        "my_visit": visits.filter(worker=user).first() if user.is_psw or user.is_manager else None,
        "concerns_to_acknowledge": list(awaiting.order_by("raised_at")),
        "visits_to_acknowledge": list(
            visits.filter(alert_level__gte=2, acknowledged_at__isnull=True)
            .exclude(worker=user)
            .filter(_alerted_me(user))
        ),
        "show_concerns": user.is_psw or user.is_manager,
    }
    if data["show_concerns"]:
        # The people the user may see (their caseload, their teams, those they cover), by the one rule.
        people = Person.objects.visible_to(user)
        data["open_concerns"] = list(concerns.filter(person__in=people).order_by("-raised_at"))
    if user.is_manager:
        data["team_visits"] = list(visits.filter(team_id__in=user.managed_team_ids).order_by("expected_end"))
    return data
