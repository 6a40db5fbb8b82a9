"""A peer support worker's day, on a phone: find a person, log a contact, rate a goal, write a new
plan version, amend a contact and see the original in the history."""

import pytest
from playwright.sync_api import expect

from caseload.models import Contact, GoalRating, RecoveryPlan
from caseload.tests.factories import RecoveryGoalFactory, RecoveryPlanFactory, ResourceFactory
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_section(page, name: str) -> None:
    """Open a folded section of the person's page."""
    page.locator("summary", has_text=name).click()


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_psw_journey_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    goal = RecoveryGoalFactory(
        person=trust.person, created_by=trust.psw, description="I want to sing in my choir again."
    )
    ResourceFactory(name="Walking for wellbeing", area="Bassetlaw")
    RecoveryPlanFactory(person=trust.person, version=1, written_by=trust.psw, triggers="Brown envelopes.")
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)

    # Find the person from the caseload.
    page.get_by_role("link", name="Open my caseload").click()
    assert_accessible(page)
    page.get_by_label("Name or NHS number").fill("Sutton")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Sam Sutton").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Sutton")
    assert_accessible(page)
    fits_the_screen(page)

    # Log a contact with a goal and a signposting, found by searching the directory.
    page.get_by_role("link", name="Log a contact").click()
    assert_accessible(page)
    page.get_by_label("Notes").fill("Walked to the choir's hall and read the notices together.")
    page.get_by_label("Written with the person").check()
    page.locator("summary", has_text="Place, goals, signposting").click()
    page.get_by_label("I want to sing in my choir again.").check()
    page.get_by_label("Search the signposting directory").fill("walking")
    page.get_by_label("Walking for wellbeing").check()
    assert_accessible(page)
    fits_the_screen(page)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("status")).to_contain_text("Contact saved.")
    contact = Contact.objects.get()
    assert list(contact.goals.all()) == [goal]
    assert [r.name for r in contact.signposted_to.all()] == ["Walking for wellbeing"]
    open_section(page, "Contacts")
    page.get_by_role("link", name="All contacts, with full notes").click()
    expect(page.get_by_text("Signposted to: Walking for wellbeing")).to_be_visible()
    page.go_back()

    # Rate the goal.
    open_section(page, "Recovery goals")
    page.get_by_role("link", name="Rate progress on I want to sing in my choir again.").click()
    assert_accessible(page)
    page.get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("status")).to_contain_text("Rating of 6 out of 10 saved.")
    expect(page.get_by_role("img", name="progress ratings out of 10")).to_be_visible()
    assert_accessible(page)
    assert GoalRating.objects.get().score == 6

    # Write a new version of the recovery plan.
    page.get_by_role("link", name="Sam Sutton").click()
    open_section(page, "Plans")
    page.get_by_role("link", name="Write a new version of the recovery plan").click()
    assert_accessible(page)
    expect(page.get_by_label("Triggers")).to_have_value("Brown envelopes.")
    page.get_by_label("Triggers").fill("Brown envelopes. Plan: open the post with my sister.")
    page.get_by_label("Review by").fill("2027-02-01")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2 of the recovery plan saved.")
    assert_accessible(page)
    assert RecoveryPlan.objects.filter(person=trust.person).count() == 2

    # Amend the contact with a reason, and see the original in the history.
    page.get_by_role("link", name="Sam Sutton").click()
    open_section(page, "Contacts")
    page.get_by_role("link", name="Open the contact on").first.click()
    page.get_by_role("link", name="Amend").click()
    assert_accessible(page)
    page.get_by_label("Reason for the amendment").fill("Added who we met at the hall.")
    page.get_by_label("Notes").fill("Walked to the choir's hall, met the choir leader and read the notices.")
    page.get_by_role("button", name="Save the amendment").click()
    expect(page.get_by_role("status")).to_contain_text("Contact amended.")
    expect(page.get_by_text("Version 1 (amended)")).to_be_visible()
    expect(page.get_by_text("Walked to the choir's hall and read the notices together.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sam Sutton").click()
    open_section(page, "About Sam")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("Added who we met at the hall.")).to_be_visible()
    assert_accessible(page)
    fits_the_screen(page)

    # Another worker's person is out of reach by URL.
    response = page.goto(f"{live_server.url}{trust.other_person.get_absolute_url()}")
    assert response.status == 404
    expect(page.get_by_text("Sol")).to_have_count(0)
    assert_accessible(page)


def test_directory_and_intake_pages_are_accessible_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    ResourceFactory(name="Recovery College", category="recovery_college")
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    for path in ["/caseload/signposting/", "/caseload/people/new/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        fits_the_screen(page)
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_accessible(page)


def test_every_caseload_page_is_accessible_and_fits_a_phone(page, live_server, trust, sign_in, assert_accessible):
    from caseload.tests.factories import (
        AdvanceStatementFactory,
        AppointmentFactory,
        ContactFactory,
        DialogAssessmentFactory,
        GoalRatingFactory,
    )

    person = trust.person
    goal = RecoveryGoalFactory(person=person, created_by=trust.psw)
    rating = GoalRatingFactory(goal=goal, score=3)
    contact = ContactFactory(person=person, worker=trust.psw)
    plan = RecoveryPlanFactory(person=person, version=1, written_by=trust.psw)
    statement = AdvanceStatementFactory(person=person, version=1, written_by=trust.psw)
    appointment = AppointmentFactory(person=person, worker=trust.psw)
    dialog = DialogAssessmentFactory(person=person)
    resource = ResourceFactory()
    paths = [
        f"/caseload/people/{person.pk}/edit/",
        f"/caseload/people/{person.pk}/status/",
        f"/caseload/people/{person.pk}/contacts/",
        f"/caseload/people/{person.pk}/goals/new/",
        f"/caseload/people/{person.pk}/appointments/new/",
        f"/caseload/people/{person.pk}/dialog/new/",
        f"/caseload/people/{person.pk}/advance-statement/new/",
        f"/caseload/contacts/{contact.pk}/entered-in-error/",
        f"/caseload/goals/{goal.pk}/edit/",
        f"/caseload/ratings/{rating.pk}/amend/",
        f"/caseload/plans/{plan.pk}/",
        f"/caseload/advance-statements/{statement.pk}/",
        f"/caseload/advance-statements/{statement.pk}/print/",
        f"/caseload/appointments/{appointment.pk}/edit/",
        f"/caseload/dialog/{dialog.pk}/",
        f"/caseload/dialog/{dialog.pk}/amend/",
        "/caseload/signposting/new/",
        f"/caseload/signposting/{resource.pk}/edit/",
    ]
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_accessible(page)
        fits_the_screen(page)
