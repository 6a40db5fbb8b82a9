"""Training's sections of the role-aware home page (order 300)."""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from peersupport import plugins

from . import compliance
from .models import Acknowledgement, CodeVersion, TrainingCompletion, codes_for
from .rules import runs_training


def _codes_to_acknowledge(user) -> list[CodeVersion]:
    kinds = codes_for(user)
    if not kinds:
        return []
    versions = [v for v in CodeVersion.objects.current() if v.kind in kinds]
    done = set(
        Acknowledgement.objects.filter(user=user, version__in=[v.pk for v in versions]).values_list(
            "version_id", flat=True
        )
    )
    return [v for v in versions if v.pk not in done]


def mine(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_psw:
        return None
    from .views.mandatory import record_for

    record = record_for(user, user)
    due = [(s, c, rag) for s, c, rag in record["subjects"] if rag != compliance.Rag.GREEN]
    return {
        "training_due": due,
        "training_subject_count": len(record["subjects"]),
        "training_peer_support": record["peer_support_trained"],
        "codes_to_acknowledge": _codes_to_acknowledge(user),
    }


def teams(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_manager or runs_training(user):
        return None
    matrix = compliance.build(user)
    gaps = [row for row in matrix.rows if compliance.Rag.RED in row.statuses or not row.peer_support_trained]
    return {
        "team_training_gaps": gaps,
        "team_training_totals": matrix.totals(),
        "team_training_workers": len(matrix.rows),
    }


def trust(request: HttpRequest) -> dict | None:
    user = request.user
    if not runs_training(user):
        return None
    matrix = compliance.build(user)
    today = timezone.localdate()
    month_end = (today.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    # The latest completion per worker and subject that runs out this month.
    expiring = (
        TrainingCompletion.objects.current()
        .filter(user_id__in=compliance.workers_in_scope(user).values("pk"), subject__retired_at__isnull=True)
        .values("user_id", "subject_id")
        .annotate(expires_on=Max("expires_on"))
        .filter(expires_on__gte=today.replace(day=1), expires_on__lt=month_end)
    )
    pairs = {(e["user_id"], e["subject_id"]): e["expires_on"] for e in expiring}
    subjects = {s.pk: s for s in matrix.subjects}
    this_month = sorted(
        (
            (row.worker, subjects[sid], exp)
            for row in matrix.rows
            for (uid, sid), exp in pairs.items()
            if uid == row.worker.pk and sid in subjects
        ),
        key=lambda item: item[2],
    )
    return {
        "trust_training_totals": matrix.totals(),
        "trust_training_workers": len(matrix.rows),
        "trust_untrained": matrix.untrained,
        "trust_expiring": this_month,
    }


def register() -> None:
    plugins.register_home_section("training-mine", template="training/home/_mine.html", context=mine, order=300)
    plugins.register_home_section("training-teams", template="training/home/_teams.html", context=teams, order=310)
    plugins.register_home_section("training-trust", template="training/home/_trust.html", context=trust, order=320)
