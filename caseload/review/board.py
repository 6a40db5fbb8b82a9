"""The team caseload board (SPEC section 5): a row per peer support worker in each of a manager's
teams, sorted and filtered, with team and overall totals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models import Q
from django.utils import timezone

from peersupport.models import EmploymentStatus, Membership, Role, Team, User

from .columns import CASELOAD, BoardScope, Column, board_figures, column, columns, later_columns

# The board --------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The board's figures for a worker, a team or everyone: totals and, for means, case counts."""

    capacity: int = 0
    totals: dict[str, Decimal | int] = field(default_factory=lambda: defaultdict(int))
    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add_values(self, values: dict) -> None:
        for col in columns():
            if col.kind == "mean":
                self.totals[col.key] += values.get(f"{col.key}__sum") or 0
                self.cases[col.key] += values.get(f"{col.key}__n") or 0
            else:
                self.totals[col.key] += values.get(col.key) or 0

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
        return [(col, self.value(col.key)) for col in columns()]


@dataclass
class BoardRow(Figures):
    worker: User | None = None
    team: Team | None = None

    @property
    def worker_in_post(self) -> bool:
        return self.worker is not None and self.worker.employment_status == EmploymentStatus.IN_POST


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
    """A manager's teams, by name, and every peer support worker's place in them, in one query (none
    for someone who manages no team: their roles came with them)."""
    managed = user.managed_team_ids
    if not managed:
        return [], []
    rows = list(
        Membership.objects.filter(team_id__in=managed)
        .filter(Q(user=user, role=Role.MANAGER) | Q(role=Role.PSW))
        .select_related("user", "team")
        .only("role", "team_id", "user_id", *MEMBERSHIP_FIELDS)
        .order_by("team__name", "user__last_name", "user__first_name")
    )
    teams = [row.team for row in rows if row.user_id == user.pk and row.role == Role.MANAGER]
    workers = [row for row in rows if row.role == Role.PSW]
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
