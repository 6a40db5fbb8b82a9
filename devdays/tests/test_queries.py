"""Lists, the register and inviting run a fixed number of queries: the same for 1 and for 600."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devdays import scans, services
from devdays.models import Answer, Invitation
from devdays.tests.factories import DayFactory
from peersupport.models import Membership, Reminder, Role, User

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def add_workers(team, n: int, start: int = 0) -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"worker{start + k}@example.nhs.uk", first_name="W", last_name=f"{start + k:04d}") for k in range(n)
    )
    users = list(User.objects.filter(email__in=[u.email for u in users]))
    Membership.objects.bulk_create(Membership(user=u, team=team, role=Role.PSW) for u in users)
    return users


def add_invitations(day, users) -> None:
    answers = [Answer.ATTENDING, Answer.MAYBE, Answer.NOT_ATTENDING, Answer.NONE, Answer.WAITING]
    Invitation.objects.bulk_create(
        Invitation(
            day=day, user=u, full_name=f"{u.first_name} {u.last_name}", answer=answers[k % 5], attended=k % 2 == 0
        )
        for k, u in enumerate(users)
    )
    Invitation.objects.bulk_create(
        Invitation(day=day, email=f"t{k}-{len(users)}@example.org", full_name=f"Trainee {k}")
        for k in range(len(users) // 10)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = [
    ("devdays:day-list", False),
    ("devdays:day-detail", True),
    ("devdays:invitation-list", True),
    ("devdays:register", True),
    ("devdays:attendance", False),
    ("devdays:figures", False),
    ("devdays:feedback-summary", True),
]


@pytest.mark.parametrize(("name", "with_day"), PAGES)
def test_pages_run_the_same_queries_for_1_and_600_invitations(client_for, trust, name, with_day):
    counts = []
    with time_machine.travel(NOW, tick=False):
        for n, year in ((1, 2027), (600, 2028)):
            day = DayFactory(date=dt.date(year, 2, 9))
            add_invitations(day, add_workers(trust.north, n, start=n))
            url = reverse(name, args=[day.pk] if with_day else [])
            if not with_day:
                url += f"?year={year}"
            counts.append(queries(client_for(trust.dev_lead), url))
    assert counts[0] == counts[1], counts


def test_manager_attendance_runs_the_same_queries_for_1_and_600(client_for, trust):
    counts = []
    for n, year in ((1, 2027), (600, 2028)):
        day = DayFactory(date=dt.date(year, 2, 9))
        add_invitations(day, add_workers(trust.north, n, start=n))
        counts.append(queries(client_for(trust.manager), reverse("devdays:attendance") + f"?year={year}"))
    assert counts[0] == counts[1], counts


def invite_queries(trust, n: int, year: int) -> tuple[int, int]:
    day = DayFactory(date=dt.date(year, 2, 10))
    Reminder.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        invited = services.send_invitations(day=day, by=trust.dev_lead)
    return invited, fixed_part(ctx.captured_queries)


def fixed_part(captured) -> int:
    """The number of queries. SQLite caps the variables in one statement, so Django splits a bulk
    insert into batches there; PostgreSQL (production, CI) inserts them all in one."""
    if connection.vendor == "postgresql":
        return len(captured)
    return len([q for q in captured if not q["sql"].startswith("INSERT")]) + len(
        {q["sql"].split("(", 1)[0] for q in captured if q["sql"].startswith("INSERT")}
    )


def test_inviting_600_people_queues_600_messages_in_a_fixed_number_of_queries(trust):
    ContentType.objects.get_for_model(Invitation)  # cached for the life of the process, in both runs
    with time_machine.travel(NOW, tick=False):
        few = invite_queries(trust, 0, 2027)
        add_workers(trust.north, 600)
        many = invite_queries(trust, 600, 2028)
    assert few[0] == 3 and many[0] == 603  # the cast's three peer workers, then 600 more
    assert Reminder.objects.filter(kind="devdays_invitation").count() == 603
    assert few[1] == many[1], (few, many)


def test_the_reminder_scan_runs_the_same_queries_for_4_and_5000_invitations(trust):
    def scan_queries(per_day: int, year: int) -> tuple[int, int]:
        days = [DayFactory(date=dt.date(year, m, 10), status="invited") for m in (2, 3, 4, 5)]
        for k, day in enumerate(days):
            Invitation.objects.bulk_create(
                Invitation(day=day, email=f"p{j}-{k}-{year}@example.org", full_name=f"P {j}", invited_at=NOW)
                for j in range(per_day)
            )
        # A moment at which a reminder is due for all four days at once.
        with time_machine.travel(dt.datetime(year, 1, 10, 10, 0, tzinfo=dt.UTC), tick=False):
            for day in days:
                day.reminder_offsets = [(day.date - dt.date(year, 1, 10)).days]
                day.save(update_fields=["reminder_offsets"])
            with CaptureQueriesContext(connection) as ctx:
                queued = scans.scan_reminders()
        return queued, fixed_part(ctx.captured_queries)

    few = scan_queries(1, 2027)
    many = scan_queries(1250, 2028)
    assert few[0] == 4 and many[0] == 5000
    assert few[1] == many[1], (few, many)
