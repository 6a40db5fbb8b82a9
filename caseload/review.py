"""Manager review (SPEC section 5): the team caseload board and the service figures.

Every figure is computed in the database by a fixed number of grouped queries, whatever the number
of workers, people or contacts: the board's figures by one query over the people's summaries,
grouped by (worker, team). A board row is one peer support worker in one of the manager's teams.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from peersupport.models import EmploymentStatus, Membership, Role, Team, User

from .filters import NOT_SEEN_DAYS
from .models import (
    ClosureReason,
    Contact,
    ContactType,
    Person,
    PersonStatus,
    PersonSummary,
    StatusChange,
)
from .periods import month_start, months_back, quarter_start

LONG_UNSEEN_DAYS = 28
# Not seen and plan reviews count for people being supported now: paused people are left out.
SUPPORTED_NOW = [PersonStatus.REFERRED, PersonStatus.ACTIVE]
CHART_MONTHS = 12


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


CASELOAD = Column("caseload", "Caseload", help="People on the caseload: referred, active or paused.")
# Every figure on the board, in display order. Each is added up per worker by board_figures().
COLUMNS: tuple[Column, ...] = (
    CASELOAD,
    Column("not_seen_14", "Not seen in 14 days", help="Referred or active, no contact for 14 days."),
    Column("not_seen_28", "Not seen in 28 days", help="Referred or active, no contact for 28 days."),
    Column(
        "contacts_this_month",
        "Contacts this month",
        help="Contacts with the people on the caseload since the 1st, any type, as recorded.",
    ),
    Column("open_risk_concerns", "Open risk concerns", help="Raised and not yet resolved."),
    Column("plans_past_review", "Plans past review", help="Recovery plan review date has passed."),
    Column("goals_achieved", "Goals achieved this quarter", help="Including people closed this quarter."),
    Column(
        "dialog_change",
        "Average DIALOG change",
        kind="mean",
        signed=True,
        help="Quality of life (mean of 8 life domains, the person's own rating): latest minus first.",
    ),
    Column(
        "gbo_change",
        "Average goal-based outcome change",
        kind="mean",
        signed=True,
        help="Goals rated twice or more: latest minus first rating, 0-10.",
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


# The board --------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The board's figures for a worker, a team or everyone: totals and, for means, case counts."""

    capacity: int = 0
    totals: dict[str, Decimal | int] = field(default_factory=lambda: defaultdict(int))
    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add_values(self, values: dict) -> None:
        for column in columns():
            if column.kind == "mean":
                self.totals[column.key] += values.get(f"{column.key}__sum") or 0
                self.cases[column.key] += values.get(f"{column.key}__n") or 0
            else:
                self.totals[column.key] += values.get(column.key) or 0

    def add(self, other: Figures) -> None:
        self.capacity += other.capacity
        for key, value in other.totals.items():
            self.totals[key] += value
        for key, value in other.cases.items():
            self.cases[key] += value

    def value(self, key: str) -> Decimal | int | None:
        if column(key).kind == "mean":
            n = self.cases[key]
            return (Decimal(self.totals[key]) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if n else None
        return self.totals[key]

    @property
    def caseload(self) -> int:
        return self.totals[CASELOAD.key]

    @property
    def load(self) -> int | None:
        """Caseload as a percentage of capacity."""
        return round(100 * self.caseload / self.capacity) if self.capacity else None

    @property
    def over_capacity(self) -> bool:
        return self.caseload > self.capacity

    def cells(self) -> list[tuple[Column, Decimal | int | None]]:
        return [(column, self.value(column.key)) for column in columns()]


@dataclass
class BoardRow(Figures):
    worker: User | None = None
    team: Team | None = None


@dataclass
class TeamSection(Figures):
    team: Team | None = None
    rows: list[BoardRow] = field(default_factory=list)


class WorkerStatus:
    """The board's worker status filter: employment statuses, plus everyone still employed."""

    CURRENT = "current"
    ANY = "any"
    choices = [
        (CURRENT, "In post or on leave"),
        (EmploymentStatus.IN_POST, "In post"),
        (EmploymentStatus.LONG_LEAVE, "On long leave"),
        (EmploymentStatus.LEFT, "Left"),
        (ANY, "Any status"),
    ]

    @classmethod
    def matches(cls, chosen: str, status: str) -> bool:
        if chosen == cls.ANY:
            return True
        if chosen == cls.CURRENT:
            return status != EmploymentStatus.LEFT
        return status == chosen


def _identity_sort_keys() -> dict[str, Callable[[BoardRow], object]]:
    return {
        "worker": lambda r: (r.worker.last_name.lower(), r.worker.first_name.lower()),
        "team": lambda r: r.team.name.lower(),
        "status": lambda r: r.worker.get_employment_status_display(),
        "capacity": lambda r: r.capacity,
        "load": lambda r: r.load,
    }


@cache
def sort_choices() -> list[tuple[str, str]]:
    labels = [("worker", "Worker"), ("team", "Team"), ("status", "Status")]
    labels += [(CASELOAD.key, CASELOAD.label), ("capacity", "Capacity"), ("load", "Load (caseload / capacity)")]
    labels += [(c.key, c.label) for c in later_columns()]
    choices = []
    for key, label in labels:
        choices += [(key, f"{label}, lowest first"), (f"-{key}", f"{label}, highest first")]
    return choices


def sort_rows(rows: list[BoardRow], sort: str) -> list[BoardRow]:
    """Sort by any column; rows without a figure (no ratings yet) always go last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    getter = _identity_sort_keys().get(key) or (lambda r: r.value(key))
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    by_name = _identity_sort_keys()["worker"]
    present.sort(key=by_name)
    present.sort(key=getter, reverse=descending)
    return present + sorted(missing, key=by_name)


@dataclass
class Board:
    sections: list[TeamSection]
    total: Figures
    sort: str

    @property
    def rows(self) -> list[BoardRow]:
        return [row for section in self.sections for row in section.rows]


def psw_memberships(team_ids: Iterable[int]) -> list[Membership]:
    """Every peer support worker's place in the given teams (one query), workers by name."""
    return list(
        Membership.objects.filter(team_id__in=list(team_ids), role=Role.PSW)
        .select_related("user", "team")
        .order_by("team__name", "user__last_name", "user__first_name")
    )


# What the review pages show of a worker and a team (loading whole rows costs more than the figures).
MEMBERSHIP_FIELDS = [
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__employment_status",
    "user__contracted_hours",
    "user__caseload_hold",
    "team__name",
    "team__people_per_full_time",
]


def managed_teams_and_workers(user: User) -> tuple[list[Team], list[Membership]]:
    """A manager's teams, by name, and every peer support worker's place in them, in one query that
    also reads the user's own roles (remembered on the user, so checking them costs no query)."""
    managed = Membership.objects.filter(user=user, role=Role.MANAGER).values("team")
    rows = list(
        Membership.objects.filter(Q(user=user) | Q(team__in=managed, role=Role.PSW))
        .select_related("user", "team")
        .only("role", "team_id", "user_id", *MEMBERSHIP_FIELDS)
        .order_by("team__name", "user__last_name", "user__first_name")
    )
    user.remember_memberships([(row.team_id, row.role) for row in rows if row.user_id == user.pk])
    teams = [row.team for row in rows if row.user_id == user.pk and row.role == Role.MANAGER]
    workers = [row for row in rows if row.role == Role.PSW and row.team_id in user.managed_team_ids]
    return teams, workers


def build_board(
    *,
    user: User,
    teams: list[Team],
    memberships: list[Membership],
    worker_id: int | None = None,
    status: str = WorkerStatus.CURRENT,
    sort: str = "worker",
    now: dt.datetime | None = None,
) -> Board:
    """The board for the chosen teams: one row per peer support worker, totals per team.

    `memberships` come from psw_memberships(); the figures take one grouped query.
    """
    scope = BoardScope(user=user, team_ids=[t.pk for t in teams], worker_id=worker_id, now=now or timezone.now())
    rows: dict[tuple[int, int], BoardRow] = {}
    for membership in memberships:
        if membership.team_id not in scope.team_ids:
            continue
        if worker_id and membership.user_id != worker_id:
            continue
        if not WorkerStatus.matches(status, membership.user.employment_status):
            continue
        capacity = membership.team.capacity_for(membership.user.contracted_hours)
        rows[(membership.user_id, membership.team_id)] = BoardRow(
            worker=membership.user, team=membership.team, capacity=capacity
        )
    if rows:
        for values in board_figures(scope):
            row = rows.get((values.pop("row_worker"), values.pop("row_team")))
            if row is not None:
                row.add_values(values)
    sections = {team.pk: TeamSection(team=team) for team in teams}
    for row in rows.values():
        sections[row.team.pk].rows.append(row)
    total = Figures()
    for section in sections.values():
        section.rows = sort_rows(section.rows, sort)
        for row in section.rows:
            section.add(row)
        total.add(section)
    return Board(sections=[s for s in sections.values() if s.rows], total=total, sort=sort)


# Service figures --------------------------------------------------------------------------------


@dataclass
class WaitingTimes:
    """Referral to first contact, for people referred in the period."""

    waits: list[int]
    still_waiting: list[int]

    @property
    def median(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def longest(self) -> int | None:
        return max(self.waits) if self.waits else None

    @property
    def longest_still_waiting(self) -> int | None:
        return max(self.still_waiting) if self.still_waiting else None


@dataclass
class MonthlyWaits:
    month: dt.date
    times: WaitingTimes


def waiting_times(people: QuerySet[Person], today: dt.date, months: int = CHART_MONTHS) -> list[MonthlyWaits]:
    """Days from referral to the first contact that happened, per month of referral (one query).

    People still waiting count towards "still waiting" with the days they have waited so far.
    """
    firsts = months_back(today, months)
    first_seen = (
        Contact.objects.current().seen().filter(person=OuterRef("pk")).order_by("contact_at").values("contact_at")[:1]
    )
    rows = (
        people.filter(referral_date__gte=firsts[0])
        .annotate(first_contact_at=Subquery(first_seen))
        .values_list("referral_date", "first_contact_at")
    )
    by_month = {month: WaitingTimes([], []) for month in firsts}
    for referred, first_contact_at in rows:
        times = by_month.get(referred.replace(day=1))
        if times is None:
            continue
        if first_contact_at is None:
            times.still_waiting.append((today - referred).days)
        else:
            times.waits.append(max((timezone.localdate(first_contact_at) - referred).days, 0))
    return [MonthlyWaits(month, times) for month, times in by_month.items()]


def overall(monthly: list[MonthlyWaits]) -> WaitingTimes:
    return WaitingTimes(
        waits=[w for m in monthly for w in m.times.waits],
        still_waiting=[w for m in monthly for w in m.times.still_waiting],
    )


def closures_by_reason(people: QuerySet[Person], since: dt.date) -> list[tuple[str, int]]:
    """Closures since a date by reason, most common first, every reason listed (one query)."""
    counts = dict(
        StatusChange.objects.closures()
        .filter(person__in=people.values("pk"), changed_on__gte=since)
        .values_list("closure_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(label, counts.get(value, 0)) for value, label in ClosureReason.choices]
    if counts.get(""):
        rows.append(("No reason recorded", counts[""]))
    return sorted(rows, key=lambda row: -row[1])


@dataclass
class MonthOfContacts:
    month: dt.date
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def contacts_by_type(people: QuerySet[Person], today: dt.date, months: int = CHART_MONTHS) -> list[MonthOfContacts]:
    """Current contacts per calendar month (London) and type, for the last `months` months (one query)."""
    firsts = months_back(today, months)
    since = timezone.make_aware(dt.datetime.combine(firsts[0], dt.time.min))
    rows = (
        Contact.objects.current()
        .filter(person__in=people.values("pk"), contact_at__gte=since)
        .annotate(month=TruncMonth("contact_at"))
        .values_list("month", "contact_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months_found = {month: MonthOfContacts(month, {t: 0 for t in ContactType.values}) for month in firsts}
    for month, contact_type, n in rows:
        key = month.date() if isinstance(month, dt.datetime) else month
        if key in months_found:
            months_found[key].by_type[contact_type] += n
    return list(months_found.values())
