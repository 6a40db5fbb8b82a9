"""Forms for mandatory training subjects, completions and the compliance filters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from peersupport.models import Team

from ..compliance import Rag
from ..models import TrainingCompletion, TrainingSubject, add_months
from .widgets import DateInput, QuickSelect


class SubjectForm(forms.ModelForm):
    class Meta:
        model = TrainingSubject
        fields = ["name", "renewal_months", "description"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if TrainingSubject.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError("There is a subject with this name already.")
        return name


class CompletionForm(forms.ModelForm):
    class Meta:
        model = TrainingCompletion
        fields = ["subject", "completed_on", "expires_on"]
        widgets = {"completed_on": DateInput(), "expires_on": DateInput()}
        labels = {"completed_on": "Completed on", "expires_on": "Expires on"}
        help_texts = {"expires_on": "Leave empty to use the subject's renewal period."}

    def __init__(self, *args, worker, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = worker
        self.instance.recorded_by = user
        self.fields["subject"].queryset = TrainingSubject.objects.visible_to(user).active()
        self.fields["expires_on"].required = False

    def clean(self):
        cleaned = super().clean()
        subject, completed_on = cleaned.get("subject"), cleaned.get("completed_on")
        if subject and completed_on and not cleaned.get("expires_on") and "expires_on" not in self.errors:
            # The model's clean() then checks the dates, beside the fields.
            cleaned["expires_on"] = add_months(completed_on, subject.renewal_months)
        if subject and completed_on and "completed_on" not in self.errors:
            exists = TrainingCompletion.objects.current().filter(
                user=self.instance.user, subject=subject, completed_on=completed_on
            )
            if exists.exists():
                self.add_error("completed_on", f"{subject} completed on this day is recorded already.")
        return cleaned


class WithdrawCompletionForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="For example: entered for the wrong person.")


class MatrixFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="All teams", widget=QuickSelect
    )
    subject = forms.ModelChoiceField(
        queryset=TrainingSubject.objects.none(), required=False, empty_label="All subjects", widget=QuickSelect
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Rag.choices], required=False, widget=QuickSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).service_teams()
        if not user.is_development_team:
            teams = teams.filter(pk__in=user.managed_team_ids)
        self.fields["team"].queryset = teams
        self.fields["subject"].queryset = TrainingSubject.objects.visible_to(user).active()
