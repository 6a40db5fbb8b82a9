"""Whatever is typed or tampered with, every caseload form answers with a page, never a 500."""

import pytest
from django.urls import reverse

from caseload.models import Contact, Person
from caseload.tests.factories import (
    AdvanceStatementFactory,
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)

JUNK = [
    {},
    {"notes": "<script>alert(1)</script>", "contact_at": "2026-13-45T99:99", "duration_minutes": "1e9"},
    {"score": "abc", "rated_on": "0000-00-00", "based_on": "-7", "review_on": "31/02/2026"},
    {"goals": ["x", "999999"], "signposted_to": ["'; drop table"], "team": "NaN", "assigned_worker": "0"},
    {"to_status": "deleted", "changed_on": "1800-01-01", "mental_health": "99", "stage": "🙂" * 50},
    {"contact_at": "2026-10-25T01:30", "starts_at": "2026-03-29T01:30"},  # a London clock change
    {name: "x" * 20000 for name in ("notes", "description", "wishes", "name", "title", "reason", "given_name")},
]


@pytest.fixture
def urls(trust):
    person = trust.person
    goal = RecoveryGoalFactory(person=person, created_by=trust.psw)
    ids = {
        "contact": ContactFactory(person=person, worker=trust.psw).pk,
        "goal": goal.pk,
        "rating": GoalRatingFactory(goal=goal).pk,
        "plan": RecoveryPlanFactory(person=person, version=1).pk,
        "statement": AdvanceStatementFactory(person=person, version=1).pk,
        "appointment": AppointmentFactory(person=person, worker=trust.psw).pk,
        "dialog": DialogAssessmentFactory(person=person).pk,
        "resource": ResourceFactory().pk,
    }
    names = {
        "person": ["person-edit", "person-status", "contact-create", "goal-create", "plan-create",
                   "statement-create", "appointment-create", "dialog-create"],
        "contact": ["contact-amend", "contact-error"],
        "goal": ["goal-edit", "goal-rate", "goal-error"],
        "rating": ["rating-amend", "rating-error"],
        "plan": ["plan-error"],
        "statement": ["statement-error"],
        "appointment": ["appointment-edit"],
        "dialog": ["dialog-amend", "dialog-error"],
        "resource": ["resource-edit"],
    }  # fmt: skip
    found = [reverse("caseload:person-create"), reverse("caseload:resource-create")]
    for kind, url_names in names.items():
        pk = person.pk if kind == "person" else ids[kind]
        found += [reverse(f"caseload:{name}", args=[pk]) for name in url_names]
    return found


def test_junk_never_breaks_a_form_and_changes_nothing(client_for, trust, urls):
    client = client_for(trust.psw)
    people, contacts = Person.objects.count(), Contact.objects.count()
    for url in urls:
        for data in JUNK:
            response = client.post(url, data)
            assert response.status_code == 200, (url, data, response.status_code)
    assert Person.objects.count() == people and Contact.objects.count() == contacts
    assert Contact.objects.current().count() == contacts


def test_junk_in_search_and_filters_never_breaks_a_list(client_for, trust):
    junk = [{"status": "nope"}, {"assigned_worker": "abc"}, {"team": "-1"}, {"q": "%_\\" * 300}]
    for query in junk:
        assert client_for(trust.psw).get(reverse("caseload:person-list"), query).status_code == 200
    # A manager's list is the review's: a value not offered is refused plainly, an id out of scope is 404.
    client = client_for(trust.manager)
    for query in junk:
        assert client.get(reverse("caseload:person-list"), query, follow=True).status_code in (200, 400, 404)
    for query in [{"category": "nope"}, {"q": "x" * 5000}]:
        assert client.get(reverse("caseload:resource-list"), query).status_code == 200
    assert client.get(reverse("caseload:resource-search"), {"signposted_to": ["a", "-1"], "q": "z"}).status_code == 200
