"""Bad input from the issue: a clear message, nothing lost, never a 500."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.urls import reverse

from devdays import links, services
from devdays.models import AgendaItem, Answer, CalendarFeed, DevelopmentDay, Invitation
from devdays.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def day_data(**changes) -> dict:
    data = {
        "date": "2027-02-10",
        "starts_at": "09:30",
        "ends_at": "16:00",
        "venue": "Trust HQ",
        "capacity": "40",
        "offer_hold_days": "3",
        "reminder_offsets": "42, 7, 1",
    }
    return {**data, **changes}


@pytest.fixture(autouse=True)
def before_the_days():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("date", "problem"),
    [("2027-12-27", "is a bank holiday (Christmas Day (observed))"), ("2027-02-13", "is a Saturday")],
)
def test_a_bank_holiday_or_weekend_is_warned_and_needs_confirming(client_for, trust, date, problem):
    planner = client_for(trust.dev_lead)
    response = planner.post(reverse("devdays:day-create"), day_data(date=date))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert "hold the day on this date anyway" in response.content.decode()
    assert not DevelopmentDay.objects.exists()
    response = planner.post(reverse("devdays:day-create"), day_data(date=date, confirm_date="on"))
    assert response.status_code == 302
    assert DevelopmentDay.objects.get().date == dt.date.fromisoformat(date)


def test_an_end_before_the_start_is_refused(client_for, trust):
    response = client_for(trust.dev_lead).post(reverse("devdays:day-create"), day_data(ends_at="09:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["The day must end after it starts."]
    assert not DevelopmentDay.objects.exists()


def test_bad_reminder_offsets_and_no_place_are_refused(client_for, trust):
    response = client_for(trust.dev_lead).post(
        reverse("devdays:day-create"), day_data(reminder_offsets="six weeks", venue="")
    )
    errors = response.context["form"].errors
    assert "Give whole numbers of days" in errors["reminder_offsets"][0]
    assert errors["venue"] == ["Give a venue, an online link or both."]
    assert not DevelopmentDay.objects.exists()


def test_capacity_below_those_attending_is_refused(client_for, trust, day):
    for _ in range(3):
        InvitationFactory(day=day, answer=Answer.ATTENDING)
    response = client_for(trust.dev_lead).post(reverse("devdays:day-edit", args=[day.pk]), day_data(capacity="2"))
    assert response.status_code == 200
    assert "3 people are already attending" in response.context["form"].errors["capacity"][0]
    day.refresh_from_db()
    assert day.capacity == 60


def test_agenda_item_outside_the_day_is_refused(client_for, trust, day):
    response = client_for(trust.dev_lead).post(
        reverse("devdays:item-create", args=[day.pk]),
        {"type": "speaker", "title": "Late talk", "starts_at": "16:30", "ends_at": "17:00"},
    )
    assert response.status_code == 200
    assert "must fit within the day, 09:30 to 16:00" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.fixture
def invitation(day):
    return InvitationFactory(day=day, full_name="Ann Archer", email="ann@example.org")


def test_a_tampered_link_answers_404(client, invitation):
    token = links.answer_token(invitation.pk)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    url = reverse("devdays:answer", kwargs={"invitation_pk": invitation.pk, "answer_token": tampered})
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "attending", "version": 0}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.answer == Answer.NONE


def test_a_link_for_another_invitation_answers_404(client, invitation, day):
    other = InvitationFactory(day=day)
    url = reverse(
        "devdays:answer", kwargs={"invitation_pk": invitation.pk, "answer_token": links.answer_token(other.pk)}
    )
    response = client.get(url)
    assert response.status_code == 404
    assert "Ann Archer" not in response.content.decode()


def test_the_link_works_again_and_again_until_the_day_then_says_it_expired(client, invitation, day):
    link = links.answer_path(invitation.pk)
    for answer in (Answer.MAYBE, Answer.ATTENDING, Answer.NOT_ATTENDING):
        version = client.get(link).context["form"].initial["version"]
        client.post(link, {"answer": answer, "version": version})
        invitation.refresh_from_db()
        assert invitation.answer == answer
    with time_machine.travel(day.start + dt.timedelta(minutes=1), tick=False):
        response = client.get(link)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        client.post(link, {"answer": Answer.ATTENDING, "version": invitation.version})
    invitation.refresh_from_db()
    assert invitation.answer == Answer.NOT_ATTENDING


def test_two_answers_from_the_same_link_at_once_keep_the_first(client, invitation):
    link = links.answer_path(invitation.pk)
    version = client.get(link).context["form"].initial["version"]
    client.post(link, {"answer": Answer.ATTENDING, "version": version, "dietary_needs": "Vegan"})
    response = client.post(link, {"answer": Answer.NOT_ATTENDING, "version": version}, follow=True)
    assert response.status_code == 200
    assert "changed from another window" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.dietary_needs) == (Answer.ATTENDING, "Vegan")


def test_an_answer_without_a_choice_changes_nothing(client, invitation):
    link = links.answer_path(invitation.pk)
    response = client.post(link, {"answer": "", "version": 0}, follow=True)
    assert "Choose attending, maybe or not attending." in response.content.decode()
    response = client.post(link, {"answer": "waiting", "version": "x"}, follow=True)
    assert "Your answer was not saved" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answer == Answer.NONE and invitation.version == 0


def test_a_revoked_feed_says_so_and_a_made_up_one_is_404(client, trust, day):
    InvitationFactory(day=day, user=trust.psw, email="", answer=Answer.ATTENDING)
    feed = CalendarFeed.current_for(user=trust.psw)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    feed.revoke()
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 410
    assert "This calendar address is turned off" in response.content.decode()
    assert client.get(reverse("devdays:feed", kwargs={"feed_token": "made-up"})).status_code == 404


def test_the_feed_carries_each_days_answer(client, trust, day):
    from devdays.tests.factories import DayFactory

    later = DayFactory(date=dt.date(2027, 5, 12))
    InvitationFactory(day=day, user=trust.psw, email="", answer=Answer.ATTENDING)
    InvitationFactory(day=later, user=trust.psw, email="", answer=Answer.NOT_ATTENDING)
    InvitationFactory(day=later, user=trust.colleague, email="", answer=Answer.ATTENDING)
    feed = CalendarFeed.current_for(user=trust.psw)
    response = client.get(feed.get_absolute_url())
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["method"] == "PUBLISH"
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [e["attendee"].params["PARTSTAT"] for e in events] == ["ACCEPTED", "DECLINED"]
    assert str(events[0]["summary"]) == "Peer development day (attending)"
    assert len(events) == 2  # Paul's answer is not in Priya's calendar


def test_staff_make_and_revoke_their_calendar_address(client_for, trust):
    client = client_for(trust.psw)
    client.post(reverse("devdays:my-calendar"), {"action": "create"})
    feed = CalendarFeed.objects.get(user=trust.psw)
    assert feed.token in client.get(reverse("devdays:my-calendar")).content.decode()
    client.post(reverse("devdays:my-calendar"), {"action": "revoke"})
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    client.post(reverse("devdays:my-calendar"), {"action": "create"})
    assert CalendarFeed.objects.active().get(user=trust.psw).token != feed.token


def test_register_refuses_a_made_up_invitation_and_an_empty_walk_in(client_for, trust, day):
    planner = client_for(trust.dev_lead)
    assert planner.post(reverse("devdays:register", args=[day.pk]), {"invitation": "x"}).status_code == 404
    assert planner.post(reverse("devdays:register", args=[day.pk]), {"invitation": "999999"}).status_code == 404
    response = planner.post(reverse("devdays:walk-in", args=[day.pk]), {"full_name": " "})
    assert response.status_code == 400
    assert "Pick a member of staff or give the person&#x27;s name." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitations_can_not_go_for_a_cancelled_day(client_for, trust, day):
    services.cancel_day(day=day, reason="Venue flooded", by=trust.dev_lead)
    response = client_for(trust.dev_lead).post(reverse("devdays:invite", args=[day.pk]), follow=True)
    assert "Invitations can only go for a day still to come." in response.content.decode()
    assert not Invitation.objects.exists()
