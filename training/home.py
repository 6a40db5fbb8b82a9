"""Training's sections of the role-aware home page (order 300)."""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from peersupport import plugins

from . import compliance
from .models import Acknowledgement, CodeVersion, TrainingCompletion, add_months, codes_for
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
    """A manager's teams' gaps: one query (the workers with their red and amber counts)."""
    user = request.user
    if not user.is_manager or runs_training(user):
        return None
    workers = compliance.worker_summaries(user)
    return {
        "team_training_gaps": [w for w in workers if w.red or not w.trained],
        "team_training_totals": compliance.summary_totals(workers),
        "team_training_workers": len(workers),
    }


def trust(request: HttpRequest) -> dict | None:
    """The trust-wide picture and this month's expiries: two queries, however big the trust."""
    user = request.user
    if not runs_training(user):
        return None
    workers = compliance.worker_summaries(user)
    today = timezone.localdate()
    month_start = today.replace(day=1)
    month_end = add_months(month_start, 1)
    # The latest completion per worker and subject, where it runs out this month.
    expiring = (
        TrainingCompletion.objects.current()
        .filter(user_id__in=compliance.workers_in_scope(user).values("pk"), subject__retired_at__isnull=True)
        .values("user_id", "subject__name")
        .annotate(expires_on=Max("expires_on"))
        .filter(expires_on__gte=month_start, expires_on__lt=month_end)
    )
    by_pk = {w.pk: w for w in workers}
    this_month = sorted(
        ((by_pk[e["user_id"]], e["subject__name"], e["expires_on"]) for e in expiring if e["user_id"] in by_pk),
        key=lambda item: (item[2], item[0].last_name, item[1]),
    )
    return {
        "trust_training_totals": compliance.summary_totals(workers),
        "trust_training_workers": len(workers),
        "trust_untrained_count": sum(1 for w in workers if not w.trained),
        "trust_expiring": this_month,
    }


def register() -> None:
    plugins.register_home_section("training-mine", template="training/home/_mine.html", context=mine, order=300)
    plugins.register_home_section("training-teams", template="training/home/_teams.html", context=teams, order=310)
    plugins.register_home_section("training-trust", template="training/home/_trust.html", context=trust, order=320)
