"""Forms for manager review: board and person-list filters, reassignment and cover.

Filter choices are built from rows the view has already fetched (the manager's teams and their peer
support workers), so a page runs the same queries whatever is chosen; a value that is not offered
is refused beside its field.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from peersupport.models import EmploymentStatus, Membership, Team, User

from ..models import MAX_COVER_DAYS, CaseloadCover, Person, PersonStatus
from ..review.board import WorkerStatus, sort_choices
from .base import DateInput
from .people import OPEN

PEOPLE_SORTS = [
    ("", "Who needs attention first"),
    ("name", "Name"),
    ("-last_seen", "Longest since last contact"),
    ("last_seen", "Most recently seen"),
    ("status", "Status"),
    ("worker", "Worker"),
    ("referral", "Referral date, oldest first"),
    ("plan_review", "Plan review date, soonest first"),
]


def worker_label(user: User) -> str:
    if user.employment_status == EmploymentStatus.IN_POST:
        return str(user)
    return f"{user} ({user.get_employment_status_display().lower()})"


def _worker_choices(memberships: list[Membership], *, in_post_only: bool = False) -> list[tuple[int, str]]:
    seen: dict[int, User] = {}
    for membership in memberships:
        if in_post_only and membership.user.employment_status != EmploymentStatus.IN_POST:
            continue
        seen.setdefault(membership.user_id, membership.user)
    workers = sorted(seen.values(), key=lambda u: (u.first_name.lower(), u.last_name.lower()))
    return [(user.pk, worker_label(user)) for user in workers]


class ScopeFilterForm(forms.Form):
    """Team and worker, limited to the manager's own teams."""

    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    worker = forms.TypedChoiceField(label="Peer support worker", coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, teams: list[Team], memberships: list[Membership], **kwargs):
        super().__init__(data, **kwargs)
        self.teams = teams
        self.fields["team"].choices = [("", "All my teams"), *((t.pk, t.name) for t in teams)]
        self.fields["worker"].choices = [("", "All workers"), *_worker_choices(memberships)]

    def chosen_teams(self) -> list[Team]:
        team_id = self.cleaned_data.get("team") if self.is_bound and self.is_valid() else None
        return [t for t in self.teams if t.pk == team_id] if team_id else list(self.teams)

    def value_of(self, name: str, default=None):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class BoardFilterForm(ScopeFilterForm):
    status = forms.ChoiceField(label="Worker status", choices=WorkerStatus.choices, required=False)
    sort = forms.ChoiceField(label="Sort by", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = sort_choices()


class PeopleFilterForm(ScopeFilterForm):
    status = forms.ChoiceField(
        label="Status", choices=[(OPEN, "Open (not closed)"), *PersonStatus.choices, ("any", "Any")], required=False
    )
    sort = forms.ChoiceField(label="Sort by", choices=PEOPLE_SORTS, required=False)


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
        self.fields["to_worker"].choices = [("", "Choose a worker"), *_worker_choices(memberships, in_post_only=True)]
        self.workers = {m.user_id: m.user for m in memberships}

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
            self.fields[name].queryset = staff.filter(pk__in=psws)
            self.fields[name].label_from_instance = worker_label
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
