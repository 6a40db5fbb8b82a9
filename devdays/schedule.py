"""The schedule generator: one day per quarter by a rule the team picks, never on a weekend or an
England and Wales bank holiday. The team confirms or moves each proposed date."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays
from django.db import models


class MonthInQuarter(models.IntegerChoices):
    FIRST = 0, "First month of the quarter"
    MIDDLE = 1, "Middle month of the quarter"
    LAST = 2, "Last month of the quarter"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


@dataclass(frozen=True)
class Rule:
    """For example the second (week) Wednesday (weekday) of the quarter's middle month."""

    week: int = WeekOfMonth.SECOND
    weekday: int = Weekday.WEDNESDAY
    month_in_quarter: int = MonthInQuarter.MIDDLE

    def __str__(self) -> str:
        week, weekday = WeekOfMonth(self.week).label.lower(), Weekday(self.weekday).label
        return f"the {week} {weekday} of the {MonthInQuarter(self.month_in_quarter).label.lower()}"


@dataclass(frozen=True)
class Proposal:
    quarter: int
    date: dt.date
    rule_date: dt.date  # where the rule fell, before any move off a bank holiday
    note: str


@cache
def _bank_holidays(year: int) -> dict[dt.date, str]:
    # England and Wales share one list of bank holidays; Scotland and Northern Ireland differ.
    return dict(holidays.UK(subdiv="ENG", years=[year]))


def bank_holiday(date: dt.date) -> str:
    """The bank holiday's name, or "" on an ordinary day."""
    return _bank_holidays(date.year).get(date, "")


def day_problem(date: dt.date) -> str:
    """Why a date is a poor choice for a development day, or "" when it is a working day."""
    if date.weekday() >= 5:
        return f"{date:%-d %b %Y} is a {date:%A}."
    name = bank_holiday(date)
    if name:
        return f"{date:%-d %b %Y} is a bank holiday ({name})."
    return ""


def rule_date(year: int, month: int, rule: Rule) -> dt.date:
    weeks = [w for w in calendar.Calendar().monthdatescalendar(year, month)]
    days = [d for week in weeks for d in week if d.month == month and d.weekday() == rule.weekday]
    return days[-1] if rule.week == WeekOfMonth.LAST else days[rule.week - 1]


def next_working_day(date: dt.date) -> dt.date:
    while day_problem(date):
        date += dt.timedelta(days=1)
    return date


def propose(year: int, rule: Rule) -> list[Proposal]:
    """One date per quarter; a rule date on a bank holiday moves to the next working day (a weekday
    rule never falls on a weekend)."""
    proposals = []
    for quarter in range(1, 5):
        month = (quarter - 1) * 3 + 1 + rule.month_in_quarter
        wanted = rule_date(year, month, rule)
        date = next_working_day(wanted)
        note = "" if date == wanted else f"Moved from {wanted:%-d %b} ({bank_holiday(wanted)})."
        proposals.append(Proposal(quarter=quarter, date=date, rule_date=wanted, note=note))
    return proposals
