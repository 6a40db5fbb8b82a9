"""The board's summaries follow every change to the records, corrections included."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from caseload import services
from caseload.models import ContactType, GoalSummary, PersonSummary, Rater
from caseload.summaries import rebuild_summaries
from caseload.tests.factories import (
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
)


def summary_of(person) -> PersonSummary:
    return PersonSummary.objects.get(person=person)


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_logging_a_contact_through_the_form_updates_last_seen(client_for, trust):
    url = reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk})
    when = timezone.localtime() - dt.timedelta(hours=2)
    data = {"contact_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30, "contact_type": "phone"}
    assert client_for(trust.psw).post(url, data).status_code == 302
    assert summary_of(trust.person).last_seen_at == when.replace(second=0, microsecond=0)


def test_a_contact_that_did_not_happen_is_not_seeing_the_person(trust):
    seen = ContactFactory(person=trust.person, contact_at=ago(10))
    ContactFactory(person=trust.person, contact_at=ago(1), contact_type=ContactType.DID_NOT_ATTEND)
    assert summary_of(trust.person).last_seen_at == seen.contact_at


def test_a_contact_entered_in_error_no_longer_counts(trust):
    earlier = ContactFactory(person=trust.person, contact_at=ago(20))
    mistaken = ContactFactory(person=trust.person, contact_at=ago(1))
    assert summary_of(trust.person).last_seen_at == mistaken.contact_at
    mistaken.mark_entered_in_error(by=trust.psw, reason="Wrong person")
    assert summary_of(trust.person).last_seen_at == earlier.contact_at


def test_an_amended_contact_date_moves_last_seen(trust):
    contact = ContactFactory(person=trust.person, contact_at=ago(3))
    replacement = contact.draft_amendment()
    replacement.contact_at = ago(30)
    services.amend(original=contact, replacement=replacement, by=trust.psw, reason="Wrong date")
    assert summary_of(trust.person).last_seen_at == replacement.contact_at


def test_goal_summary_follows_ratings_amendments_and_errors(trust):
    goal = RecoveryGoalFactory(person=trust.person)
    GoalRatingFactory(goal=goal, score=2, rated_on=dt.date(2026, 9, 1))
    latest = GoalRatingFactory(goal=goal, score=5, rated_on=dt.date(2026, 10, 1))
    summary = GoalSummary.objects.get(goal=goal)
    assert (summary.first_score, summary.latest_score, summary.ratings) == (2, 5, 2)
    replacement = latest.draft_amendment()
    replacement.score = 8
    services.amend(original=latest, replacement=replacement, by=trust.psw, reason="Misheard")
    summary.refresh_from_db()
    assert (summary.first_score, summary.latest_score, summary.ratings) == (2, 8, 2)
    replacement.mark_entered_in_error(by=trust.psw, reason="Duplicate")
    summary.refresh_from_db()
    assert (summary.first_score, summary.latest_score, summary.ratings) == (2, 2, 1)


def test_dialog_summary_keeps_to_the_persons_own_ratings(trust):
    DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 6, 1))
    DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 9, 1), rater=Rater.WORKER, mental_health=7)
    summary = summary_of(trust.person)
    assert (summary.dialog_first, summary.dialog_latest, summary.dialog_count) == (
        Decimal("3.63"),
        Decimal("3.63"),
        1,
    )


def test_plan_review_follows_the_latest_current_version(trust):
    first = RecoveryPlanFactory(person=trust.person, version=1, review_on=dt.date(2026, 1, 1))
    second = RecoveryPlanFactory(person=trust.person, version=2, review_on=dt.date(2027, 1, 1))
    assert summary_of(trust.person).plan_review_on == second.review_on
    second.mark_entered_in_error(by=trust.psw, reason="Wrong person's plan")
    assert summary_of(trust.person).plan_review_on == first.review_on


def test_rebuilding_gives_the_same_summaries_as_keeping_them_current(trust):
    goal = RecoveryGoalFactory(person=trust.person)
    GoalRatingFactory(goal=goal, score=3)
    ContactFactory(person=trust.person, contact_at=ago(4))
    DialogAssessmentFactory(person=trust.person)
    RecoveryPlanFactory(person=trust.person, version=1)

    def summaries():
        return list(PersonSummary.objects.filter(person=trust.person).values()), list(GoalSummary.objects.values())

    kept = summaries()
    PersonSummary.objects.all().delete()
    GoalSummary.objects.all().delete()
    rebuild_summaries()
    assert summaries() == kept


def test_persons_goal_based_outcome_adds_up_goals_rated_twice_or_more(trust):
    walking, cooking, once = (RecoveryGoalFactory(person=trust.person) for _ in range(3))
    for goal, scores in ((walking, (2, 7)), (cooking, (6, 4)), (once, (5,))):
        for day, score in enumerate(scores, start=1):
            GoalRatingFactory(goal=goal, score=score, rated_on=dt.date(2026, 10, day))
    summary = summary_of(trust.person)
    assert (summary.gbo_change_total, summary.gbo_goals) == (3, 2)  # +5 and -2; one rating is no change yet
    cooking.mark_entered_in_error(by=trust.psw, reason="Not this person's goal")
    summary = summary_of(trust.person)
    assert (summary.gbo_change_total, summary.gbo_goals) == (5, 1)
