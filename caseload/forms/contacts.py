"""Forms for the contact log."""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from ..models import (
    MAX_CONTACT_MINUTES,
    NOT_SEEN_TYPES,
    Contact,
    ContactType,
    Person,
    RecoveryGoal,
    Resource,
)
from .base import (
    CorrectionReasonMixin,
    DatedForm,
)

# Contacts ----------------------------------------------------------------------------------

USUAL_MINUTES = {
    ContactType.FACE_TO_FACE: 60,
    ContactType.PHONE: 15,
    ContactType.VIDEO: 30,
    ContactType.MESSAGE: 5,
    ContactType.ACCOMPANIED: 120,
    ContactType.GROUP: 90,
}


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    """Signposting is rendered as a directory search (see the contact form template)."""

    widget = forms.CheckboxSelectMultiple


class ContactForm(DatedForm):
    """A routine contact in under 30 seconds: everything but the notes has a sensible default."""

    signposted_to = ResourceChoiceField(queryset=Resource.objects.none(), required=False, label="Signposting given")

    class Meta:
        model = Contact
        fields = [
            "contact_type",
            "contact_at",
            "duration_minutes",
            "location",
            "goals",
            "signposted_to",
            "notes",
            "written_with_person",
            "risk_flag",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.CheckboxSelectMultiple,
        }
        labels = {"contact_at": "When", "contact_type": "Type", "duration_minutes": "Minutes"}
        # No help under the fields: the form fits one phone screen, and each refusal says what to do.
        help_texts = {"notes": "", "risk_flag": ""}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        # The person's active goals and the directory's active resources; an amendment may keep the
        # goals and resources its contact had, even those no longer active.
        if self.instance.pk:
            chosen_goals, chosen_resources = self.instance.goals.all(), self.instance.signposted_to.all()
            goals = RecoveryGoal.objects.filter(
                Q(pk__in=person.goals.active().values("pk")) | Q(pk__in=chosen_goals.values("pk"))
            )
            resources = Resource.objects.filter(Q(active=True) | Q(pk__in=chosen_resources.values("pk")))
            self.initial["signposted_to"] = list(chosen_resources)
        else:
            goals, resources = person.goals.active(), Resource.objects.active()
        self.fields["goals"].queryset = goals.order_by("set_on", "pk")
        self.fields["signposted_to"].queryset = resources
        duration = self.fields["duration_minutes"]
        duration.required = False
        duration.min_value, duration.max_value = 0, MAX_CONTACT_MINUTES
        duration.widget.attrs.update({"min": 0, "max": MAX_CONTACT_MINUTES, "inputmode": "numeric"})
        duration.help_text = ""
        duration.error_messages.update(
            {
                "invalid": "Enter minutes as a whole number, such as 45.",
                "min_value": "Enter minutes as 0 or more.",
                "max_value": f"Enter minutes as {MAX_CONTACT_MINUTES} or fewer (12 hours).",
            }
        )
        self.fields["contact_at"].error_messages.update(
            {
                "required": "Enter the date and time of the contact.",
                "invalid": "Enter the date and time, such as 23/11/2026 14:30.",
            }
        )
        self.fields["contact_type"].error_messages.update(
            {"required": "Choose the type of contact.", "invalid_choice": "Choose a type of contact from the list."}
        )
        self.offer_usual_minutes()

    def offer_usual_minutes(self) -> None:
        """The script on the form fills the minutes that fit the type chosen (static/js/contact-form.js),
        face to face from the initial minutes (this worker's last contact)."""
        self.fields["contact_type"].widget.attrs.update(
            {"data-not-seen": " ".join(NOT_SEEN_TYPES), "data-default-minutes": json.dumps(self.type_minutes())}
        )

    def clean_contact_at(self) -> dt.datetime:
        when = self.cleaned_data["contact_at"]
        if when > timezone.now():
            raise forms.ValidationError("A contact cannot be in the future. Log it after it has happened.")
        if timezone.localdate(when) < self.person.referral_date:
            raise forms.ValidationError(
                f"This is before the person was referred ({date_format(self.person.referral_date)}). Check the date."
            )
        return when

    def type_minutes(self) -> dict[str, int]:
        """The minutes a contact of each type usually takes; face to face from this worker's last one."""
        usual = self.initial.get("duration_minutes") or USUAL_MINUTES[ContactType.FACE_TO_FACE]
        return {**USUAL_MINUTES, ContactType.FACE_TO_FACE: usual}

    def clean(self):
        cleaned = super().clean()
        minutes, kind = cleaned.get("duration_minutes"), cleaned.get("contact_type")
        if not kind or "duration_minutes" in self.errors:
            return cleaned
        if kind in NOT_SEEN_TYPES:
            if minutes:
                label = ContactType(kind).label.lower()
                self.add_error(
                    "duration_minutes",
                    f"A contact that was {label} has no duration: leave Minutes empty, or choose another type.",
                )
            else:
                cleaned["duration_minutes"] = 0
        elif not minutes:
            self.add_error("duration_minutes", "Enter how long the contact lasted, in minutes, such as 45.")
        return cleaned

    def chosen_resources(self) -> list[Resource]:
        """The resources ticked so far, shown ticked above the directory search."""
        values = self["signposted_to"].value() or []
        chosen = {str(v.pk if isinstance(v, Resource) else v) for v in values}
        return [r for r in self.fields["signposted_to"].queryset if str(r.pk) in chosen]


class AmendContactForm(CorrectionReasonMixin, ContactForm):
    pass
