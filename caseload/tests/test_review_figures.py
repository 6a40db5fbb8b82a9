"""Service figures: referral to first contact, closures this quarter, contacts by type per month."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from caseload.models import ClosureReason, ContactType, Person, PersonStatus, StatusChange
from caseload.periods import months_back, quarter_start
from caseload.review.figures import contacts_by_type, overall, waiting_times
from caseload.tests.factories import ContactFactory, PersonFactory

LONDON = ZoneInfo("Europe/London")
FIGURES = reverse("caseload:review-figures")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=LONDON), tick=False):
        yield


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)


def referred(trust, on: dt.date, first_seen: dt.date | None, *, team=None, dna_first: bool = False):
    person = PersonFactory(team=team or trust.north, assigned_worker=trust.psw, referral_date=on)
    if dna_first:
        ContactFactory(person=person, contact_at=at(on), contact_type=ContactType.DID_NOT_ATTEND)
    if first_seen:
        ContactFactory(person=person, contact_at=at(first_seen))
        ContactFactory(person=person, contact_at=at(first_seen + dt.timedelta(days=30)))
    return person


def north(trust):
    return Person.objects.visible_to(trust.manager).filter(team=trust.north)


def test_periods():
    assert quarter_start(dt.date(2026, 11, 18)) == dt.date(2026, 10, 1)
    assert quarter_start(dt.date(2027, 3, 31)) == dt.date(2027, 1, 1)
    assert months_back(dt.date(2026, 2, 10), 3) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def test_waiting_times_run_from_referral_to_the_first_contact_that_happened(trust):
    trust.person.referral_date = dt.date(2024, 1, 1)  # before the 12 months: left out
    trust.person.save()
    referred(trust, dt.date(2026, 9, 1), dt.date(2026, 9, 8))  # 7 days
    referred(trust, dt.date(2026, 9, 10), dt.date(2026, 9, 30), dna_first=True)  # 20: a DNA is not a contact
    referred(trust, dt.date(2026, 10, 5), dt.date(2026, 10, 8))  # 3 days
    referred(trust, dt.date(2026, 11, 1), None)  # still waiting, 17 days so far
    referred(trust, dt.date(2026, 10, 1), dt.date(2026, 10, 2), team=trust.south)  # another team
    monthly = waiting_times(north(trust), dt.date(2026, 11, 18))
    by_month = {m.month: m.times for m in monthly}
    assert sorted(by_month[dt.date(2026, 9, 1)].waits) == [7, 20]
    assert by_month[dt.date(2026, 9, 1)].median == 13.5
    everyone = overall(monthly)
    assert (everyone.median, everyone.longest) == (7, 20)
    assert everyone.still_waiting == [17]


def test_closures_this_quarter_by_reason(client_for, trust):
    for reason, day in (
        (ClosureReason.GOALS_ACHIEVED, dt.date(2026, 10, 3)),
        (ClosureReason.GOALS_ACHIEVED, dt.date(2026, 11, 3)),
        (ClosureReason.MOVED_AWAY, dt.date(2026, 11, 4)),
        (ClosureReason.MOVED_AWAY, dt.date(2026, 9, 30)),  # last quarter
    ):
        person = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
        StatusChange.objects.create(
            person=person,
            from_status=PersonStatus.ACTIVE,
            to_status=PersonStatus.CLOSED,
            changed_on=day,
            closure_reason=reason,
            changed_by=trust.psw,
        )
    response = client_for(trust.manager).get(FIGURES)
    closures = dict(response.context["closures"])
    assert closures[ClosureReason.GOALS_ACHIEVED.label] == 2
    assert closures[ClosureReason.MOVED_AWAY.label] == 1
    assert response.context["closures"][0] == (ClosureReason.GOALS_ACHIEVED.label, 2)


def test_contacts_by_type_per_month_in_london_time(trust):
    ContactFactory(person=trust.person, contact_at=at(dt.date(2026, 11, 2)), contact_type=ContactType.PHONE)
    ContactFactory(person=trust.person, contact_at=at(dt.date(2026, 11, 3)), contact_type=ContactType.PHONE)
    ContactFactory(person=trust.person, contact_at=at(dt.date(2026, 10, 9)), contact_type=ContactType.GROUP)
    # 00:30 on 1 Aug in London is still 31 July in UTC: it belongs to August.
    ContactFactory(person=trust.person, contact_at=dt.datetime(2026, 8, 1, 0, 30, tzinfo=LONDON))
    ContactFactory(person=trust.other_person, contact_at=at(dt.date(2026, 11, 2)))  # another team
    months = {m.month: m for m in contacts_by_type(north(trust), dt.date(2026, 11, 18))}
    assert len(months) == 12
    assert months[dt.date(2026, 11, 1)].by_type[ContactType.PHONE] == 2
    assert months[dt.date(2026, 11, 1)].total == 2
    assert months[dt.date(2026, 10, 1)].by_type[ContactType.GROUP] == 1
    assert months[dt.date(2026, 8, 1)].total == 1
    assert months[dt.date(2026, 7, 1)].total == 0


def test_figures_page_shows_the_charts_with_text_alternatives(client_for, trust):
    referred(trust, dt.date(2026, 10, 5), dt.date(2026, 10, 8))
    body = client_for(trust.manager).get(FIGURES).content.decode()
    assert "Days from referral to first contact, by month of referral" in body
    assert "Longest median wait: 3 days, for people referred in October 2026." in body
    assert "Contacts per month, by type" in body
    assert "as a table" in body


def test_figures_only_for_the_managers_own_teams(client_for, trust):
    assert client_for(trust.manager).get(FIGURES, {"team": trust.south.pk}).status_code == 404
    assert client_for(trust.psw).get(FIGURES).status_code == 404
