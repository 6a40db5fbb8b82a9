"""The training compliance benchmark at trust scale: `python bench/training.py` (also run by `make bench`).

1. Builds a trust in its own PostgreSQL database (DATABASE_URL, default ps_bench_training; created if
   missing, migrated): 300 peer workers in 30 teams with a manager each, 12 mandatory subjects, 5 years
   of completions (renewed on time, late or not at all), peer support training for most, two codes of
   conduct with acknowledgements. bulk_create, well under two minutes. Kept between runs (--rebuild
   starts again).
2. Times through Django's test client the compliance matrix for the whole trust (as the development
   lead) and for one team (as its manager), `--runs` times each (default 30), median, 95th percentile
   and query count; and, taking turns with them, the floor: the same figures by one hand-written SQL
   query, checked to agree cell by cell with the matrix's.
3. Prints a table, writes bench/results/training.json, and exits 1 if the whole-trust matrix's median
   is over twice its floor's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/ps_bench_training"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client, outside the test runner

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from peersupport.models import EmploymentStatus, Membership, Role, Team, User  # noqa: E402
from peersupport.testing import SignInClient as Client  # noqa: E402
from training import compliance  # noqa: E402
from training.models import (  # noqa: E402
    AMBER_DAYS,
    Acknowledgement,
    CodeKind,
    CodeVersion,
    Cohort,
    Course,
    CourseKind,
    Enrolment,
    Trainee,
    TrainingCompletion,
    TrainingSubject,
    add_months,
)

TEAMS = 30
WORKERS_PER_TEAM = 10
SUBJECTS = 12
YEARS = 5
DOMAIN = "bench-training.nhs.uk"
RESULTS = ROOT / "bench" / "results" / "training.json"
TRUST, TEAM = "matrix, whole trust (development lead)", "matrix, one team (its manager)"
TRUST_FLOOR, TEAM_FLOOR = "floor: whole trust in one SQL query", "floor: one team in one SQL query"


# The database ------------------------------------------------------------------------------------


def ensure_database() -> None:
    """Create the bench database if it is missing (its name must say bench: nothing else is touched)."""
    db = settings.DATABASES["default"]
    if "bench" not in db["NAME"]:
        raise SystemExit(f"Refusing to use {db['NAME']!r}: the bench database's name must contain 'bench'.")
    server = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    server.close()


def built() -> bool:
    return User.objects.filter(email__endswith=DOMAIN, memberships__role=Role.PSW).count() == TEAMS * WORKERS_PER_TEAM


def clear() -> None:
    """Remove an earlier bench trust (rows this script made, found by its email domain and names)."""
    users = User.objects.filter(email__endswith=DOMAIN)
    Acknowledgement.objects.filter(user__in=users).delete()
    CodeVersion.objects.filter(published_by__in=users).delete()
    Enrolment.objects.filter(trainee__user__in=users).delete()
    Cohort.objects.filter(name__startswith="Bench ").delete()
    Trainee.objects.filter(user__in=users).delete()
    TrainingCompletion.objects.filter(user__in=users).delete()
    TrainingSubject.objects.filter(name__startswith="Bench ").delete()
    Membership.objects.filter(user__in=users).delete()
    users.delete()
    Team.objects.filter(name__startswith="Bench ").delete()


def build_trust(seed: int = 12) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    password = make_password("bench-training")
    teams = Team.objects.bulk_create(
        [Team(name=f"Bench team {n:02}", service="Community mental health") for n in range(TEAMS)]
    )
    devteam = Team.objects.filter(is_development_team=True).first() or Team.objects.create(
        name="Bench development team", service="Learning and OD", is_development_team=True
    )

    def person(first: str, last: str, **fields) -> User:
        email = f"{first}.{last}@{DOMAIN}".lower()
        return User(email=email, first_name=first, last_name=last, password=password, **fields)

    workers = [
        person(
            f"Worker{t:02}{w}",
            f"Team{t:02}",
            start_date=today - dt.timedelta(days=rng.randint(200, 3000)),
            employment_status=EmploymentStatus.IN_POST,
            afc_band=rng.choice(["3", "4", "5"]),
        )
        for t in range(TEAMS)
        for w in range(WORKERS_PER_TEAM)
    ]
    managers = [person(f"Manager{t:02}", "Bench") for t in range(TEAMS)]
    lead = person("Lead", "Bench")
    User.objects.bulk_create([*workers, *managers, lead])
    users = {u.email: u for u in User.objects.filter(email__endswith=DOMAIN)}
    workers = [users[w.email] for w in workers]
    managers = [users[m.email] for m in managers]
    lead = users[lead.email]
    Membership.objects.bulk_create(
        [Membership(user=w, team=teams[i // WORKERS_PER_TEAM], role=Role.PSW) for i, w in enumerate(workers)]
        + [Membership(user=m, team=teams[t], role=Role.MANAGER) for t, m in enumerate(managers)]
        + [Membership(user=lead, team=devteam, role=Role.DEVELOPMENT_LEAD)]
    )

    subjects = TrainingSubject.objects.bulk_create(
        [TrainingSubject(name=f"Bench subject {n:02}", renewal_months=[12, 24, 36][n % 3]) for n in range(SUBJECTS)]
    )
    completions = []
    start = add_months(today, -12 * YEARS)
    for worker in workers:
        for subject in subjects:
            if rng.random() < 0.04:
                continue  # never done
            done = start + dt.timedelta(days=rng.randint(0, 120))
            while done <= today:
                completions.append(
                    TrainingCompletion(
                        user=worker,
                        subject=subject,
                        completed_on=done,
                        expires_on=add_months(done, subject.renewal_months),
                        recorded_by=lead,
                    )
                )
                # Renewed a little early, a little late, or (rarely) lapsed for a while.
                gap = subject.renewal_months + rng.choice([-1, 0, 0, 0, 1, 2, 6])
                done = add_months(done, gap) + dt.timedelta(days=rng.randint(-10, 10))
    TrainingCompletion.objects.bulk_create(completions, batch_size=5000)

    course = Course.objects.get(kind=CourseKind.PEER_SUPPORT)
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                course=course,
                name=f"Bench cohort {n}",
                starts_on=add_months(start, 6 * n),
                ends_on=add_months(start, 6 * n + 2),
                places=40,
            )
            for n in range(2 * YEARS)
        ]
    )
    trainees = Trainee.objects.bulk_create(
        [Trainee(user=w, full_name=w.get_full_name(), consent_to_contact=True) for w in workers]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                cohort=(cohort := rng.choice(cohorts)),
                trainee=trainee,
                enrolled_on=cohort.starts_on - dt.timedelta(days=14),
                completed_on=cohort.ends_on if rng.random() < 0.9 else None,
            )
            for trainee in trainees
        ]
    )
    versions = CodeVersion.objects.bulk_create(
        [
            CodeVersion(kind=kind, version=f"bench-{kind}", text="Bench code.", published_on=start, published_by=lead)
            for kind in CodeKind.values
        ]
    )
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(version=v, user=w) for v in versions for w in workers if rng.random() < 0.8]
    )
    return {
        "teams": TEAMS,
        "workers": len(workers),
        "subjects": len(subjects),
        "completions": len(completions),
        "enrolments": len(trainees),
    }


# The floor: the matrix's figures in one hand-written query ----------------------------------------

FLOOR_SQL = """
WITH workers AS (
    SELECT u.id, u.last_name, u.first_name, u.afc_band
    FROM peersupport_user u
    WHERE u.employment_status = 'in_post' AND u.is_active
      AND EXISTS (SELECT 1 FROM peersupport_membership m WHERE m.user_id = u.id AND m.role = 'psw')
      AND (%(teams)s::bigint[] IS NULL OR EXISTS (
          SELECT 1 FROM peersupport_membership m WHERE m.user_id = u.id AND m.team_id = ANY(%(teams)s::bigint[])))
),
subjects AS (SELECT id, name FROM training_trainingsubject WHERE retired_at IS NULL),
latest AS (
    SELECT c.user_id, c.subject_id, max(c.completed_on) AS completed_on, max(c.expires_on) AS expires_on
    FROM training_trainingcompletion c
    WHERE c.withdrawn_at IS NULL AND c.user_id IN (SELECT id FROM workers)
      AND c.subject_id IN (SELECT id FROM subjects)
    GROUP BY c.user_id, c.subject_id
),
versions AS (
    SELECT DISTINCT ON (kind) id, kind FROM training_codeversion
    WHERE published_on <= %(today)s ORDER BY kind, published_on DESC, id DESC
),
trained AS (
    SELECT t.user_id FROM training_trainee t
    WHERE t.user_id IN (SELECT id FROM workers) AND (
        EXISTS (SELECT 1 FROM training_enrolment e JOIN training_cohort co ON co.id = e.cohort_id
                JOIN training_course cs ON cs.id = co.course_id
                WHERE e.trainee_id = t.id AND e.completed_on IS NOT NULL AND e.withdrawn_at IS NULL
                  AND cs.kind = 'peer_support')
        OR EXISTS (SELECT 1 FROM training_externalequivalent x JOIN training_course cs ON cs.id = x.course_id
                   WHERE x.trainee_id = t.id AND x.withdrawn_at IS NULL AND cs.kind = 'peer_support'))
)
SELECT w.id,
       w.id IN (SELECT user_id FROM trained) AS trained,
       ARRAY(SELECT v.id FROM versions v JOIN training_acknowledgement a ON a.version_id = v.id
             WHERE a.user_id = w.id ORDER BY v.id) AS acknowledged,
       array_agg(CASE WHEN l.expires_on IS NULL OR l.expires_on <= %(today)s THEN 'red'
                      WHEN l.expires_on <= %(amber)s THEN 'amber' ELSE 'green' END ORDER BY s.name, s.id),
       array_agg(l.completed_on ORDER BY s.name, s.id),
       array_agg(l.expires_on ORDER BY s.name, s.id)
FROM workers w CROSS JOIN subjects s
LEFT JOIN latest l ON l.user_id = w.id AND l.subject_id = s.id
GROUP BY w.id, w.last_name, w.first_name
ORDER BY w.last_name, w.first_name, w.id
"""


def floor(team_ids: list[int] | None) -> list[tuple]:
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"teams": team_ids, "today": today, "amber": today + dt.timedelta(days=AMBER_DAYS)})
        return cursor.fetchall()


def agree(matrix: compliance.Matrix, rows: list[tuple]) -> None:
    """The floor's figures are the matrix's: the same workers in the same order, cell by cell."""
    assert [r[0] for r in rows] == [row.worker.pk for row in matrix.rows], "different workers"
    versions = {v.kind: v.pk for v in matrix.code_versions}
    for row, (_, trained, acknowledged, statuses, completed, expires) in zip(matrix.rows, rows, strict=True):
        assert row.peer_support_trained == trained, row.worker
        assert [c.status for c in row.cells] == statuses, row.worker
        assert [c.completed_on for c in row.cells] == completed, row.worker
        assert [c.expires_on for c in row.cells] == expires, row.worker
        for kind, done in row.codes.items():
            if done is not None:
                assert done == (versions[kind] in acknowledged), (row.worker, kind)


# Measuring ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_together(calls: dict[str, Callable[[], object]], runs: int, warmup: int = 3) -> dict[str, dict]:
    """Time each call `runs` times, taking turns, so a slow patch on a shared machine hits all alike."""
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
            "runs": runs,
        }
        for name in calls
    }


def page(client: Client, url: str) -> Callable[[], object]:
    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    return get


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="build the bench trust again")
    parser.add_argument("--reuse", action="store_true", help="(the default) keep a trust built earlier")
    args = parser.parse_args(argv)
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        raise SystemExit("The training benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database()
    call_command("migrate", verbosity=0)

    build: dict = {"seconds": None, "rows": {}}
    if args.rebuild or not built():
        clear()
        started = time.perf_counter()
        build["rows"] = build_trust()
        build["seconds"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    lead = User.objects.get(email=f"lead.bench@{DOMAIN}")
    manager = User.objects.get(email=f"manager00.bench@{DOMAIN}")
    team_ids = sorted(manager.managed_team_ids)
    lead_client, manager_client = Client(), Client()
    lead_client.force_login(lead)
    manager_client.force_login(manager)
    url = reverse("training:matrix")

    trust_matrix, team_matrix = compliance.build(lead), compliance.build(manager)
    agree(trust_matrix, floor(None))
    agree(team_matrix, floor(team_ids))
    assert len(trust_matrix.rows) >= TEAMS * WORKERS_PER_TEAM and len(team_matrix.rows) == WORKERS_PER_TEAM

    results = measure_together(
        {
            TRUST: page(lead_client, url),
            TRUST_FLOOR: lambda: floor(None),
            TEAM: page(manager_client, url),
            TEAM_FLOOR: lambda: floor(team_ids),
        },
        args.runs,
    )
    ratio = results[TRUST]["median_ms"] / results[TRUST_FLOOR]["median_ms"]
    team_ratio = results[TEAM]["median_ms"] / results[TEAM_FLOOR]["median_ms"]

    print()
    if build["seconds"] is not None:
        print(f"Built in {build['seconds']:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in build["rows"].items()))
    print(
        f"Matrix: {len(trust_matrix.rows)} workers x {len(trust_matrix.subjects)} subjects trust-wide, "
        f"{len(team_matrix.rows)} in one team; figures agree with the floor's cell by cell."
    )
    print()
    print(f"{'measurement':<42} {'median ms':>10} {'p95 ms':>9} {'queries':>8}")
    print("-" * 72)
    for name, figures in results.items():
        print(f"{name:<42} {figures['median_ms']:>10.2f} {figures['p95_ms']:>9.2f} {figures['queries']:>8g}")
    print("-" * 72)
    verdict = "within" if ratio <= 2 else "OVER"
    print(f"Whole-trust matrix median / floor median: {ratio:.2f}x ({verdict} the 2x budget)")
    print(f"One-team matrix median / floor median: {team_ratio:.2f}x (for comparison)")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "database": settings.DATABASES["default"]["NAME"],
                "measured_at": timezone.now().isoformat(timespec="seconds"),
                "build": build,
                "workers": len(trust_matrix.rows),
                "subjects": len(trust_matrix.subjects),
                "results": results,
                "trust_ratio": round(ratio, 2),
                "team_ratio": round(team_ratio, 2),
                "within_budget": ratio <= 2,
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
