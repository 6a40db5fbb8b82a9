"""The board's columns and the one query that adds up their figures per worker and team.

Every figure is computed in the database by one query over the people's summaries, grouped by
(worker, team), whatever the number of workers, people or contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from peersupport.models import User

from ..models import (
    NOT_SEEN_DAYS,
    Person,
    PersonStatus,
    PersonSummary,
)
from ..periods import month_start, quarter_start

LONG_UNSEEN_DAYS = 28
# Not seen and plan reviews count for people being supported now: paused people are left out.
SUPPORTED_NOW = [PersonStatus.REFERRED, PersonStatus.ACTIVE]


# Columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A figure on the board. A "count" adds up over workers; a "mean" is kept as a total and a
    number of cases, so a team's mean is the mean over all its cases, not a mean of means."""

    key: str
    label: str
    kind: str = "count"
    help: str = ""
    signed: bool = False
    short: str = ""  # the board's heading, the label in full in its tooltip and for screen readers
    per_person: bool = True  # a count of people; otherwise a total of their records (concerns, goals)

    @property
    def heading(self) -> str:
        return self.short or self.label


@dataclass
class BoardScope:
    """What the manager asked for: which of their teams, which worker, as of when."""

    user: User
    team_ids: list[int]
    worker_id: int | None
    now: dt.datetime

    @cached_property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def cutoff(self, days: int) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    @cached_property
    def people(self) -> QuerySet[Person]:
        people = Person.objects.visible_to(self.user).filter(team_id__in=self.team_ids)
        if self.worker_id:
            people = people.filter(assigned_worker_id=self.worker_id)
        return people


CASELOAD = Column("caseload", "Caseload", help="People on the caseload: referred, active or paused.", short="Caseload")
# Every figure on the board, in display order. Each is added up per worker by board_figures().
COLUMNS: tuple[Column, ...] = (
    CASELOAD,
    Column(
        "not_seen_14", "Not seen in 14 days", help="Referred or active, no contact for 14 days.", short="Unseen 14 d"
    ),
    Column(
        "not_seen_28", "Not seen in 28 days", help="Referred or active, no contact for 28 days.", short="Unseen 28 d"
    ),
    Column(
        "contacts_this_month",
        "Contacts this month",
        help="Contacts with the people on the caseload since the 1st, any type, as recorded.",
        short="Contacts",
        per_person=False,
    ),
    Column(
        "open_risk_concerns",
        "Open risk concerns",
        help="Raised and not yet resolved.",
        short="Risk concerns",
        per_person=False,
    ),
    Column(
        "plans_past_review",
        "Plans past review",
        help="Recovery plan review date has passed.",
        short="Plans overdue",
    ),
    Column(
        "goals_achieved",
        "Goals achieved this quarter",
        help="Including people closed this quarter.",
        short="Goals achieved",
        per_person=False,
    ),
    Column(
        "dialog_change",
        "Average DIALOG change",
        kind="mean",
        signed=True,
        help="Quality of life (mean of 8 life domains, the person's own rating): latest minus first.",
        short="DIALOG change",
    ),
    Column(
        "gbo_change",
        "Average goal-based outcome change",
        kind="mean",
        signed=True,
        help="Goals rated twice or more: latest minus first rating, 0-10.",
        short="Goal change",
    ),
)
_BY_KEY = {c.key: c for c in COLUMNS}


def columns() -> tuple[Column, ...]:
    return COLUMNS


def column(key: str) -> Column:
    return _BY_KEY[key]


def later_columns() -> tuple[Column, ...]:
    """The figures shown after caseload against capacity."""
    return COLUMNS[1:]


# The board's figures from the people's summaries (caseload/summaries.py keeps them current on every
# save), grouped by worker and team. Written by hand: it runs on every board view, and the ORM took
# longer to build it than PostgreSQL takes to run it. The people come from the role-scoped queryset.
BOARD_SQL = """
WITH p (id, assigned_worker_id, team_id, status, status_changed_on) AS ({people})
SELECT p.assigned_worker_id, p.team_id,
    count(*) FILTER (WHERE p.status <> '{closed}') AS caseload,
    count(*) FILTER (WHERE p.status IN ({supported}) AND (s.last_seen_at IS NULL OR s.last_seen_at < %s))
        AS not_seen_14,
    count(*) FILTER (WHERE p.status IN ({supported}) AND (s.last_seen_at IS NULL OR s.last_seen_at < %s))
        AS not_seen_28,
    -- A count kept for an earlier month or quarter is a count of none in this one.
    sum(s.contacts_in_month) FILTER (WHERE s.contacts_month = %s) AS contacts_this_month,
    sum(s.open_risk_concerns) AS open_risk_concerns,
    count(*) FILTER (WHERE p.status IN ({supported}) AND s.plan_review_on < %s) AS plans_past_review,
    sum(s.goals_achieved_in_quarter) FILTER (WHERE s.goals_quarter = %s) AS goals_achieved,
    sum(s.dialog_latest - s.dialog_first) FILTER (WHERE p.status <> '{closed}' AND s.dialog_count >= 2) AS dialog_sum,
    count(*) FILTER (WHERE p.status <> '{closed}' AND s.dialog_count >= 2) AS dialog_n,
    sum(s.gbo_change_total) FILTER (WHERE p.status <> '{closed}' AND s.gbo_goals > 0) AS gbo_sum,
    sum(s.gbo_goals) FILTER (WHERE p.status <> '{closed}' AND s.gbo_goals > 0) AS gbo_n
FROM p
LEFT JOIN {summary} s ON s.person_id = p.id
WHERE p.status <> '{closed}' OR p.status_changed_on >= %s
GROUP BY p.assigned_worker_id, p.team_id
"""
BOARD_SQL_KEYS = [
    "caseload",
    "not_seen_14",
    "not_seen_28",
    "contacts_this_month",
    "open_risk_concerns",
    "plans_past_review",
    "goals_achieved",
    "dialog_change__sum",
    "dialog_change__n",
    "gbo_change__sum",
    "gbo_change__n",
]


def board_figures(scope: BoardScope) -> Iterator[dict]:
    """Every figure, grouped by (worker, team), in one query over the people in scope: those on a
    caseload, and those closed this quarter (their contacts this month and goals achieved this
    quarter still count). Each row holds `row_worker` and `row_team`, then a value per count column
    and `<key>__sum`, `<key>__n` per mean column."""
    ops = connection.ops
    quarter = ops.adapt_datefield_value(quarter_start(scope.today))
    people = scope.people.order_by().values_list("pk", "assigned_worker", "team", "status", "status_changed_on")
    people_sql, people_params = people.query.sql_with_params()
    sql = BOARD_SQL.format(
        people=people_sql,
        summary=PersonSummary._meta.db_table,
        closed=PersonStatus.CLOSED.value,
        supported=", ".join(f"'{status.value}'" for status in SUPPORTED_NOW),
    )
    params = [
        *people_params,
        ops.adapt_datetimefield_value(scope.cutoff(NOT_SEEN_DAYS)),
        ops.adapt_datetimefield_value(scope.cutoff(LONG_UNSEEN_DAYS)),
        ops.adapt_datefield_value(month_start(scope.now).date()),
        ops.adapt_datefield_value(scope.today),
        quarter,
        quarter,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for worker, team, *values in cursor.fetchall():
            row = dict(zip(BOARD_SQL_KEYS, values, strict=True), row_worker=worker, row_team=team)
            if row["dialog_change__sum"] is not None:  # SQLite sums decimals as floats
                row["dialog_change__sum"] = Decimal(str(row["dialog_change__sum"])).quantize(Decimal("0.01"))
            yield row


# What each person adds to a figure that totals their records rather than counting them.
RECORDS_PER_PERSON = {
    "contacts_this_month": "summary__contacts_in_month",
    "open_risk_concerns": "summary__open_risk_concerns",
    "goals_achieved": "summary__goals_achieved_in_quarter",
}


def people_behind(people: QuerySet[Person], key: str, scope: BoardScope) -> QuerySet[Person]:
    """The people a figure counts, from the same summaries and by the same conditions as BOARD_SQL:
    a count of people lists exactly them; a total (contacts, concerns, goals) lists the people it
    adds up over. tests/test_review_figure_links.py compares the two."""
    supported = Q(status__in=SUPPORTED_NOW)
    not_closed = ~Q(status=PersonStatus.CLOSED)
    quarter = quarter_start(scope.today)

    def unseen(days: int) -> Q:
        return supported & (Q(summary__last_seen_at__isnull=True) | Q(summary__last_seen_at__lt=scope.cutoff(days)))

    conditions = {
        CASELOAD.key: not_closed,
        "not_seen_14": unseen(NOT_SEEN_DAYS),
        "not_seen_28": unseen(LONG_UNSEEN_DAYS),
        "contacts_this_month": Q(
            summary__contacts_month=month_start(scope.now).date(), summary__contacts_in_month__gt=0
        ),
        "open_risk_concerns": Q(summary__open_risk_concerns__gt=0),
        "plans_past_review": supported & Q(summary__plan_review_on__lt=scope.today),
        "goals_achieved": Q(summary__goals_quarter=quarter, summary__goals_achieved_in_quarter__gt=0),
        "dialog_change": not_closed & Q(summary__dialog_count__gte=2),
        "gbo_change": not_closed & Q(summary__gbo_goals__gt=0),
    }
    return people.filter(not_closed | Q(status_changed_on__gte=quarter)).filter(conditions[key])
