"""Retention (issue #16, point 8): records 20 years after the last contact, or 10 years after death,
listed for review; a reviewed destruction keeps a stub and blanks the clinical text, history too."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from caseload.models import Contact, Person
from caseload.tests.factories import ContactFactory, PersonFactory, RecoveryGoalFactory
from peersupport import plugins
from peersupport.governance import retention
from peersupport.models import AuditEvent, Destruction, Reminder

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(day: dt.date, hour: int = 12):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def old(trust):
    """Olga, last seen on 15 Mar 2006 (late in the evening); her contact was amended once."""
    with time_machine.travel(_at(dt.date(2006, 3, 15)), tick=False):
        person = PersonFactory(
            team=trust.north,
            assigned_worker=trust.psw,
            given_name="Olga",
            family_name="Oldfield",
            referral_date=dt.date(2005, 1, 10),
            referral_reason="Low mood after a bereavement.",
        )
        contact = ContactFactory(
            person=person, worker=trust.psw, contact_at=_at(dt.date(2006, 3, 15), 23), notes="Talked about her son."
        )
        contact.notes = "Talked about her son and the allotment."
        contact.save()
        RecoveryGoalFactory(person=person, created_by=trust.psw, description="Visit the allotment weekly.")
    return person


def _due_ids(day: dt.date) -> set[int]:
    with time_machine.travel(_at(day), tick=False):
        return {item.subject.pk for item in retention.due()}


def test_due_twenty_years_after_the_last_contact_to_the_day(old):
    assert old.pk not in _due_ids(dt.date(2026, 3, 14))
    assert old.pk in _due_ids(dt.date(2026, 3, 15))
    assert old.pk in _due_ids(dt.date(2026, 3, 16))


def test_due_ten_years_after_death_to_the_day(trust):
    person = PersonFactory(team=trust.north, assigned_worker=trust.psw, date_of_death=dt.date(2016, 6, 1))
    ContactFactory(person=person, worker=trust.psw, contact_at=_at(dt.date(2016, 5, 20)))
    assert person.pk not in _due_ids(dt.date(2026, 5, 31))
    assert person.pk in _due_ids(dt.date(2026, 6, 1))
    assert person.pk in _due_ids(dt.date(2026, 6, 2))
    with time_machine.travel(_at(dt.date(2026, 6, 1)), tick=False):
        [item] = [i for i in retention.due() if i.subject.pk == person.pk]
    assert item.basis == "10 years after death" and item.due_on == dt.date(2026, 6, 1)


def test_recent_records_are_never_listed(trust):
    assert trust.person.pk not in _due_ids(dt.date(2026, 12, 1))


def test_the_weekly_scan_tells_the_lead_once(trust, old):
    scan = next(s for s in plugins.scans() if s.name == "peersupport.governance.scan_retention")
    assert scan.every == timedelta(days=7)
    with time_machine.travel(_at(dt.date(2026, 3, 14)), tick=False):
        assert retention.scan_retention() == 0
    with time_machine.travel(_at(dt.date(2026, 3, 16)), tick=False):
        retention.scan_retention()
        retention.scan_retention()
    reminders = Reminder.objects.filter(kind=retention.KIND)
    assert [r.recipient for r in reminders] == [trust.ig_lead]
    assert "Olga" not in reminders[0].title + reminders[0].body


def test_destruction_needs_a_reason_and_a_clinical_reviewers_agreement(client, trust, old):
    propose = reverse("governance:retention-propose", kwargs={"subject_name": "person", "governed_pk": old.pk})
    history_before = Contact.history.filter(person_id=old.pk).count()
    with time_machine.travel(_at(dt.date(2026, 4, 1)), tick=True):
        client.force_login(trust.ig_lead)
        response = client.post(propose, {"reason": "  "})
        assert response.status_code == 200
        assert "Give the reason for destroying these records." in response.content.decode()
        assert not Destruction.objects.exists()
        client.post(propose, {"reason": "Past the retention schedule; reviewed with the service manager."})
        stub = Destruction.objects.get()
        assert stub.destroyed_at is None and stub.confirmed_by == trust.ig_lead
        assert Contact.objects.get(person=old).notes  # nothing removed yet
        agree = reverse("governance:retention-agree", kwargs={"destruction_pk": stub.pk})
        assert client.post(agree).status_code == 404  # the lead cannot agree with themselves
        client.force_login(trust.clinical_reviewer)
        assert client.post(agree).status_code == 302
    stub.refresh_from_db()
    assert stub.agreed_by == trust.clinical_reviewer and stub.destroyed_at is not None
    assert stub.subject_id == old.pk and "Contacts: 1 records, 2 history rows" in stub.records
    assert "allotment" not in stub.records + stub.reason + stub.basis
    old.refresh_from_db()
    assert old.given_name == "" and old.referral_reason == "" and old.history.filter(referral_reason="").count()
    assert not old.history.exclude(referral_reason="").exists()
    history = Contact.history.filter(person_id=old.pk)
    assert history.count() == history_before  # who and when stay
    assert set(history.values_list("notes", flat=True)) == {""}
    assert set(history.values_list("history_user_id", flat=True)) <= {trust.psw.pk, None}
    assert Contact.objects.get(person=old).notes == ""
    assert set(AuditEvent.objects.filter(subject_id=old.pk).values_list("action", flat=True)) >= {
        "retention-propose",
        "retention-destroy",
    }
    assert old.pk not in _due_ids(dt.date(2026, 4, 2))  # destroyed: no longer listed
    client.force_login(trust.ig_lead)
    page = client.get(reverse("governance:retention")).content.decode()
    assert f"Record {old.pk}" in page and "Past the retention schedule" in page


def test_destruction_of_a_record_not_due_or_out_of_reach_is_404(client, trust):
    client.force_login(trust.ig_lead)
    for pk in (trust.person.pk, 2_000_000_000):
        url = reverse("governance:retention-propose", kwargs={"subject_name": "person", "governed_pk": pk})
        assert client.post(url, {"reason": "Too old"}).status_code == 404
    assert not Destruction.objects.exists()
    for user in (trust.psw, trust.manager, trust.admin):
        client.force_login(user)
        assert client.get(reverse("governance:retention")).status_code == 404
    assert Person.objects.get(pk=trust.person.pk).given_name == "Sam"
