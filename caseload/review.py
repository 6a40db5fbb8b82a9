"""Manager review (SPEC section 5): the team caseload board and the service figures.

Every figure is computed in the database by a fixed number of grouped queries, whatever the number
of workers, people or contacts: one query per source below, each grouped by (worker, team). A board
row is one peer support worker in one of the manager's teams.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from peersupport.models import EmploymentStatus, Membership, Role, Team, User

from .filters import NOT_SEEN_DAYS
from .models import (
    ClosureReason,
    Contact,
    ContactType,
    GoalStatus,
    Person,
    PersonStatus,
    RecoveryGoal,
    RiskConcern,
    StatusChange,
)

LONG_UNSEEN_DAYS = 28
# Not seen and plan reviews count for people being supported now: paused people are left out.
SUPPORTED_NOW = [PersonStatus.REFERRED, PersonStatus.ACTIVE]
CHART_MONTHS = 12


# Periods --------------------------------------------------------------------------------------


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


# Columns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A figure on the board. A "count" adds up over workers; a "mean" is kept as a total and a
    number of cases, so a team's mean is the mean over all its cases, not a mean of means."""

    key: str
    label: str
    order: int
    kind: str = "count"
    help: str = ""
    signed: bool = False


@dataclass(frozen=True)
class Source:
    """One grouped query and the columns it fills. Each row it returns holds `row_worker` and
    `row_team`, then a value per count column and `<key>__sum`, `<key>__n` per mean column."""

    columns: tuple[Column, ...]
    query: Callable[[BoardScope], Iterable[dict]]


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


def _count(entries: QuerySet) -> Coalesce:
    """How many of a person's entries (a correlated subquery), 0 when none."""
    counted = entries.order_by().values("person").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


@dataclass(frozen=True)
class PersonCount:
    """A figure counted per person (a correlated, indexed subquery) and added up per worker
    inside the caseload query: a column like this costs no extra query."""

    column: Column
    entries: Callable[[BoardScope, OuterRef], QuerySet]


def _contacts_this_month(scope: BoardScope, person: OuterRef) -> QuerySet:
    return Contact.objects.current().filter(person=person, contact_at__gte=month_start(scope.now))


def _goals_achieved(scope: BoardScope, person: OuterRef) -> QuerySet:
    since = quarter_start(scope.today)
    achieved = RecoveryGoal.objects.current().filter(status=GoalStatus.ACHIEVED, status_changed_on__gte=since)
    return achieved.filter(person=person)


PERSON_COUNTS: list[PersonCount] = [
    PersonCount(
        Column(
            "contacts_this_month",
            "Contacts this month",
            40,
            help="Contacts with the people on the caseload since the 1st, any type, as recorded.",
        ),
        _contacts_this_month,
    ),
    PersonCount(
        Column("goals_achieved", "Goals achieved this quarter", 60, help="Including people closed this quarter."),
        _goals_achieved,
    ),
    PersonCount(
        Column("open_risk_concerns", "Open risk concerns", 45, help="Raised and not yet resolved."),
        lambda scope, person: RiskConcern.objects.unresolved().filter(person=person),
    ),
]


def _caseload_figures(scope: BoardScope) -> QuerySet:
    """Every figure, grouped by (worker, team), in one query over the people in scope: those on a
    caseload, and those closed this quarter (their contacts this month and goals achieved this
    quarter still count). Years of records are read through each person's summary (kept current
    on every save: caseload/summaries.py) and through indexed per-person counts."""
    person = OuterRef("pk")
    since = quarter_start(scope.today)
    on_caseload = ~Q(status=PersonStatus.CLOSED)
    supported = Q(status__in=SUPPORTED_NOW)
    never_seen = Q(seen__isnull=True)
    dialog_measured = on_caseload & Q(dialog_count__gte=2)
    gbo_measured = on_caseload & Q(gbo_goals__gt=0)
    counts = {count.column.key: Sum(_count(count.entries(scope, person))) for count in PERSON_COUNTS}
    return (
        scope.people.filter(on_caseload | Q(status_changed_on__gte=since))
        # The summary's fields are named once, so each figure below reuses the one join.
        .alias(
            seen=F("summary__last_seen_at"),
            review=F("summary__plan_review_on"),
            dialog_change=F("summary__dialog_latest") - F("summary__dialog_first"),
            dialog_count=F("summary__dialog_count"),
            gbo_total=F("summary__gbo_change_total"),
            gbo_goals=F("summary__gbo_goals"),
        )
        .values(row_worker=F("assigned_worker"), row_team=F("team"))
        .annotate(
            caseload=Count("pk", filter=on_caseload),
            not_seen_14=Count("pk", filter=supported & (never_seen | Q(seen__lt=scope.cutoff(NOT_SEEN_DAYS)))),
            not_seen_28=Count("pk", filter=supported & (never_seen | Q(seen__lt=scope.cutoff(LONG_UNSEEN_DAYS)))),
            plans_past_review=Count("pk", filter=supported & Q(review__lt=scope.today)),
            dialog_change__sum=Sum("dialog_change", filter=dialog_measured),
            dialog_change__n=Count("pk", filter=dialog_measured),
            gbo_change__sum=Sum("gbo_total", filter=gbo_measured),
            gbo_change__n=Sum("gbo_goals", filter=gbo_measured),
            **counts,
        )
        .order_by()
    )


CASELOAD = Column("caseload", "Caseload", 10, help="People on the caseload: referred, active or paused.")
# A figure that needs its own grouped query joins the board as a Source here.
SOURCES: list[Source] = [
    Source(
        (
            CASELOAD,
            Column("not_seen_14", "Not seen in 14 days", 30, help="Referred or active, no contact for 14 days."),
            Column("not_seen_28", "Not seen in 28 days", 31, help="Referred or active, no contact for 28 days."),
            Column("plans_past_review", "Plans past review", 50, help="Recovery plan review date has passed."),
            Column(
                "dialog_change",
                "Average DIALOG change",
                70,
                kind="mean",
                signed=True,
                help="Quality of life (mean of 8 life domains, the person's own rating): latest minus first.",
            ),
            Column(
                "gbo_change",
                "Average goal-based outcome change",
                80,
                kind="mean",
                signed=True,
                help="Goals rated twice or more: latest minus first rating, 0-10.",
            ),
        ),
        _caseload_figures,
    ),
]

_laid_out: dict[tuple[int, ...], list[Column]] = {}


def columns() -> list[Column]:
    """Every figure on the board, in display order (worked out once per set of figures)."""
    key = tuple(map(id, SOURCES + PERSON_COUNTS))
    if key not in _laid_out:
        found = [c for source in SOURCES for c in source.columns] + [count.column for count in PERSON_COUNTS]
        _laid_out[key] = sorted(found, key=lambda c: c.order)
    return _laid_out[key]


def column(key: str) -> Column:
    return next(c for c in columns() if c.key == key)


def later_columns() -> list[Column]:
    """The figures shown after caseload against capacity."""
    return [c for c in columns() if c is not CASELOAD]


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
    "team__name",
    "team__people_per_full_time",
]


def managed_teams_and_workers(user: User) -> tuple[list[Team], list[Membership]]:
    """A manager's teams, by name, and every peer support worker's place in them: one query."""
    rows = (
        Membership.objects.filter(Q(team_id__in=user.managed_team_ids, role=Role.PSW) | Q(user=user, role=Role.MANAGER))
        .select_related("user", "team")
        .only("role", "team_id", "user_id", *MEMBERSHIP_FIELDS)
        .order_by("team__name", "user__last_name", "user__first_name")
    )
    teams: list[Team] = []
    workers: list[Membership] = []
    for row in rows:
        if row.role == Role.PSW:
            workers.append(row)
        elif row.team_id in user.managed_team_ids:
            teams.append(row.team)
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

    `memberships` come from psw_memberships(); each Source adds one grouped query.
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
        for source in SOURCES:
            for values in source.query(scope):
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
