"""Figures for the team: invitations, answers and attendance per day and per quarter, and the
attendance of people trained but not in role. Each table is one grouped query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Answer, DayStatus, DevelopmentDay, quarter_of

HEADER = [
    "Date",
    "Quarter",
    "Status",
    "Invited",
    "Answered",
    "Attending",
    "Maybe",
    "Not attending",
    "Waiting list",
    "No answer",
    "Attended",
    "Attendance rate (% of those booked)",
    "Trained, not in role: invited",
    "Trained, not in role: attended",
    "Walk-ins",
]


@dataclass
class Row:
    label: str
    date: object
    quarter: str
    status: str
    invited: int
    answered: int
    attending: int
    maybe: int
    declined: int
    waiting: int
    unanswered: int
    attended: int
    booked: int
    outside_invited: int
    outside_attended: int
    walk_ins: int

    @property
    def rate(self) -> int | None:
        """Attended as a percentage of those booked (attending, and walk-ins who came)."""
        return round(100 * self.attended / self.booked) if self.booked else None

    def cells(self) -> list:
        return [
            self.date,
            self.quarter,
            self.status,
            self.invited,
            self.answered,
            self.attending,
            self.maybe,
            self.declined,
            self.waiting,
            self.unanswered,
            self.attended,
            self.rate,
            self.outside_invited,
            self.outside_attended,
            self.walk_ins,
        ]


def _counts():
    inv = "invitations__"

    def count(condition: Q) -> Count:
        return Count("invitations", filter=condition)

    not_walk_in = Q(**{f"{inv}walk_in": False})
    outside = Q(**{f"{inv}trainee__isnull": False})  # invited from the training register
    return {
        "n_invited": count(not_walk_in),
        "n_answered": count(not_walk_in & ~Q(**{f"{inv}answer": Answer.NONE})),
        "n_attending": count(Q(**{f"{inv}answer": Answer.ATTENDING})),
        "n_maybe": count(Q(**{f"{inv}answer": Answer.MAYBE})),
        "n_declined": count(Q(**{f"{inv}answer": Answer.NOT_ATTENDING})),
        "n_waiting": count(Q(**{f"{inv}answer__in": [Answer.WAITING, Answer.OFFERED]})),
        "n_unanswered": count(Q(**{f"{inv}answer": Answer.NONE})),
        "n_attended": count(Q(**{f"{inv}attended": True})),
        "n_booked": count(Q(**{f"{inv}answer": Answer.ATTENDING}) | Q(**{f"{inv}attended": True})),
        "n_outside_invited": count(not_walk_in & outside),
        "n_outside_attended": count(outside & Q(**{f"{inv}attended": True})),
        "n_walk_ins": count(Q(**{f"{inv}walk_in": True})),
    }


def day_rows(days) -> list[Row]:
    rows = []
    for day in days.annotate(**_counts()).order_by("date"):
        rows.append(
            Row(
                label=str(day),
                date=day.date,
                quarter=day.quarter_label,
                status=DayStatus(day.status).label,
                invited=day.n_invited,
                answered=day.n_answered,
                attending=day.n_attending,
                maybe=day.n_maybe,
                declined=day.n_declined,
                waiting=day.n_waiting,
                unanswered=day.n_unanswered,
                attended=day.n_attended,
                booked=day.n_booked,
                outside_invited=day.n_outside_invited,
                outside_attended=day.n_outside_attended,
                walk_ins=day.n_walk_ins,
            )
        )
    return rows


def quarter_rows(rows: list[Row]) -> list[Row]:
    """The day rows summed per quarter (usually one day each; a moved or extra day adds to it)."""
    quarters: dict[str, Row] = {}
    numbers = [
        "invited",
        "answered",
        "attending",
        "maybe",
        "declined",
        "waiting",
        "unanswered",
        "attended",
        "booked",
        "outside_invited",
        "outside_attended",
        "walk_ins",
    ]
    for row in rows:
        if row.quarter not in quarters:
            quarters[row.quarter] = Row(
                label=row.quarter, date=None, quarter=row.quarter, status="", **{n: 0 for n in numbers}
            )
        total = quarters[row.quarter]
        for n in numbers:
            setattr(total, n, getattr(total, n) + getattr(row, n))
    return list(quarters.values())


def year_days(year: int):
    return DevelopmentDay.objects.filter(date__year=year)


__all__ = ["HEADER", "Row", "day_rows", "quarter_of", "quarter_rows", "year_days"]
