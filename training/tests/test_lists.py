"""The development team's lists and downloads run a fixed number of queries, with 1 person and 300."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport.models import EmploymentStatus, Membership, Role, User
from peersupport.tests.factories import TeamFactory
from training.models import Enrolment, Trainee

from .factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def _people(count: int, start: int, cohort, team) -> None:
    """`count` leavers and `count` people never employed, all trained (the register), and `count`
    peer workers in post enrolled on the run but not yet trained (without peer support training)."""
    users = User.objects.bulk_create(
        [
            User(
                email=f"{letter}{i}@example.nhs.uk",
                first_name=f"{letter}{i}",
                last_name="Person",
                employment_status=status,
            )
            for i in range(start, start + count)
            for letter, status in (("P", EmploymentStatus.LEFT), ("Q", EmploymentStatus.IN_POST))
        ]
    )
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.PSW) for u in users])
    trainees = Trainee.objects.bulk_create(
        [Trainee(user=u, full_name=str(u), consent_to_contact=True) for u in users]
        + [
            Trainee(full_name=f"Outside {i}", email=f"o{i}@example.org", phone="07700 900000")
            for i in range(start, start + count)
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                cohort=cohort,
                trainee=t,
                enrolled_on=dt.date(2024, 2, 1),
                completed_on=None
                if t.user and t.user.employment_status == EmploymentStatus.IN_POST
                else cohort.ends_on,
            )
            for t in trainees
        ]
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "training:register",
        "training:register-csv",
        "training:trainee-list",
        "training:untrained",
        "training:untrained-csv",
        "training:course-list",
        "cohort",
    ],
)
def test_lists_run_the_same_queries_with_1_and_300_people(trust, client_for, url_name):
    cohort = CohortFactory(places=1000)
    EnrolmentFactory(cohort=cohort, trainee=Trainee.for_user(trust.psw), completed_on=dt.date(2024, 4, 29))
    team = TeamFactory()
    url = reverse("training:cohort-detail", args=[cohort.pk]) if url_name == "cohort" else reverse(url_name)
    client = client_for(trust.dev_lead)
    _people(1, 0, cohort, team)
    with CaptureQueriesContext(connection) as one:
        first = client.get(url)
    assert first.status_code == 200
    _people(299, 1, cohort, team)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(one), url_name
    body = response.content.decode()
    if url_name.startswith("training:register"):
        assert "Outside 299" in body and "P299 Person" in body
        assert "Q299" not in body
    if url_name.startswith("training:untrained"):
        assert "Q299 Person" in body and "P299" not in body
