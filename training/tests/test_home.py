"""The training sections of the home page: what each role sees, and a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport.tests.factories import make_worker
from training import home
from training.models import Trainee

from .factories import CodeVersionFactory, CohortFactory, CompletionFactory, EnrolmentFactory, SubjectFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def subjects():
    return [
        SubjectFactory(name="Basic life support", renewal_months=12),
        SubjectFactory(name="Information governance", renewal_months=12),
    ]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _fresh(user):
    # A new instance per request, as the middleware gives: role look-ups are cached on the user.
    return type(user).objects.get(pk=user.pk)


def _queries(section, user) -> int:
    request = _request(_fresh(user))
    request.user.team_ids_with_role()  # roles are read once per request by the middleware and menu
    with CaptureQueriesContext(connection) as queries:
        assert section(request) is not None
    return len(queries)


def _add_workers(team, count, subjects):
    for n in range(count):
        worker = make_worker(team, first_name=f"Worker{n:03}", last_name="Gap")
        CompletionFactory(user=worker, subject=subjects[0], completed_on=dt.date(2025, 6, 1))
        if n % 2:
            EnrolmentFactory(cohort=CohortFactory(), trainee=Trainee.for_user(worker), completed_on=dt.date(2024, 4, 1))


@time_machine.travel(dt.datetime(2026, 5, 12, 9, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    ("section", "role"), [(home.teams, "manager"), (home.trust, "dev_lead"), (home.trust, "dev_worker")]
)
def test_each_section_runs_the_same_queries_with_1_and_30_workers(trust, subjects, section, role):
    user = getattr(trust, role)
    CodeVersionFactory(published_by=trust.dev_lead)
    one = _queries(section, user)
    _add_workers(trust.north, 29, subjects)
    assert _queries(section, user) == one
    assert one <= 2


@time_machine.travel(dt.datetime(2026, 5, 12, 9, tzinfo=dt.UTC))
def test_own_section_runs_the_same_queries_with_1_and_30_workers(trust, subjects):
    CodeVersionFactory(published_by=trust.dev_lead)
    one = _queries(home.mine, trust.psw)
    _add_workers(trust.north, 29, subjects)
    assert _queries(home.mine, trust.psw) == one


@pytest.mark.parametrize(
    ("section", "role"),
    [
        (home.mine, "manager"),
        (home.mine, "dev_lead"),
        (home.teams, "psw"),
        (home.teams, "dev_lead"),
        (home.trust, "manager"),
        (home.trust, "psw"),
        (home.teams, "admin"),
        (home.trust, "admin"),
    ],
)
def test_a_section_that_does_not_apply_runs_no_query(trust, section, role):
    request = _request(_fresh(getattr(trust, role)))
    request.user.team_ids_with_role()
    with CaptureQueriesContext(connection) as queries:
        assert section(request) is None
    assert len(queries) == 0


@time_machine.travel(dt.datetime(2026, 5, 12, 9, tzinfo=dt.UTC))
def test_manager_sees_their_teams_gaps_only(trust, client_for, subjects):
    for subject in subjects:
        CompletionFactory(user=trust.psw, subject=subject, completed_on=dt.date(2026, 1, 5))
    EnrolmentFactory(cohort=CohortFactory(), trainee=Trainee.for_user(trust.psw), completed_on=dt.date(2024, 4, 1))
    CompletionFactory(user=trust.colleague, subject=subjects[0], completed_on=dt.date(2025, 5, 20))  # expires 1 May
    CompletionFactory(user=trust.other_psw, subject=subjects[0], completed_on=dt.date(2020, 1, 1))
    page = client_for(trust.manager).get(reverse("home")).content.decode()
    assert "Training gaps in my teams" in page
    assert "2 peer workers: 2 mandatory training records missing or expired" in page
    assert "Paul" in page and "no peer support training; 2 mandatory subjects missing or expired" in page
    assert "Olive" not in page
    section = page.split('id="team-training-heading"')[1].split("</section>")[0]
    assert "Priya" not in section  # in date, trained: not a gap


@time_machine.travel(dt.datetime(2026, 5, 12, 9, tzinfo=dt.UTC))
def test_development_team_sees_this_months_expiries(trust, client_for, subjects):
    CompletionFactory(
        user=trust.psw, subject=subjects[0], completed_on=dt.date(2025, 5, 20), expires_on=dt.date(2026, 5, 20)
    )
    # Renewed: the older completion expiring this month is not due.
    CompletionFactory(
        user=trust.other_psw, subject=subjects[1], completed_on=dt.date(2025, 5, 3), expires_on=dt.date(2026, 5, 3)
    )
    CompletionFactory(
        user=trust.other_psw, subject=subjects[1], completed_on=dt.date(2026, 4, 3), expires_on=dt.date(2027, 4, 3)
    )
    CompletionFactory(
        user=trust.colleague, subject=subjects[1], completed_on=dt.date(2025, 6, 2), expires_on=dt.date(2026, 6, 2)
    )
    page = client_for(trust.dev_lead).get(reverse("home")).content.decode()
    section = page.split('id="trust-training-heading"')[1].split("</section>")[0]
    assert "20 May 2026" in section and "Priya Patel</a>, Basic life support" in section
    assert "Olive" not in section.split("Expiring this month")[1]
    assert "2 Jun 2026" not in section
    assert "3 without peer support training" in section
