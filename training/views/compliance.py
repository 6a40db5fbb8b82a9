"""The compliance matrix, its downloads and chart, and the peer workers without peer support training."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from peersupport import charts
from peersupport.exports import csv_response, xlsx_response
from peersupport.reauth import personal_data_download

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


_CELL_WORDS = {compliance.Rag.GREEN: "In date", compliance.Rag.AMBER: "Due soon"}
_CODE_CELLS = {
    None: "<td>Not applicable</td>",
    True: '<td><span class="rag rag-green">Acknowledged</span></td>',
    False: '<td><span class="rag rag-red">Not acknowledged</span></td>',
}
_TRAINED_CELLS = {
    True: '<td><span class="rag rag-green">Completed</span></td>',
    False: '<td><span class="rag rag-red">Not completed</span></td>',
}


def _cell_html(cell: compliance.Cell, months: list[str]) -> str:
    words = _CELL_WORDS.get(cell.status) or ("Expired" if cell.expires_on else "Not done")
    expires = cell.expires_on
    if expires is None:
        return f'<td><span class="rag rag-{cell.status}">{words}</span></td>'
    # The settings' DATE_FORMAT ("5 Sep 2026"), without the cost of date_format for 3,600 cells.
    day = f"{expires.day} {months[expires.month]} {expires.year}"
    return f'<td><span class="rag rag-{cell.status}">{words}</span><br><span class="small">to {day}</span></td>'


def _rows_html(matrix: compliance.Matrix) -> str:
    """The matrix's body, built here rather than by the template engine: 300 workers x 12 subjects is
    3,600 cells, and the template loop cost ten times the query (bench/training.py). Only names and
    team names are free text, and they are escaped."""
    marker = 987654321
    link = reverse("training:worker-record", args=[marker]).split(str(marker))
    months = ["", *(str(MONTHS_3[month]).title() for month in range(1, 13))]
    cells: dict[tuple, str] = {}  # many cells share a status and an expiry date: each is built once

    def cell_html(cell: compliance.Cell) -> str:
        key = (cell.status, cell.expires_on)
        html = cells.get(key)
        if html is None:
            html = cells[key] = _cell_html(cell, months)
        return html

    lines = []
    for row in matrix.rows:
        worker = row.worker
        lines.append(
            f'<tr><th scope="row"><a href="{link[0]}{worker.pk}{link[1]}">{escape(worker)}</a></th>'
            f"<td>{escape(', '.join(row.teams))}</td>{_TRAINED_CELLS[row.peer_support_trained]}"
            + "".join(_CODE_CELLS[row.codes.get(v.kind)] for v in matrix.code_versions)
            + "".join(map(cell_html, row.cells))
            + "</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 (every free-text value above is escaped)


@require_GET
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    form, matrix = _matrix(request)
    return render(
        request,
        "training/matrix.html",
        {
            "form": form,
            "matrix": matrix,
            "rows_html": _rows_html(matrix),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@login_required
def trend(request: HttpRequest) -> HttpResponse:
    """The compliance chart, month by month, on its own page: the matrix stays quick at trust scale."""
    if not _may_see_matrix(request.user):
        raise Http404
    return render(request, "training/trend.html", {"chart": _chart(request)})


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
@personal_data_download
def matrix_csv(request: HttpRequest) -> HttpResponse:
    _, matrix = _matrix(request)
    return csv_response("training-compliance", *_table(matrix))


@require_GET
@login_required
@personal_data_download
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
@personal_data_download
def untrained_csv(request: HttpRequest) -> HttpResponse:
    _, matrix = _matrix(request)
    rows = ([str(r.worker), r.worker.email, ", ".join(r.teams), r.worker.start_date] for r in matrix.untrained)
    return csv_response("without-peer-support-training", ["Worker", "Email", "Teams", "Start date"], rows)
