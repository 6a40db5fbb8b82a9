"""Service figures (SPEC section 5): waiting times, closures and contacts by month, each in a fixed
number of grouped queries."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import (
    ClosureReason,
    Contact,
    ContactType,
    Person,
    StatusChange,
)
from ..periods import months_back

CHART_MONTHS = 12


# Service figures --------------------------------------------------------------------------------


@dataclass
class WaitingTimes:
    """Referral to first contact, for people referred in the period."""

    waits: list[int]
    still_waiting: list[int]

    @property
    def median(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def longest(self) -> int | None:
        return max(self.waits) if self.waits else None

    @property
    def longest_still_waiting(self) -> int | None:
        return max(self.still_waiting) if self.still_waiting else None


@dataclass
class MonthlyWaits:
    month: dt.date
    times: WaitingTimes


def waiting_times(people: QuerySet[Person], today: dt.date, months: int = CHART_MONTHS) -> list[MonthlyWaits]:
    """Days from referral to the first contact that happened, per month of referral (one query).

    People still waiting count towards "still waiting" with the days they have waited so far.
    """
    firsts = months_back(today, months)
    first_seen = (
        Contact.objects.current().seen().filter(person=OuterRef("pk")).order_by("contact_at").values("contact_at")[:1]
    )
    rows = (
        people.filter(referral_date__gte=firsts[0])
        .annotate(first_contact_at=Subquery(first_seen))
        .values_list("referral_date", "first_contact_at")
    )
    by_month = {month: WaitingTimes([], []) for month in firsts}
    for referred, first_contact_at in rows:
        times = by_month.get(referred.replace(day=1))
        if times is None:
            continue
        if first_contact_at is None:
            times.still_waiting.append((today - referred).days)
        else:
            times.waits.append(max((timezone.localdate(first_contact_at) - referred).days, 0))
    return [MonthlyWaits(month, times) for month, times in by_month.items()]


def overall(monthly: list[MonthlyWaits]) -> WaitingTimes:
    return WaitingTimes(
        waits=[w for m in monthly for w in m.times.waits],
        still_waiting=[w for m in monthly for w in m.times.still_waiting],
    )


def closures_by_reason(people: QuerySet[Person], since: dt.date) -> list[tuple[str, int]]:
    """Closures since a date by reason, most common first, every reason listed (one query)."""
    counts = dict(
        StatusChange.objects.closures()
        .filter(person__in=people.values("pk"), changed_on__gte=since)
        .values_list("closure_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(label, counts.get(value, 0)) for value, label in ClosureReason.choices]
    if counts.get(""):
        rows.append(("No reason recorded", counts[""]))
    return sorted(rows, key=lambda row: -row[1])


@dataclass
class MonthOfContacts:
    month: dt.date
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def contacts_by_type(people: QuerySet[Person], today: dt.date, months: int = CHART_MONTHS) -> list[MonthOfContacts]:
    """Current contacts per calendar month (London) and type, for the last `months` months (one query)."""
    firsts = months_back(today, months)
    since = timezone.make_aware(dt.datetime.combine(firsts[0], dt.time.min))
    rows = (
        Contact.objects.current()
        .filter(person__in=people.values("pk"), contact_at__gte=since)
        .annotate(month=TruncMonth("contact_at"))
        .values_list("month", "contact_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months_found = {month: MonthOfContacts(month, {t: 0 for t in ContactType.values}) for month in firsts}
    for month, contact_type, n in rows:
        key = month.date() if isinstance(month, dt.datetime) else month
        if key in months_found:
            months_found[key].by_type[contact_type] += n
    return list(months_found.values())
