"""A contact's save refreshes only the figures a contact changes (last seen, this month's contacts),
by one UPDATE; the person's other figures stay as the records say, and a person with no summary yet
gets a full one."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from caseload.models import Contact, PersonSummary
from caseload.periods import month_start
from caseload.summaries import rebuild_summaries
from caseload.tests.factories import ContactFactory, DialogAssessmentFactory, RecoveryPlanFactory


def test_a_contact_keeps_the_other_figures_and_agrees_with_a_rebuild(trust, django_assert_num_queries):
    DialogAssessmentFactory(person=trust.person)
    RecoveryPlanFactory(person=trust.person, version=1)
    before = PersonSummary.objects.get(person=trust.person)
    now = timezone.now()
    when = max(now - dt.timedelta(hours=3), month_start(now))  # this month, whatever the day
    ContentType.objects.get_for_model(Contact)  # cached for the life of a process, as in a server
    with django_assert_num_queries(4):  # the contact, its history row, its audit event, one UPDATE of the summary
        ContactFactory(person=trust.person, contact_at=when)
    kept = PersonSummary.objects.filter(person=trust.person).values().get()
    assert kept["dialog_count"] == before.dialog_count == 1 and kept["plan_review_on"] == before.plan_review_on
    assert kept["contacts_in_month"] >= 1 and kept["last_seen_at"] is not None
    PersonSummary.objects.all().delete()
    rebuild_summaries()
    assert PersonSummary.objects.filter(person=trust.person).values().get() == kept


def test_a_first_contact_for_a_person_without_a_summary_builds_it_whole(trust):
    RecoveryPlanFactory(person=trust.person, version=1)
    PersonSummary.objects.filter(person=trust.person).delete()
    ContactFactory(person=trust.person, contact_at=timezone.now() - dt.timedelta(hours=3))
    built = PersonSummary.objects.get(person=trust.person)
    assert built.last_seen_at is not None and built.plan_review_on is not None
