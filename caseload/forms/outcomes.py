"""Forms for DIALOG assessments."""

from __future__ import annotations

import datetime as dt

from django import forms

from ..models import (
    DIALOG_LIFE_DOMAINS,
    DIALOG_TREATMENT,
    DialogAssessment,
    Person,
)
from .base import (
    CorrectionReasonMixin,
    DatedForm,
)

# DIALOG ----------------------------------------------------------------------------------------


class DialogForm(DatedForm):
    past_dates = ("assessed_on",)

    class Meta:
        model = DialogAssessment
        fields = [
            "assessed_on",
            "stage",
            "rater",
            "mental_health",
            "mental_health_help",
            "physical_health",
            "physical_health_help",
            "job_situation",
            "job_situation_help",
            "accommodation",
            "accommodation_help",
            "leisure",
            "leisure_help",
            "family",
            "family_help",
            "friendships",
            "friendships_help",
            "safety",
            "safety_help",
            "medication",
            "medication_help",
            "practical_help",
            "practical_help_help",
            "meetings",
            "meetings_help",
        ]

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def life_fields(self) -> list[forms.BoundField]:
        return [self[n] for name, _ in DIALOG_LIFE_DOMAINS for n in (name, f"{name}_help")]

    def treatment_fields(self) -> list[forms.BoundField]:
        return [self[n] for name, _ in DIALOG_TREATMENT for n in (name, f"{name}_help")]

    def clean_assessed_on(self) -> dt.date:
        assessed = self.cleaned_data["assessed_on"]
        if assessed < self.person.referral_date:
            raise forms.ValidationError("This is before the person was referred.")
        return assessed


class AmendDialogForm(CorrectionReasonMixin, DialogForm):
    pass
