"""Manager review pages and downloads run the same number of queries for 1 worker and for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload.tests.review_data import populate

PAGES = [
    "caseload:review-board",
    "caseload:review-board-csv",
    "caseload:review-board-xlsx",
    "caseload:review-people",
    "caseload:review-people-csv",
    "caseload:review-people-xlsx",
    "caseload:review-reassignment",
    "caseload:review-figures",
    "caseload:review-cover",
]


def queries_for(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


@pytest.mark.parametrize("name", PAGES)
def test_same_number_of_queries_for_1_worker_and_for_200(client_for, trust, name, django_assert_num_queries):
    # Every figure must be fed, so a per-row query would show: Priya and Paul have nothing yet.
    trust.psw.memberships.all().delete()
    trust.colleague.memberships.all().delete()
    trust.person.assigned_worker = None
    trust.person.save()
    populate(trust.north, 1)
    client = client_for(trust.manager)
    url = reverse(name)
    client.get(url)  # warm the per-process caches (content types, templates)
    one, response = queries_for(client, url)
    populate(trust.north, 199, start=1)
    with django_assert_num_queries(one):
        response = client.get(url)
    if name == "caseload:review-board":
        assert len(response.context["board"].rows) == 200
        total = response.context["board"].total
        assert total.value("goals_achieved") == 200
        assert (total.value("gbo_change"), total.value("dialog_change"), total.value("plans_past_review")) == (
            4,
            0.5,
            200,
        )
    if name == "caseload:review-people":
        assert len(response.context["people"]) == 201  # and Sam, now without a worker
