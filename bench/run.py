"""Benchmarks: `make bench` runs every one and writes bench/results/latest.json.

Each benchmark builds `items` rows, then one measured call runs; the harness records its query
count and time at each size, and checks the query count does not grow with the items. Every
size runs in a transaction that is rolled back, on a throwaway test database (PostgreSQL when
DATABASE_URL points at it, as in production; SQLite otherwise).

To add a benchmark: write `def build(items: int) -> Callable[[], object]` that creates the data
and returns the call to measure, and add it to BENCHMARKS.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (100, 10_000)


@dataclass
class Benchmark:
    description: str
    build: Callable[[int], Callable[[], object]]
    sizes: tuple[int, ...] = SIZES
    constant_queries: bool = True  # the query count must not grow with the items


def _trust(items: int):
    """A team with a manager, a development lead and `items` peer support workers."""
    from peersupport.models import Membership, Role, Team, User

    team = Team.objects.create(name="Bench CMHT")
    devteam = Team.objects.create(name="Bench development team", is_development_team=True)
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.nhs.uk", first_name="Bench", last_name=str(n), password="!")
        for n in range(items + 2)
    )
    manager, lead, *workers = users
    Membership.objects.bulk_create(
        [
            Membership(user=manager, team=team, role=Role.MANAGER),
            Membership(user=lead, team=devteam, role=Role.DEVELOPMENT_LEAD),
        ]
        + [Membership(user=w, team=team, role=Role.PSW) for w in workers]
    )
    return team, manager, workers


def overdue_visit_scan(items: int) -> Callable[[], object]:
    from caseload.models import Visit
    from caseload.services.safety import scan_overdue_visits

    team, manager, workers = _trust(items)
    past = timezone.now() - timedelta(minutes=20)
    Visit.objects.bulk_create(
        Visit(worker=w, team=team, location="Bench Road", expected_end=past, next_alert_at=past, buddy=manager)
        for w in workers
    )
    return scan_overdue_visits


def concern_escalation_scan(items: int) -> Callable[[], object]:
    from caseload.models import Person, RiskConcern
    from caseload.services.safety import scan_unacknowledged_concerns

    team, manager, workers = _trust(items)
    person = Person.objects.create(given_name="Bench", family_name="Person", team=team, referral_source="gp")
    past = timezone.now() - timedelta(hours=2)
    RiskConcern.objects.bulk_create(
        RiskConcern(
            person=person,
            raised_by=w,
            description="Bench",
            severity="high",
            escalated_to=manager,
            escalated_to_role="supervisor",
            raised_at=past,
            next_escalation_at=past,
        )
        for w in workers
    )
    return scan_unacknowledged_concerns


BENCHMARKS: dict[str, Benchmark] = {
    "overdue_visit_scan": Benchmark(
        "Lone-working scan: every visit overdue, each alerts its worker", overdue_visit_scan
    ),
    "concern_escalation_scan": Benchmark(
        "Risk-concern scan: every concern unacknowledged, each escalates to the manager", concern_escalation_scan
    ),
}


def measure(benchmark: Benchmark, items: int) -> dict:
    with transaction.atomic():
        call = benchmark.build(items)
        call()  # nothing is due twice: this run does the work; warm Django's caches first
        transaction.set_rollback(True)
    with transaction.atomic():
        call = benchmark.build(items)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = call()
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"items": items, "queries": len(queries), "seconds": round(seconds, 3), "result": result}


def main(names: list[str]) -> int:
    chosen = {name: BENCHMARKS[name] for name in (names or BENCHMARKS)}
    old_config = setup_databases(verbosity=0, interactive=False)
    results: dict[str, dict] = {}
    failed = False
    try:
        vendor = connection.vendor
        for name, benchmark in chosen.items():
            runs = [measure(benchmark, items) for items in benchmark.sizes]
            constant = len({run["queries"] for run in runs}) == 1
            results[name] = {"description": benchmark.description, "runs": runs, "queries_constant": constant}
            failed |= benchmark.constant_queries and not constant and vendor == "postgresql"
    finally:
        teardown_databases(old_config, verbosity=0)
    out = {"generated_at": timezone.now().isoformat(timespec="seconds"), "database": vendor, "benchmarks": results}
    if vendor == "sqlite":
        out["note"] = (
            "SQLite allows 999 bound parameters per statement, so Django splits bulk inserts into batches and "
            "the query count grows with the items there. Run with DATABASE_URL=postgres://... for production figures."
        )
    path = ROOT / "bench" / "results" / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(f"Database: {vendor}")
    print(f"{'benchmark':<26}{'items':>8}{'queries':>9}{'seconds':>10}  constant queries")
    for name, result in results.items():
        for run in result["runs"]:
            print(
                f"{name:<26}{run['items']:>8}{run['queries']:>9}{run['seconds']:>10.3f}  {result['queries_constant']}"
            )
    if "note" in out:
        print(out["note"])
    print(f"Written to {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
