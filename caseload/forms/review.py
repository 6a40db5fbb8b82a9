"""Forms for manager review: reassignment and cover (the pages' filters are in review/filters.py).

Choices are built from rows the view has already fetched (the manager's teams and their peer
support workers), so a page runs the same queries whatever is chosen.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from peersupport.models import EmploymentStatus, Membership, Team, User

from ..models import MAX_COVER_DAYS, CaseloadCover, Person
from ..review.filters import worker_choices, worker_label
from .base import DateInput


class ReassignForm(forms.Form):
    """Move one or many people to a worker in post in the manager's teams."""

    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one person to reassign.",
            "invalid_choice": "Someone you chose is not open in your teams. Nothing was changed.",
            "invalid_pk_value": "Someone you chose is not open in your teams. Nothing was changed.",
        },
    )
    to_worker = forms.TypedChoiceField(
        label="Reassign to",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a peer support worker in post in your teams."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="Recorded in each person's history, for example “Leah has left the team”.",
        widget=forms.TextInput,
    )

    def __init__(self, data=None, *, people: QuerySet[Person], memberships: list[Membership], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["people"].queryset = people
        self.fields["to_worker"].choices = [("", "Choose a worker"), *worker_choices(memberships, in_post_only=True)]
        self.workers = {m.user_id: m.user for m in memberships}

    def clean_people(self):
        """The people come from every record in the manager's teams, so a closed one is named as closed."""
        people = self.cleaned_data["people"]
        closed = [p.display_name for p in people if p.is_closed]
        if closed:
            raise forms.ValidationError(
                f"{', '.join(closed)}: the record is closed, so it is not reassigned. "
                "Reopen it from the person's page first if they come back to the service."
            )
        return people

    def clean(self):
        cleaned = super().clean()
        people, worker_id = cleaned.get("people"), cleaned.get("to_worker")
        if people and worker_id and all(p.assigned_worker_id == worker_id for p in people):
            self.add_error("to_worker", "Everyone you chose is already with this worker.")
        if worker_id:
            cleaned["to_worker"] = self.workers[worker_id]
            if cleaned["to_worker"].caseload_hold:
                hold = cleaned["to_worker"].caseload_hold
                self.add_error("to_worker", f"{cleaned['to_worker']} cannot be allocated people yet: {hold}")
        return cleaned


class CoverForm(forms.ModelForm):
    """Time-limited cover: read and write access to a worker's caseload in one team."""

    class Meta:
        model = CaseloadCover
        fields = ["team", "absent_worker", "covering_worker", "starts_on", "ends_on", "reason", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"note": "Note (optional)"}

    def __init__(self, *args, user: User, teams: list[Team], memberships: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        psws = {m.user_id: m.user for m in memberships}
        staff = User.objects.visible_to(user)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        self.fields["team"].empty_label = None if len(teams) == 1 else "Choose a team"
        for name in ("absent_worker", "covering_worker"):
            self.fields[name].label_from_instance = worker_label
        # Cover is for an absence: a worker who has left is not covered, their people are reassigned.
        self.fields["absent_worker"].queryset = staff.filter(
            pk__in=[pk for pk, u in psws.items() if u.employment_status != EmploymentStatus.LEFT]
        )
        self.fields["absent_worker"].error_messages["invalid_choice"] = (
            "Choose a worker in post or on leave. A worker who has left is not covered: "
            "their people are listed on Needs reassignment."
        )
        self.fields["covering_worker"].queryset = staff.filter(
            pk__in=[pk for pk, u in psws.items() if u.employment_status == EmploymentStatus.IN_POST]
        )
        self.fields["starts_on"].initial = timezone.localdate()
        self.memberships = {(m.user_id, m.team_id) for m in memberships}

    def clean_starts_on(self) -> dt.date:
        starts = self.cleaned_data["starts_on"]
        if starts < timezone.localdate():
            raise forms.ValidationError("Cover cannot start in the past.")
        return starts

    def clean(self):
        cleaned = super().clean()
        team, absent, covering = cleaned.get("team"), cleaned.get("absent_worker"), cleaned.get("covering_worker")
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The cover must end on or after the day it starts.")
        elif starts and ends and (ends - starts).days >= MAX_COVER_DAYS:
            self.add_error("ends_on", "Cover is for an absence of up to 6 months. For longer, reassign the people.")
        if absent and covering and absent == covering:
            self.add_error("covering_worker", "Choose someone other than the worker who is away.")
        for name, worker in (("absent_worker", absent), ("covering_worker", covering)):
            if team and worker and (worker.pk, team.pk) not in self.memberships:
                self.add_error(name, f"{worker} is not a peer support worker in {team}.")
        return cleaned
