"""Needs reassignment and reassignment: one or many people, recorded in the history, both told."""

import pytest
from django.urls import reverse

from caseload.models import CaseloadCover, Person, PersonStatus
from caseload.tests.factories import PersonFactory
from peersupport.models import EmploymentStatus, Role
from peersupport.tests.factories import make_worker

QUEUE = reverse("caseload:review-reassignment")
REASSIGN = reverse("caseload:review-reassign")


@pytest.fixture
def leaver(trust):
    return make_worker(trust.north, first_name="Leah", last_name="Fletcher", employment_status=EmploymentStatus.LEFT)


def test_queue_lists_people_whose_worker_has_left_or_is_on_long_leave_or_who_have_none(client_for, trust, leaver):
    on_leave = make_worker(trust.north, first_name="Tom", employment_status=EmploymentStatus.LONG_LEAVE)
    left_behind = PersonFactory(team=trust.north, assigned_worker=leaver)
    waiting = PersonFactory(team=trust.north, assigned_worker=on_leave)
    unallocated = PersonFactory(team=trust.north, assigned_worker=None)
    PersonFactory(team=trust.north, assigned_worker=leaver, status=PersonStatus.CLOSED)
    PersonFactory(team=trust.south, assigned_worker=None)  # another manager's
    response = client_for(trust.manager).get(QUEUE)
    assert {p.pk for p in response.context["people"]} == {left_behind.pk, waiting.pk, unallocated.pk}


def test_queue_shows_who_is_covering_a_worker_on_leave(client_for, trust):
    trust.psw.employment_status = EmploymentStatus.LONG_LEAVE
    trust.psw.save()
    CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on="2020-01-01",
        ends_on="2099-01-01",
        granted_by=trust.manager,
    )
    body = client_for(trust.manager).get(QUEUE).content.decode()
    assert "Covered by Paul Price" in body


def test_reassigning_many_people_records_each_move_and_tells_both_workers(
    client_for, trust, leaver, mailoutbox, django_capture_on_commit_callbacks
):
    first = PersonFactory(team=trust.north, assigned_worker=leaver)
    second = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    data = {"people": [first.pk, second.pk], "to_worker": trust.colleague.pk, "reason": "Rebalancing caseloads"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trust.manager).post(REASSIGN, {**data, "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    for person, previous in ((first, leaver), (second, trust.psw)):
        person.refresh_from_db()
        assert person.assigned_worker == trust.colleague
        latest = person.history.first()
        assert latest.history_user == trust.manager
        assert latest.history_change_reason == f"Reassigned from {previous} to Paul Price: Rebalancing caseloads"
    # The new worker hears about both; Priya about hers; Leah has left, so is sent no names.
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["paul@example.nhs.uk", "priya@example.nhs.uk"]
    to_paul = next(m for m in mailoutbox if m.to == ["paul@example.nhs.uk"])
    assert to_paul.subject == "2 people have joined your caseload"
    assert first.display_name in to_paul.body and second.display_name in to_paul.body
    to_priya = next(m for m in mailoutbox if m.to == ["priya@example.nhs.uk"])
    assert second.display_name in to_priya.body and first.display_name not in to_priya.body
    # The same message waits in each worker's notifications, through the one outbox.
    from caseload.kinds import NotificationKind
    from peersupport.models import Notification

    in_app = Notification.objects.filter(kind=NotificationKind.CASELOAD_CHANGE)
    assert sorted(in_app.values_list("recipient__email", flat=True)) == recipients


def test_reassignment_shows_in_the_persons_history_page(client_for, trust):
    client = client_for(trust.manager)
    data = {"people": [trust.person.pk], "to_worker": trust.colleague.pk, "reason": "Priya is moving team"}
    client.post(REASSIGN, data)
    body = client.get(reverse("caseload:person-history", kwargs={"person_pk": trust.person.pk})).content.decode()
    assert "Priya is moving team" in body


def test_reassignment_to_a_worker_outside_the_managers_teams_changes_nothing(
    client_for, trust, mailoutbox, django_capture_on_commit_callbacks
):
    data = {"people": [trust.person.pk], "to_worker": trust.other_psw.pk, "reason": "Moving"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trust.manager).post(REASSIGN, data)
    assert response.status_code == 400
    assert "Choose a peer support worker in post in your teams." in response.content.decode()
    trust.person.refresh_from_db()
    assert trust.person.assigned_worker == trust.psw
    assert mailoutbox == []


def test_reassignment_to_a_worker_who_has_left_is_refused(client_for, trust, leaver):
    data = {"people": [trust.person.pk], "to_worker": leaver.pk, "reason": "Moving"}
    response = client_for(trust.manager).post(REASSIGN, data)
    assert response.status_code == 400
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw


def test_reassigning_someone_from_another_team_changes_nothing(client_for, trust):
    data = {"people": [trust.person.pk, trust.other_person.pk], "to_worker": trust.colleague.pk, "reason": "x"}
    response = client_for(trust.manager).post(REASSIGN, data)
    assert response.status_code == 400
    assert "not open in your teams" in response.content.decode()
    assert "Sol" not in response.content.decode()
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw
    assert Person.objects.get(pk=trust.other_person.pk).assigned_worker == trust.other_psw


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to_worker": "", "reason": "x"}, "to_worker"),
        ({"to_worker": "abc", "reason": "x"}, "to_worker"),
        ({"reason": ""}, "reason"),
        ({"people": []}, "people"),
        ({"people": ["nonsense"]}, "people"),
    ],
)
def test_bad_reassignment_input_gets_a_message_beside_the_field(client_for, trust, data, field):
    full = {"people": [trust.person.pk], "to_worker": trust.colleague.pk, "reason": "Rebalancing", **data}
    response = client_for(trust.manager).post(REASSIGN, full)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw


def test_reassigning_to_the_same_worker_is_refused(client_for, trust):
    data = {"people": [trust.person.pk], "to_worker": trust.psw.pk, "reason": "x"}
    response = client_for(trust.manager).post(REASSIGN, data)
    assert "already with this worker" in response.content.decode()


def test_moving_to_a_worker_in_another_of_the_managers_teams_moves_the_person_to_that_team(client_for, trust):
    trust.manager.memberships.create(team=trust.south, role=Role.MANAGER)
    data = {"people": [trust.person.pk], "to_worker": trust.other_psw.pk, "reason": "Moved house"}
    client_for(trust.manager).post(REASSIGN, data)
    person = Person.objects.get(pk=trust.person.pk)
    assert (person.assigned_worker, person.team) == (trust.other_psw, trust.south)


def test_reassign_page_offers_the_people_ticked_elsewhere(client_for, trust):
    response = client_for(trust.manager).get(REASSIGN, {"people": [trust.person.pk, trust.other_person.pk]})
    assert [p.pk for p in response.context["chosen"]] == [trust.person.pk]


def test_next_cannot_send_the_manager_off_site(client_for, trust):
    data = {"people": [trust.person.pk], "to_worker": trust.colleague.pk, "reason": "x", "next": "https://evil.test/"}
    response = client_for(trust.manager).post(REASSIGN, data)
    assert response["Location"] == QUEUE


@pytest.mark.parametrize("role", ["psw", "other_psw", "dev_lead", "admin"])
def test_only_managers_reassign(client_for, trust, role):
    data = {"people": [trust.person.pk], "to_worker": trust.colleague.pk, "reason": "x"}
    assert client_for(trust.roles[role]).post(REASSIGN, data).status_code == 404
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw


def test_other_manager_cannot_reassign_our_people(client_for, trust):
    data = {"people": [trust.person.pk], "to_worker": trust.other_psw.pk, "reason": "x"}
    response = client_for(trust.other_manager).post(REASSIGN, data)
    assert response.status_code == 400
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw
