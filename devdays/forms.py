"""Forms for development days: field cleaning and cross-field checks only."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from peersupport.models import User

from . import schedule
from .models import CHOSEN, AgendaItem, Answer, DevelopmentDay, Rating

MAX_OFFSETS = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ScheduleForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    week = forms.TypedChoiceField(label="Which week", choices=schedule.WeekOfMonth.choices, coerce=int)
    weekday = forms.TypedChoiceField(label="Day of the week", choices=schedule.Weekday.choices, coerce=int)
    month_in_quarter = forms.TypedChoiceField(
        label="Month of each quarter", choices=schedule.MonthInQuarter.choices, coerce=int
    )

    def rule(self) -> schedule.Rule:
        data = self.cleaned_data
        return schedule.Rule(week=data["week"], weekday=data["weekday"], month_in_quarter=data["month_in_quarter"])


class OffsetsField(forms.CharField):
    """Days before the day, as a list like "42, 7, 1"."""

    def to_python(self, value) -> list[int]:
        text = super().to_python(value) or ""
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        try:
            days = sorted({int(p) for p in parts}, reverse=True)
        except ValueError:
            raise forms.ValidationError("Give whole numbers of days, separated by commas, like 42, 7, 1.") from None
        if any(d < 1 or d > 180 for d in days):
            raise forms.ValidationError("Each reminder must be between 1 and 180 days before the day.")
        if len(days) > MAX_OFFSETS:
            raise forms.ValidationError(f"Give at most {MAX_OFFSETS} reminders.")
        return days

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value


class DayForm(forms.ModelForm):
    reminder_offsets = OffsetsField(
        label="Reminders (days before)",
        required=False,
        help_text="Reminders to those coming or undecided, and chasers to those who have not answered. "
        "For example 42, 7, 1 (6 weeks, 1 week and 1 day before).",
    )
    confirm_date = forms.BooleanField(
        label="Yes, hold the day on this date anyway", required=False, widget=forms.CheckboxInput
    )

    online_link = forms.URLField(
        label="Online link", required=False, assume_scheme="https", help_text="For people joining online."
    )

    class Meta:
        model = DevelopmentDay
        fields = [
            "date",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "capacity",
            "facilitators",
            "offer_hold_days",
            "reminder_offsets",
        ]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = (
            User.objects.visible_to(user).in_post().filter(memberships__team__is_development_team=True).distinct()
        )
        self.fields["facilitators"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.date_problem = ""

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            attending = self.instance.invitations.filter(answer=Answer.ATTENDING).count()
            if capacity < attending:
                raise forms.ValidationError(
                    f"{attending} people are already attending: the capacity cannot be below {attending}."
                )
        return capacity

    def clean(self):
        data = super().clean()
        date = data.get("date")
        if date:
            self.date_problem = schedule.day_problem(date)
            if self.date_problem and not data.get("confirm_date"):
                self.add_error(
                    "date",
                    f"{self.date_problem} Tick 'hold the day on this date anyway' to keep it, or pick another date.",
                )
            if date < timezone.localdate() and (not self.instance.pk or "date" in self.changed_data):
                self.add_error("date", "The date is in the past.")
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The day must end after it starts.")
        if "reminder_offsets" in data and not data["reminder_offsets"]:
            data["reminder_offsets"] = []
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["type", "title", "starts_at", "ends_at", "speakers", "description"]
        widgets = {"starts_at": TimeInput(), "ends_at": TimeInput(), "description": forms.Textarea(attrs={"rows": 3})}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason, told to everyone invited", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Can you come?",
        choices=[(value, label) for value, label in Answer.choices if value in CHOSEN],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose attending, maybe or not attending."},
    )
    access_needs = forms.CharField(
        label="Access needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything that helps you take part: step-free access, a hearing loop, breaks.",
    )
    dietary_needs = forms.CharField(
        label="Dietary needs (optional)", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def for_invitation(cls, invitation, data=None, prefix=None):
        answer = invitation.answer if invitation.answer in CHOSEN else ""
        if invitation.answer in (Answer.WAITING, Answer.OFFERED):
            answer = Answer.ATTENDING
        return cls(
            data,
            prefix=prefix,
            initial={
                "answer": answer,
                "access_needs": invitation.access_needs,
                "dietary_needs": invitation.dietary_needs,
                "version": invitation.version,
            },
        )


class WalkInForm(forms.Form):
    user = forms.ModelChoiceField(label="A member of staff", queryset=User.objects.none(), required=False)
    full_name = forms.CharField(label="Or their name", max_length=200, required=False)
    email = forms.EmailField(label="and email (optional)", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.visible_to(user).in_post().order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.email

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("full_name") or "").strip():
            raise forms.ValidationError("Pick a member of staff or give the person's name.")
        return data


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall, the day was", choices=Rating.choices, coerce=int, widget=forms.RadioSelect
    )
    most_useful = forms.CharField(
        label="What was most useful?", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_improve = forms.CharField(
        label="What could be better?", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    future_topics = forms.CharField(
        label="Topics for future days", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    anonymous = forms.BooleanField(
        label="Give this feedback anonymously (your name is not kept with it)", required=False
    )


class HistoryFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def year_or_now(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
