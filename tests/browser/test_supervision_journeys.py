"""Supervision and support in a real browser, on a phone: a supervisor records a session and the
supervisee reads and signs it off; a manager sees compliance but not content; a worker shares then
withdraws a wellbeing plan; a mentor signs off shadowing and the manager can then allocate a person."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peersupport.tests.factories import make_worker
from supervision.models import Induction, Session, SessionContent, WellbeingPlan
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Talked about ending well with Sam and how it felt."


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def check(page, assert_accessible) -> None:
    assert_accessible(page)
    fits_the_screen(page)


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_supervisor_records_a_session_and_the_supervisee_signs_it_off(
    page, live_server, trust, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.supervisor)
    expect(page.get_by_role("heading", name="People I supervise")).to_be_visible()
    check(page, assert_accessible)
    page.goto(f"{live_server.url}{trust.agreement.get_absolute_url()}")
    check(page, assert_accessible)
    page.get_by_role("link", name="Book or record a session").click()
    check(page, assert_accessible)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # A session before the agreement started: refused beside the field.
    page.get_by_label("Date and time").fill(f"{trust.agreement.starts_on - dt.timedelta(days=2)}T10:00")
    page.get_by_label("Status").select_option(label="Held")
    page.get_by_label("Duration (minutes)").fill("60")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("a session cannot be before that").first).to_be_visible()
    check(page, assert_accessible)
    page.get_by_label("Date and time").fill(f"{yesterday}T10:00")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Supervision on")
    check(page, assert_accessible)
    page.get_by_role("link", name="Write the notes").click()
    page.get_by_label("What we discussed").fill(SECRET)
    page.get_by_label("Wellbeing was discussed").check()
    page.get_by_role("button", name="Save notes").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_role("textbox", name="Action").fill("Read the guidance on endings")
    page.get_by_label("Whose action").select_option(label="Priya Patel")
    page.get_by_label("Due").fill(f"{timezone.localdate() + dt.timedelta(days=14)}")
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("button", name="Sign off this record").click()
    expect(page.get_by_text("You signed off this session's record.")).to_be_visible()
    check(page, assert_accessible)

    sign_out(page)
    sign_in(page, trust.psw)
    expect(page.get_by_role("link", name="Read the guidance on endings")).to_be_visible()
    page.get_by_role("link", name="Read the guidance on endings").click()
    expect(page.get_by_text(SECRET)).to_be_visible()
    check(page, assert_accessible)
    page.get_by_role("button", name="Sign off this record").click()
    expect(page.get_by_text("You signed off this session's record.")).to_be_visible()
    session = Session.objects.get(starts_at__date=yesterday)
    assert session.is_signed_off and SessionContent.objects.get(session=session).themes == SECRET


def test_manager_sees_compliance_but_not_content(page, live_server, trust, sign_in, assert_accessible):
    SessionContent.objects.create(session=trust.session, themes=SECRET, updated_by=trust.supervisor)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    expect(page.get_by_role("heading", name="Overdue supervision in my teams")).to_be_visible()
    page.get_by_role("link", name="Supervision compliance").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Priya Patel")
    expect(table).to_contain_text("Sasha Stone")
    expect(table).to_contain_text("No agreement")  # Paul
    check(page, assert_accessible)
    page.get_by_role("link", name="Peer supervision for Priya Patel").click()
    expect(page.get_by_text("You see dates and attendance.")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(SECRET)
    expect(page.get_by_role("link", name=trust.session.starts_at.astimezone().strftime("%-d %b %Y"))).to_have_count(0)
    check(page, assert_accessible)
    response = page.goto(f"{live_server.url}{trust.session.get_absolute_url()}")
    assert response.status == 404


def test_worker_shares_then_withdraws_a_wellbeing_plan(page, live_server, trust, sign_in, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}/supervision/")
    page.get_by_role("link", name="My wellbeing plan").click()
    check(page, assert_accessible)
    page.get_by_role("link", name="Write a plan").click()
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Write something in at least one section").first).to_be_visible()
    page.get_by_label("What keeps me well at work").fill("A walk at lunchtime.")
    page.get_by_label("What my manager can do").fill("Ask how I am in supervision.")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Your plan is saved as version 1.")).to_be_visible()
    page.get_by_label("Share with my supervisors").check()
    page.get_by_role("button", name="Save who can read it").click()
    expect(page.get_by_text("Shared with my supervisors.")).to_be_visible()
    check(page, assert_accessible)
    plan = WellbeingPlan.objects.get(worker=trust.psw)
    url = f"{live_server.url}{plan.get_absolute_url()}"

    sign_out(page)
    sign_in(page, trust.supervisor)
    page.goto(url)
    expect(page.get_by_text("A walk at lunchtime.")).to_be_visible()
    check(page, assert_accessible)

    sign_out(page)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}/supervision/wellbeing/")
    page.get_by_label("Share with my supervisors").uncheck()
    page.get_by_role("button", name="Save who can read it").click()
    expect(page.get_by_text("Only me.")).to_be_visible()

    sign_out(page)
    sign_in(page, trust.supervisor)
    assert page.goto(url).status == 404


def test_mentor_signs_off_shadowing_then_the_manager_allocates(page, live_server, trust, sign_in, assert_accessible):
    nia = make_worker(trust.north, first_name="Nia", last_name="Newton", email="nia@example.nhs.uk")
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    page.goto(f"{live_server.url}/supervision/induction/")
    page.get_by_role("link", name="Start an induction").click()
    check(page, assert_accessible)
    page.locator("#id_worker").select_option(label="Nia Newton")
    page.locator("#id_mentor").select_option(label="Nia Newton")
    page.get_by_label("Mentoring starts").fill(f"{timezone.localdate()}")
    page.get_by_role("button", name="Start induction").click()
    expect(page.get_by_text("A mentor cannot be their own mentee").first).to_be_visible()
    check(page, assert_accessible)
    page.locator("#id_mentor").select_option(label="Paul Price")
    page.get_by_role("button", name="Start induction").click()
    expect(page.get_by_text("nobody can be allocated to Nia Newton")).to_be_visible()
    check(page, assert_accessible)

    # Allocation before the sign-off: refused, with the reason.
    page.goto(f"{live_server.url}/caseload/people/{trust.person.pk}/edit/")
    page.locator("#id_assigned_worker").select_option(label="Nia Newton")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Shadowing not yet signed off by their mentor, Paul Price").first).to_be_visible()
    induction = Induction.objects.get(worker=nia)

    sign_out(page)
    sign_in(page, trust.colleague)
    page.goto(f"{live_server.url}{induction.get_absolute_url()}")
    page.get_by_role("link", name="Record shadowing").click()
    page.get_by_label("Whom I shadowed").fill("Paul Price")
    page.get_by_label("Their role").fill("Peer support worker")
    page.get_by_label("Date").fill(f"{timezone.localdate()}")
    page.get_by_label("What I learned").fill("How to open a first meeting.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Sign off shadowing").click()
    expect(page.get_by_text("can now be allocated people")).to_be_visible()
    check(page, assert_accessible)

    sign_out(page)
    sign_in(page, trust.manager)
    page.goto(f"{live_server.url}/caseload/people/{trust.person.pk}/edit/")
    page.locator("#id_assigned_worker").select_option(label="Nia Newton")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("heading", name="Sam Sutton", exact=True)).to_be_visible()
    trust.person.refresh_from_db()
    assert trust.person.assigned_worker == nia
