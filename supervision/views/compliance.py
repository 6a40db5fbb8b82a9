"""Supervision compliance: per worker, last held, next due and days overdue. Dates only: never what
was discussed. Managers see their teams; the development team the trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport.exports import csv_response, xlsx_response
from peersupport.models import Membership, Role, User
from peersupport.reauth import personal_data_download

from ..models import Agreement
from ..models.health import passport_holders_visible_to


@dataclass
class Row:
    worker: User
    teams: str
    agreement: Agreement | None
    days_overdue: int
    passport: bool


def _may_see(user) -> bool:
    return user.is_manager or user.is_development_team


def compliance_rows(user, today: dt.date) -> list[Row]:
    """Every worker in reach (a manager's teams' peer support workers; the development team's every
    peer worker), with each agreement in force today: four queries, however many workers."""
    workers = User.objects.visible_to(user).peer_workers().in_post()
    if not (user.is_development_team):
        workers = workers.filter(memberships__team_id__in=user.managed_team_ids, memberships__role=Role.PSW)
    agreements = Agreement.objects.active_on(today).select_related("supervisor").order_by("agreement_type")
    teams = Membership.objects.filter(role=Role.PSW).select_related("team")
    workers = workers.prefetch_related(
        Prefetch("supervision_agreements", queryset=agreements, to_attr="agreements_now"),
        Prefetch("memberships", queryset=teams, to_attr="psw_memberships"),
    ).order_by("last_name", "first_name")
    passports = set(passport_holders_visible_to(user).values_list("pk", flat=True))
    rows = []
    for worker in workers:
        team_names = ", ".join(sorted(m.team.name for m in worker.psw_memberships))
        for agreement in worker.agreements_now or [None]:
            overdue = agreement.days_overdue(today) if agreement else 0
            rows.append(Row(worker, team_names, agreement, overdue, worker.pk in passports))
    return rows


HEADER = ["Worker", "Team", "Type", "Supervisor", "Every (weeks)", "Last held", "Next due", "Days overdue"]


def _cells(row: Row) -> list:
    a = row.agreement
    if a is None:
        return [str(row.worker), row.teams, "No agreement", "", None, None, None, None]
    return [
        str(row.worker),
        row.teams,
        a.get_agreement_type_display(),
        str(a.supervisor),
        a.frequency_weeks,
        a.last_held_on,
        a.next_due_on,
        row.days_overdue,
    ]


@require_GET
@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    if not _may_see(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = compliance_rows(request.user, today)
    return render(
        request,
        "supervision/compliance.html",
        {
            "rows": rows,
            "today": today,
            "overdue": sum(1 for r in rows if r.days_overdue),
            "without": sum(1 for r in rows if r.agreement is None),
        },
    )


@require_GET
@login_required
@personal_data_download
def compliance_csv(request: HttpRequest) -> HttpResponse:
    if not _may_see(request.user):
        raise PermissionDenied
    rows = compliance_rows(request.user, timezone.localdate())
    return csv_response("supervision-compliance", HEADER, (_cells(r) for r in rows))


@require_GET
@login_required
@personal_data_download
def compliance_xlsx(request: HttpRequest) -> HttpResponse:
    if not _may_see(request.user):
        raise PermissionDenied
    rows = compliance_rows(request.user, timezone.localdate())
    return xlsx_response("supervision-compliance", "Supervision", HEADER, (_cells(r) for r in rows))
