"""Time-limited cover: a colleague reads and writes an absent worker's caseload, and access ends by itself."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from caseload.kinds import NotificationKind
from caseload.models import CaseloadCover, Contact, CoverReason, Person
from caseload.tests.factories import ContactFactory, PersonFactory
from peersupport.models import EmploymentStatus, Notification, Role
from peersupport.tests.factories import make_worker

LONDON = ZoneInfo("Europe/London")
COVER = reverse("caseload:review-cover")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def cover(trust):
    """Paul covers Priya's caseload in North for 10 to 14 November 2026."""
    return CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 14),
        reason=CoverReason.ANNUAL_LEAVE,
        granted_by=trust.manager,
    )


def cover_form(trust, **change) -> dict:
    """Paul to cover Priya's caseload in North, 16 to 27 November 2026, as the cover form posts it."""
    data = {
        "team": trust.north.pk,
        "absent_worker": trust.psw.pk,
        "covering_worker": trust.colleague.pk,
        "starts_on": "2026-11-16",
        "ends_on": "2026-11-27",
        "reason": CoverReason.SICKNESS,
    }
    return {**data, **change}


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_covering_worker_sees_and_may_edit_the_caseload_only_during_the_period(trust, cover):
    visible = Person.objects.visible_to
    with time_machine.travel(at(dt.date(2026, 11, 9), 23), tick=False):
        assert trust.person not in visible(trust.colleague)
        assert not fresh(trust.person).can_edit(trust.colleague)
    for day in (dt.date(2026, 11, 10), dt.date(2026, 11, 14)):
        with time_machine.travel(at(day), tick=False):
            assert trust.person in visible(trust.colleague)
            assert fresh(trust.person).can_edit(trust.colleague)
            assert trust.other_person not in visible(trust.colleague)
    with time_machine.travel(at(dt.date(2026, 11, 15), 0), tick=False):
        assert trust.person not in visible(trust.colleague)
        assert not fresh(trust.person).can_edit(trust.colleague)


def test_access_ends_by_itself_on_every_page(client_for, trust, cover):
    contact = ContactFactory(person=trust.person, worker=trust.psw)
    urls = [
        trust.person.get_absolute_url(),
        reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk}),
        reverse("caseload:contact-detail", kwargs={"contact_pk": contact.pk}),
    ]
    client = client_for(trust.colleague)
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        assert [client.get(url).status_code for url in urls] == [200, 200, 200]
        assert trust.person.display_name in client.get(reverse("caseload:person-list")).content.decode()
    with time_machine.travel(at(dt.date(2026, 11, 15)), tick=False):
        client = client_for(trust.colleague)  # sessions idle out after 30 minutes; sign in again
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert trust.person.display_name not in client.get(reverse("caseload:person-list")).content.decode()


def test_covering_worker_logs_a_contact_in_their_own_name(client_for, trust, cover):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        url = reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk})
        data = {"contact_at": "2026-11-12T11:00", "duration_minutes": 30, "contact_type": "phone", "notes": "Check-in"}
        response = client_for(trust.colleague).post(url, data)
    assert response.status_code == 302
    assert Contact.objects.get(notes="Check-in").worker == trust.colleague


def test_cover_is_for_one_team_and_one_worker_only(trust, cover):
    someone_else = make_worker(trust.north, first_name="Sara")
    theirs = PersonFactory(team=trust.north, assigned_worker=someone_else)
    priyas_in_south = PersonFactory(team=trust.south, assigned_worker=trust.psw)
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        visible = set(Person.objects.visible_to(trust.colleague))
    assert trust.person in visible
    assert theirs not in visible and priyas_in_south not in visible


def test_ending_cover_early_ends_access_now(client_for, trust, cover):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        response = client_for(trust.manager).post(reverse("caseload:review-cover-end", kwargs={"cover_pk": cover.pk}))
        assert response.status_code == 302
        assert trust.person not in Person.objects.visible_to(trust.colleague)
    cover.refresh_from_db()
    assert cover.ended_by == trust.manager
    assert cover.history.order_by("-history_id").first().history_change_reason == "Cover ended early"


def test_workers_in_a_cover_cannot_end_it(client_for, trust, cover):
    url = reverse("caseload:review-cover-end", kwargs={"cover_pk": cover.pk})
    assert client_for(trust.colleague).post(url).status_code == 403  # Paul knows of the cover, but it is not his
    assert client_for(trust.other_manager).post(url).status_code == 404
    cover.refresh_from_db()
    assert cover.ended_at is None


def test_manager_grants_cover_and_it_is_listed(client_for, trust):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        client = client_for(trust.manager)
        response = client.post(COVER, cover_form(trust))
        assert response.status_code == 302
        cover = CaseloadCover.objects.get()
        assert (cover.granted_by, cover.starts_on, cover.ends_on) == (
            trust.manager,
            dt.date(2026, 11, 16),
            dt.date(2026, 11, 27),
        )
        page = client.get(COVER)
        assert page.context["current"] == [cover]
        assert "16 Nov 2026 to 27 Nov 2026" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": "2026-11-15"}, "ends_on", "must end on or after the day it starts"),
        ({"starts_on": "2026-11-01"}, "starts_on", "cannot start in the past"),
        ({"ends_on": "2027-11-16"}, "ends_on", "up to 6 months"),
        ({"covering_worker": "PSW"}, "covering_worker", "Select a valid choice"),
        ({"ends_on": "31/02/2026"}, "ends_on", "Enter a valid date"),
        ({"reason": "holiday"}, "reason", "Select a valid choice"),
    ],
)
def test_bad_cover_gets_a_message_beside_the_field_and_saves_nothing(client_for, trust, change, field, message):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        response = client_for(trust.manager).post(COVER, cover_form(trust, **change))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert CaseloadCover.objects.count() == 0


def test_cover_by_the_same_worker_is_refused(client_for, trust):
    data = {
        "team": trust.north.pk,
        "absent_worker": trust.psw.pk,
        "covering_worker": trust.psw.pk,
        "starts_on": "2026-11-16",
        "ends_on": "2026-11-27",
        "reason": CoverReason.ANNUAL_LEAVE,
    }
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        response = client_for(trust.manager).post(COVER, data)
    assert "someone other than the worker who is away" in str(response.context["form"].errors["covering_worker"])
    assert CaseloadCover.objects.count() == 0


def test_cover_by_a_worker_from_another_team_is_refused(client_for, trust):
    data = {
        "team": trust.north.pk,
        "absent_worker": trust.psw.pk,
        "covering_worker": trust.other_psw.pk,
        "starts_on": "2026-11-16",
        "ends_on": "2026-11-27",
        "reason": CoverReason.ANNUAL_LEAVE,
    }
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        response = client_for(trust.manager).post(COVER, data)
    assert response.status_code == 400
    assert CaseloadCover.objects.count() == 0


def test_cover_within_a_second_team_needs_the_worker_in_that_team(client_for, trust):
    trust.manager.memberships.create(team=trust.south, role=Role.MANAGER)
    data = {
        "team": trust.south.pk,
        "absent_worker": trust.other_psw.pk,
        "covering_worker": trust.colleague.pk,
        "starts_on": "2026-11-16",
        "ends_on": "2026-11-27",
        "reason": CoverReason.ANNUAL_LEAVE,
    }
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        response = client_for(trust.manager).post(COVER, data)
    assert (
        "Paul Price is not a peer support worker in South CMHT." in response.context["form"].errors["covering_worker"]
    )


def test_a_worker_on_leave_cannot_be_chosen_to_cover(client_for, trust):
    trust.colleague.employment_status = EmploymentStatus.LONG_LEAVE
    trust.colleague.save()
    response = client_for(trust.manager).get(COVER)
    assert trust.colleague not in response.context["form"].fields["covering_worker"].queryset


@pytest.mark.parametrize("role", ["psw", "colleague", "dev_lead", "admin"])
def test_cover_page_is_for_managers_only(client_for, trust, role):
    assert client_for(trust.roles[role]).get(COVER).status_code == 404


def test_other_managers_covers_are_not_listed(client_for, trust):
    CaseloadCover.objects.create(
        team=trust.south,
        absent_worker=trust.other_psw,
        covering_worker=make_worker(trust.south, first_name="Sid"),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2099, 1, 1),
        granted_by=trust.other_manager,
    )
    response = client_for(trust.manager).get(COVER)
    assert response.context["current"] == [] and "Olive" not in response.content.decode()


def test_both_workers_are_told_of_the_cover_without_names_of_the_people(
    client_for, trust, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        client = client_for(trust.manager)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(COVER, cover_form(trust)).status_code == 302
    to_paul = next(m for m in mailoutbox if m.to == [trust.colleague.email])
    assert to_paul.subject == "You are covering Priya Patel's caseload in North CMHT"
    assert "from 16 Nov 2026 until the end of 27 Nov 2026" in to_paul.body
    to_priya = next(m for m in mailoutbox if m.to == [trust.psw.email])
    assert to_priya.subject == "Paul Price is covering your caseload in North CMHT"
    assert all(trust.person.given_name not in m.body for m in mailoutbox)
    bell = Notification.objects.get(recipient=trust.colleague, kind=NotificationKind.CASELOAD_CHANGE)
    assert bell.url == reverse("home")


def test_covering_worker_finds_the_caseload_on_their_home_page_only_during_the_cover(client_for, trust, cover):
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=at(dt.date(2026, 11, 2)))
    closed = PersonFactory(team=trust.north, assigned_worker=trust.psw, status="closed")
    for day, expected in ((dt.date(2026, 11, 9), False), (dt.date(2026, 11, 12), True), (dt.date(2026, 11, 15), False)):
        with time_machine.travel(at(day), tick=False):
            page = client_for(trust.colleague).get(reverse("home"))
        body = page.content.decode()
        assert ("Covering Priya Patel's caseload" in body) is expected, day
        assert (trust.person.get_absolute_url() in body) is expected, day
        assert ("until the end of 14 Nov 2026" in body) is expected, day
        assert closed.get_absolute_url() not in body


def test_covering_worker_home_runs_the_same_queries_for_one_covered_person_and_for_thirty(
    client_for, trust, cover, django_assert_num_queries
):
    with time_machine.travel(at(dt.date(2026, 11, 12)), tick=False):
        client = client_for(trust.colleague)
        client.get(reverse("home"))
        with django_assert_num_queries(99, exact=False) as one:
            client.get(reverse("home"))
        PersonFactory.create_batch(29, team=trust.north, assigned_worker=trust.psw)
        with django_assert_num_queries(len(one.captured_queries)):
            page = client.get(reverse("home"))
    assert len(page.context["covering"][0].people) == 30
