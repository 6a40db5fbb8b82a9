"""The review pages' filters: team, worker, status, sort and, on the people list, a board figure.

Choices are built from rows the view has already fetched (the manager's teams and their peer
support workers), so a page runs the same queries whatever is chosen. A team or worker that is not
the manager's answers 404, as if it did not exist (an id from another manager's link is never
repeated back); any other value not offered is refused beside its field in plain words.
"""

from __future__ import annotations

from django import forms
from django.http import Http404

from peersupport.models import EmploymentStatus, Membership, Team, User

from ..forms.people import OPEN
from ..models import PersonStatus
from .board import WorkerStatus, sort_choices
from .columns import columns

NOT_OFFERED = "That is not one of the options offered. Choose one from the list."
CHOICE = {"invalid_choice": NOT_OFFERED}

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


def worker_choices(memberships: list[Membership], *, in_post_only: bool = False) -> list[tuple[int, str]]:
    seen: dict[int, User] = {}
    for membership in memberships:
        if in_post_only and membership.user.employment_status != EmploymentStatus.IN_POST:
            continue
        seen.setdefault(membership.user_id, membership.user)
    workers = sorted(seen.values(), key=lambda u: (u.first_name.lower(), u.last_name.lower()))
    return [(user.pk, worker_label(user)) for user in workers]


class ScopeFilterForm(forms.Form):
    """Team and worker, limited to the manager's own teams."""

    SCOPED = ("team", "worker")

    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None, error_messages=CHOICE)
    worker = forms.TypedChoiceField(
        label="Peer support worker", coerce=int, required=False, empty_value=None, error_messages=CHOICE
    )

    def __init__(self, data=None, *, teams: list[Team], memberships: list[Membership], **kwargs):
        super().__init__(data, **kwargs)
        self.teams = teams
        self.fields["team"].choices = [("", "All my teams"), *((t.pk, t.name) for t in teams)]
        self.fields["worker"].choices = [("", "All workers"), *worker_choices(memberships)]
        self._refuse_out_of_scope()

    def _refuse_out_of_scope(self) -> None:
        """A team or worker id that is not one of the manager's: 404, as for any record out of reach."""
        if not self.is_bound:
            return
        for name in self.SCOPED:
            if name not in self.fields:
                continue
            raw = self.data.get(name) or ""
            if raw and raw not in {str(value) for value, _ in self.fields[name].choices}:
                raise Http404("No such team or worker in your teams.")

    def chosen_teams(self) -> list[Team]:
        team_id = self.cleaned_data.get("team") if self.is_bound and self.is_valid() else None
        return [t for t in self.teams if t.pk == team_id] if team_id else list(self.teams)

    def value_of(self, name: str, default=None):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class BoardFilterForm(ScopeFilterForm):
    status = forms.ChoiceField(
        label="Worker status", choices=WorkerStatus.choices, required=False, error_messages=CHOICE
    )
    sort = forms.ChoiceField(label="Sort by", required=False, error_messages=CHOICE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = sort_choices()


FIGURE_CHOICES = [("", "Everyone matching the filters"), *((c.key, c.label) for c in columns())]
# "" lists everyone, allocated or not; a worker status lists the people of the team's peer support
# workers with that status, as the board counts them.
WORKER_STATUS_CHOICES = [("", "Anyone's, or not allocated"), *WorkerStatus.choices]


class PeopleFilterForm(ScopeFilterForm):
    q = forms.CharField(
        label="Name or NHS number",
        max_length=100,
        required=False,
        error_messages={"max_length": "Search for a name or NHS number of up to 100 characters."},
    )
    attention = forms.BooleanField(label="Only people who need attention", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[(OPEN, "Open (not closed)"), *PersonStatus.choices, ("any", "Any")],
        required=False,
        error_messages=CHOICE,
    )
    sort = forms.ChoiceField(label="Sort by", choices=PEOPLE_SORTS, required=False, error_messages=CHOICE)
    # What a board figure links to: the people it counts, whose workers the board showed.
    figure = forms.ChoiceField(label="Board figure", choices=FIGURE_CHOICES, required=False, error_messages=CHOICE)
    worker_status = forms.ChoiceField(
        label="Worker's status", choices=WORKER_STATUS_CHOICES, required=False, error_messages=CHOICE
    )
