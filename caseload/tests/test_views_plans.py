import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import AdvanceStatement, RecoveryPlan
from caseload.tests.factories import AdvanceStatementFactory, RecoveryPlanFactory


def plan_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "wellness_toolbox": "Music, my dog, ringing my sister.",
        "triggers": "Letters from the council.",
        "agreed_on": today.isoformat(),
        "review_on": (today + dt.timedelta(days=90)).isoformat(),
        "based_on": "0",
    }
    data.update(overrides)
    return data


def test_writing_a_new_version_keeps_every_earlier_one(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:plan-create", args=[trust.person.pk])
    client.post(url, plan_data())
    form = client.get(url).context["form"]
    assert form["based_on"].value() == 1
    assert form["wellness_toolbox"].value() == "Music, my dog, ringing my sister."  # starts from the latest
    client.post(url, plan_data(wellness_toolbox="Music, my dog, the allotment.", based_on="1"))
    versions = list(RecoveryPlan.objects.filter(person=trust.person).order_by("version"))
    assert [(v.version, v.wellness_toolbox) for v in versions] == [
        (1, "Music, my dog, ringing my sister."),
        (2, "Music, my dog, the allotment."),
    ]
    page = client.get(versions[0].get_absolute_url()).content.decode()
    assert "This is an earlier version" in page and "ringing my sister" in page


def test_the_second_of_two_simultaneous_saves_is_refused_and_nothing_is_lost(client_for, trust):
    url = reverse("caseload:plan-create", args=[trust.person.pk])
    RecoveryPlanFactory(person=trust.person, version=1, written_by=trust.psw)
    priya, maya = client_for(trust.psw), None
    priya.post(url, plan_data(triggers="Priya's wording.", based_on="1"))
    maya = client_for(trust.manager)
    response = maya.post(url, plan_data(triggers="Maya's wording.", based_on="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved: someone else saved a newer version" in page
    assert "Priya Patel saved version 2" in page
    assert "Maya&#x27;s wording." in page  # her text is still in the form
    assert RecoveryPlan.objects.filter(person=trust.person).count() == 2
    # Having read version 2, a deliberate second save goes ahead as version 3.
    response = maya.post(url, dict(response.context["form"].data.items()))
    assert response.status_code == 302
    assert RecoveryPlan.objects.get(person=trust.person, version=3).triggers == "Maya's wording."


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"review_on": "2026-01-01"}, "review_on"),
        ({"agreed_on": "2099-01-01"}, "agreed_on"),
        ({"review_on": ""}, "review_on"),
        ({"triggers": "x" * 5001}, "triggers"),
        ({"review_on": "2035-01-01"}, "review_on"),
    ],
)
def test_bad_plans_are_refused(client_for, trust, overrides, field):
    response = client_for(trust.psw).post(
        reverse("caseload:plan-create", args=[trust.person.pk]), plan_data(**overrides)
    )
    assert field in response.context["form"].errors
    assert not RecoveryPlan.objects.exists()


def test_an_empty_plan_is_refused(client_for, trust):
    response = client_for(trust.psw).post(
        reverse("caseload:plan-create", args=[trust.person.pk]), plan_data(wellness_toolbox="", triggers="  ")
    )
    assert "Write at least one section." in response.content.decode()


def test_advance_statement_is_versioned_and_printable(client_for, trust):
    client = client_for(trust.psw)
    today = timezone.localdate()
    data = {
        "wishes": "Treat me at home if at all possible.",
        "people_to_contact": "My sister Jo: 07700 900111.",
        "what_helps": "Quiet, and time to talk.",
        "what_to_avoid": "Being touched without asking.",
        "consent_to_share": "on",
        "agreed_on": today.isoformat(),
        "review_on": (today + dt.timedelta(days=180)).isoformat(),
        "based_on": "0",
    }
    response = client.post(reverse("caseload:statement-create", args=[trust.person.pk]), data)
    statement = AdvanceStatement.objects.get()
    assert response["Location"] == statement.get_absolute_url() and statement.consent_to_share
    printable = client.get(reverse("caseload:statement-print", args=[statement.pk])).content.decode()
    assert "My advance statement" in printable and "Treat me at home" in printable
    assert "I agree to this statement being shared with the crisis team." in printable
    assert "data-print" in printable


def test_statement_needs_wishes(client_for, trust):
    today = timezone.localdate()
    data = {"agreed_on": today.isoformat(), "review_on": (today + dt.timedelta(days=1)).isoformat(), "based_on": "0"}
    response = client_for(trust.psw).post(reverse("caseload:statement-create", args=[trust.person.pk]), data)
    assert "wishes" in response.context["form"].errors


def test_a_plan_version_entered_in_error_no_longer_counts(client_for, trust):
    first = RecoveryPlanFactory(person=trust.person, version=1)
    second = RecoveryPlanFactory(person=trust.person, version=2)
    client = client_for(trust.psw)
    client.post(reverse("caseload:plan-error", args=[second.pk]), {"reason": "Written for another person."})
    assert RecoveryPlan.objects.latest_for(trust.person) == first
    page = client.get(second.get_absolute_url()).content.decode()
    assert "marked as entered in error" in page and "Written for another person." in page


def test_overdue_reviews_show_on_the_person_page_and_caseload(client_for, trust):
    RecoveryPlanFactory(person=trust.person, version=1, review_on=timezone.localdate() - dt.timedelta(days=1))
    AdvanceStatementFactory(person=trust.person, version=1, review_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(trust.psw)
    page = client.get(trust.person.get_absolute_url()).content.decode()
    assert "The recovery plan was due for review on" in page and "The advance statement was due for review on" in page
    caseload = client.get(reverse("caseload:person-list")).content.decode()
    assert "Recovery plan review overdue" in caseload and "Advance statement review overdue" in caseload


def test_other_worker_cannot_reach_plans(client_for, trust):
    plan = RecoveryPlanFactory(person=trust.person, version=1)
    statement = AdvanceStatementFactory(person=trust.person, version=1)
    client = client_for(trust.other_psw)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("caseload:statement-print", args=[statement.pk])).status_code == 404
    assert client.get(reverse("caseload:plan-create", args=[trust.person.pk])).status_code == 404
