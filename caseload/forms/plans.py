"""Forms for recovery plans and advance statements."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from ..models import (
    AdvanceStatement,
    RecoveryPlan,
)
from .base import (
    DatedForm,
)

# Plans and advance statements -----------------------------------------------------------------


class VersionForm(DatedForm):
    """A new version of a plan. `based_on` is the version the writer started from: if someone saved a
    newer one meanwhile, the save is refused and the writer's text is shown back to them."""

    past_dates = ("agreed_on",)
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        cleaned = super().clean()
        agreed, review = cleaned.get("agreed_on"), cleaned.get("review_on")
        if agreed and review and review <= agreed:
            self.add_error("review_on", "The review date must be after the date it was agreed.")
        if review and review > timezone.localdate() + dt.timedelta(days=2 * 365):
            self.add_error("review_on", "Review within two years.")
        sections = self._meta.model.SECTIONS
        if not any((cleaned.get(name) or "").strip() for name in sections):
            raise forms.ValidationError("Write at least one section.")
        return cleaned


class RecoveryPlanForm(VersionForm):
    class Meta:
        model = RecoveryPlan
        fields = [*RecoveryPlan.SECTIONS, "agreed_on", "review_on", "based_on"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in RecoveryPlan.SECTIONS}


class AdvanceStatementForm(VersionForm):
    class Meta:
        model = AdvanceStatement
        fields = [*AdvanceStatement.SECTIONS, "consent_to_share", "agreed_on", "review_on", "based_on"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in AdvanceStatement.SECTIONS}
