"""Supervision's forms: field cleaning and cross-field checks only (the rules are on the models)."""

from __future__ import annotations

import calendar
import datetime as dt

from django import forms
from django.utils import timezone

from peersupport.models import DEVELOPMENT_ROLES, Role, User

from .models import (
    Action,
    Agreement,
    HealthCheck,
    Induction,
    ReasonableAdjustment,
    Session,
    SessionContent,
    ShadowingEntry,
    SupervisionSettings,
    WellbeingPlan,
    WellbeingPlanVersion,
)
from .models.induction import CHECKLIST

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.email


class AgreementForm(forms.ModelForm):
    supervisee = StaffChoiceField(queryset=User.objects.none())
    supervisor = StaffChoiceField(
        queryset=User.objects.none(), help_text="A team manager or a peer development worker."
    )
    frequency_weeks = forms.IntegerField(
        label="Every (weeks)",
        min_value=1,
        max_value=26,
        help_text="How often you meet, in weeks: 4 for every four weeks.",
        error_messages={
            "min_value": "Meet at least once every 26 weeks: the frequency must be 1 week or more, not 0.",
            "max_value": "Meet at least once every 26 weeks: enter 26 or fewer.",
        },
    )

    class Meta:
        model = Agreement
        fields = ["supervisee", "supervisor", "agreement_type", "frequency_weeks", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.visible_to(user).in_post()
        self.fields["supervisee"].queryset = staff
        self.fields["supervisor"].queryset = staff.filter(
            memberships__role__in=[Role.MANAGER, *DEVELOPMENT_ROLES]
        ).distinct()
        if self.instance.pk:  # who meets whom is the agreement itself: end it and start another instead
            for name in ("supervisee", "supervisor"):
                self.fields[name].disabled = True


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label="Date and time", widget=DATETIME, input_formats=DATETIME_FORMATS)

    class Meta:
        model = Session
        fields = ["starts_at", "status", "duration_minutes", "location"]
        help_texts = {"duration_minutes": "Needed once the session has been held."}

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        return timezone.make_aware(value) if timezone.is_naive(value) else value


class ContentForm(forms.ModelForm):
    class Meta:
        model = SessionContent
        fields = ["themes", "wellbeing_discussed", "wellbeing_notes"]
        widgets = {"themes": forms.Textarea(attrs={"rows": 6}), "wellbeing_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"themes": "Readable by the two of you only. Your managers see the date and attendance."}


class ActionForm(forms.ModelForm):
    owner = StaffChoiceField(queryset=User.objects.none(), label="Whose action")

    class Meta:
        model = Action
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        agreement = session.agreement
        self.fields["owner"].queryset = User.objects.filter(pk__in=[agreement.supervisor_id, agreement.supervisee_id])


class WellbeingVersionForm(forms.ModelForm):
    class Meta:
        model = WellbeingPlanVersion
        fields = list(WellbeingPlanVersion.TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in WellbeingPlanVersion.TEXT_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in WellbeingPlanVersion.TEXT_FIELDS):
            raise forms.ValidationError("Write something in at least one section, or leave the plan as it is.")
        return cleaned


class SharingForm(forms.ModelForm):
    class Meta:
        model = WellbeingPlan
        fields = ["share_with_supervisors", "share_with_team"]
        help_texts = {
            "share_with_supervisors": "Your supervisors can read the plan until you untick this.",
            "share_with_team": "Everyone in your team can read the plan until you untick this.",
        }


class InductionForm(forms.ModelForm):
    worker = StaffChoiceField(queryset=User.objects.none(), label="New worker")
    mentor = StaffChoiceField(queryset=User.objects.none(), help_text="A team member who will guide them.")
    mentoring_ends_on = forms.DateField(
        label="Mentoring ends", required=False, widget=DATE, help_text="Leave empty for the usual months."
    )

    class Meta:
        model = Induction
        fields = ["worker", "mentor", "starts_on", "mentoring_ends_on"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.visible_to(user).in_post()
        self.fields["worker"].queryset = staff.peer_workers().filter(induction__isnull=True)
        self.fields["mentor"].queryset = staff
        if self.instance.pk:
            self.fields["worker"].disabled = True

    def clean(self):
        cleaned = super().clean()
        starts = cleaned.get("starts_on")
        if starts and not cleaned.get("mentoring_ends_on"):
            cleaned["mentoring_ends_on"] = add_months(starts, SupervisionSettings.current().induction_months)
            self.instance.mentoring_ends_on = cleaned["mentoring_ends_on"]
        return cleaned


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = Induction
        fields = [name for name, _ in CHECKLIST]
        help_texts = {"training_done": "Tick once their peer support training is completed (recorded by hand)."}


class ShadowingForm(forms.ModelForm):
    class Meta:
        model = ShadowingEntry
        fields = ["shadowed", "their_role", "shadowed_on", "learned"]
        widgets = {"shadowed_on": DATE, "learned": forms.Textarea(attrs={"rows": 4})}


class HealthCheckForm(forms.ModelForm):
    class Meta:
        model = HealthCheck
        fields = ["checked_on", "outcome"]
        widgets = {"checked_on": DATE}


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = ReasonableAdjustment
        fields = ["description", "agreed_on", "review_on", "ended_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "agreed_on": DATE,
            "review_on": DATE,
            "ended_on": DATE,
        }
