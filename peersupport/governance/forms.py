"""Forms of the information governance pages."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from ..governance_models import Destruction, SubjectAccessRequest


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchForm(forms.Form):
    words = forms.CharField(
        label="Name or NHS number", max_length=100, required=False, help_text="Any part of the name, or all 10 digits."
    )
    born_on = forms.DateField(label="Date of birth", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if not data.get("words", "").strip() and not data.get("born_on") and not self.errors:
            raise forms.ValidationError("Give a name, an NHS number or a date of birth.")
        return data

    def search_by(self) -> str:
        """What the search used, for the audit (never the words themselves)."""
        words = self.cleaned_data.get("words", "").replace(" ", "")
        used = []
        if words:
            used.append("NHS number" if words.isdigit() else "name")
        if self.cleaned_data.get("born_on"):
            used.append("date of birth")
        return " and ".join(used)


class RequestForm(forms.ModelForm):
    due_on = forms.DateField(
        label="Due by",
        required=False,
        widget=DateInput(),
        help_text="Leave empty for one calendar month after the date received.",
    )

    class Meta:
        model = SubjectAccessRequest
        fields = ["requested_by", "received_on", "due_on"]
        widgets = {"received_on": DateInput()}

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return received

    def clean(self):
        data = super().clean()
        received, due = data.get("received_on"), data.get("due_on")
        if received and not due:
            data["due_on"] = received + relativedelta(months=1)
        elif received and due and due < received:
            self.add_error("due_on", "The due date cannot be before the date received.")
        return data


class ReviewForm(forms.Form):
    RELEASE, WITHHOLD = "release", "withhold"
    decision = forms.ChoiceField(
        choices=[(RELEASE, "Release the export to the information governance lead"), (WITHHOLD, "Withhold it")],
        widget=forms.RadioSelect,
    )
    review_notes = forms.CharField(
        label="Your notes", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    withheld_reason = forms.CharField(
        label="Reason for withholding", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.WITHHOLD and not data.get("withheld_reason", "").strip():
            self.add_error("withheld_reason", "Give the reason for withholding the export.")
        return data


class DestructionForm(forms.ModelForm):
    class Meta:
        model = Destruction
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": "Why these records may now be destroyed (the retention schedule, the review)."}
        error_messages = {"reason": {"required": "Give the reason for destroying these records."}}

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for destroying these records.")
        return reason
