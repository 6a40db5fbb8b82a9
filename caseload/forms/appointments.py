"""Forms for appointments and activities."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from ..models import (
    Appointment,
    AppointmentOutcome,
    Person,
    RecoveryGoal,
)
from .base import (
    DatedForm,
)

# Appointments -------------------------------------------------------------------------------


class AppointmentForm(DatedForm):
    class Meta:
        model = Appointment
        fields = ["title", "kind", "starts_at", "location", "goals", "outcome", "outcome_note"]
        widgets = {"goals": forms.CheckboxSelectMultiple, "outcome_note": forms.Textarea(attrs={"rows": 3})}
        labels = {"goals": "Goals it helps with"}
        help_texts = {"title": "For example: GP review, job centre, allotment group."}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.instance.goals.all() if self.instance.pk else RecoveryGoal.objects.none()
        self.fields["goals"].queryset = RecoveryGoal.objects.filter(
            Q(pk__in=person.goals.active().values("pk")) | Q(pk__in=chosen.values("pk"))
        )
        self.fields["goals"].required = False

    def clean(self):
        cleaned = super().clean()
        starts, outcome = cleaned.get("starts_at"), cleaned.get("outcome")
        not_yet = [AppointmentOutcome.ATTENDED, AppointmentOutcome.DID_NOT_ATTEND]
        if starts and outcome in not_yet and starts > timezone.now():
            self.add_error("outcome", "This has not happened yet: record how it went afterwards.")
        if starts and abs(starts - timezone.now()) > dt.timedelta(days=2 * 365):
            self.add_error("starts_at", "Check the year: this is more than two years away.")
        return cleaned
