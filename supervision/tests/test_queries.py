"""Every list and the compliance view run the same queries for 1 worker and for 300."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peersupport.models import Membership, Role, User
from supervision.models import Agreement, AgreementType, Induction, ReasonableAdjustment

PAGES = [
    ("manager", "supervision:compliance"),
    ("manager", "supervision:compliance-csv"),
    ("manager", "supervision:compliance-xlsx"),
    ("dev_lead", "supervision:compliance"),
    ("dev_lead", "supervision:compliance-csv"),
    ("manager", "supervision:overview"),
    ("manager", "supervision:induction-list"),
    ("dev_worker", "supervision:induction-list"),
    ("manager", "supervision:passport-list"),
    ("dev_lead", "supervision:passport-list"),
    ("manager", "home"),
    ("dev_lead", "home"),
]


def populate(trust, count: int, start: int = 0) -> None:
    """`count` peer support workers in North, each with a line management agreement with Maya (half
    of them overdue), an induction mentored by Paul and an adjustment."""
    today = timezone.localdate()
    users = User.objects.bulk_create(
        User(email=f"w{n}@example.nhs.uk", first_name="Worker", last_name=f"{n:04d}")
        for n in range(start, start + count)
    )
    Membership.objects.bulk_create(Membership(user=u, team=trust.north, role=Role.PSW) for u in users)
    Agreement.objects.bulk_create(
        Agreement(
            supervisor=trust.manager,
            supervisee=u,
            agreement_type=AgreementType.LINE_MANAGEMENT,
            frequency_weeks=4,
            starts_on=today - dt.timedelta(days=100),
            last_held_on=today - dt.timedelta(days=20 + i % 2 * 20),
            next_due_on=today + dt.timedelta(days=8 - i % 2 * 20),
            created_by=trust.manager,
        )
        for i, u in enumerate(users)
    )
    Induction.objects.bulk_create(
        Induction(worker=u, mentor=trust.colleague, starts_on=today, mentoring_ends_on=today, created_by=trust.manager)
        for u in users
    )
    ReasonableAdjustment.objects.bulk_create(
        ReasonableAdjustment(
            worker=u, description="Quiet room", agreed_on=today, review_on=today, recorded_by=trust.manager
        )
        for u in users
    )


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_same_queries_for_1_worker_and_for_300(client_for, trust, role, name, django_assert_num_queries):
    populate(trust, 1)
    client = client_for(trust.roles[role])
    url = reverse(name)
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    populate(trust, 299, start=1)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    if name == "supervision:compliance":
        rows = response.context["rows"]
        assert len([r for r in rows if r.worker.last_name.startswith("0")]) == 300
        assert response.context["overdue"] >= 149  # every other one of the 299 added


def test_the_agreement_page_reads_a_fixed_number_of_times(client_for, trust, django_assert_num_queries):
    from supervision.tests.factories import SessionFactory

    client = client_for(trust.manager)
    url = trust.agreement.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for days in range(20, 320):
        SessionFactory(agreement=trust.agreement, starts_at=timezone.now() - dt.timedelta(days=days))
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
