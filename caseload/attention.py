"""Who on a caseload needs attention first: never seen, not seen for a while, reviews overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .filters import NOT_SEEN_DAYS
from .models import Person, PersonStatus


def attention_reasons(person: Person, today: dt.date) -> list[str]:
    """Why a person on a caseload needs attention (needs the `with_summary()` annotations)."""
    if person.status in (PersonStatus.CLOSED, PersonStatus.PAUSED):
        return []
    reasons = []
    if person.last_seen_at is None:
        reasons.append("No contact yet")
    elif (days := (today - timezone.localdate(person.last_seen_at)).days) >= NOT_SEEN_DAYS:
        reasons.append(f"Not seen for {days} days")
    if person.plan_review_on and person.plan_review_on < today:
        reasons.append("Recovery plan review overdue")
    if person.statement_review_on and person.statement_review_on < today:
        reasons.append("Advance statement review overdue")
    return reasons


def caseload_rows(people: QuerySet[Person]) -> list[Person]:
    """People (annotated by `with_summary()`) with their attention reasons, who needs attention first."""
    today = timezone.localdate()
    rows = list(people.select_related("team", "assigned_worker"))
    for person in rows:
        person.attention = attention_reasons(person, today)
        person.days_since_seen = (today - timezone.localdate(person.last_seen_at)).days if person.last_seen_at else None
    never = 10**6
    rows.sort(
        key=lambda p: (
            p.is_closed,
            p.status == PersonStatus.PAUSED,
            -len(p.attention),
            -(never if p.days_since_seen is None else p.days_since_seen),
            p.family_name,
        )
    )
    return rows
