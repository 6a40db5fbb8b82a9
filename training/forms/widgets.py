from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class QuickSelect(forms.Select):
    """A select built in Python. The compliance filters list every team and subject, and Django's
    template per option cost more than the matrix's queries at trust scale (bench/training.py)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)  # a fixed word, safe
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )
