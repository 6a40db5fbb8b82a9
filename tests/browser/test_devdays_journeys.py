"""Development days in a real browser: the team plans a day and sends the invitations; an invitee
answers through their link on a phone; the register is taken on the day. axe: no serious issues."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from devdays import links
from devdays.models import Answer, CalendarFeed, DayStatus, DevelopmentDay, Invitation
from devdays.tests.factories import AgendaItemFactory, DayFactory, InvitationFactory
from peersupport.models import Reminder
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_team_plans_a_day_and_sends_the_invitations(page, live_server, trust, sign_in, assert_accessible):
    sign_in(page, trust.dev_lead)
    page.get_by_role("link", name="Development days").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a year's days").click()
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Propose dates").click()
    expect(page.get_by_text("Q1: Wednesday 10 February 2027")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Confirm or move Q1").click()
    expect(page.locator("#id_date")).to_have_value("2027-02-10")
    # Move it onto a bank holiday first: warned, and nothing is saved until confirmed.
    page.locator("#id_date").fill("2027-03-29")
    page.get_by_label("Venue").fill("Trust HQ, lecture theatre")
    page.get_by_role("button", name="Save the day").click()
    expect(page.get_by_text("is a bank holiday (Easter Monday)").first).to_be_visible()
    assert_accessible(page)
    assert not DevelopmentDay.objects.exists()
    page.locator("#id_date").fill("2027-02-10")
    page.get_by_role("button", name="Save the day").click()
    expect(page.get_by_role("status")).to_contain_text("is planned")
    assert_accessible(page)

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Type").select_option(label="Guest speaker")
    page.get_by_label("Title").fill("Recovery College stories")
    page.get_by_label("Starts at").fill("13:00")
    page.get_by_label("Ends at").fill("14:00")
    page.get_by_label("Facilitators or speakers").fill("Jo Marsh, Recovery College")
    assert_accessible(page)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_role("listitem").filter(has_text="13:00–14:00 Recovery College stories")).to_be_visible()

    page.get_by_role("link", name="Send the invitations").click()
    expect(page.get_by_text("3 peer workers in post and 0 people trained but not in role")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send 3 invitations").click()
    expect(page.get_by_role("status")).to_contain_text("3 invitations are on their way")
    day = DevelopmentDay.objects.get()
    assert day.status == DayStatus.INVITED
    assert Reminder.objects.filter(kind="devdays_invitation").count() == 3


def test_an_invitee_answers_through_the_link_on_a_phone(page, live_server, trust, assert_accessible):
    day = DayFactory(date=dt.date(2099, 2, 11), status=DayStatus.INVITED, capacity=5)
    AgendaItemFactory(day=day, title="Reflective space", type="reflective", starts_at=dt.time(14), ends_at=dt.time(15))
    invitation = InvitationFactory(day=day, full_name="Ann Archer", email="ann@example.org")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + links.answer_path(invitation.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer development day")
    expect(page.get_by_text("Hello Ann Archer")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_label("Attending", exact=True).check()
    page.get_by_label("Dietary needs (optional)").fill("Vegan")
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("status")).to_contain_text("you are booked in")
    assert_accessible(page)
    fits_the_screen(page)
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.dietary_needs) == (Answer.ATTENDING, "Vegan")
    # The same link again, later: change to maybe.
    page.goto(live_server.url + links.answer_path(invitation.pk))
    page.get_by_label("Maybe").check()
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("status")).to_contain_text("we have noted 'maybe'")
    invitation.refresh_from_db()
    assert invitation.answer == Answer.MAYBE
    # A calendar address from the same page.
    page.get_by_role("button", name="Make my calendar address").click()
    feed = page.get_by_label("Your calendar address (for Outlook or Google Calendar)")
    expect(feed).to_have_value(re.compile(r"/devdays/feed/[\w-]+\.ics$"))
    assert CalendarFeed.objects.get(email="ann@example.org").token in feed.input_value()
    fits_the_screen(page)


def test_the_register_is_taken_on_the_day(page, live_server, trust, sign_in, assert_accessible):
    day = DayFactory(date=dt.date.today(), status=DayStatus.INVITED)
    for user in (trust.psw, trust.colleague):
        InvitationFactory(day=day, user=user, email="", full_name=user.get_full_name(), answer=Answer.ATTENDING)
    InvitationFactory(day=day, user=trust.other_psw, email="", full_name="Olive Owen", answer=Answer.NOT_ATTENDING)
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet
    sign_in(page, trust.dev_worker)
    page.goto(f"{live_server.url}/devdays/{day.pk}/register/")
    assert_accessible(page)
    expect(page.locator(".devday-register").get_by_text("Olive Owen")).to_have_count(0)  # she said she could not come
    page.get_by_role("button", name="Present : Priya Patel").click()
    expect(page.get_by_role("status")).to_contain_text("Priya Patel: present")
    page.get_by_label("Or their name").fill("Wendy Walker")
    page.get_by_role("button", name="Add as present").click()
    expect(page.get_by_role("status")).to_contain_text("Wendy Walker is on the register as present")
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_role("button", name="Close the register: the day is held").click()
    expect(page.get_by_role("status")).to_contain_text("marked as held")
    day.refresh_from_db()
    assert day.status == DayStatus.HELD
    present = set(Invitation.objects.filter(day=day, attended=True).values_list("full_name", flat=True))
    assert present == {"Priya Patel", "Wendy Walker"}
