"""The compliance matrix, its downloads and chart, and the peer workers without peer support training."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peersupport import charts
from peersupport.exports import csv_response, xlsx_response

from .. import compliance, forms
from ..rules import runs_training


def _may_see_matrix(user) -> bool:
    return runs_training(user) or user.is_manager


def _matrix(request: HttpRequest) -> tuple[forms.MatrixFilterForm, compliance.Matrix]:
    if not _may_see_matrix(request.user):
        raise Http404
    form = forms.MatrixFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    team, subject = filters.get("team"), filters.get("subject")
    matrix = compliance.build(
        request.user,
        team_id=team.pk if team else None,
        subject_id=subject.pk if subject else None,
        status=filters.get("status") or None,
    )
    return form, matrix


def _chart(request: HttpRequest) -> charts.Chart:
    months = compliance.monthly_compliance(request.user)
    bars = [
        charts.Bar(
            label=end.strftime("%b %Y"),
            segments=[charts.Segment("In date", share, charts.PALETTE[2])],
            value_text=f"{share:g}%",
            marker=100,
        )
        for end, share in months
    ]
    latest = months[-1][1] if months else 0
    summary = (
        f"The share of mandatory training in date for peer workers in post, at the end of each month "
        f"(today for this month). Now {latest:g}%, {months[0][1]:g}% twelve months ago."
    )
    return charts.Chart("Compliance over the last 12 months", summary, bars, marker_label="Everyone in date")


@require_GET
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    form, matrix = _matrix(request)
    return render(
        request,
        "training/matrix.html",
        {"form": form, "matrix": matrix, "chart": _chart(request), "query": request.GET.urlencode()},
    )


def _table(matrix: compliance.Matrix) -> tuple[list[str], list[list]]:
    header = ["Worker", "Email", "Teams", "Peer support training"]
    header += [f"{v.get_kind_display()} (v{v.version})" for v in matrix.code_versions]
    for subject in matrix.subjects:
        header += [f"{subject.name}: status", f"{subject.name}: completed", f"{subject.name}: expires"]
    rows = []
    for row in matrix.rows:
        line = [
            str(row.worker),
            row.worker.email,
            ", ".join(row.teams),
            "Completed" if row.peer_support_trained else "Not completed",
        ]
        for version in matrix.code_versions:
            acknowledged = row.codes.get(version.kind)
            line.append(
                "Not applicable" if acknowledged is None else ("Acknowledged" if acknowledged else "Not acknowledged")
            )
        for cell in row.cells:
            line += [cell.label, cell.completed_on, cell.expires_on]
        rows.append(line)
    return header, rows


@require_GET
@login_required
def matrix_csv(request: HttpRequest) -> HttpResponse:
    _, matrix = _matrix(request)
    return csv_response("training-compliance", *_table(matrix))


@require_GET
@login_required
def matrix_xlsx(request: HttpRequest) -> HttpResponse:
    _, matrix = _matrix(request)
    return xlsx_response("training-compliance", "Compliance", *_table(matrix))


@require_GET
@login_required
def untrained(request: HttpRequest) -> HttpResponse:
    form, matrix = _matrix(request)
    return render(
        request, "training/untrained.html", {"form": form, "rows": matrix.untrained, "query": request.GET.urlencode()}
    )


@require_GET
@login_required
def untrained_csv(request: HttpRequest) -> HttpResponse:
    _, matrix = _matrix(request)
    rows = ([str(r.worker), r.worker.email, ", ".join(r.teams), r.worker.start_date] for r in matrix.untrained)
    return csv_response("without-peer-support-training", ["Worker", "Email", "Teams", "Start date"], rows)
