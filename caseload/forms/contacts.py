"""Forms for the contact log."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from ..models import (
    MAX_CONTACT_MINUTES,
    NOT_SEEN_TYPES,
    Contact,
    Person,
    RecoveryGoal,
    Resource,
)
from .base import (
    CorrectionReasonMixin,
    DatedForm,
)

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


class AmendContactForm(CorrectionReasonMixin, ContactForm):
    pass
