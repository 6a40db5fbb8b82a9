"""Safety journeys on a 360 px phone: a lone-working visit; a risk concern and its acknowledgement."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseload.models import ConcernStatus, RiskConcern, Visit, VisitStatus
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_psw_starts_a_visit_from_the_persons_page_and_checks_out(page, live_server, trust, sign_in, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}{trust.person.get_absolute_url()}")
    page.get_by_role("link", name="Start a visit").click()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("Where are you going?").fill("14 Elm Street, Worksop")
    page.get_by_label("Buddy").select_option(label="Paul Price")
    # A time in the past is refused with a message beside the field.
    past = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Expected end").fill(past)
    page.get_by_role("button", name="Start visit").click()
    expect(page.get_by_text("The expected end is in the past").first).to_be_visible()
    assert not Visit.objects.exists()
    later = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Expected end").fill(later)
    page.get_by_role("button", name="Start visit").click()
    expect(page.get_by_role("heading", name="Your visit")).to_be_visible()
    expect(page.get_by_text("Visit started.")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("button", name="I'm safe: check out").click()
    expect(page.get_by_text("You have checked out safe.")).to_be_visible()
    # The contact for the visit is offered straight away, with its place and times.
    expect(page.get_by_role("heading", name="Log a contact")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.CLOSED and visit.location == "14 Elm Street, Worksop"
    expect(page.get_by_label("Location")).to_have_value("14 Elm Street, Worksop")
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("Notes").fill("Tea at home; talked about the allotment.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact saved.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{trust.person.get_absolute_url()}")


def test_concern_is_raised_and_the_escalation_contact_acknowledges_from_the_bell(
    browser, live_server, trust, sign_in, assert_accessible
):
    psw_page = browser.new_context(viewport=PHONE).new_page()
    manager_page = browser.new_context(viewport=PHONE).new_page()
    sign_in(manager_page, trust.manager)
    bell = manager_page.locator(".notification-bell")
    expect(bell).to_be_visible()  # outside the collapsed menu on a phone
    expect(bell.locator("[data-unread-count]")).to_have_count(0)
    manager_page.evaluate("window.notReloaded = true")

    sign_in(psw_page, trust.psw)
    psw_page.goto(f"{live_server.url}{trust.person.get_absolute_url()}")
    psw_page.get_by_role("link", name="Raise a risk concern").click()
    psw_page.get_by_role("button", name="Raise concern and alert them").click()
    expect(psw_page.get_by_text("Describe the concern.").first).to_be_visible()
    assert_accessible(psw_page)
    psw_page.get_by_label("What is the concern?").fill("Sam talked about stopping their medication.")
    psw_page.get_by_label("High").check()
    psw_page.get_by_label("Escalate to").select_option(label="Maya Morris")
    psw_page.get_by_label("Their role for this concern").select_option(label="Supervisor")
    psw_page.get_by_role("button", name="Raise concern and alert them").click()
    expect(psw_page.get_by_text("Maya Morris has been alerted")).to_be_visible()
    no_sideways_scroll(psw_page)

    # The bell refreshes in place (as its 30-second poll does), without reloading the page.
    manager_page.evaluate(
        "htmx.ajax('GET', '/notifications/bell/',"
        " {source: '.notification-bell', target: '.notification-bell', swap: 'innerHTML'})"
    )
    expect(bell.locator("[data-unread-count]")).to_have_text("1 unread")
    assert manager_page.evaluate("window.notReloaded") is True
    bell.click()
    expect(manager_page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert_accessible(manager_page)
    manager_page.get_by_role("button", name="Open").first.click()
    expect(manager_page.get_by_text("Sam talked about stopping their medication.")).to_be_visible()
    assert_accessible(manager_page)
    manager_page.get_by_role("button", name="Acknowledge").click()
    expect(manager_page.get_by_text("Acknowledged. The person who raised it has been told.")).to_be_visible()
    no_sideways_scroll(manager_page)
    concern = RiskConcern.objects.get()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.acknowledged_by == trust.manager
    expect(bell.locator("[data-unread-count]")).to_have_count(0)


def test_every_safety_page_is_accessible_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    from caseload.services.safety import raise_alarm
    from caseload.tests.safety_helpers import concern_for, visit_for

    visit = visit_for(trust)
    raise_alarm(visit, by=trust.psw)
    concern = concern_for(trust, escalated_to=trust.manager)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    for path in (
        "/",
        "/caseload/visits/",
        "/caseload/visits/buddies/",
        visit.get_absolute_url(),
        f"/caseload/visits/{visit.pk}/close/",
        concern.get_absolute_url(),
        f"/caseload/concerns/{concern.pk}/resolve/",
        "/notifications/",
        "/notifications/settings/",
        trust.person.get_absolute_url(),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        no_sideways_scroll(page)
