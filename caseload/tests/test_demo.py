"""The caseload's demo (manage.py seed_demo): contact types that match their notes, and no visit left
open, so any demo worker who signs in can start a lone-working visit at once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from caseload.demo.records import NOTES
from caseload.models import Contact, ContactType, Person, PersonStatus, SafetyEvent, Visit, VisitStatus
from peersupport.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_demo_contacts_type_matches_its_note(demo):
    contacts = list(Contact.objects.all())
    assert len({c.contact_type for c in contacts}) >= 5
    for contact in contacts:
        notes = contact.notes.lower()
        if contact.contact_type == ContactType.DID_NOT_ATTEND:
            assert contact.duration_minutes == 0 and "not in" in notes, contact.notes
            assert not contact.goals.exists()
            continue
        assert contact.duration_minutes > 0
        assert ("phone call" in notes or notes.startswith("rang")) == (contact.contact_type == ContactType.PHONE)
        assert notes.startswith("message") == (contact.contact_type == ContactType.MESSAGE)
        assert notes.startswith("group session") == (contact.contact_type == ContactType.GROUP)
        if contact.contact_type in (ContactType.PHONE, ContactType.MESSAGE):
            assert contact.location == ""
    for kind, texts in NOTES.items():  # each note is written for one type only
        others = [text for other, group in NOTES.items() if other != kind for text in group]
        assert not set(texts) & set(others)


def test_the_demo_leaves_no_visit_open_and_a_demo_worker_can_start_one(demo, client):
    assert Visit.objects.exists() and not Visit.objects.filter(status=VisitStatus.OPEN).exists()
    # The overdue visit's alerts are still there to see, on a visit now closed.
    assert SafetyEvent.objects.filter(kind="alert", visit__status=VisitStatus.CLOSED).exists()
    priya = User.objects.get(email="priya.patel@demo.nhs.uk")
    person = Person.objects.filter(assigned_worker=priya, status=PersonStatus.ACTIVE).first()
    client.force_login(priya)
    url = reverse("caseload:person-visit-start", kwargs={"person_pk": person.pk})
    assert client.get(url).status_code == 200
    end = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"location": "12 Oak Road", "expected_end": end, "buddy": priya.lone_working_buddy.buddy_id}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Visit.objects.filter(worker=priya, status=VisitStatus.OPEN).count() == 1
