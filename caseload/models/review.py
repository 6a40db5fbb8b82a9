"""Manager review: caseload cover and the people's and goals' summaries the board reads."""

from __future__ import annotations

from django.db import models

from .goals import RecoveryGoal
from .people import Person


class PersonSummary(models.Model):
    """Figures derived from a person's records, refreshed whenever one of those records is saved
    (caseload/summaries.py), so the team board reads one row per person instead of searching years
    of contacts. Derived data, not a record: it can always be rebuilt from the records."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    last_seen_at = models.DateTimeField(null=True, blank=True)
    plan_review_on = models.DateField(null=True, blank=True)
    # The person's own DIALOG ratings (quality of life): first, latest and how many.
    dialog_first = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    dialog_latest = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    dialog_count = models.PositiveIntegerField(default=0)
    # Goal-based outcomes: the total of latest minus first rating over the goals rated twice or more.
    gbo_change_total = models.IntegerField(default=0)
    gbo_goals = models.PositiveIntegerField(default=0)
    # Counts for a period are kept with the period they were counted in (its first day): once the
    # month or quarter has passed they read as none, and the next change counts the new period.
    contacts_month = models.DateField(null=True, blank=True)
    contacts_in_month = models.PositiveIntegerField(default=0)
    goals_quarter = models.DateField(null=True, blank=True)
    goals_achieved_in_quarter = models.PositiveIntegerField(default=0)
    open_risk_concerns = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Summary of {self.person_id}"


class GoalSummary(models.Model):
    """A goal's first and latest current rating and how many it has, refreshed on every rating save."""

    goal = models.OneToOneField(RecoveryGoal, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    first_score = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_score = models.PositiveSmallIntegerField(null=True, blank=True)
    ratings = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Summary of goal {self.goal_id}"
