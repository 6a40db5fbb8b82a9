"""Outcome measures (SPEC section 4): goal-based outcomes and DIALOG, with change since the first rating."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import GBO_RELIABLE_CHANGE, DialogAssessment, GoalRating, Rater


@dataclass
class GoalOutcome:
    first: GoalRating
    latest: GoalRating

    @property
    def change(self) -> int:
        return self.latest.score - self.first.score

    @property
    def is_reliable(self) -> bool:
        return abs(self.change) >= GBO_RELIABLE_CHANGE


def goal_outcome(ratings: list[GoalRating]) -> GoalOutcome | None:
    """Change = latest minus first of the current ratings; None until there are two."""
    current = [r for r in ratings if r.is_current]
    if len(current) < 2:
        return None
    ordered = sorted(current, key=lambda r: (r.rated_on, r.recorded_at))
    return GoalOutcome(first=ordered[0], latest=ordered[-1])


@dataclass
class DialogOutcome:
    rater: str
    first: DialogAssessment
    latest: DialogAssessment
    count: int

    @property
    def rater_label(self) -> str:
        return Rater(self.rater).label

    @property
    def quality_of_life_change(self) -> Decimal:
        return self.latest.quality_of_life - self.first.quality_of_life

    @property
    def treatment_satisfaction_change(self) -> Decimal:
        return self.latest.treatment_satisfaction - self.first.treatment_satisfaction


def dialog_outcomes(assessments: list[DialogAssessment]) -> list[DialogOutcome]:
    """First and latest DIALOG for each rater: the person's view and the worker's are never mixed."""
    outcomes = []
    for rater in Rater.values:
        mine = sorted(
            (a for a in assessments if a.rater == rater and a.is_current), key=lambda a: (a.assessed_on, a.recorded_at)
        )
        if mine:
            outcomes.append(DialogOutcome(rater=rater, first=mine[0], latest=mine[-1], count=len(mine)))
    return outcomes
