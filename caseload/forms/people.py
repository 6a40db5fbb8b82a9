"""Forms for people: the record, its status, and the caseload filter."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from peersupport.models import EmploymentStatus, Role, Team, User

from ..models import (
    NOT_SEEN_DAYS,
    Person,
    PersonStatus,
    StatusChange,
)
from ..validators import normalise_nhs_number, validate_nhs_number
from .base import (
    DatedForm,
)

# People -----------------------------------------------------------------------------------


class PersonForm(DatedForm):
    """Referral and intake. A PSW adds people to their own caseload; a manager to a worker in their teams."""

    past_dates = ("date_of_birth", "referral_date", "consent_date")

    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        help_text="Optional. 10 digits, for example 943 476 5919.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "preferred_name",
            "pronouns",
            "date_of_birth",
            "nhs_number",
            "phone",
            "email",
            "address",
            "team",
            "assigned_worker",
            "referral_source",
            "referral_date",
            "referral_reason",
            "consent_date",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "referral_reason": forms.Textarea(attrs={"rows": 3})}

    # The record as it was when the form was opened: the id of its latest history row. A save checks it
    # against the record now, so one writer never silently puts back what another changed meanwhile.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["seen"].initial = self.instance.latest_history_id()
            # Validation writes the input onto the instance: keep the record as stored to compare with.
            self.stored = {f.attname: getattr(self.instance, f.attname) for f in Person._meta.concrete_fields}
        else:
            del self.fields["seen"]
        self.fields["referral_reason"].required = True
        self.fields["consent_date"].help_text = "Leave empty until the person has agreed to peer support."
        if user.is_manager:
            team_ids = user.managed_team_ids
            self.fields["assigned_worker"].queryset = (
                User.objects.visible_to(user)
                .filter(
                    memberships__team_id__in=team_ids,
                    memberships__role=Role.PSW,
                    employment_status=EmploymentStatus.IN_POST,
                )
                .distinct()
                .order_by("first_name", "last_name")
            )
            self.fields["assigned_worker"].help_text = "Leave empty to allocate later."
        else:
            team_ids = user.team_ids_with_role(Role.PSW)
            del self.fields["assigned_worker"]
        self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids)
        if len(team_ids) == 1 and not self.instance.pk:
            self.fields["team"].initial = next(iter(team_ids))
        if self.instance.pk and not user.is_manager:
            del self.fields["team"]  # moving people between teams is a manager's decision

    def clean_nhs_number(self) -> str:
        number = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if not number:
            return ""
        validate_nhs_number(number)
        # A uniqueness check has to look beyond what this user may see; it reveals only what they may.
        existing = Person.objects.filter(nhs_number=number).exclude(pk=self.instance.pk).first()
        if existing is None:
            return number
        if Person.objects.visible_to(self.user).filter(pk=existing.pk).exists():
            raise forms.ValidationError(
                format_html(
                    'A record with this NHS number already exists: <a href="{}">{}</a>.',
                    existing.get_absolute_url(),
                    existing.display_name,
                ),
                code="duplicate",
            )
        raise forms.ValidationError(
            "A record with this NHS number already exists, held by another team. Ask your manager to arrange a "
            "transfer rather than adding the person again.",
            code="duplicate",
        )

    def clean(self):
        cleaned = super().clean()
        worker, team = cleaned.get("assigned_worker"), cleaned.get("team")
        if worker and team and team.pk not in worker.team_ids_with_role(Role.PSW):
            self.add_error("assigned_worker", f"{worker} is not a peer support worker in {team}.")
        elif worker and "assigned_worker" in self.changed_data and worker.caseload_hold:
            self.add_error("assigned_worker", f"{worker} cannot be allocated people yet: {worker.caseload_hold}")
        consent, referral = cleaned.get("consent_date"), cleaned.get("referral_date")
        if consent and referral and consent < referral:
            self.add_error("consent_date", "Consent cannot be before the referral date.")
        return cleaned

    def refuse_if_stale(self) -> bool:
        """On an edit of a locked, current record: refuse (True, with the reason beside the form) when
        someone else changed one of its fields since it was opened, either one this user left alone (the
        save would put back the old value) or one they changed too. This user's input stays in the form."""
        seen = self.cleaned_data.get("seen")
        latest = self.instance.latest_history_id()
        if seen is None or seen == latest:
            return False
        opened = self.instance.history.filter(history_id=seen).first()
        names = [name for name in self.fields if name != "seen"]
        fields = {name: Person._meta.get_field(name) for name in names}
        if opened is None:
            changed = names
        else:
            changed = [n for n in names if getattr(opened, fields[n].attname) != self.stored[fields[n].attname]]
        self.data = self.data.copy()
        self.data["seen"] = latest  # once they have checked, the next save is against the record as it is now
        if not changed:
            return False
        writers = self.instance.history.filter(history_id__gt=seen or 0).exclude(history_user=None)
        who = sorted(
            {
                "You, in another tab or window," if row.history_user_id == self.user.pk else str(row.history_user)
                for row in writers.select_related("history_user")
            }
        ) or ["Someone"]
        now = "; ".join(
            f"{self.fields[n].label} is now {_shown(fields[n], self.stored[fields[n].attname])}" for n in changed
        )
        self.add_error(
            None,
            f"{' and '.join(who)} changed these details while you were editing: {now}. Check them and save again.",
        )
        for name in changed:
            self.add_error(name, "Changed since you opened the form: check it, then save again.")
        return True

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        if not self.user.is_manager and not person.pk:
            person.assigned_worker = self.user
        if "consent_date" in self.changed_data and person.consent_date:
            person.consent_recorded_by = self.user
        if commit:
            person.save()
        return person


def _shown(field, value) -> str:
    if value in (None, ""):
        return "empty"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or "empty")
    return date_format(value) if isinstance(value, dt.date) else str(value)


# Moves allowed from each status; reopening a closed record is its own recorded event.
NEXT_STATUSES = {
    PersonStatus.REFERRED: [PersonStatus.ACTIVE, PersonStatus.CLOSED],
    PersonStatus.ACTIVE: [PersonStatus.PAUSED, PersonStatus.CLOSED],
    PersonStatus.PAUSED: [PersonStatus.ACTIVE, PersonStatus.CLOSED],
    PersonStatus.CLOSED: [PersonStatus.ACTIVE],
}


class StatusChangeForm(DatedForm):
    past_dates = ("changed_on", "consent_date")

    consent_date = forms.DateField(
        label="Consent to peer support given on",
        required=False,
        help_text="Needed before peer support starts.",
    )

    class Meta:
        model = StatusChange
        fields = ["to_status", "changed_on", "consent_date", "closure_reason", "ending_summary", "note"]
        labels = {"to_status": "New status", "ending_summary": "Ending summary"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "ending_summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "ending_summary": "When closing: what changed, what the person takes with them, and what is next. "
            "Write it with the person where you can.",
            "note": "Why, in a sentence. Needed to pause or reopen.",
        }

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        allowed = NEXT_STATUSES[PersonStatus(person.status)]
        labels = dict(PersonStatus.choices)
        self.fields["to_status"].choices = [
            (s.value, "Reopen" if person.is_closed else labels[s.value]) for s in allowed
        ]
        if person.consent_date:
            del self.fields["consent_date"]

    def clean(self):
        cleaned = super().clean()
        to_status, on = cleaned.get("to_status"), cleaned.get("changed_on")
        if on and on < self.person.referral_date:
            self.add_error("changed_on", "This is before the person was referred.")
        if to_status == PersonStatus.CLOSED:
            for name in ("closure_reason", "ending_summary"):
                if not cleaned.get(name):
                    self.add_error(name, "Needed to close the record.")
        elif (to_status == PersonStatus.PAUSED or self.person.is_closed) and not cleaned.get("note", "").strip():
            self.add_error("note", "Say why, in a sentence.")
        if to_status == PersonStatus.ACTIVE and "consent_date" in self.fields and not cleaned.get("consent_date"):
            self.add_error("consent_date", "Record when the person agreed to peer support before it starts.")
        return cleaned


# The caseload list's search and filters ------------------------------------------------------

OPEN = "open"


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or NHS number")
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "Open (not closed)"), *PersonStatus.choices],
        method="by_status",
        empty_label="Any status",
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All my teams")
    assigned_worker = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="Peer support worker", empty_label="Any worker"
    )
    attention = django_filters.BooleanFilter(
        method="needs_attention",
        label="Only people who need attention",
        widget=forms.CheckboxInput,
    )

    def __init__(self, data=None, *args, user: User, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN)
        super().__init__(data, *args, **kwargs)
        if user.is_manager:
            self.filters["team"].queryset = Team.objects.filter(pk__in=user.managed_team_ids)
            self.filters["assigned_worker"].queryset = (
                User.objects.visible_to(user)
                .filter(memberships__team_id__in=user.managed_team_ids, memberships__role=Role.PSW)
                .exclude(employment_status=EmploymentStatus.LEFT)
                .distinct()
                .order_by("first_name", "last_name")
            )
        else:
            del self.filters["team"]
            del self.filters["assigned_worker"]

    def search(self, queryset, name, value):
        return search_people(queryset, value)

    def by_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)

    def needs_attention(self, queryset, name, value):
        return needing_attention(queryset) if value else queryset


def search_people(queryset, value: str):
    """People by the first digits of their NHS number, or by words of their names (the caseload list
    and the manager's people list)."""
    number = normalise_nhs_number(value)
    if number.isdigit():
        return queryset.filter(nhs_number__startswith=number)
    q = Q()
    for word in value.split():
        q &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
    return queryset.filter(q)


def needing_attention(queryset):
    """Referred or active people (annotated by with_summary()) not seen for 14 days or past a review."""
    today = timezone.localdate()
    cutoff = timezone.now() - dt.timedelta(days=NOT_SEEN_DAYS)
    unseen = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=cutoff)
    overdue = Q(plan_review_on__lt=today) | Q(statement_review_on__lt=today)
    return queryset.filter(status__in=[PersonStatus.REFERRED, PersonStatus.ACTIVE]).filter(unseen | overdue)
