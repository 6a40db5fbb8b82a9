"""Manager review pages (SPEC section 5): the team caseload board, a worker's person list,
needs reassignment, reassignment, cover and the service figures, with CSV and XLSX exports.

A manager reaches only their own teams, on every page and in every download; anyone else gets 404.
Each page runs a fixed number of queries, whatever the number of workers or people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peersupport import audit, charts
from peersupport.exports import csv_response, xlsx_response

from .. import emails, services
from ..forms.people import OPEN
from ..forms.review import BoardFilterForm, CoverForm, PeopleFilterForm, ReassignForm, ScopeFilterForm
from ..models import CaseloadCover, ContactType, Person, PersonStatus, caseload_rows
from ..periods import quarter_start
from ..review.board import Board, Figures, WorkerStatus, build_board, managed_teams_and_workers
from ..review.columns import later_columns
from ..review.figures import MonthlyWaits, MonthOfContacts, closures_by_reason, contacts_by_type, overall, waiting_times

GET_POST = require_http_methods(["GET", "POST"])


class ManagerScope:
    """The teams a manager manages and the peer support workers in them (one query)."""

    def __init__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            raise Http404
        self.teams, self.memberships = managed_teams_and_workers(request.user)
        if not self.teams:
            raise Http404
        self.team_ids = [t.pk for t in self.teams]


def _people(request: HttpRequest, team_ids: list[int]) -> QuerySet[Person]:
    return Person.objects.visible_to(request.user).filter(team_id__in=team_ids)


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


@require_GET
@login_required
def board(request: HttpRequest) -> HttpResponse:
    form, board, _ = _board(request)
    context = {
        "form": form,
        "board": board,
        "headers": _sort_headers(request, board.sort),
        "chart": _capacity_chart(board),
        "query": request.GET.urlencode(),
        "people_url": reverse("caseload:review-people"),
    }
    return render(request, "caseload/review/board.html", context, status=400 if form.errors else 200)


@dataclass
class Header:
    key: str
    label: str
    help: str
    url: str
    aria_sort: str


def _sort_headers(request: HttpRequest, current: str) -> list[Header]:
    """Column headings that sort the board: a first click sorts highest first, a second reverses."""
    headings = [("worker", "Peer support worker", ""), ("status", "Status", "")]
    headings += [("load", "Caseload / capacity", "Caseload against capacity from contracted hours.")]
    headings += [(c.key, c.label, c.help) for c in later_columns()]
    headers = []
    query = request.GET.copy()
    for key, label, help_text in headings:
        ascending_first = key in ("worker", "status")
        if current == key:
            chosen, aria = f"-{key}", "ascending"
        elif current == f"-{key}":
            chosen, aria = key, "descending"
        else:
            chosen, aria = (key if ascending_first else f"-{key}"), ""
        query["sort"] = chosen
        headers.append(Header(key, label, help_text, f"?{query.urlencode()}", aria))
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
def board_csv(request: HttpRequest) -> HttpResponse:
    form, board, _ = _board(request)
    if form.errors:
        return _bad_export(request, "caseload:review-board")
    return csv_response("team-caseload-board", *_board_table(board))


@require_GET
@login_required
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
    people = _people(request, [t.pk for t in form.chosen_teams()])
    if worker_id := form.value_of("worker"):
        people = people.filter(assigned_worker_id=worker_id)
    status = form.value_of("status", OPEN)
    if status == OPEN:
        people = people.open()
    elif status != "any":
        people = people.filter(status=status)
    rows = caseload_rows(people.with_summary()) if not form.errors else []
    return form, people, _sort_people(rows, form.value_of("sort", "")), scope


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
    context = {
        "form": form,
        "people": rows,
        "worker": worker,
        "reassign_form": ReassignForm(people=Person.objects.none(), memberships=scope.memberships),
        "query": request.GET.urlencode(),
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
def person_list_csv(request: HttpRequest) -> HttpResponse:
    return _people_download(request, lambda table: csv_response("people", PEOPLE_HEADER, table))


@require_GET
@login_required
def person_list_xlsx(request: HttpRequest) -> HttpResponse:
    return _people_download(request, lambda table: xlsx_response("people", "People", PEOPLE_HEADER, table))


# Needs reassignment and reassignment ------------------------------------------------------------


@require_GET
@login_required
def reassignment_queue(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    people = _people(request, scope.team_ids).needs_reassignment().select_related("team", "assigned_worker")
    covers = CaseloadCover.objects.visible_to(request.user).active_on().select_related("covering_worker")
    covered_by = {(c.absent_worker_id, c.team_id): c for c in covers}
    rows = list(people.order_by("assigned_worker__last_name", "referral_date"))
    for person in rows:
        person.cover = covered_by.get((person.assigned_worker_id, person.team_id))
    context = {
        "people": rows,
        "reassign_form": ReassignForm(people=Person.objects.none(), memberships=scope.memberships),
    }
    return render(request, "caseload/review/reassignment_queue.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed and target.startswith("/") else reverse("caseload:review-reassignment")


@GET_POST
@login_required
def reassign(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    open_people = _people(request, scope.team_ids).open().select_related("assigned_worker", "team")
    data = request.POST if request.method == "POST" else None
    form = ReassignForm(data, people=open_people, memberships=scope.memberships)
    if request.method == "POST" and form.is_valid():
        to_worker = form.cleaned_data["to_worker"]
        team_ids = [m.team_id for m in scope.memberships if m.user_id == to_worker.pk]
        moved = services.reassign(
            people=form.cleaned_data["people"],
            to_worker=to_worker,
            by=request.user,
            reason=form.cleaned_data["reason"],
            worker_team_ids=team_ids,
        )
        count = sum(len(people) for people in moved.values())
        messages.success(
            request,
            f"{count} {'person' if count == 1 else 'people'} reassigned to {to_worker}. "
            "Both workers have been told by email.",
        )
        return redirect(_safe_next(request))
    chosen_ids = request.POST.getlist("people") if data else request.GET.getlist("people")
    chosen = [p for p in open_people.filter(pk__in=[i for i in chosen_ids if i.isdigit()])]
    context = {"form": form, "chosen": chosen, "next": _safe_next(request)}
    return render(request, "caseload/review/reassign.html", context, status=400 if form.errors else 200)


# Cover ----------------------------------------------------------------------------------------


@GET_POST
@login_required
def cover_list(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    form = CoverForm(request.POST or None, user=request.user, teams=scope.teams, memberships=scope.memberships)
    if request.method == "POST" and form.is_valid():
        cover = form.save(commit=False)
        cover.granted_by = request.user
        cover.save()
        emails.notify_cover(cover)
        messages.success(
            request,
            f"{cover.covering_worker} can see and update {cover.absent_worker}'s caseload in {cover.team} "
            f"from {date_format(cover.starts_on)} until the end of {date_format(cover.ends_on)}.",
        )
        return redirect("caseload:review-cover")
    today = timezone.localdate()
    covers = (
        CaseloadCover.objects.visible_to(request.user)
        .filter(team_id__in=scope.team_ids)
        .select_related("team", "absent_worker", "covering_worker", "granted_by")
    )
    context = {
        "form": form,
        "current": [c for c in covers.current_and_upcoming(today)],
        "past": list(covers.exclude(pk__in=covers.current_and_upcoming(today)).order_by("-ends_on")[:20]),
        "today": today,
    }
    return render(request, "caseload/review/cover.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def cover_end(request: HttpRequest, cover_pk: int) -> HttpResponse:
    covers = CaseloadCover.objects.visible_to(request.user).select_related("absent_worker")
    cover = get_object_or_404(covers, pk=cover_pk)
    if not cover.can_end(request.user):
        raise PermissionDenied("Only a manager of the team can end this cover, and only while it runs.")
    cover.end(by=request.user)
    messages.success(request, f"Cover of {cover.absent_worker}'s caseload has ended.")
    return redirect("caseload:review-cover")


# Service figures ---------------------------------------------------------------------------------


@require_GET
@login_required
def figures(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    form = ScopeFilterForm(request.GET or None, teams=scope.teams, memberships=[])
    del form.fields["worker"]
    people = _people(request, [t.pk for t in form.chosen_teams()])
    today = timezone.localdate()
    since = quarter_start(today)
    waits = waiting_times(people, today)
    months = contacts_by_type(people, today)
    context = {
        "form": form,
        "waits": waits,
        "overall": overall(waits),
        "closures": closures_by_reason(people, since),
        "since": since,
        "months": months,
        "contact_types": ContactType.choices,
        "waits_chart": _waits_chart(waits),
        "contacts_chart": _contacts_chart(months),
    }
    return render(request, "caseload/review/figures.html", context, status=400 if form.errors else 200)


def _waits_chart(waits: list[MonthlyWaits]) -> charts.Chart:
    bars = [
        charts.Bar(
            label=f"{m.month:%b %Y}",
            segments=[charts.Segment("Median wait", m.times.median or 0)],
            value_text=f"median {m.times.median:g}, longest {m.times.longest}" if m.times.waits else "nobody seen",
            marker=m.times.longest,
        )
        for m in waits
    ]
    measured = [m for m in waits if m.times.waits]
    if measured:
        worst = max(measured, key=lambda m: m.times.median)
        summary = f"Longest median wait: {worst.times.median:g} days, for people referred in {worst.month:%B %Y}."
    else:
        summary = "Nobody referred in these months has been seen yet."
    title = "Days from referral to first contact, by month of referral"
    return charts.Chart(title, summary, bars, marker_label="Longest wait")


def _contacts_chart(months: list[MonthOfContacts]) -> charts.Chart:
    labels = [label for _, label in ContactType.choices]
    bars = []
    for month in months:
        segments = [
            charts.Segment(label, month.by_type[value], charts.PALETTE[i % len(charts.PALETTE)])
            for i, (value, label) in enumerate(ContactType.choices)
        ]
        bars.append(charts.Bar(label=f"{month.month:%b %Y}", segments=segments, value_text=str(month.total)))
    busiest = max(months, key=lambda m: m.total)
    summary = f"{sum(m.total for m in months)} contacts in {len(months)} months; busiest {busiest.month:%B %Y}."
    return charts.Chart("Contacts per month, by type", summary, bars, legend=charts.legend(labels))
