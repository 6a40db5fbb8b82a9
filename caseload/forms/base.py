"""Widgets and base forms shared by the caseload forms: dates, corrections."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

OLDEST_DATE = dt.date(1900, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def not_in_future(value: dt.date | None, what: str = "This date") -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.", code="future")
    if value and value < OLDEST_DATE:
        raise forms.ValidationError("Check the year: this date is too far in the past.", code="too_old")


class DatedForm(forms.ModelForm):
    """Date fields named in `past_dates` must not be in the future."""

    past_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput()
                field.input_formats = DATETIME_FORMATS
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()

    def clean(self):
        cleaned = super().clean()
        for name in self.past_dates:
            try:
                not_in_future(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class CorrectionReasonMixin(forms.Form):
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the record. The original stays in its history.",
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this entered in error?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: written on the wrong person's record. The entry stays in the history.",
    )
