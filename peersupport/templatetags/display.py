"""How dates and numbers read on every page, `{% load display %}`: "today" rather than "0 days ago",
NHS numbers in the 3-3-4 groups people read them out in."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def days_since(value: dt.date | dt.datetime, today: dt.date | None = None) -> int:
    """Whole days from a date or time to today, both counted in London."""
    day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
    return ((today or timezone.localdate()) - day).days


def in_days(days: int, suffix: str = " ago") -> str:
    """ "today", "yesterday", "3 days ago" (or "3 days" with no suffix), as people say it."""
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days{suffix}"


@register.filter
def ago(value: dt.date | dt.datetime | None) -> str:
    """ "today", "yesterday", "3 days ago", "" for no date."""
    if value is None or value == "":
        return ""
    return in_days(days_since(value))


@register.filter
def nhs_number(value: str | None) -> str:
    """943 476 5919: the ten digits in groups, as printed on NHS letters; anything else unchanged."""
    digits = "".join(ch for ch in str(value or "") if not ch.isspace())
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return str(value or "")
