"""Forms for recovery goals and their ratings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from ..models import (
    GoalRating,
    Person,
    RecoveryGoal,
)
from .base import (
    CorrectionReasonMixin,
    DatedForm,
)

# Goals -------------------------------------------------------------------------------------


class GoalForm(DatedForm):
    past_dates = ("set_on",)

    class Meta:
        model = RecoveryGoal
        fields = ["description", "life_area", "target_date", "set_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": "Write it as the person says it, e.g. “I want to get back to my choir.”"}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned = super().clean()
        target, set_on = cleaned.get("target_date"), cleaned.get("set_on")
        if target and set_on and target < set_on:
            self.add_error("target_date", "The target date cannot be before the goal was set.")
        if set_on and set_on < self.person.referral_date:
            self.add_error("set_on", "This is before the person was referred.")
        return cleaned


class GoalEditForm(GoalForm):
    change_reason = forms.CharField(
        label="What changed, in a few words", max_length=100, required=False, help_text="Kept in the goal's history."
    )

    class Meta(GoalForm.Meta):
        fields = ["description", "life_area", "target_date", "status", "change_reason"]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target_date")
        if target and target < self.instance.set_on:
            self.add_error("target_date", "The target date cannot be before the goal was set.")
        return cleaned

    def save(self, commit: bool = True) -> RecoveryGoal:
        goal = super().save(commit=False)
        if "status" in self.changed_data:
            goal.status_changed_on = timezone.localdate()
        goal._change_reason = self.cleaned_data.get("change_reason") or None
        if commit:
            goal.save()
        return goal


SCORE_CHOICES = [(n, str(n)) for n in range(11)]
REPLACE, KEEP = "replace", "keep"


class GoalRatingForm(DatedForm):
    past_dates = ("rated_on",)

    score = forms.TypedChoiceField(
        label="Where is the person now, towards this goal?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0: not started. 10: reached it. It is the person's own rating.",
        error_messages={
            "required": "Choose a rating from 0 to 10.",
            "invalid_choice": "Choose a rating from 0 to 10: %(value)s is not on the scale.",
        },
    )
    same_day = forms.ChoiceField(
        label="This goal already has a rating on that day",
        choices=[(REPLACE, "Replace the earlier rating with this one"), (KEEP, "Keep both ratings")],
        widget=forms.RadioSelect,
        required=False,
    )

    checks_same_day = True  # an amendment replaces its own rating anyway

    class Meta:
        model = GoalRating
        fields = ["score", "rated_on", "note"]

    def __init__(self, *args, goal: RecoveryGoal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.earlier: GoalRating | None = None
        self.fields["rated_on"].error_messages.update(
            {"required": "Enter the date of the rating.", "invalid": "Enter the date as day, month and year."}
        )

    def clean_rated_on(self) -> dt.date:
        rated_on = self.cleaned_data["rated_on"]
        if rated_on < self.goal.set_on:
            raise forms.ValidationError("This is before the goal was set: enter a date on or after it.")
        return rated_on

    def clean(self):
        cleaned = super().clean()
        rated_on = cleaned.get("rated_on")
        if rated_on and self.checks_same_day:
            self.earlier = self.goal.ratings.current().filter(rated_on=rated_on).order_by("-recorded_at").first()
        if self.earlier and not cleaned.get("same_day"):
            self.add_error(
                "same_day",
                f"This goal was already rated {self.earlier.score} out of 10 on {date_format(rated_on)}. "
                "Choose to replace that rating or to keep both.",
            )
        return cleaned

    @property
    def asks_about_same_day(self) -> bool:
        return self.earlier is not None or "same_day" in self.errors

    @property
    def replaces_earlier(self) -> bool:
        return self.earlier is not None and self.cleaned_data.get("same_day") == REPLACE


class AmendGoalRatingForm(CorrectionReasonMixin, GoalRatingForm):
    checks_same_day = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["same_day"]
