import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import EntryStatus, GoalRating, RecoveryGoal
from caseload.tests.factories import GoalRatingFactory, RecoveryGoalFactory


def test_psw_sets_a_goal_in_the_persons_words(client_for, trust):
    url = reverse("caseload:goal-create", args=[trust.person.pk])
    data = {"description": "I want to sing with my choir again.", "life_area": "community", "set_on": "2026-11-20"}
    response = client_for(trust.psw).post(url, data)
    goal = RecoveryGoal.objects.get()
    assert response["Location"] == goal.get_absolute_url()
    assert goal.person == trust.person and goal.created_by == trust.psw and goal.status == "active"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"description": ""}, "description", "This field is required"),
        ({"description": "x" * 1001}, "description", "at most 1000 characters"),
        ({"life_area": "moon"}, "life_area", "Select a valid choice"),
        ({"set_on": "2099-01-01"}, "set_on", "cannot be in the future"),
        ({"target_date": "2026-11-01"}, "target_date", "before the goal was set"),
    ],
)
def test_bad_goals_are_refused(client_for, trust, overrides, field, message):
    data = {"description": "Cook a meal for friends.", "life_area": "home", "set_on": "2026-11-20", **overrides}
    response = client_for(trust.psw).post(reverse("caseload:goal-create", args=[trust.person.pk]), data)
    assert message in str(response.context["form"].errors[field])
    assert not RecoveryGoal.objects.exists()


def test_rating_a_goal_draws_the_chart_with_a_text_alternative(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    GoalRatingFactory(goal=goal, score=2, rated_on=dt.date(2026, 9, 5))
    client = client_for(trust.psw)
    response = client.post(reverse("caseload:goal-rate", args=[goal.pk]), {"score": "6", "rated_on": "2026-11-20"})
    assert response.status_code == 302
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "2 on 5 Sep 2026; 6 on 20 Nov 2026" in page
    assert "+4" in page and "reliable change" in page
    goals_section = client.get(reverse("caseload:person-goals", args=[trust.person.pk])).content.decode()
    assert "<polyline" in goals_section


@pytest.mark.parametrize(
    "data, field",
    [
        ({"score": "11", "rated_on": "2026-11-20"}, "score"),
        ({"score": "-1", "rated_on": "2026-11-20"}, "score"),
        ({"score": "", "rated_on": "2026-11-20"}, "score"),
        ({"score": "5", "rated_on": "2099-11-20"}, "rated_on"),
        ({"score": "5", "rated_on": "2026-08-01"}, "rated_on"),
    ],
)
def test_bad_ratings_are_refused(client_for, trust, data, field):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    response = client_for(trust.psw).post(reverse("caseload:goal-rate", args=[goal.pk]), data)
    assert field in response.context["form"].errors
    assert not GoalRating.objects.exists()


def test_amending_a_rating_keeps_the_original(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    rating = GoalRatingFactory(goal=goal, score=3, rated_on=dt.date(2026, 11, 1))
    client = client_for(trust.psw)
    url = reverse("caseload:rating-amend", args=[rating.pk])
    client.post(url, {"score": "4", "rated_on": "2026-11-01", "reason": "Sam said 4, I misheard."})
    rating.refresh_from_db()
    assert rating.entry_status == EntryStatus.AMENDED and rating.score == 3
    assert goal.ratings.current().get().score == 4
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Sam said 4, I misheard." in page and "3 out of 10" in page


def test_goal_status_change_is_kept_in_the_history(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    client = client_for(trust.psw)
    data = {
        "description": goal.description,
        "life_area": goal.life_area,
        "status": "achieved",
        "change_reason": "Did it!",
    }
    assert client.post(reverse("caseload:goal-edit", args=[goal.pk]), data).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.status_changed_on == timezone.localdate()
    history = client.get(reverse("caseload:person-history", args=[trust.person.pk])).content.decode()
    assert "Goal changed" in history and "status to achieved" in history and "Did it!" in history


def test_other_worker_cannot_reach_a_goal(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw)
    rating = GoalRatingFactory(goal=goal)
    client = client_for(trust.other_psw)
    for name, pk in [
        ("goal-detail", goal.pk),
        ("goal-rate", goal.pk),
        ("goal-edit", goal.pk),
        ("rating-amend", rating.pk),
    ]:
        assert client.get(reverse(f"caseload:{name}", args=[pk])).status_code == 404


def test_an_off_scale_rating_says_what_to_do(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    response = client_for(trust.psw).post(
        reverse("caseload:goal-rate", args=[goal.pk]), {"score": "11", "rated_on": "2026-11-20"}
    )
    assert response.status_code == 200
    assert "Choose a rating from 0 to 10: 11 is not on the scale." in response.content.decode()
    assert not GoalRating.objects.exists()


def test_a_second_rating_on_the_same_day_asks_to_replace_or_keep_both(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, set_on=dt.date(2026, 9, 1))
    first = GoalRatingFactory(goal=goal, score=3, rated_on=dt.date(2026, 11, 20))
    client = client_for(trust.psw)
    url = reverse("caseload:goal-rate", args=[goal.pk])
    response = client.post(url, {"score": "5", "rated_on": "2026-11-20"})
    assert response.status_code == 200
    assert "already rated 3 out of 10 on 20 Nov 2026" in response.content.decode()
    assert goal.ratings.count() == 1
    client.post(url, {"score": "5", "rated_on": "2026-11-20", "same_day": "replace"})
    first.refresh_from_db()
    assert first.entry_status == EntryStatus.AMENDED
    assert [r.score for r in goal.ratings.current()] == [5]
    client.post(url, {"score": "6", "rated_on": "2026-11-20", "same_day": "keep"})
    assert sorted(r.score for r in goal.ratings.current()) == [5, 6]
    response = client.post(url, {"score": "6", "rated_on": "2026-11-20", "same_day": "neither"})
    assert "same_day" in response.context["form"].errors and goal.ratings.current().count() == 2


@pytest.mark.django_db
def test_the_goal_chart_places_ratings_on_a_time_axis():
    import re

    from caseload.templatetags.caseload import goal_chart

    goal = RecoveryGoalFactory(set_on=dt.date(2026, 1, 1))
    for day, score in ((dt.date(2026, 1, 14), 2), (dt.date(2026, 2, 4), 4), (dt.date(2026, 12, 1), 8)):
        GoalRatingFactory(goal=goal, score=score, rated_on=day)
    svg = goal_chart(goal.ratings.order_by("rated_on"), "Cook")
    xs = [float(pair.split(",")[0]) for pair in re.search(r'points="([^"]+)"', svg).group(1).split()]
    assert xs[0] < xs[1] < xs[2]
    assert (xs[1] - xs[0]) * 5 < xs[2] - xs[1]  # 21 days apart, then 300
    assert "14 Jan 2026" in svg and "1 Dec 2026" in svg
