from __future__ import annotations

from django import forms

from ..models import CodeVersion
from .widgets import DateInput


class CodeVersionForm(forms.ModelForm):
    class Meta:
        model = CodeVersion
        fields = ["kind", "version", "published_on", "text"]
        widgets = {"published_on": DateInput(), "text": forms.Textarea(attrs={"rows": 12})}
        labels = {"published_on": "In force from"}
        help_texts = {"published_on": "Everyone it applies to is asked to acknowledge it from this day."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.published_by = user

    def clean(self):
        cleaned = super().clean()
        kind, version = cleaned.get("kind"), (cleaned.get("version") or "").strip()
        if kind and version and CodeVersion.objects.filter(kind=kind, version__iexact=version).exists():
            self.add_error("version", "This code has a version with that name already.")
        return cleaned


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read this code of conduct and will follow it",
        error_messages={"required": "Tick to confirm you have read it."},
    )
