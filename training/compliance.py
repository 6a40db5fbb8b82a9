"""The compliance matrix: peer workers in post by mandatory subjects, red / amber / green, plus peer
support training and the codes of conduct. A fixed number of queries, however many workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef, Subquery
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


@dataclass
class Cell:
    status: str
    completed_on: date | None = None
    expires_on: date | None = None

    @property
    def label(self) -> str:
        return Rag(self.status).label


@dataclass
class Row:
    worker: User
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
    workers = list(User.objects.filter(pk__in=worker_ids).order_by("last_name", "first_name", "pk"))
    subjects = list(TrainingSubject.objects.visible_to(user).active())
    if subject_id:
        subjects = [s for s in subjects if s.pk == subject_id]
    teams: dict[int, list[str]] = {}
    for user_id, team in (
        Membership.objects.filter(user_id__in=worker_ids, role=Role.PSW)
        .order_by("team__name")
        .values_list("user_id", "team__name")
    ):
        teams.setdefault(user_id, []).append(team)
    latest = {
        (r["user_id"], r["subject_id"]): r
        for r in TrainingCompletion.objects.current()
        .filter(user_id__in=worker_ids, subject__in=[s.pk for s in subjects])
        .values("user_id", "subject_id")
        .annotate(expires_on=Max("expires_on"), completed_on=Max("completed_on"))
    }
    trained = set(
        Trainee.objects.completed_peer_support().filter(user_id__in=worker_ids).values_list("user_id", flat=True)
    )
    versions = CodeVersion.objects.current()
    acknowledged = set(
        Acknowledgement.objects.filter(version__in=[v.pk for v in versions], user_id__in=worker_ids).values_list(
            "user_id", "version_id"
        )
    )
    rows = []
    for worker in workers:
        cells = []
        for subject in subjects:
            found = latest.get((worker.pk, subject.pk))
            expires = found["expires_on"] if found else None
            cells.append(Cell(rag_for(expires, today), found["completed_on"] if found else None, expires))
        codes = {}
        for version in versions:
            # Every worker here is a PSW; the bands 2-4 code applies by band.
            applies = version.kind == CodeKind.PEER_WORKER or worker.afc_band in CODE_BANDS
            codes[version.kind] = ((worker.pk, version.pk) in acknowledged) if applies else None
        rows.append(Row(worker, teams.get(worker.pk, []), cells, worker.pk in trained, codes))
    if status in Rag.values:
        rows = [row for row in rows if status in row.statuses]
    return Matrix(subjects=subjects, rows=rows, code_versions=versions, today=today)


def monthly_compliance(user, *, months: int = 12, today: date | None = None) -> list[tuple[date, float]]:
    """For the last `months` month ends: the share of (peer worker in post, subject) pairs in date on
    that day. Today's workforce and subjects, looking back (who was in post then is not kept).
    Two queries, however many completions."""
    from .models import add_months

    today = today or timezone.localdate()
    worker_ids = workers_in_scope(user).values("pk")
    subject_ids = list(TrainingSubject.objects.active().values_list("pk", flat=True))
    worker_count = User.objects.filter(pk__in=worker_ids).count()
    pairs = worker_count * len(subject_ids)
    first_of_month = today.replace(day=1)
    ends = [add_months(first_of_month, -k) - timedelta(days=1) for k in range(months - 1, 0, -1)] + [today]
    spans: dict[tuple[int, int], list[tuple[date, date]]] = {}
    for user_id, subject_id, completed, expires in (
        TrainingCompletion.objects.current()
        .filter(user_id__in=worker_ids, subject_id__in=subject_ids, expires_on__gt=ends[0], completed_on__lte=today)
        .values_list("user_id", "subject_id", "completed_on", "expires_on")
    ):
        spans.setdefault((user_id, subject_id), []).append((completed, expires))
    result = []
    for end in ends:
        in_date = sum(1 for periods in spans.values() if any(c <= end < e for c, e in periods))
        result.append((end, round(100 * in_date / pairs, 1) if pairs else 0.0))
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
