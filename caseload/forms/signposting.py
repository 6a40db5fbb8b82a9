"""Forms for the signposting directory."""

from __future__ import annotations

from django import forms

from ..models import (
    Resource,
)
from .base import (
    DatedForm,
)

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
