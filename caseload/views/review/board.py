"""The team caseload board and a worker's person list (its drill-down), with CSV and XLSX downloads.
Each page runs a fixed number of queries, whatever the number of workers or people."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from peersupport import audit, charts
from peersupport.exports import csv_response, xlsx_response
from peersupport.reauth import personal_data_download

from ...forms.people import OPEN, needing_attention, search_people
from ...forms.review import ReassignForm
from ...models import Person, PersonStatus, caseload_rows
from ...review.board import Board, Figures, WorkerStatus, build_board
from ...review.columns import RECORDS_PER_PERSON, BoardScope, column, later_columns, people_behind
from ...review.filters import BoardFilterForm, PeopleFilterForm
from .scope import ManagerScope, people_in_teams, valid_query

# The board ----------------------------------------------------------------------------------


def _board(request: HttpRequest) -> tuple[BoardFilterForm, Board, ManagerScope]:
    scope = ManagerScope(request)
    form = BoardFilterForm(request.GET or None, teams=scope.teams, memberships=scope.memberships)
    board = build_board(
        user=request.user,
        teams=form.chosen_teams(),
        memberships=scope.memberships,
        worker_id=form.value_of("worker"),
        status=form.value_of("status", WorkerStatus.CURRENT),
        sort=form.value_of("sort", "worker"),
    )
    return form, board, scope


def _link_figures(board: Board, form: BoardFilterForm) -> None:
    """Give each row, team and the whole board the link its figures open: the people list filtered
    as the board is (team, worker, the workers' status), ending in "figure=" for the figure's key."""
    people_url = reverse("caseload:review-people")
    status = form.value_of("status", WorkerStatus.CURRENT)
    worker = form.value_of("worker")

    def link(**params) -> str:
        query = urlencode({k: v for k, v in params.items() if v} | {"worker_status": status})
        return escape(f"{people_url}?{query}&figure=")

    for section in board.sections:
        section.link = link(team=section.team.pk, worker=worker)
        for row in section.rows:
            row.link = link(team=row.team.pk, worker=row.worker.pk)
    board.total.link = link(worker=worker)


@require_GET
@login_required
def board(request: HttpRequest) -> HttpResponse:
    form, board, _ = _board(request)
    _link_figures(board, form)
    context = {
        "form": form,
        "board": board,
        "headers": _sort_headers(valid_query(request, form), board.sort),
        "chart": _capacity_chart(board),
        "query": valid_query(request, form).urlencode(),
        "people_url": reverse("caseload:review-people"),
    }
    return render(request, "caseload/review/board.html", context, status=400 if form.errors else 200)


@dataclass
class Header:
    key: str
    label: str  # in full: the tooltip and what a screen reader reads
    short: str  # what the heading shows, so the columns fit 1280 px
    help: str
    url: str
    aria_sort: str


def _sort_headers(query: QueryDict, current: str) -> list[Header]:
    """Column headings that sort the board: a first click sorts highest first, a second reverses."""
    headings = [("worker", "Peer support worker", "Worker", ""), ("status", "Status", "Status", "")]
    headings += [("load", "Caseload / capacity", "Caseload", "Caseload against capacity from contracted hours.")]
    headings += [(c.key, c.label, c.heading, c.help) for c in later_columns()]
    headers = []
    for key, label, short, help_text in headings:
        ascending_first = key in ("worker", "status")
        if current == key:
            chosen, aria = f"-{key}", "ascending"
        elif current == f"-{key}":
            chosen, aria = key, "descending"
        else:
            chosen, aria = (key if ascending_first else f"-{key}"), ""
        query["sort"] = chosen
        headers.append(Header(key, label, short, help_text, f"?{query.urlencode()}", aria))
    return headers


def _capacity_chart(board: Board) -> charts.Chart:
    bars = []
    for row in board.rows:
        label = f"{row.worker}" + (f", {row.team}" if len(board.sections) > 1 else "")
        colour = charts.PALETTE[5] if row.over_capacity else charts.PALETTE[0]
        bars.append(
            charts.Bar(
                label=label,
                segments=[charts.Segment("Caseload", row.caseload, colour)],
                value_text=f"{row.caseload} of {row.capacity}",
                marker=row.capacity,
                warn=row.over_capacity,
            )
        )
    over = [b.label for b in bars if b.warn]
    summary = f"{len(over)} of {len(bars)} workers over capacity" + (f": {', '.join(over)}." if over else ".")
    return charts.Chart("Caseload against capacity", summary, bars, marker_label="Capacity")


def _board_table(board: Board) -> tuple[list[str], list[list]]:
    header = ["Team", "Peer support worker", "Status", "Contracted hours", "Caseload", "Capacity", "Load %"]
    header += [c.label for c in later_columns()]
    rows = []
    for section in board.sections:
        for row in section.rows:
            worker = row.worker
            status = worker.get_employment_status_display()
            rows.append([row.team.name, str(worker), status, worker.contracted_hours, *_figures(row)])
        rows.append([section.team.name, "Team total", "", None, *_figures(section)])
    if len(board.sections) > 1:
        rows.append(["All teams", "Total", "", None, *_figures(board.total)])
    return header, rows


def _figures(figures: Figures) -> list:
    cells = [figures.caseload, figures.capacity, figures.load]
    return cells + [figures.value(c.key) for c in later_columns()]


@require_GET
@login_required
@personal_data_download
def board_csv(request: HttpRequest) -> HttpResponse:
    form, board, _ = _board(request)
    if form.errors:
        return _bad_export(request, "caseload:review-board")
    return csv_response("team-caseload-board", *_board_table(board))


@require_GET
@login_required
@personal_data_download
def board_xlsx(request: HttpRequest) -> HttpResponse:
    form, board, _ = _board(request)
    if form.errors:
        return _bad_export(request, "caseload:review-board")
    return xlsx_response("team-caseload-board", "Caseload board", *_board_table(board))


def _bad_export(request: HttpRequest, page: str) -> HttpResponse:
    """An export asked for with a filter the page does not offer: back to the page, which says why."""
    messages.error(request, "The download was not made: a filter was not one of those offered. Check them below.")
    return redirect(f"{reverse(page)}?{request.GET.urlencode()}")


# A worker's person list (the board's drill-down) -------------------------------------------------


def _person_list(request: HttpRequest) -> tuple[PeopleFilterForm, QuerySet[Person], list[Person], ManagerScope]:
    scope = ManagerScope(request)
    form = PeopleFilterForm(request.GET or None, teams=scope.teams, memberships=scope.memberships)
    if form.errors:
        return form, Person.objects.none(), [], scope
    teams = form.chosen_teams()
    people = people_in_teams(request, [t.pk for t in teams])
    if worker_id := form.value_of("worker"):
        people = people.filter(assigned_worker_id=worker_id)
    if worker_status := form.value_of("worker_status"):
        people = people.filter(_workers_with_status(scope, teams, worker_status))
    if figure := form.value_of("figure"):
        # A board figure's people: the figure decides which statuses count, as on the board.
        board_scope = BoardScope(user=request.user, team_ids=[], worker_id=None, now=timezone.now())
        people = people_behind(people, figure, board_scope)
        if figure in RECORDS_PER_PERSON:
            people = people.annotate(figure_records=F(RECORDS_PER_PERSON[figure]))
    else:
        status = form.value_of("status", OPEN)
        if status == OPEN:
            people = people.open()
        elif status != "any":
            people = people.filter(status=status)
    if q := form.value_of("q"):
        people = search_people(people, q)
    people = people.with_summary()
    if form.value_of("attention"):
        people = needing_attention(people)
    rows = caseload_rows(people)
    return form, people, _sort_people(rows, form.value_of("sort", "")), scope


def _workers_with_status(scope: ManagerScope, teams, status: str) -> Q:
    """People whose worker is a peer support worker of their team with this status: the people the
    board counts in the rows it shows for that status."""
    chosen = {t.pk for t in teams}
    condition = Q(pk__in=[])
    for team_id in chosen:
        workers = [
            m.user_id
            for m in scope.memberships
            if m.team_id == team_id and WorkerStatus.matches(status, m.user.employment_status)
        ]
        condition |= Q(team_id=team_id, assigned_worker_id__in=workers)
    return condition


def _sort_people(rows: list[Person], sort: str) -> list[Person]:
    never = 10**6
    keys = {
        "name": lambda p: (p.family_name.lower(), p.given_name.lower()),
        "-last_seen": lambda p: -(never if p.days_since_seen is None else p.days_since_seen),
        "last_seen": lambda p: never if p.days_since_seen is None else p.days_since_seen,
        "status": lambda p: list(PersonStatus.values).index(p.status),
        "worker": lambda p: str(p.assigned_worker or "~"),
        "referral": lambda p: p.referral_date,
        "plan_review": lambda p: (p.plan_review_on is None, p.plan_review_on or timezone.localdate()),
    }
    return sorted(rows, key=keys[sort]) if sort in keys else rows


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form, _, rows, scope = _person_list(request)
    worker = next((m.user for m in scope.memberships if m.user_id == form.value_of("worker")), None)
    team = next((t for t in form.chosen_teams() if form.value_of("team")), None)
    figure = column(key) if (key := form.value_of("figure")) else None
    records = None
    if figure is not None and figure.key in RECORDS_PER_PERSON:
        records = sum(p.figure_records or 0 for p in rows)
    context = {
        "form": form,
        "people": rows,
        "worker": worker,
        "team": team,
        "figure": figure,
        "records": records,
        "reassign_form": ReassignForm(people=Person.objects.none(), memberships=scope.memberships),
        "query": valid_query(request, form).urlencode(),
    }
    return render(request, "caseload/review/person_list.html", context, status=400 if form.errors else 200)


PEOPLE_HEADER = [
    "Name",
    "NHS number",
    "Status",
    "Team",
    "Peer support worker",
    "Referral date",
    "Last contact",
    "Days since last contact",
    "Next appointment",
    "Active goals",
    "Plan review",
    "Needs attention",
]


def _people_table(rows: list[Person]) -> list[list]:
    def day(value):
        return timezone.localdate(value) if value else None

    return [
        [
            p.display_name,
            p.nhs_number,
            p.get_status_display(),
            p.team.name,
            str(p.assigned_worker or "Not allocated"),
            p.referral_date,
            day(p.last_seen_at),
            p.days_since_seen,
            day(p.next_appointment_at),
            p.active_goals,
            p.plan_review_on,
            "; ".join(p.attention),
        ]
        for p in rows
    ]


def _people_download(request: HttpRequest, respond) -> HttpResponse:
    """A download of the person list, as filtered; each person in it is logged as viewed."""
    form, people, rows, _ = _person_list(request)
    if form.errors:
        return _bad_export(request, "caseload:review-people")
    audit.log_views(request, people)
    return respond(_people_table(rows))


@require_GET
@login_required
@personal_data_download
def person_list_csv(request: HttpRequest) -> HttpResponse:
    return _people_download(request, lambda table: csv_response("people", PEOPLE_HEADER, table))


@require_GET
@login_required
@personal_data_download
def person_list_xlsx(request: HttpRequest) -> HttpResponse:
    return _people_download(request, lambda table: xlsx_response("people", "People", PEOPLE_HEADER, table))
