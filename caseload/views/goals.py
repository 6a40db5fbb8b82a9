"""Recovery goals and their ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from peersupport.audit import log_view

from .. import services
from ..forms.goals import AmendGoalRatingForm, GoalEditForm, GoalForm, GoalRatingForm
from ..models import (
    GoalRating,
    RecoveryGoal,
    goal_outcome,
)
from .base import GET_POST, check_can_add, check_can_correct, entered_in_error, writable_person

# Goals and ratings ------------------------------------------------------------------------------


@GET_POST
@login_required
def goal_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = writable_person(request, person_pk)
    form = GoalForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.person, goal.created_by = person, request.user
        goal.save()
        messages.success(request, "Goal added. Rate it with the person to start their goal-based outcome.")
        return redirect(goal)
    return render(request, "caseload/goals/goal_form.html", {"form": form, "person": person})


def _visible_goal(request: HttpRequest, goal_pk: int) -> RecoveryGoal:
    return get_object_or_404(RecoveryGoal.objects.visible_to(request.user).select_related("person"), pk=goal_pk)


@require_GET
@login_required
def goal_detail(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    log_view(request, goal.person)
    ratings = list(goal.ratings.select_related("recorded_by", "corrected_by").order_by("rated_on", "recorded_at"))
    current = [r for r in ratings if r.is_current]
    context = {
        "goal": goal,
        "person": goal.person,
        "ratings": ratings,
        "current_ratings": current,
        "outcome": goal_outcome(current),
        "can_edit": goal.person.can_edit(request.user),
        "can_add": goal.person.can_add_entries(request.user) and goal.is_current,
    }
    return render(request, "caseload/goals/goal_detail.html", context)


def _check_goal_open(request: HttpRequest, goal) -> None:
    check_can_add(request, goal.person, "This goal cannot be changed")
    if not goal.is_current:
        raise PermissionDenied("This goal was replaced or marked entered in error: change the current one instead.")


@GET_POST
@login_required
def goal_edit(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    _check_goal_open(request, goal)
    form = GoalEditForm(request.POST or None, instance=goal, person=goal.person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Goal saved. Earlier wording stays in the record's history.")
        return redirect(goal)
    return render(request, "caseload/goals/goal_form.html", {"form": form, "person": goal.person, "goal": goal})


@GET_POST
@login_required
def goal_error(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    return entered_in_error(request, goal, goal.person, "goal", goal.person.get_absolute_url())


@GET_POST
@login_required
def goal_rate(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _visible_goal(request, goal_pk)
    _check_goal_open(request, goal)
    form = GoalRatingForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        rating = form.save(commit=False)
        rating.goal, rating.recorded_by = goal, request.user
        if form.replaces_earlier:
            reason = "Replaced by a second rating on the same day."
            services.amend(original=form.earlier, replacement=rating, by=request.user, reason=reason)
            messages.success(request, f"Rating of {rating.score} out of 10 saved in place of the earlier one.")
        else:
            rating.save()
            messages.success(request, f"Rating of {rating.score} out of 10 saved.")
        return redirect(goal)
    return render(request, "caseload/goals/rating_form.html", {"form": form, "goal": goal, "person": goal.person})


def _visible_rating(request: HttpRequest, rating_pk: int) -> GoalRating:
    ratings = GoalRating.objects.visible_to(request.user).select_related("goal__person")
    return get_object_or_404(ratings, pk=rating_pk)


@GET_POST
@login_required
def rating_amend(request: HttpRequest, rating_pk: int) -> HttpResponse:
    original = _visible_rating(request, rating_pk)
    goal = original.goal
    check_can_correct(request, goal.person, original)
    form = AmendGoalRatingForm(request.POST or None, instance=original.draft_amendment(), goal=goal)
    if request.method == "POST" and form.is_valid():
        services.amend(
            original=original, replacement=form.save(commit=False), by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Rating amended. The original stays in the goal's history.")
        return redirect(goal)
    context = {"form": form, "goal": goal, "person": goal.person, "original": original}
    return render(request, "caseload/goals/rating_form.html", context)


@GET_POST
@login_required
def rating_error(request: HttpRequest, rating_pk: int) -> HttpResponse:
    rating = _visible_rating(request, rating_pk)
    return entered_in_error(request, rating, rating.goal.person, "rating", rating.goal.get_absolute_url())
