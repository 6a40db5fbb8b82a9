"""Forms for the caseload. Field cleaning and cross-field checks only; saving rules live on the models."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from peersupport.models import EmploymentStatus, Role, Team, User

from .models import (
    DIALOG_LIFE_DOMAINS,
    DIALOG_TREATMENT,
    MAX_CONTACT_MINUTES,
    NOT_SEEN_TYPES,
    AdvanceStatement,
    Appointment,
    AppointmentOutcome,
    Contact,
    DialogAssessment,
    GoalRating,
    Person,
    PersonStatus,
    RecoveryGoal,
    RecoveryPlan,
    Resource,
    StatusChange,
)
from .validators import normalise_nhs_number, validate_nhs_number

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


def _not_in_future(value: dt.date | None, what: str = "This date") -> None:
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
                _not_in_future(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


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

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        if not self.user.is_manager and not person.pk:
            person.assigned_worker = self.user
        if "consent_date" in self.changed_data and person.consent_date:
            person.consent_recorded_by = self.user
        if commit:
            person.save()
        return person


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


# Contacts ----------------------------------------------------------------------------------


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    """Signposting is rendered as a directory search (see the contact form template)."""

    widget = forms.CheckboxSelectMultiple


class ContactForm(DatedForm):
    """A routine contact in under 30 seconds: everything but the notes has a sensible default."""

    signposted_to = ResourceChoiceField(queryset=Resource.objects.none(), required=False, label="Signposting given")

    class Meta:
        model = Contact
        fields = [
            "contact_at",
            "contact_type",
            "duration_minutes",
            "location",
            "goals",
            "signposted_to",
            "notes",
            "written_with_person",
            "risk_flag",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.CheckboxSelectMultiple,
        }
        labels = {"contact_at": "When", "contact_type": "Type", "duration_minutes": "Minutes"}
        help_texts = {
            "notes": "Plain text, strengths-based, written with the person where you can.",
            "risk_flag": "Tick if something in this contact worries you.",
        }

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        chosen_goals = self.instance.goals.all() if self.instance.pk else RecoveryGoal.objects.none()
        self.fields["goals"].queryset = RecoveryGoal.objects.filter(
            Q(pk__in=person.goals.active().values("pk")) | Q(pk__in=chosen_goals.values("pk"))
        ).order_by("set_on", "pk")
        chosen_resources = self.instance.signposted_to.all() if self.instance.pk else Resource.objects.none()
        self.fields["signposted_to"].queryset = Resource.objects.filter(
            Q(active=True) | Q(pk__in=chosen_resources.values("pk"))
        )
        if self.instance.pk:
            self.initial["signposted_to"] = list(chosen_resources)
        duration = self.fields["duration_minutes"]
        duration.min_value, duration.max_value = 0, MAX_CONTACT_MINUTES
        duration.widget.attrs.update({"min": 0, "max": MAX_CONTACT_MINUTES, "inputmode": "numeric"})
        duration.help_text = "0 for a did not attend or a cancellation."

    def clean_contact_at(self) -> dt.datetime:
        when = self.cleaned_data["contact_at"]
        if when > timezone.now():
            raise forms.ValidationError("A contact cannot be in the future. Log it after it has happened.")
        if timezone.localdate(when) < self.person.referral_date:
            raise forms.ValidationError(
                f"This is before the person was referred ({date_format(self.person.referral_date)}). Check the date."
            )
        return when

    def clean(self):
        cleaned = super().clean()
        minutes, kind = cleaned.get("duration_minutes"), cleaned.get("contact_type")
        if minutes == 0 and kind and kind not in NOT_SEEN_TYPES:
            self.add_error("duration_minutes", "Enter how long the contact lasted, in minutes.")
        return cleaned

    def chosen_resources(self) -> list[Resource]:
        """The resources ticked so far, shown ticked above the directory search."""
        values = self["signposted_to"].value() or []
        chosen = {str(v.pk if isinstance(v, Resource) else v) for v in values}
        return [r for r in self.fields["signposted_to"].queryset if str(r.pk) in chosen]


class CorrectionReasonMixin(forms.Form):
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the record. The original stays in its history.",
    )


class AmendContactForm(CorrectionReasonMixin, ContactForm):
    pass


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this entered in error?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: written on the wrong person's record. The entry stays in the history.",
    )


# Goals -------------------------------------------------------------------------------------


class GoalForm(DatedForm):
    past_dates = ("set_on",)

    class Meta:
        model = RecoveryGoal
        fields = ["description", "life_area", "target_date", "set_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": "Write it as the person says it, e.g. “I want to get back to my choir.”"}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned = super().clean()
        target, set_on = cleaned.get("target_date"), cleaned.get("set_on")
        if target and set_on and target < set_on:
            self.add_error("target_date", "The target date cannot be before the goal was set.")
        if set_on and set_on < self.person.referral_date:
            self.add_error("set_on", "This is before the person was referred.")
        return cleaned


class GoalEditForm(GoalForm):
    change_reason = forms.CharField(
        label="What changed, in a few words", max_length=100, required=False, help_text="Kept in the goal's history."
    )

    class Meta(GoalForm.Meta):
        fields = ["description", "life_area", "target_date", "status", "change_reason"]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target_date")
        if target and target < self.instance.set_on:
            self.add_error("target_date", "The target date cannot be before the goal was set.")
        return cleaned

    def save(self, commit: bool = True) -> RecoveryGoal:
        goal = super().save(commit=False)
        if "status" in self.changed_data:
            goal.status_changed_on = timezone.localdate()
        goal._change_reason = self.cleaned_data.get("change_reason") or None
        if commit:
            goal.save()
        return goal


SCORE_CHOICES = [(n, str(n)) for n in range(11)]


class GoalRatingForm(DatedForm):
    past_dates = ("rated_on",)

    score = forms.TypedChoiceField(
        label="Where is the person now, towards this goal?",
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0: not started. 10: reached it. It is the person's own rating.",
    )

    class Meta:
        model = GoalRating
        fields = ["score", "rated_on", "note"]

    def __init__(self, *args, goal: RecoveryGoal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal

    def clean_rated_on(self) -> dt.date:
        rated_on = self.cleaned_data["rated_on"]
        if rated_on < self.goal.set_on:
            raise forms.ValidationError("This is before the goal was set.")
        return rated_on


class AmendGoalRatingForm(CorrectionReasonMixin, GoalRatingForm):
    pass


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


# Signposting directory ----------------------------------------------------------------------


class ResourceForm(DatedForm):
    past_dates = ("checked_on",)

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Resource
        fields = [
            "name",
            "category",
            "provider",
            "area",
            "description",
            "how_to_refer",
            "phone",
            "email",
            "website",
            "address",
            "active",
            "checked_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "how_to_refer": forms.Textarea(attrs={"rows": 3})}
