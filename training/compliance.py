"""The compliance matrix: peer workers in post by mandatory subjects, red / amber / green, plus peer
support training and the codes of conduct. A fixed number of queries, however many workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.db.models import Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from peersupport.models import Membership, Role, User
from training.rules import staff_in_reach

from .models import AMBER_DAYS, Acknowledgement, CodeKind, CodeVersion, Trainee, TrainingCompletion, TrainingSubject
from .models.conduct import CODE_BANDS


class Rag(models.TextChoices):
    RED = "red", "Missing or expired"
    AMBER = "amber", f"Expires within {AMBER_DAYS} days"
    GREEN = "green", "In date"


def rag_for(expires_on: date | None, today: date) -> str:
    if expires_on is None or expires_on <= today:
        return Rag.RED
    if expires_on <= today + timedelta(days=AMBER_DAYS):
        return Rag.AMBER
    return Rag.GREEN


@dataclass(slots=True)
class Worker:
    """What the matrix shows of a worker: read as plain values, not User instances (300 of them
    cost more than the query that fetches them)."""

    pk: int
    first_name: str
    last_name: str
    email: str
    start_date: date | None
    afc_band: str

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


@dataclass(slots=True)
class Cell:
    status: str
    completed_on: date | None = None
    expires_on: date | None = None

    @property
    def label(self) -> str:
        return Rag(self.status).label


@dataclass(slots=True)
class Row:
    worker: Worker
    teams: list[str]
    cells: list[Cell]
    peer_support_trained: bool
    codes: dict[str, bool | None] = field(default_factory=dict)  # None: the code does not apply

    @property
    def statuses(self) -> set[str]:
        return {cell.status for cell in self.cells}


@dataclass
class Matrix:
    subjects: list[TrainingSubject]
    rows: list[Row]
    code_versions: list[CodeVersion]
    today: date

    def totals(self) -> dict[str, int]:
        counts = {rag: 0 for rag in Rag.values}
        for row in self.rows:
            for cell in row.cells:
                counts[cell.status] += 1
        return counts

    @property
    def untrained(self) -> list[Row]:
        return [row for row in self.rows if not row.peer_support_trained]


def workers_in_scope(user, team_id: int | None = None):
    """Peer workers in post the user may see, optionally in one team."""
    workers = staff_in_reach(user).peer_workers().in_post()
    if team_id:
        workers = workers.filter(memberships__team_id=team_id, memberships__role=Role.PSW)
    return workers


def build(
    user,
    *,
    team_id: int | None = None,
    subject_id: int | None = None,
    status: str | None = None,
    today: date | None = None,
) -> Matrix:
    today = today or timezone.localdate()
    worker_ids = workers_in_scope(user, team_id).values("pk")
    subjects = list(TrainingSubject.objects.visible_to(user).active())
    if subject_id:
        subjects = [s for s in subjects if s.pk == subject_id]
    versions = CodeVersion.objects.current()
    # One query for the workers, their PSW teams, peer support training and acknowledgements: a row per
    # PSW membership, ordered by worker then team.
    trained = Trainee.objects.completed_peer_support().filter(user_id=OuterRef("user_id"))
    acknowledged_fields = {
        f"ack_{v.pk}": Exists(Acknowledgement.objects.filter(version_id=v.pk, user_id=OuterRef("user_id")))
        for v in versions
    }
    workers: list[Worker] = []
    teams: dict[int, list[str]] = {}
    trained_ids: set[int] = set()
    acknowledged: set[tuple[int, int]] = set()
    fields = ["user_id", "user__first_name", "user__last_name", "user__email", "user__start_date", "user__afc_band"]
    for values in (
        Membership.objects.filter(user_id__in=worker_ids, role=Role.PSW)
        .annotate(trained=Exists(trained), **acknowledged_fields)
        .order_by("user__last_name", "user__first_name", "user_id", "team__name")
        .values_list(*fields, "team__name", "trained", *acknowledged_fields)
    ):
        worker_id = values[0]
        if worker_id not in teams:
            workers.append(Worker(*values[:6]))
            teams[worker_id] = []
            if values[7]:
                trained_ids.add(worker_id)
            acknowledged.update((worker_id, v.pk) for v, done in zip(versions, values[8:], strict=True) if done)
        teams[worker_id].append(values[6])
    # Each worker's latest completion per subject: {user id: {subject id: (completed on, expires on)}}.
    latest: dict[int, dict[int, tuple[date, date]]] = {}
    for user_id, subject_pk, completed_on, expires_on in (
        TrainingCompletion.objects.current()
        .filter(user_id__in=worker_ids, subject__in=[s.pk for s in subjects])
        .values("user_id", "subject_id")
        .annotate(last_expiry=Max("expires_on"), last_completed=Max("completed_on"))
        .values_list("user_id", "subject_id", "last_completed", "last_expiry")
    ):
        latest.setdefault(user_id, {})[subject_pk] = (completed_on, expires_on)
    # The cells of 300 workers x 12 subjects: plain lookups, no per-cell date arithmetic.
    amber_end = today + timedelta(days=AMBER_DAYS)
    missing = Cell(Rag.RED)
    code_kinds = [(version.kind, version.pk, version.kind == CodeKind.PEER_WORKER) for version in versions]
    subject_ids = [subject.pk for subject in subjects]
    rows = []
    for worker in workers:
        worker_id = worker.pk
        mine = latest.get(worker_id, {})
        cells = []
        for subject_pk in subject_ids:
            found = mine.get(subject_pk)
            if found is None:
                cells.append(missing)
                continue
            completed_on, expires = found
            rag = Rag.RED if expires <= today else (Rag.AMBER if expires <= amber_end else Rag.GREEN)
            cells.append(Cell(rag, completed_on, expires))
        # Every worker here is a PSW; the bands 2-4 code applies by band.
        in_bands = worker.afc_band in CODE_BANDS
        codes = {
            kind: ((worker_id, pk) in acknowledged) if (peer_code or in_bands) else None
            for kind, pk, peer_code in code_kinds
        }
        rows.append(Row(worker, teams[worker_id], cells, worker_id in trained_ids, codes))
    if status in Rag.values:
        rows = [row for row in rows if status in row.statuses]
    return Matrix(subjects=subjects, rows=rows, code_versions=versions, today=today)


def monthly_compliance(user, *, months: int = 12, today: date | None = None) -> list[tuple[date, float]]:
    """For the last `months` month ends: the share of (peer worker in post, subject) pairs in date on
    that day. Today's workforce and subjects, looking back (who was in post then is not kept).
    Three queries, however many completions."""
    from .models import add_months

    today = today or timezone.localdate()
    worker_ids = workers_in_scope(user).values("pk")
    subject_ids = list(TrainingSubject.objects.active().values_list("pk", flat=True))
    worker_count = User.objects.filter(pk__in=worker_ids).count()
    pairs = worker_count * len(subject_ids)
    first_of_month = today.replace(day=1)
    ends = [add_months(first_of_month, -k) - timedelta(days=1) for k in range(months - 1, 0, -1)] + [today]
    # One count per month end of the (worker, subject) pairs with a completion in date on that day,
    # counted by the database (a pair is one number: user id * 10^6 + subject id).
    pair = F("user_id") * 1_000_000 + F("subject_id")
    counts = (
        TrainingCompletion.objects.current()
        .filter(user_id__in=worker_ids, subject_id__in=subject_ids, expires_on__gt=ends[0], completed_on__lte=today)
        .aggregate(
            **{
                f"m{k}": Count(pair, distinct=True, filter=Q(completed_on__lte=end, expires_on__gt=end))
                for k, end in enumerate(ends)
            }
        )
    )
    result = [(end, round(100 * counts[f"m{k}"] / pairs, 1) if pairs else 0.0) for k, end in enumerate(ends)]
    return result


def _count(queryset) -> Coalesce:
    """COUNT(*) of a correlated subquery, as an expression (0 when nothing matches)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def worker_summaries(user, today: date | None = None) -> list[User]:
    """The peer workers in post in a user's reach, each annotated with `red` and `amber` (how many active
    subjects are missing or expired, and due within AMBER_DAYS), `subject_count` and `trained` (peer
    support training completed). One query, however many workers: it is for the home pages, which
    must not grow with the trust (the matrix itself has dates per cell)."""
    today = today or timezone.localdate()
    amber_end = today + timedelta(days=AMBER_DAYS)
    mine = TrainingCompletion.objects.current().filter(user_id=OuterRef(OuterRef("pk")), subject_id=OuterRef("pk"))
    subjects = TrainingSubject.objects.active()
    return list(
        workers_in_scope(user)
        .annotate(
            subject_count=_count(subjects),
            # Red: no current completion of the subject runs beyond today (rag_for of the latest expiry).
            red=_count(subjects.exclude(Exists(mine.filter(expires_on__gt=today)))),
            # Amber: the latest expiry falls within the amber window.
            amber=_count(
                subjects.filter(Exists(mine.filter(expires_on__gt=today))).exclude(
                    Exists(mine.filter(expires_on__gt=amber_end))
                )
            ),
            trained=Exists(Trainee.objects.completed_peer_support().filter(user_id=OuterRef("pk"))),
        )
        .order_by("last_name", "first_name", "pk")
    )


def summary_totals(workers: list[User]) -> dict[str, int]:
    red = sum(w.red for w in workers)
    amber = sum(w.amber for w in workers)
    return {Rag.RED: red, Rag.AMBER: amber, Rag.GREEN: sum(w.subject_count for w in workers) - red - amber}
