"""The home page's safety and cover sections (issue #11): each alert names the person, each open
concern is shown once with its first words and how long it has waited, and a covering worker sees
the covered caseload's concerns and appointments as its own worker does. Cover and reassignment
refuse in words that say why."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from caseload.home import waited
from caseload.models import CaseloadCover, CoverReason, Person, PersonStatus
from caseload.services import safety
from caseload.tests.factories import AppointmentFactory, PersonFactory
from peersupport.models import EmploymentStatus
from peersupport.tests.factories import make_worker

LONDON = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 11, 12, 12, 0, tzinfo=LONDON)
HOME = reverse("home")


def raise_concern(trust, person, description="Said they do not feel safe at home since the move last week."):
    return safety.raise_concern(
        person=person,
        contact=None,
        raised_by=trust.psw,
        description=description,
        severity="high",
        escalated_to=trust.manager,
        escalated_to_role="duty_worker",
    )


def test_waited_reads_as_people_say_it():
    today = dt.date(2026, 11, 12)
    assert waited(dt.datetime(2026, 11, 12, 0, 5, tzinfo=LONDON), today) == "today"
    assert waited(dt.datetime(2026, 11, 11, 23, 55, tzinfo=LONDON), today) == "yesterday"
    assert waited(dt.datetime(2026, 11, 9, 9, 0, tzinfo=LONDON), today) == "3 days"


def test_the_managers_home_names_the_person_and_shows_each_open_concern_once(client_for, trust):
    with time_machine.travel(NOON - dt.timedelta(days=3), tick=False):
        raise_concern(trust, trust.person)
    other = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Ola", family_name="Okafor")
    with time_machine.travel(NOON - dt.timedelta(days=1), tick=False):
        concern = raise_concern(trust, other, "Missed two visits and stopped answering the phone to the team.")
        safety.acknowledge_concern(concern, by=trust.manager)
    with time_machine.travel(NOON, tick=False):
        body = client_for(trust.manager).get(HOME).content.decode()
    assert body.count(reverse("caseload:concern-detail", args=[concern.pk])) == 1
    sam = trust.person.risk_concerns.get()
    assert body.count(sam.get_absolute_url()) == 1  # among the alerts, not again in the list
    assert "Sam Sutton: high risk concern" in body and "Ola Okafor: high risk concern" in body
    assert "“Said they do not feel safe at home since the…”" in body  # its first ten words
    assert "waiting 3 days" in body and "waiting since yesterday" in body
    assert 'Open risk concerns <span class="badge text-bg-danger">2</span>' in body


@pytest.fixture
def cover(trust):
    return CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 14),
        reason=CoverReason.ANNUAL_LEAVE,
        granted_by=trust.manager,
    )


def test_a_covering_worker_sees_the_covered_caseloads_concerns_and_appointments(
    client_for, trust, cover, django_assert_num_queries
):
    with time_machine.travel(NOON, tick=False):
        raise_concern(trust, trust.person)
        AppointmentFactory(person=trust.person, worker=trust.psw, title="Housing office")
        client = client_for(trust.colleague)
        client.get(HOME)
        with django_assert_num_queries(99, exact=False) as one:
            page = client.get(HOME)
        section = page.context["covering"][0]
        assert [c.person for c in section.concerns] == [trust.person]
        assert [a.title for a in section.appointments] == ["Housing office"]
        body = page.content.decode()
        assert "Open risk concerns on this caseload" in body and "Housing office" in body
        assert 'Open risk concerns <span class="badge text-bg-danger">1</span>' in body
        for _ in range(5):
            person = PersonFactory(team=trust.north, assigned_worker=trust.psw)
            raise_concern(trust, person)
            AppointmentFactory(person=person, worker=trust.psw)
            start_visit(make_worker(trust.north), person)
        with django_assert_num_queries(len(one.captured_queries)):
            page = client.get(HOME)
        assert len(page.context["covering"][0].concerns) == 6
        assert len(page.context["covering"][0].visits) == 5


def start_visit(worker, person, *, minutes=90, location="12 Oak Road, Worksop"):
    return safety.start_visit(
        worker=worker,
        person=person,
        location=location,
        expected_end=timezone.now() + dt.timedelta(minutes=minutes),
        buddy=None,
    )


def covering_section(page) -> str:
    return page.content.decode().split("Covering Priya Patel's caseload")[1].split('id="my-caseload-heading"')[0]


def test_a_covering_worker_sees_the_visits_in_progress_with_the_covered_people(client_for, trust, cover):
    outside = PersonFactory(team=trust.north, assigned_worker=trust.manager, given_name="Una", family_name="Ure")
    other_worker = make_worker(trust.north, first_name="Kwame", last_name="Mensah")
    with time_machine.travel(NOON, tick=False):
        with_sam = start_visit(trust.manager, trust.person)
        start_visit(other_worker, outside, location="Una's flat")  # not on the covered caseload
        page = client_for(trust.colleague).get(HOME)
    assert page.context["covering"][0].visits == [with_sam]
    cover_section = covering_section(page)
    assert "Visits in progress on this caseload" in cover_section
    assert f'Maya Morris with <a href="{trust.person.get_absolute_url()}">Sam Sutton</a>' in cover_section
    assert "at 12 Oak Road, Worksop · expected to end 13:30" in cover_section and "On time" in cover_section
    assert "Una" not in cover_section and "Kwame Mensah" not in cover_section
    # Overdue, it says so; checked out, it is gone.
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        assert '<span class="badge text-bg-danger">Overdue</span>' in covering_section(
            client_for(trust.colleague).get(HOME)
        )
        safety.check_out(with_sam, by=trust.manager)
        cover_section = covering_section(client_for(trust.colleague).get(HOME))
    assert "Nobody is on a visit with these people." in cover_section and "Maya Morris with" not in cover_section


def test_a_covering_workers_own_visit_is_not_listed_again_with_the_caseload(client_for, trust, cover):
    with time_machine.travel(NOON, tick=False):
        start_visit(trust.colleague, trust.person)
        page = client_for(trust.colleague).get(HOME)
    assert page.context["covering"][0].visits == []
    assert "Your visit at 12 Oak Road, Worksop is in progress, with Sam Sutton" in page.content.decode()


def test_cover_is_not_offered_for_a_worker_who_has_left(client_for, trust):
    leaver = make_worker(trust.north, first_name="Leah", last_name="Fletcher", employment_status=EmploymentStatus.LEFT)
    away = make_worker(trust.north, first_name="Lou", last_name="Long", employment_status=EmploymentStatus.LONG_LEAVE)
    client = client_for(trust.manager)
    page = client.get(reverse("caseload:review-cover"))
    offered = [pk for pk, _ in page.context["form"].fields["absent_worker"].choices if pk]
    assert leaver.pk not in [int(str(pk)) for pk in offered] and away.pk in [int(str(pk)) for pk in offered]
    assert "a worker who has left is not covered" in page.content.decode()
    data = {
        "team": trust.north.pk,
        "absent_worker": leaver.pk,
        "covering_worker": trust.colleague.pk,
        "starts_on": dt.date.today().isoformat(),
        "ends_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        "reason": CoverReason.SICKNESS,
    }
    response = client.post(reverse("caseload:review-cover"), data)
    assert response.status_code == 400
    assert "their people are listed on Needs reassignment" in response.content.decode()
    assert not CaseloadCover.objects.exists()


def test_reassigning_a_closed_record_says_that_the_record_is_closed(client_for, trust):
    closed = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    response = client_for(trust.manager).post(
        reverse("caseload:review-reassign"),
        {"people": [closed.pk], "to_worker": trust.colleague.pk, "reason": "Rebalancing"},
    )
    assert response.status_code == 400
    assert "the record is closed, so it is not reassigned" in response.content.decode()
    assert Person.objects.get(pk=closed.pk).assigned_worker == trust.psw


def test_the_managers_home_counts_link_to_their_people(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.psw)
    PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    PersonFactory(team=trust.south, assigned_worker=trust.psw)  # not the manager's team: not counted
    client = client_for(trust.manager)
    page = client.get(HOME)
    priya = next(w for w in page.context["team_workers"] if w == trust.psw)
    link = f"{reverse('caseload:review-people')}?worker={trust.psw.pk}"
    assert f'href="{link}">{priya.open_caseload}<' in page.content.decode()
    assert len(client.get(link).context["people"]) == priya.open_caseload == 2
