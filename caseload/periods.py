"""Calendar periods the figures are counted in, in the trust's time zone (London)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def month_start(now: dt.datetime) -> dt.datetime:
    """Midnight on the first of this month in London, as an aware datetime."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def quarter_start(today: dt.date) -> dt.date:
    return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def months_back(today: dt.date, count: int) -> list[dt.date]:
    """The first day of each of the last `count` months, oldest first, this month last."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]
