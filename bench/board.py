"""The manager-review benchmark at trust scale: `python bench/board.py` (also run by `make bench`).

1. Builds a trust in its own PostgreSQL database (BENCH_DATABASE_URL, default ps_bench; never the
   test or development database): 300 peer support workers in 30 teams, 7,500 people, 1,000,000
   contacts over 5 years, 30,000 goals with ratings, plans, DIALOGs and closures. Rows are generated
   lazily and streamed through COPY, so memory stays flat whatever the row count.
2. Measures in-process, with Django's test client, the server time and query count of: the board
   for a 10-worker team, a worker's person list, a person's page and the contact form POST; then,
   in the same run, the floor (the board's figures by one hand-written SQL query) and the Django
   admin's changelist of contacts filtered to the same team.
3. Writes bench/results/latest.json (under "board"; other benchmarks' keys are kept), prints a
   table, and exits 1 if the board's median time is over twice the floor's (the query's own time,
   measured in turns with the board so both meet the same machine).

Options: --runs N (measured runs of each, default 30), --reuse (keep an already built trust).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_bench")
os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client, outside the test runner

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django import forms  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.http import Http404, HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402
from psycopg2 import sql  # noqa: E402

from caseload.models import (  # noqa: E402
    DIALOG_ITEMS,
    DIALOG_LIFE_DOMAINS,
    DIALOG_TREATMENT,
    Appointment,
    ClosureReason,
    Contact,
    ContactType,
    DialogAssessment,
    DialogStage,
    GoalRating,
    GoalStatus,
    LifeArea,
    Person,
    PersonStatus,
    Rater,
    RecoveryGoal,
    RecoveryPlan,
    ReferralSource,
    StatusChange,
)
from caseload.periods import month_start, quarter_start  # noqa: E402
from caseload.review.board import build_board, psw_memberships  # noqa: E402
from caseload.review.columns import BOARD_SQL_KEYS, LONG_UNSEEN_DAYS, BoardScope, board_figures  # noqa: E402
from caseload.summaries import rebuild_summaries  # noqa: E402
from peersupport import urls as project_urls  # noqa: E402
from peersupport.models import EmploymentStatus, Membership, Role, Team, User  # noqa: E402
from peersupport.testing import SignInClient as Client  # noqa: E402

TEAMS = 30
WORKERS_PER_TEAM = 10
PEOPLE = 7_500
CONTACTS = 1_000_000
GOALS = 30_000
YEARS = 5
RESULTS = ROOT / "bench" / "results" / "latest.json"
BOARD, FLOOR = "board (10-worker team)", "floor: board figures in one SQL query"
FLOOR_PAGE = "floor served: that query behind a bare page"
PERSON_PAGE, BARE_PAGE = "person's page", "floor: a bare signed-in page"
CONTACT_POST, BARE_POST = "contact form POST", "floor: a bare signed-in form POST"
PAGE_BUDGET = 2.5  # the person's page and the contact POST, each against its own floor
BOARD_QUERY = "the board's own query, from the summaries"
CONTACT_TYPES = [
    (ContactType.FACE_TO_FACE, 45),
    (ContactType.PHONE, 25),
    (ContactType.MESSAGE, 10),
    (ContactType.VIDEO, 5),
    (ContactType.ACCOMPANIED, 5),
    (ContactType.GROUP, 4),
    (ContactType.DID_NOT_ATTEND, 4),
    (ContactType.CANCELLED, 2),
]
NOTES = [
    "Walked to the park and talked about the week ahead.",
    "Phoned to check in; feeling more settled since the review.",
    "Went together to the library to look at courses at the recovery college.",
    "Talked through what helps on difficult days and updated the wellness toolbox.",
    "Practised the bus journey to the job centre.",
]


# Streaming rows into PostgreSQL ------------------------------------------------------------------


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class RowStream(io.TextIOBase):
    """A file-like view of a generator of rows, read by COPY a chunk at a time (bounded memory)."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self.buffer) < size:
            try:
                self.buffer += next(self.lines)
            except StopIteration:
                break
        if size < 0:
            size = len(self.buffer)
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk

    def readline(self, size: int = -1) -> str:
        return self.read(size)


def copy_rows(model: type[Model], rows: Iterable[dict], *, with_ids: bool = False) -> int:
    """COPY dicts of column values into the model's table; columns not given take the field's
    default, so the loader keeps working when a field with a default is added. Ids come from the
    database unless `with_ids`."""
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    defaults = {f.column: f.get_default() for f in fields}
    columns = [f.column for f in fields]
    count = 0

    def lines() -> Iterator[str]:
        nonlocal count
        for row in rows:
            count += 1
            yield "\t".join(_text(row.get(c, defaults[c])) for c in columns) + "\n"

    with connection.cursor() as cursor:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        cursor.cursor.copy_expert(statement, RowStream(lines()), size=1 << 16)
    return count


def reset_sequences(models: list[type[Model]]) -> None:
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            statement = sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), COALESCE(MAX(id), 1)) FROM {}")
            cursor.execute(statement.format(sql.Literal(f'"{table}"'), sql.Identifier(table)))


# The trust ---------------------------------------------------------------------------------------


NOW = timezone.now()


def _at(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A time in working hours between two days, never in the future."""
    day = start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))
    at = dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45])), tzinfo=dt.UTC)
    return min(at, NOW - dt.timedelta(hours=1))


def _mean(scores: dict[str, int], items: list[tuple[str, str]]) -> Decimal:
    return (Decimal(sum(scores[name] for name, _ in items)) / len(items)).quantize(Decimal("0.01"))


def build_trust(seed: int = 5) -> dict:
    """Teams, staff and people by the ORM; the large tables streamed by COPY."""
    rng = random.Random(seed)
    today = timezone.localdate()
    started = today - dt.timedelta(days=365 * YEARS)
    teams = Team.objects.bulk_create(Team(name=f"Bench team {n + 1:02d}", service="Community") for n in range(TEAMS))
    managers = User.objects.bulk_create(
        User(email=f"manager{n + 1}@bench.nhs.uk", first_name="Manager", last_name=f"{n + 1:02d}", password="!")
        for n in range(TEAMS)
    )
    hours = [Decimal("37.5")] * 7 + [Decimal("30"), Decimal("22.5"), Decimal("15")]
    workers = User.objects.bulk_create(
        User(
            email=f"worker{n + 1}@bench.nhs.uk",
            first_name=rng.choice(["Priya", "Paul", "Olive", "Kwame", "Sian", "Tom", "Aisha", "Leah"]),
            last_name=f"Worker {n + 1:03d}",
            password="!",
            contracted_hours=rng.choice(hours),
            employment_status=(
                EmploymentStatus.LEFT
                if n % 50 == 17
                else EmploymentStatus.LONG_LEAVE
                if n % 40 == 3
                else EmploymentStatus.IN_POST
            ),
        )
        for n in range(TEAMS * WORKERS_PER_TEAM)
    )
    User.objects.create_superuser(email="admin@bench.nhs.uk", password="bench-admin-password", first_name="Ada")
    Membership.objects.bulk_create(
        [Membership(user=m, team=t, role=Role.MANAGER) for m, t in zip(managers, teams, strict=True)]
        + [Membership(user=w, team=teams[n // WORKERS_PER_TEAM], role=Role.PSW) for n, w in enumerate(workers)]
    )

    # People: referrals spread over five years; older ones mostly closed, as on a real caseload.
    people = []
    for n in range(PEOPLE):
        worker_index = n % len(workers)
        referral = started + dt.timedelta(days=rng.randint(0, 365 * YEARS - 5))
        age = (today - referral).days
        if age > 400 and rng.random() < 0.9:
            status = PersonStatus.CLOSED
        elif age < 30 and rng.random() < 0.5:
            status = PersonStatus.REFERRED
        else:
            status = rng.choices([PersonStatus.ACTIVE, PersonStatus.PAUSED], [9, 1])[0]
        closed_on = min(referral + dt.timedelta(days=rng.randint(120, 600)), today - dt.timedelta(days=1))
        if status == PersonStatus.REFERRED:
            end = referral  # not seen yet
        elif status == PersonStatus.CLOSED:
            end = closed_on
        elif rng.random() < 0.12:
            end = today - dt.timedelta(days=rng.randint(15, 60))  # a gap: not seen for a while
        else:
            end = today
        people.append(
            {
                "id": n + 1,
                "worker": workers[worker_index],
                "team": teams[worker_index // WORKERS_PER_TEAM],
                "referral": referral,
                "status": status,
                "start": min(referral + dt.timedelta(days=7), end),
                "end": end,
                "closed_on": closed_on if status == PersonStatus.CLOSED else None,
            }
        )
    copy_rows(
        Person,
        (
            {
                "id": p["id"],
                "given_name": rng.choice(["Sam", "Jordan", "Alex", "Chloe", "Imran", "Jess", "Niamh", "Yusuf"]),
                "family_name": f"Person {p['id']:05d}",
                "team_id": p["team"].pk,
                "assigned_worker_id": p["worker"].pk,
                "referral_source": rng.choice(ReferralSource.values),
                "referral_date": p["referral"],
                "referral_reason": "Would like support to get back into the community.",
                "consent_date": p["start"],
                "status": p["status"],
                "status_changed_on": p["closed_on"] or p["start"],
                "created_at": _at(rng, p["referral"], p["referral"]),
            }
            for p in people
        ),
        with_ids=True,
    )

    # Contacts: shared out by how long each person has been supported, 1,000,000 exactly.
    spans = [max((p["end"] - p["start"]).days, 0) if p["status"] != PersonStatus.REFERRED else 0 for p in people]
    total_span = sum(spans)
    shares = [CONTACTS * s // total_span for s in spans]
    shares[max(range(len(spans)), key=spans.__getitem__)] += CONTACTS - sum(shares)
    types, weights = zip(*CONTACT_TYPES, strict=True)

    def contacts() -> Iterator[dict]:
        for person, share in zip(people, shares, strict=True):
            for _ in range(share):
                at = _at(rng, person["start"], person["end"])
                kind = rng.choices(types, weights)[0]
                yield {
                    "person_id": person["id"],
                    "worker_id": person["worker"].pk,
                    "contact_at": at,
                    "recorded_at": at + dt.timedelta(hours=1),
                    "contact_type": kind,
                    "duration_minutes": 0 if kind in (ContactType.DID_NOT_ATTEND, ContactType.CANCELLED) else 45,
                    "notes": rng.choice(NOTES),
                    "written_with_person": True,
                }

    counts = {"contacts": copy_rows(Contact, contacts())}

    # Goals, four a person, each rated one to five times; achieved and set-aside goals on the way.
    # Each goal has its own seeded generator, so its ratings can be streamed in a second pass.
    def goal_rng(n: int) -> random.Random:
        return random.Random(seed * 1_000_003 + n)

    def goals() -> Iterator[dict]:
        for n in range(GOALS):
            person, rng_n = people[n % PEOPLE], goal_rng(n)
            set_on, last = person["start"], person["end"]
            odds = [5, 2, 3] if person["status"] == PersonStatus.CLOSED else [2, 1, 7]
            status = rng_n.choices([GoalStatus.ACHIEVED, GoalStatus.SET_ASIDE, GoalStatus.ACTIVE], odds)[0]
            changed = set_on + dt.timedelta(days=rng_n.randint(0, max((last - set_on).days, 0)))
            yield {
                "id": n + 1,
                "person_id": person["id"],
                "description": "I want to go to the shop on my own.",
                "life_area": rng_n.choice(LifeArea.values),
                "status": status,
                "status_changed_on": changed if status != GoalStatus.ACTIVE else set_on,
                "set_on": set_on,
                "created_by_id": person["worker"].pk,
                "created_at": _at(rng_n, set_on, set_on),
            }

    def ratings() -> Iterator[dict]:
        for n in range(GOALS):
            person, rng_n = people[n % PEOPLE], goal_rng(-n - 1)
            if person["status"] == PersonStatus.REFERRED:
                continue
            score = rng_n.randint(1, 4)
            for r in range(rng_n.randint(1, 5)):
                score = min(10, max(0, score + rng_n.randint(-1, 3)))
                rated = min(person["start"] + dt.timedelta(days=21 * r), person["end"])
                yield {
                    "goal_id": n + 1,
                    "score": score,
                    "rated_on": rated,
                    "recorded_by_id": person["worker"].pk,
                    "recorded_at": _at(rng_n, rated, rated),
                }

    counts["goals"] = copy_rows(RecoveryGoal, goals(), with_ids=True)
    counts["goal_ratings"] = copy_rows(GoalRating, ratings())

    def dialogs() -> Iterator[dict]:
        for person in people:
            if person["status"] == PersonStatus.REFERRED:
                continue
            for stage, day in ((DialogStage.START, person["start"]), (DialogStage.REVIEW, person["end"])):
                scores = {name: rng.randint(2, 6) for name, _ in DIALOG_ITEMS}
                yield {
                    "person_id": person["id"],
                    "assessed_on": day,
                    "stage": stage,
                    "rater": Rater.PERSON,
                    **scores,
                    "quality_of_life": _mean(scores, DIALOG_LIFE_DOMAINS),
                    "treatment_satisfaction": _mean(scores, DIALOG_TREATMENT),
                    "recorded_by_id": person["worker"].pk,
                    "recorded_at": _at(rng, day, day),
                }

    counts["dialog_assessments"] = copy_rows(DialogAssessment, dialogs())
    counts["recovery_plans"] = copy_rows(
        RecoveryPlan,
        (
            {
                "person_id": p["id"],
                "version": 1,
                "agreed_on": p["start"],
                "review_on": p["start"] + dt.timedelta(days=rng.choice([90, 180, 365])),
                "written_by_id": p["worker"].pk,
                "created_at": _at(rng, p["start"], p["start"]),
                "wellness_toolbox": "Music, walking the dog, calling my sister.",
            }
            for p in people
            if p["status"] != PersonStatus.REFERRED
        ),
    )
    counts["closures"] = copy_rows(
        StatusChange,
        (
            {
                "person_id": p["id"],
                "from_status": PersonStatus.ACTIVE,
                "to_status": PersonStatus.CLOSED,
                "changed_on": p["closed_on"],
                "closure_reason": rng.choice(ClosureReason.values),
                "ending_summary": "A planned ending.",
                "changed_by_id": p["worker"].pk,
                "recorded_at": _at(rng, p["closed_on"], p["closed_on"]),
            }
            for p in people
            if p["closed_on"]
        ),
    )
    counts["appointments"] = copy_rows(
        Appointment,
        (
            {
                "person_id": p["id"],
                "worker_id": p["worker"].pk,
                "title": "GP appointment",
                "starts_at": NOW + dt.timedelta(days=rng.randint(1, 30)),
                "created_by_id": p["worker"].pk,
                "created_at": NOW,
            }
            for p in people
            if p["status"] == PersonStatus.ACTIVE
        ),
    )
    reset_sequences([Person, RecoveryGoal])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rebuild_summaries()  # COPY skips the save signals that keep them current
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts.update(teams=TEAMS, workers=len(workers), people=PEOPLE)
    return counts


# Measuring ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_together(calls: dict[str, Callable[[], object]], runs: int, warmup: int = 3) -> dict[str, dict]:
    """Time each call `runs` times, taking turns (a, b, c, a, b, c, ...), so that a slow patch on a
    shared machine falls on all of them alike and their ratios stay fair."""
    for call in calls.values():
        for _ in range(warmup):
            call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    queries: dict[str, list[int]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                times[name].append((time.perf_counter() - started) * 1000)
            queries[name].append(len(captured))
    return {
        name: {
            "median_ms": round(statistics.median(times[name]), 2),
            "p95_ms": round(percentile(times[name], 0.95), 2),
            "queries": statistics.median(queries[name]),
            "queries_max": max(queries[name]),
            "runs": runs,
        }
        for name in calls
    }


def measure(call: Callable[[], object], runs: int) -> dict:
    return measure_together({"call": call}, runs)["call"]


FLOOR_SQL = """
WITH people AS NOT MATERIALIZED (
    SELECT p.id, p.assigned_worker_id AS worker, p.status
    FROM caseload_person p
    WHERE p.team_id = %(team)s AND (p.status <> 'closed' OR p.status_changed_on >= %(quarter)s)
),
person_figures AS (
    SELECT o.worker,
        count(*) FILTER (WHERE o.status <> 'closed') AS caseload,
        count(*) FILTER (WHERE o.status IN ('referred', 'active')
                         AND (ls.seen IS NULL OR ls.seen < %(cut14)s)) AS not_seen_14,
        count(*) FILTER (WHERE o.status IN ('referred', 'active')
                         AND (ls.seen IS NULL OR ls.seen < %(cut28)s)) AS not_seen_28,
        sum(cm.n) AS contacts_this_month,
        count(*) FILTER (WHERE o.status IN ('referred', 'active') AND pl.review_on < %(today)s) AS plans_past_review,
        sum(ga.n) AS goals_achieved,
        sum(rc.n) AS open_risk_concerns,
        sum(d.latest - d.first) FILTER (WHERE o.status <> 'closed' AND d.n >= 2) AS dialog_sum,
        count(*) FILTER (WHERE o.status <> 'closed' AND d.n >= 2) AS dialog_n
    FROM people o
    LEFT JOIN LATERAL (
        SELECT max(c.contact_at) AS seen FROM caseload_contact c
        WHERE c.person_id = o.id AND c.entry_status = 'current'
          AND c.contact_type NOT IN ('did_not_attend', 'cancelled')
    ) ls ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM caseload_contact c
        WHERE c.person_id = o.id AND c.entry_status = 'current' AND c.contact_at >= %(month)s
    ) cm ON true
    LEFT JOIN LATERAL (
        SELECT r.review_on FROM caseload_recoveryplan r
        WHERE r.person_id = o.id AND r.entry_status = 'current' ORDER BY r.version DESC LIMIT 1
    ) pl ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM caseload_recoverygoal g
        WHERE g.person_id = o.id AND g.entry_status = 'current' AND g.status = 'achieved'
          AND g.status_changed_on >= %(quarter)s
    ) ga ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM caseload_riskconcern rk WHERE rk.person_id = o.id AND rk.status <> 'resolved'
    ) rc ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(a.quality_of_life ORDER BY a.assessed_on DESC, a.recorded_at DESC))[1] AS latest,
            (array_agg(a.quality_of_life ORDER BY a.assessed_on, a.recorded_at))[1] AS first
        FROM caseload_dialogassessment a
        WHERE a.person_id = o.id AND a.entry_status = 'current' AND a.rater = 'person'
    ) d ON true
    GROUP BY o.worker
),
goal_figures AS (
    SELECT p.worker,
        sum(r.latest - r.first) FILTER (WHERE r.n >= 2) AS gbo_sum,
        count(*) FILTER (WHERE r.n >= 2) AS gbo_n
    FROM caseload_recoverygoal g JOIN people p ON p.id = g.person_id
    LEFT JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(s.score ORDER BY s.rated_on DESC, s.recorded_at DESC))[1] AS latest,
            (array_agg(s.score ORDER BY s.rated_on, s.recorded_at))[1] AS first
        FROM caseload_goalrating s WHERE s.goal_id = g.id AND s.entry_status = 'current'
    ) r ON true
    WHERE g.entry_status = 'current' AND p.status <> 'closed'
    GROUP BY p.worker
)
SELECT u.id, pf.caseload, pf.not_seen_14, pf.not_seen_28, pf.contacts_this_month, pf.open_risk_concerns,
    pf.plans_past_review, pf.goals_achieved, pf.dialog_sum, pf.dialog_n, gf.gbo_sum, gf.gbo_n,
    u.first_name, u.last_name, u.contracted_hours, t.people_per_full_time
FROM peersupport_membership m
JOIN peersupport_user u ON u.id = m.user_id
JOIN peersupport_team t ON t.id = m.team_id
LEFT JOIN person_figures pf ON pf.worker = u.id
LEFT JOIN goal_figures gf ON gf.worker = u.id
WHERE m.team_id = %(team)s AND m.role = 'psw' AND u.employment_status <> 'left'
ORDER BY u.last_name, u.first_name
"""


def floor_agrees(manager: User, team: Team) -> bool:
    """The floor computes the same figures from the records as the board reads from its summaries
    (the floor's columns come in the board query's order: BOARD_SQL_KEYS)."""
    scope = BoardScope(user=manager, team_ids=[team.pk], worker_id=None, now=timezone.now())
    from_board = {row["row_worker"]: [row[key] or 0 for key in BOARD_SQL_KEYS] for row in board_figures(scope)}
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, floor_params(team))
        from_floor = {r[0]: [v or 0 for v in r[1 : 1 + len(BOARD_SQL_KEYS)]] for r in cursor.fetchall()}
    from_floor = {worker: figures for worker, figures in from_floor.items() if any(figures) or worker in from_board}
    agree = from_board.keys() == from_floor.keys() and all(
        Decimal(a) == Decimal(b) for w in from_board for a, b in zip(from_board[w], from_floor[w], strict=True)
    )
    if not agree:
        print("Board and floor disagree:", from_board, from_floor)
    return agree


def floor_params(team: Team) -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    return {
        "team": team.pk,
        "cut14": now - dt.timedelta(days=14),
        "cut28": now - dt.timedelta(days=LONG_UNSEEN_DAYS),
        "today": today,
        "month": month_start(now),
        "quarter": quarter_start(today),
    }


@login_required
def floor_page(request: HttpRequest, team_pk: int) -> HttpResponse:
    """The floor served like the board: the same figures by FLOOR_SQL behind Django's request
    handling (middleware, session, sign-in), as a bare table. Bench only: never in the app's URLs."""
    if team_pk not in request.user.managed_team_ids:
        raise Http404
    team = Team.objects.get(pk=team_pk)
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, floor_params(team))
        rows = cursor.fetchall()
    cells = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return HttpResponse(f"<!doctype html><title>Floor</title><table>{cells}</table>")


@login_required
def bare_page(request: HttpRequest) -> HttpResponse:
    """What Django needs to serve any signed-in page: middleware, session and user, no records."""
    return HttpResponse(f"<!doctype html><title>Floor</title><p>Signed in as {escape(request.user)}</p>")


class BareForm(forms.Form):
    notes = forms.CharField(max_length=5000)
    minutes = forms.IntegerField(min_value=0)


@login_required
def bare_post(request: HttpRequest) -> HttpResponse:
    """What Django needs for any signed-in form POST: a form validated, then a redirect; nothing saved."""
    form = BareForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    return redirect("bench-bare-page")


def serve_floor_page() -> None:
    """Add the floor pages to the URLs the test client reaches, for this process only."""
    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [
        path("bench/floor/<int:team_pk>/", floor_page, name="bench-floor"),
        path("bench/bare/", bare_page, name="bench-bare-page"),
        path("bench/bare/post/", bare_post, name="bench-bare-post"),
        *project_urls.urlpatterns,
    ]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def run_measurements(runs: int) -> tuple[dict, dict]:
    team = Team.objects.order_by("name").first()
    manager = User.objects.get(memberships__team=team, memberships__role=Role.MANAGER)
    worker = User.objects.filter(
        memberships__team=team, memberships__role=Role.PSW, employment_status=EmploymentStatus.IN_POST
    ).first()
    person = Person.objects.filter(assigned_worker=worker).open().order_by("pk").first()
    admin = User.objects.get(email="admin@bench.nhs.uk")
    as_manager, as_worker, as_admin = Client(), Client(), Client()
    as_manager.force_login(manager)
    as_worker.force_login(worker)
    as_admin.force_login(admin)

    serve_floor_page()
    board_url = f"{reverse('caseload:review-board')}?team={team.pk}"
    floor_url = reverse("bench-floor", kwargs={"team_pk": team.pk})
    people_url = f"{reverse('caseload:review-people')}?team={team.pk}&worker={worker.pk}"
    person_url = person.get_absolute_url()
    contact_url = reverse("caseload:contact-create", kwargs={"person_pk": person.pk})
    admin_url = f"{reverse('admin:caseload_contact_changelist')}?person__team__id__exact={team.pk}"
    bare_url = reverse("bench-bare-page")

    def get(client: Client, url: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    def post_contact() -> None:
        when = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
        data = {
            "contact_at": when.strftime("%Y-%m-%dT%H:%M"),
            "contact_type": ContactType.PHONE,
            "duration_minutes": 20,
            "notes": "Bench: a routine phone check-in.",
            "written_with_person": "on",
        }
        response = as_worker.post(contact_url, data)
        assert response.status_code == 302, response.content[:2000]

    def post_bare() -> None:
        data = {"notes": "Bench: a routine phone check-in.", "minutes": 20}
        response = as_worker.post(reverse("bench-bare-post"), data)
        assert response.status_code == 302, response.status_code

    def board_query() -> None:
        list(board_figures(BoardScope(user=manager, team_ids=[team.pk], worker_id=None, now=timezone.now())))

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, floor_params(team))
            cursor.fetchall()

    scenario = {
        "team": team.name,
        "workers_on_board": len(build_board(user=manager, teams=[team], memberships=psw_memberships([team.pk])).rows),
        "people_in_team": Person.objects.filter(team=team).count(),
        "contacts_in_team": Contact.objects.filter(person__team=team).count(),
        "worker_caseload": Person.objects.filter(assigned_worker=worker).open().count(),
        "person_contacts": Contact.objects.filter(person=person).count(),
    }
    scenario["floor_and_board_agree"] = floor_agrees(manager, team)
    results = {
        **measure_together(
            {
                BOARD: get(as_manager, board_url),
                FLOOR: floor,
                FLOOR_PAGE: get(as_manager, floor_url),
                BOARD_QUERY: board_query,
            },
            runs,
        ),
        "worker's person list": measure(get(as_manager, people_url), runs),
        **measure_together({PERSON_PAGE: get(as_worker, person_url), BARE_PAGE: get(as_worker, bare_url)}, runs),
        **measure_together({CONTACT_POST: post_contact, BARE_POST: post_bare}, runs),
        "admin changelist: contacts of the team": measure(get(as_admin, admin_url), max(runs // 3, 5)),
    }
    return scenario, results


# Running -----------------------------------------------------------------------------------------


def _server_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"


def recreate_database() -> None:
    """Drop and create the bench database (its name must say bench, so nothing else is ever dropped)."""
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to rebuild {name!r}: the bench database's name must contain 'bench'.")
    connection.close()
    server = psycopg2.connect(f"{_server_url()}/postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def already_built() -> bool:
    try:
        return Contact.objects.count() >= CONTACTS and Person.objects.count() >= PEOPLE
    except Exception:  # no tables yet
        connection.close()
        return False


def page_ratios(results: dict) -> dict:
    return {
        "person_page_over_bare_page": round(results[PERSON_PAGE]["median_ms"] / results[BARE_PAGE]["median_ms"], 2),
        "contact_post_over_bare_post": round(results[CONTACT_POST]["median_ms"] / results[BARE_POST]["median_ms"], 2),
    }


def print_table(build: dict, scenario: dict, results: dict, ratio: float, served_ratio: float) -> None:
    print()
    if build.get("seconds") is not None:
        rows = ", ".join(f"{k} {v:,}" for k, v in build["rows"].items())
        print(f"Built in {build['seconds']:.0f} s (peak memory {build['peak_rss_mb']} MB): {rows}")
    print(f"Scenario: {', '.join(f'{k} {v}' for k, v in scenario.items())}")
    print()
    print(f"{'measurement':<42} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    print("-" * 72)
    for name, figures in results.items():
        print(f"{name:<42} {figures['median_ms']:>10.2f} {figures['p95_ms']:>9.2f} {figures['queries']:>8g}")
    print("-" * 72)
    verdict = "within" if ratio <= 2 else "OVER"
    print(f"Board median / floor median: {ratio:.2f}x ({verdict} the 2x budget)")
    print(f"Board median / floor served as a bare page: {served_ratio:.2f}x (for comparison)")
    for name, value in page_ratios(results).items():
        verdict = "within" if value <= PAGE_BUDGET else "OVER"
        print(f"{name.replace('_', ' ').capitalize()}: {value:.2f}x ({verdict} the {PAGE_BUDGET}x budget)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep a trust built by an earlier run")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("The board benchmark needs PostgreSQL: set BENCH_DATABASE_URL=postgres://...")

    build: dict = {"seconds": None, "rows": {}, "peak_rss_mb": None}
    if args.reuse and already_built():
        call_command("migrate", verbosity=0)  # a trust built before newer migrations: bring it up to date
    else:
        recreate_database()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # generated rows are consistent: skip FK checks
        build["rows"] = build_trust()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
        build["seconds"] = round(time.perf_counter() - started, 1)
        build["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        build["under_5_minutes"] = build["seconds"] < 300

    scenario, results = run_measurements(args.runs)
    ratio = results[BOARD]["median_ms"] / results[FLOOR]["median_ms"]
    served_ratio = results[BOARD]["median_ms"] / results[FLOOR_PAGE]["median_ms"]
    out = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    out["board"] = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "build": build,
        "scenario": scenario,
        "measurements": results,
        "board_over_floor": round(ratio, 2),
        "board_over_floor_served": round(served_ratio, 2),
        "board_within_2x_floor": ratio <= 2,
        **page_ratios(results),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2, default=str) + "\n")
    print_table(build, scenario, results, ratio, served_ratio)
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
