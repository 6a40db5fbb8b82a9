"""Keeping the board's summaries current (PersonSummary, GoalSummary in caseload/models.py).

Every save of a contact, DIALOG, recovery plan or goal rating (new entries, amendments and
"entered in error" alike) refreshes the summary of the person or goal it belongs to, in the same
transaction. The figures are computed from the current records by one query, so a summary is
always what the records say; rebuild_summaries() recomputes them all, in batches.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import (
    Contact,
    DialogAssessment,
    GoalRating,
    GoalSummary,
    Person,
    PersonSummary,
    Rater,
    RecoveryGoal,
    RecoveryPlan,
)

BATCH = 1000
PERSON_FIELDS = [
    "last_seen_at",
    "plan_review_on",
    "dialog_first",
    "dialog_latest",
    "dialog_count",
    "gbo_change_total",
    "gbo_goals",
]
GOAL_FIELDS = ["first_score", "latest_score", "ratings"]


def _first_latest_count(entries: QuerySet, value: str, order: tuple[str, ...], series: str) -> dict[str, Subquery]:
    newest_first = tuple(f"-{name}" for name in order)
    return {
        "first": Subquery(entries.order_by(*order).values(value)[:1]),
        "latest": Subquery(entries.order_by(*newest_first).values(value)[:1]),
        "count": Subquery(entries.order_by().values(series).annotate(n=Count("pk")).values("n")[:1]),
    }


def _person_rows(people: QuerySet[Person]) -> Iterable[PersonSummary]:
    person = OuterRef("pk")
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
    ).values_list("pk", "seen", "review", "first", "latest", "count", "gbo_total", "gbo_goals")
    for pk, seen_at, review, first, latest, count, gbo_total, gbo_goals in rows:
        yield PersonSummary(
            person_id=pk,
            last_seen_at=seen_at,
            plan_review_on=review,
            dialog_first=first,
            dialog_latest=latest,
            dialog_count=count or 0,
            gbo_change_total=gbo_total or 0,
            gbo_goals=gbo_goals or 0,
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


@receiver(post_save, sender=Contact)
@receiver(post_save, sender=DialogAssessment)
@receiver(post_save, sender=RecoveryPlan)
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
    """A goal entered in error leaves the person's goal-based outcome."""
    if not raw:
        refresh_people(Person.objects.filter(pk=instance.person_id))
