"""Keeping the board's summaries current (PersonSummary, GoalSummary in caseload/models.py).

Every save of a contact, DIALOG, recovery plan, goal, goal rating or risk concern (new entries,
amendments and "entered in error" alike; a concern's resolution too) refreshes the summary of the
person or goal it belongs to, in the same transaction. The figures are computed from the current
records by one query, so a summary is always what the records say; rebuild_summaries() recomputes
them all, in batches. Counts for this month or quarter are kept with their period, so they read as
none once it has passed: any record that could count in a new period is saved in it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .attention import LAST_SEEN_SQL
from .models import (
    Contact,
    DialogAssessment,
    EntryStatus,
    GoalRating,
    GoalStatus,
    GoalSummary,
    Person,
    PersonSummary,
    Rater,
    RecoveryGoal,
    RecoveryPlan,
    RiskConcern,
)
from .periods import month_start, quarter_start

BATCH = 1000
PERSON_FIELDS = [
    "last_seen_at",
    "plan_review_on",
    "dialog_first",
    "dialog_latest",
    "dialog_count",
    "gbo_change_total",
    "gbo_goals",
    "contacts_month",
    "contacts_in_month",
    "goals_quarter",
    "goals_achieved_in_quarter",
    "open_risk_concerns",
]
GOAL_FIELDS = ["first_score", "latest_score", "ratings"]


def _first_latest_count(entries: QuerySet, value: str, order: tuple[str, ...], series: str) -> dict[str, Subquery]:
    newest_first = tuple(f"-{name}" for name in order)
    return {
        "first": Subquery(entries.order_by(*order).values(value)[:1]),
        "latest": Subquery(entries.order_by(*newest_first).values(value)[:1]),
        "count": Subquery(entries.order_by().values(series).annotate(n=Count("pk")).values("n")[:1]),
    }


def _count(entries: QuerySet) -> Coalesce:
    """How many of a person's entries (a correlated subquery), 0 when none."""
    return Coalesce(Subquery(entries.order_by().values("person").annotate(n=Count("pk")).values("n")[:1]), 0)


def _person_rows(people: QuerySet[Person]) -> Iterable[PersonSummary]:
    now = timezone.now()
    month, quarter = month_start(now), quarter_start(timezone.localdate(now))
    person = OuterRef("pk")
    achieved = RecoveryGoal.objects.current().filter(status=GoalStatus.ACHIEVED, status_changed_on__gte=quarter)
    seen = Contact.objects.current().seen().filter(person=person).order_by("-contact_at")
    plan = RecoveryPlan.objects.current().filter(person=person).order_by("-version")
    dialog = DialogAssessment.objects.current().filter(person=person, rater=Rater.PERSON)
    rated = RecoveryGoal.objects.current().filter(person=person, summary__ratings__gte=2).order_by().values("person")
    change = F("summary__latest_score") - F("summary__first_score")
    rows = people.annotate(
        seen=Subquery(seen.values("contact_at")[:1]),
        review=Subquery(plan.values("review_on")[:1]),
        **_first_latest_count(dialog, "quality_of_life", ("assessed_on", "recorded_at"), "person"),
        gbo_total=Subquery(rated.annotate(total=Sum(change)).values("total")[:1]),
        gbo_goals=Subquery(rated.annotate(n=Count("pk")).values("n")[:1]),
        month_contacts=_count(Contact.objects.current().filter(person=person, contact_at__gte=month)),
        achieved=_count(achieved.filter(person=person)),
        concerns=_count(RiskConcern.objects.unresolved().filter(person=person)),
    )
    figures = ("seen", "review", "first", "latest", "count", "gbo_total", "gbo_goals", "month_contacts", "achieved")
    for row in rows.values("pk", *figures, "concerns"):
        yield PersonSummary(
            person_id=row["pk"],
            last_seen_at=row["seen"],
            plan_review_on=row["review"],
            dialog_first=row["first"],
            dialog_latest=row["latest"],
            dialog_count=row["count"] or 0,
            gbo_change_total=row["gbo_total"] or 0,
            gbo_goals=row["gbo_goals"] or 0,
            contacts_month=month.date(),
            contacts_in_month=row["month_contacts"],
            goals_quarter=quarter,
            goals_achieved_in_quarter=row["achieved"],
            open_risk_concerns=row["concerns"],
        )


def _goal_rows(goals: QuerySet[RecoveryGoal]) -> Iterable[GoalSummary]:
    ratings = GoalRating.objects.current().filter(goal=OuterRef("pk"))
    rows = goals.annotate(**_first_latest_count(ratings, "score", ("rated_on", "recorded_at"), "goal")).values_list(
        "pk", "first", "latest", "count"
    )
    for pk, first, latest, count in rows:
        yield GoalSummary(goal_id=pk, first_score=first, latest_score=latest, ratings=count or 0)


def refresh_people(people: QuerySet[Person]) -> None:
    PersonSummary.objects.bulk_create(
        list(_person_rows(people)), update_conflicts=True, unique_fields=["person"], update_fields=PERSON_FIELDS
    )


def refresh_goals(goals: QuerySet[RecoveryGoal]) -> None:
    GoalSummary.objects.bulk_create(
        list(_goal_rows(goals)), update_conflicts=True, unique_fields=["goal"], update_fields=GOAL_FIELDS
    )


def rebuild_summaries() -> None:
    """Recompute every summary from the records, a batch at a time (bounded memory). Goals
    first: a person's goal-based outcome adds up their goals' summaries."""
    for model, refresh in ((RecoveryGoal, refresh_goals), (Person, refresh_people)):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            refresh(model.objects.filter(pk__in=ids[start : start + BATCH]))


# Written by hand, as the board's query is: it runs on every contact saved, and the ORM took longer
# to build the UPDATE than the database takes to run it. The same figures as _person_rows.
CONTACT_FIGURES_SQL = f"""
UPDATE {PersonSummary._meta.db_table} SET
    last_seen_at = ({LAST_SEEN_SQL}),
    contacts_month = %s,
    contacts_in_month = (SELECT count(*) FROM {Contact._meta.db_table} c
        WHERE c.person_id = %s AND c.entry_status = '{EntryStatus.CURRENT.value}' AND c.contact_at >= %s)
WHERE person_id = %s
"""  # noqa: S608


def refresh_contact_figures(person_id: int) -> None:
    """A contact's save changes only two of the person's figures: when they were last seen and this
    month's contacts. Those by one UPDATE; the full refresh when the person has no summary yet."""
    ops = connection.ops
    month = month_start(timezone.now())
    params = [
        person_id,
        ops.adapt_datefield_value(month.date()),
        person_id,
        ops.adapt_datetimefield_value(month),
        person_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(CONTACT_FIGURES_SQL, params)
        updated = cursor.rowcount
    if not updated:
        refresh_people(Person.objects.filter(pk=person_id))


@receiver(post_save, sender=Contact)
def _contact_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_contact_figures(instance.person_id)


@receiver(post_save, sender=DialogAssessment)
@receiver(post_save, sender=RecoveryPlan)
@receiver(post_save, sender=RiskConcern)
def _person_record_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_people(Person.objects.filter(pk=instance.person_id))


@receiver(post_save, sender=GoalRating)
def _rating_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_goals(RecoveryGoal.objects.filter(pk=instance.goal_id))
        refresh_people(Person.objects.filter(goals=instance.goal_id))


@receiver(post_save, sender=RecoveryGoal)
def _goal_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """A goal achieved counts this quarter; a goal entered in error leaves the person's figures."""
    if not raw:
        refresh_people(Person.objects.filter(pk=instance.person_id))
