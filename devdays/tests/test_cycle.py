"""The whole cycle with real parts: generate, invite, answer by link, the waiting list, reminders at
each offset with time travel, chasers, a change and a cancellation, with the emails and their
calendar files parsed back."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from devdays import scans, schedule
from devdays.models import Answer, DayStatus, DevelopmentDay, Invitation
from devdays.tests.conftest import event_of
from peersupport import reminders

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def answer_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/devdays/answer/\d+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sent(mailoutbox) -> list:
    reminders.send_due_reminders(max_seconds=20)
    messages = list(mailoutbox)
    mailoutbox.clear()
    return messages


def by_address(messages) -> dict:
    return {m.to[0]: m for m in messages}


def answer_by_link(client, link: str, answer: str, **extra):
    page = client.get(link)
    assert page.status_code == 200
    version = page.context["form"].initial["version"]
    return client.post(link, {"answer": answer, "version": version, **extra}, follow=True)


def test_the_whole_cycle(client, client_for, trust, trained, mailoutbox):
    ann = trained("Ann Archer", "ann@example.org")
    bea = trained("Bea Bright", "bea@example.org")
    trained("Cal Cross", "cal@example.org", consent_to_contact=False)  # never agreed: never invited
    with time_machine.travel(START, tick=False):
        # Generate: the second Wednesday of each quarter's middle month, 2027.
        proposals = schedule.propose(2027, schedule.Rule())
        assert [p.date for p in proposals] == [
            dt.date(2027, 2, 10),
            dt.date(2027, 5, 12),
            dt.date(2027, 8, 11),
            dt.date(2027, 11, 10),
        ]
        planner = client_for(trust.dev_lead)
        response = planner.post(
            reverse("devdays:day-create"),
            {
                "date": "2027-02-10",
                "starts_at": "09:30",
                "ends_at": "16:00",
                "venue": "Trust HQ, lecture theatre",
                "capacity": "2",
                "offer_hold_days": "3",
                "reminder_offsets": "42, 7, 1",
            },
        )
        day = DevelopmentDay.objects.get()
        assert response.status_code == 302 and day.reminder_offsets == [42, 7, 1]

        # The audience, with counts, before anything is sent.
        preview = planner.get(reverse("devdays:invite", args=[day.pk]))
        assert preview.context["staff_count"] == 3  # Priya, Paul and Olive are peer workers in post
        assert preview.context["others_count"] == 2  # Ann and Bea; Cal never agreed to be contacted
        assert Invitation.objects.count() == 0
        planner.post(reverse("devdays:invite", args=[day.pk]))
        day.refresh_from_db()
        assert day.status == DayStatus.INVITED
        invitations = by_address(sent(mailoutbox))
        assert set(invitations) == {
            "priya@example.nhs.uk",
            "paul@example.nhs.uk",
            "olive@example.nhs.uk",
            "ann@example.org",
            "bea@example.org",
        }
        cal, event = event_of(invitations["ann@example.org"])
        assert cal["method"] == "REQUEST"
        assert event["sequence"] == 0
        uid = str(event["uid"])
        assert event.decoded("dtstart") == dt.datetime(2027, 2, 10, 9, 30, tzinfo=day.start.tzinfo)
        assert list(event.walk("VALARM")), "the invitation carries an alarm"
        assert str(event["attendee"]) == "mailto:ann@example.org"
        # Nobody is invited twice, however often the audience scan runs.
        assert scans.scan_new_audience() == 0

        # Answers: Ann by her link and Priya from her home page take the two places; Paul and Bea wait.
        client.logout()
        assert (
            "Thank you: you are booked in"
            in answer_by_link(
                client, answer_link(invitations["ann@example.org"]), Answer.ATTENDING, dietary_needs="Vegan"
            ).content.decode()
        )
        priya = Invitation.objects.get(user=trust.psw)
        client_for(trust.psw).post(
            reverse("devdays:my-answer", args=[day.pk]),
            {"answer": Answer.ATTENDING, "version": priya.version, "next": reverse("home")},
        )
        client.logout()
        assert (
            "waiting list"
            in answer_by_link(
                client, answer_link(invitations["paul@example.nhs.uk"]), Answer.ATTENDING
            ).content.decode()
        )
        answer_by_link(client, answer_link(invitations["bea@example.org"]), Answer.ATTENDING)
        answers = dict(Invitation.objects.values_list("email", "answer"))
        assert answers["ann@example.org"] == Answer.ATTENDING and answers["bea@example.org"] == Answer.WAITING
        assert Invitation.objects.get(user=trust.colleague).answer == Answer.WAITING
        assert sent(mailoutbox) == []

        # Priya declines: Paul, first waiting, is offered the place and told once.
        priya.refresh_from_db()
        client_for(trust.psw).post(
            reverse("devdays:my-answer", args=[day.pk]), {"answer": Answer.NOT_ATTENDING, "version": priya.version}
        )
        paul = Invitation.objects.get(user=trust.colleague)
        assert paul.answer == Answer.OFFERED
        assert paul.offer_expires_at == START + dt.timedelta(days=3)
        offer = sent(mailoutbox)
        assert [m.to for m in offer] == [["paul@example.nhs.uk"]]
        assert "A place is free for you" in offer[0].subject
        assert scans.scan_offers() == 0 and sent(mailoutbox) == []

    # Paul does not take it up: after three days the offer passes to Bea, told once.
    with time_machine.travel(START + dt.timedelta(days=3, minutes=1), tick=False):
        scans.scan_offers()
        scans.scan_offers()
        assert Invitation.objects.get(user=trust.colleague).answer == Answer.LAPSED
        assert Invitation.objects.get(email="bea@example.org").answer == Answer.OFFERED
        assert [m.to for m in sent(mailoutbox)] == [["bea@example.org"]]

    # Reminders at each offset: to those attending or offered a place, chasers to those who have not
    # answered (Olive), nothing to Priya who declined nor to Paul whose offer lapsed. Each once.
    day.refresh_from_db()
    for offset in (42, 7, 1):
        with time_machine.travel(day.start - dt.timedelta(days=offset) + dt.timedelta(minutes=5), tick=False):
            scans.scan_reminders()
            scans.scan_reminders()
            messages = by_address(sent(mailoutbox))
        assert set(messages) == {"ann@example.org", "bea@example.org", "olive@example.nhs.uk"}, offset
        assert messages["ann@example.org"].subject.startswith("Reminder:")
        assert messages["olive@example.nhs.uk"].subject.startswith("Can you come?")
        _, event = event_of(messages["ann@example.org"])
        assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"
        assert str(event["uid"]) == uid

    # A change of venue: everyone invited is told, same UID, higher SEQUENCE.
    with time_machine.travel(day.start - dt.timedelta(hours=20), tick=False):
        form = client_for(trust.dev_lead).get(reverse("devdays:day-edit", args=[day.pk])).context["form"]
        data = {name: form[name].value() or "" for name in form.fields if name != "facilitators"}
        data.update(venue="Trust HQ, room 4", reminder_offsets="42, 7, 1", date="2027-02-10")
        response = client_for(trust.dev_lead).post(reverse("devdays:day-edit", args=[day.pk]), data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        updates = by_address(sent(mailoutbox))
        assert len(updates) == 5
        cal, event = event_of(updates["ann@example.org"])
        assert cal["method"] == "REQUEST" and event["sequence"] == 1 and str(event["uid"]) == uid
        assert str(event["location"]) == "Trust HQ, room 4"

        # A cancellation: METHOD:CANCEL, same UID, higher SEQUENCE again.
        client_for(trust.dev_lead).post(reverse("devdays:day-cancel", args=[day.pk]), {"reason": "Snow"})
        cancels = by_address(sent(mailoutbox))
        assert len(cancels) == 5
        cal, event = event_of(cancels["priya@example.nhs.uk"])
        assert cal["method"] == "CANCEL" and event["sequence"] == 2 and str(event["uid"]) == uid
        assert str(event["status"]) == "CANCELLED"
    assert ann.pk and bea.pk


def test_consent_withdrawn_after_queueing_drops_the_message(trust, trained, day, mailoutbox):
    from devdays import services

    nia = trained("Nia North", "nia@example.org")
    services.send_invitations(day=day, by=trust.dev_lead)
    nia.withdraw_consent(by=trust.dev_lead)
    reminders.send_due_reminders(max_seconds=20)
    assert "nia@example.org" not in {m.to[0] for m in mailoutbox}
    assert len(mailoutbox) == 3
    # And she is never invited again, nor reminded.
    with time_machine.travel(day.start - dt.timedelta(days=7), tick=False):
        scans.scan_reminders()
    reminders.send_due_reminders(max_seconds=20)
    assert "nia@example.org" not in {m.to[0] for m in mailoutbox}


def test_new_starter_is_invited_automatically(trust, day, mailoutbox):
    from devdays import services
    from peersupport.tests.factories import make_worker

    services.send_invitations(day=day, by=trust.dev_lead)
    reminders.send_due_reminders(max_seconds=20)
    mailoutbox.clear()
    make_worker(trust.north, first_name="Nora", last_name="New", email="nora@example.nhs.uk")
    assert scans.scan_new_audience() == 1
    assert scans.scan_new_audience() == 0
    reminders.send_due_reminders(max_seconds=20)
    assert [m.to for m in mailoutbox] == [["nora@example.nhs.uk"]]
