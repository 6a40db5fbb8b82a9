"""A peer support worker on a 360 x 740 phone, straight after a visit (issue #11): the person's page
shows the essentials without scrolling, a routine contact takes three interactions, a refused form
puts its problems at the top, and ratings are large targets."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseload.models import Contact, EntryStatus, GoalRating
from caseload.tests.factories import (
    ContactFactory,
    GoalRatingFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)
from caseload.tests.safety_helpers import concern_for
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def within_first_screen(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (locator, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (locator, box)


def busy_person(trust):
    person = trust.person
    person.preferred_name, person.pronouns, person.phone = "Sam", "she/her", "07700 900123"
    person.save()
    goal = RecoveryGoalFactory(person=person, created_by=trust.psw, description="I want to sing in my choir again.")
    GoalRatingFactory(goal=goal, score=3, rated_on=timezone.localdate() - dt.timedelta(days=30))
    for days in (2, 9, 20):
        ContactFactory(person=person, worker=trust.psw, contact_at=timezone.now() - dt.timedelta(days=days))
    RecoveryPlanFactory(
        person=person, version=1, written_by=trust.psw, review_on=timezone.localdate() - dt.timedelta(days=3)
    )
    concern_for(trust, escalated_to=trust.manager)
    return person, goal


def test_the_person_page_shows_the_essentials_on_the_first_phone_screen(
    page, live_server, trust, sign_in, assert_accessible
):
    person, _ = busy_person(trust)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    assert page.evaluate("window.scrollY") == 0
    within_first_screen(page, page.get_by_role("heading", level=1, name="Sam Sutton"))
    within_first_screen(page, page.get_by_text("she/her"))
    phone = page.get_by_role("link", name="Call Sam Sutton on 07700 900123")
    within_first_screen(page, phone)
    assert phone.get_attribute("href") == "tel:07700900123"
    for action in ("Log a contact", "Start a visit", "Raise a risk concern"):
        within_first_screen(page, page.get_by_role("link", name=action))
    attention = page.get_by_role("region", name="Needs attention")
    within_first_screen(page, attention)
    expect(attention).to_contain_text("High concern, raised today")
    expect(attention).to_contain_text("recovery plan was due for review")
    expect(attention).to_contain_text("(2 days ago)")
    # The rest is folded: the goals' charts are there once their section is opened.
    chart = page.get_by_role("img", name="progress ratings out of 10")
    expect(chart).to_be_hidden()
    page.locator("summary", has_text="Recovery goals").click()
    expect(chart).to_be_visible()
    page.locator("summary", has_text="About Sam").click()
    expect(page.get_by_role("link", name="Edit details")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)


SECTION_CONTENT = {
    "Contacts": "Walked to the park",
    "Recovery goals": "I want to sing in my choir again.",
    "Appointments": "None booked.",
    "Plans": "Version 1",
    "Outcomes": "Goal-based outcomes",
}


def test_each_folded_section_opens_in_place_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    """The page reads a section only when it is opened: htmx puts it in its place, once."""
    person, _ = busy_person(trust)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    loads = []
    section_urls = f"/caseload/people/{person.pk}/"

    def count(request):
        if request.headers.get("hx-request") and section_urls in request.url:
            loads.append(request.url)

    page.on("request", count)
    for title, text in SECTION_CONTENT.items():
        section = page.locator("details.person-section", has=page.locator("summary", has_text=title))
        expect(section).not_to_contain_text(text)
        section.locator("summary").click()
        expect(section).to_contain_text(text)
    assert len(loads) == len(SECTION_CONTENT)
    page.locator("summary", has_text="Recovery goals").click()  # closed, then opened again: not fetched again
    page.locator("summary", has_text="Recovery goals").click()
    expect(page.get_by_role("img", name="progress ratings out of 10")).to_be_visible()
    assert len(loads) == len(SECTION_CONTENT)
    assert_accessible(page)
    fits_the_screen(page)
    page.goto(f"{live_server.url}/caseload/people/{person.pk}/outcomes/")  # a section as a page of its own
    expect(page.get_by_role("heading", level=2, name="Outcomes")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)


def test_without_javascript_each_section_opens_as_a_page_of_its_own(browser, live_server, trust, sign_in):
    person, _ = busy_person(trust)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, trust.psw)
    for title, text in SECTION_CONTENT.items():
        page.goto(f"{live_server.url}{person.get_absolute_url()}")
        page.locator("summary", has_text=title).click()
        page.get_by_role("link", name=f"Open {title.lower()}").click()
        expect(
            page.get_by_role("heading", level=2, name=title if title != "Contacts" else "Recent contacts")
        ).to_be_visible()
        expect(page.locator("main")).to_contain_text(text)
        expect(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Sam Sutton")).to_be_visible()
        fits_the_screen(page)
    context.close()


def test_a_routine_contact_takes_three_interactions_from_the_person_page(
    page, live_server, trust, sign_in, assert_accessible
):
    person, _ = busy_person(trust)
    ResourceFactory.create_batch(5)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{person.get_absolute_url()}")

    interactions = 0
    started = time.monotonic()
    page.get_by_role("link", name="Log a contact").click()
    interactions += 1
    expect(page.get_by_role("heading", name="Log a contact")).to_be_visible()
    # Type first, then when and minutes, already filled; the optional choices are folded away.
    labels = page.locator("form.contact-form label.form-label").all_inner_texts()
    assert [label.strip("* ") for label in labels[:3]] == ["Type", "When", "Minutes"]
    expect(page.get_by_label("Search the signposting directory")).to_be_hidden()
    save = page.get_by_role("button", name="Save contact")
    within_first_screen(page, save)
    page.get_by_label("Notes").fill("Coffee at the library; Sam renewed her card.")
    interactions += 1
    save.click()
    interactions += 1
    expect(page.get_by_role("status")).to_contain_text("Contact saved.")
    elapsed = time.monotonic() - started

    assert interactions == 3  # the figure in the README's caseload section
    assert elapsed < 30
    contact = Contact.objects.get(notes__startswith="Coffee at the library")
    assert contact.contact_type == "face_to_face" and contact.duration_minutes > 0
    assert_accessible(page)


def test_a_did_not_attend_with_minutes_is_refused_with_a_summary_at_the_top(
    page, live_server, trust, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{trust.person.get_absolute_url()}")
    page.get_by_role("link", name="Log a contact").click()
    page.wait_for_load_state()  # the form's script fills the minutes once the page has loaded
    minutes = page.get_by_label("Minutes")
    page.get_by_label("Type").select_option(label="Phone")
    expect(minutes).to_have_value("15")  # the minutes that fit a phone call
    page.get_by_label("Type").select_option(label="Did not attend")
    expect(minutes).to_have_value("")  # none for a did not attend
    minutes.fill("30")
    page.get_by_role("button", name="Save contact").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    within_first_screen(page, summary)
    assert page.title().startswith("Error: ")
    assert not Contact.objects.exists()
    assert_accessible(page)
    fits_the_screen(page)
    summary.get_by_role("link", name="leave Minutes empty").click()
    expect(page.get_by_label("Minutes")).to_be_focused()
    page.get_by_label("Minutes").fill("")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("status")).to_contain_text("Contact saved.")
    assert Contact.objects.get().duration_minutes == 0


def test_ratings_are_large_targets_and_a_second_on_the_same_day_asks(
    page, live_server, trust, sign_in, assert_accessible
):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, description="Cook for my friends.")
    GoalRatingFactory(goal=goal, score=4, rated_on=timezone.localdate())
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.get_by_role("link", name="Rate progress").first.click()
    targets = page.locator(".score-target")
    expect(targets).to_have_count(11)
    tops = set()
    for i in range(11):
        box = targets.nth(i).bounding_box()
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (i, box)
        tops.add(round(box["y"]))
    assert len(tops) == 1  # one row, 0 to 10
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_label("7", exact=True).check()
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("already rated 4 out of 10")
    assert GoalRating.objects.count() == 1
    assert_accessible(page)
    page.get_by_label("Replace the earlier rating with this one").check()
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("status")).to_contain_text("saved in place of the earlier one")
    assert [r.score for r in goal.ratings.current()] == [7]
    assert goal.ratings.get(score=4).entry_status == EntryStatus.AMENDED
