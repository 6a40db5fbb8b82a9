"""Development days benchmark: `python bench/devdays.py` (also run by `make bench`).

1. Inviting 600 people queues 600 messages in a fixed number of queries (the same as inviting 1).
2. The reminder scan over 5,000 invitations across four days runs a fixed number of queries (the
   same as over 4), and how long it takes.

PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ps_bench_devdays). The
benchmark works in its own database, named after DATABASE_URL's with "_devdays" added (so `make
bench`'s ps_bench becomes ps_bench_devdays and the board's trust is never touched), created if
missing. Each scenario runs in a transaction that is rolled back. Writes bench/results/devdays.json,
prints a table and exits 1 if a query count grows with the number of invitations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "ps_bench"
    if not name.endswith("devdays"):
        name = f"{name}_devdays"
    return urlunsplit(parts._replace(path=f"/{name}"))


os.environ["DATABASE_URL"] = bench_url(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_bench_devdays")
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings_test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from devdays import scans, services  # noqa: E402
from devdays.models import DayStatus, DevelopmentDay, Invitation  # noqa: E402
from peersupport.models import Membership, Reminder, Role, Team, User  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "devdays.json"
NOW = dt.datetime(2027, 1, 10, 10, 0, tzinfo=dt.UTC)


class Rollback(Exception):
    pass


def ensure_database() -> None:
    db = settings.DATABASES["default"]
    name = db["NAME"]
    server = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def add_workers(n: int) -> None:
    team = Team.objects.create(name=f"Bench team {n}")
    users = User.objects.bulk_create(
        User(email=f"bench-{n}-{k}@example.nhs.uk", first_name="Bench", last_name=f"{k:04d}") for k in range(n)
    )
    Membership.objects.bulk_create(Membership(user=u, team=team, role=Role.PSW) for u in users)


def measure(function) -> tuple[object, int, float]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = function()
        ms = (time.perf_counter() - started) * 1000
    return result, len(ctx.captured_queries), ms


def in_rollback(function):
    try:
        with transaction.atomic():
            result = function()
            raise Rollback
    except Rollback:
        return result


def invite_scenario(n: int) -> dict:
    def run():
        User.objects.filter(memberships__role=Role.PSW).update(is_active=False)  # only the bench's own people
        add_workers(n)
        day = DevelopmentDay.objects.create(date=dt.date(2027, 2, 10), venue="Bench hall", capacity=1000)
        invited, queries, ms = measure(lambda: services.send_invitations(day=day, by=None))
        queued = Reminder.objects.filter(kind="devdays_invitation", object_id__in=day.invitations.values("pk")).count()
        return {"people": n, "invited": invited, "queued": queued, "queries": queries, "ms": round(ms, 1)}

    return in_rollback(run)


def scan_scenario(per_day: int) -> dict:
    def run():
        days = [
            DevelopmentDay.objects.create(
                date=dt.date(2027, month, 10), venue="Bench hall", status=DayStatus.INVITED, reminder_offsets=[offset]
            )
            for month, offset in ((2, 31), (3, 59), (4, 90), (5, 120))
        ]
        for k, day in enumerate(days):
            Invitation.objects.bulk_create(
                Invitation(
                    day=day,
                    email=f"p{j}-{k}@example.org",
                    full_name=f"Person {j}",
                    invited_at=NOW - dt.timedelta(days=60),
                )
                for j in range(per_day)
            )
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            queued, queries, ms = measure(lambda: scans.scan_reminders(NOW))
            again, queries_again, _ = measure(lambda: scans.scan_reminders(NOW))
        return {
            "invitations": per_day * 4,
            "queued": queued,
            "queries": queries,
            "ms": round(ms, 1),
            "second_run_queued": again,
            "second_run_queries": queries_again,
        }

    return in_rollback(run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="accepted for `make bench`; nothing is kept anyway")
    parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("The development days benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database()
    call_command("migrate", verbosity=0)
    ContentType.objects.get_for_model(Invitation)  # cached once per process, as in a running worker
    invites = [invite_scenario(1), invite_scenario(600)]
    scans_ = [scan_scenario(1), scan_scenario(1250)]
    fixed_invite = invites[0]["queries"] == invites[1]["queries"] and invites[1]["queued"] == 600
    fixed_scan = scans_[0]["queries"] == scans_[1]["queries"] and scans_[1]["queued"] == 5000
    result = {
        "database": settings.DATABASES["default"]["NAME"],
        "invite": invites,
        "reminder_scan": scans_,
        "invite_queries_fixed": fixed_invite,
        "scan_queries_fixed": fixed_scan,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(f"Development days ({result['database']})")
    print(f"{'measurement':<46} {'rows':>7} {'queued':>7} {'queries':>8} {'ms':>9}")
    print("-" * 81)
    for row in invites:
        print(
            f"{'invite the audience':<46} {row['people']:>7} {row['queued']:>7} {row['queries']:>8} {row['ms']:>9.1f}"
        )
    for row in scans_:
        label = "reminder scan, four days"
        print(f"{label:<46} {row['invitations']:>7} {row['queued']:>7} {row['queries']:>8} {row['ms']:>9.1f}")
        again = "  the same scan again (nothing new)"
        print(f"{again:<46} {row['invitations']:>7} {row['second_run_queued']:>7} {row['second_run_queries']:>8}")
    print("-" * 81)
    print(
        f"Invite queries fixed: {'yes' if fixed_invite else 'NO'}; scan queries fixed: {'yes' if fixed_scan else 'NO'}"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0 if fixed_invite and fixed_scan else 1


if __name__ == "__main__":
    sys.exit(main())
