"""A team manager's review journey in a real browser: board, filter, drill down, reassign, export."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseload.models import Person
from caseload.tests.factories import ContactFactory, PersonFactory
from peersupport.models import EmploymentStatus
from peersupport.tests.factories import make_worker
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_manager_reads_the_board_filters_drills_down_reassigns_and_exports(
    page, live_server, trust, sign_in, assert_accessible, viewport
):
    page.set_viewport_size(viewport)
    leaver = make_worker(trust.north, first_name="Leah", last_name="Fletcher", employment_status=EmploymentStatus.LEFT)
    left_behind = PersonFactory(team=trust.north, assigned_worker=leaver, given_name="Lily", family_name="Lowe")
    ContactFactory(person=trust.person, worker=trust.psw)
    sign_in(page, trust.manager)

    # Home links to the board and shows how many people need a new worker.
    expect(page.get_by_role("link", name="Needs reassignment 1")).to_be_visible()
    page.get_by_role("link", name="Open the team caseload board").click()
    expect(page.get_by_role("heading", name="Team caseload board")).to_be_visible()
    expect(page.get_by_role("heading", name="North CMHT")).to_be_visible()
    board = page.get_by_role("table")
    expect(board).to_contain_text("Priya Patel")
    expect(board).to_contain_text("Paul Price")
    expect(page.get_by_role("main")).not_to_contain_text("Olive")
    expect(page.get_by_role("heading", name="Caseload against capacity")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)

    # Filter to one worker, then sort by a column heading.
    page.get_by_label("Peer support worker").select_option(label="Priya Patel")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)  # heading, Priya, team total
    page.get_by_label("Peer support worker").select_option(label="All workers")
    page.get_by_role("button", name="Show", exact=True).click()
    if viewport == DESKTOP:
        page.get_by_role("link", name="Caseload / capacity").click()
    else:  # one card per worker: the sort is chosen from the filters
        page.get_by_label("Sort by").select_option(label="Load (caseload / capacity), highest first")
        page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("columnheader", name="Caseload / capacity")).to_have_attribute("aria-sort", "descending")
    assert_accessible(page)

    # Drill down to Priya's people, and on to Sam.
    page.get_by_role("link", name="Priya Patel").click()
    expect(page.get_by_role("heading", name="Priya Patel's caseload")).to_be_visible()
    expect(page.get_by_role("link", name="Sam Sutton")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)

    # Export the list as CSV: exactly the people on the page.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = read_csv(download.value.path())
    assert [row[0] for row in rows[1:]] == ["Sam Sutton"]

    page.get_by_role("link", name="Sam Sutton").click()
    expect(page.get_by_role("heading", name="Sam Sutton", exact=True)).to_be_visible()

    # Reassign Lily, whose worker has left, from the needs reassignment queue.
    page.go_back()
    page.get_by_role("main").get_by_role("link", name="Needs reassignment").click()
    expect(page.get_by_role("table")).to_contain_text("Lily Lowe")
    assert_accessible(page)
    page.get_by_label("Choose Lily Lowe").check()
    page.get_by_label("Reassign to").select_option(label="Paul Price")
    page.get_by_label("Reason").fill("Leah has left the team")
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("status")).to_contain_text("1 person reassigned to Paul Price")
    expect(page.get_by_role("main")).to_contain_text("Everyone in your teams has a worker in post.")
    assert Person.objects.get(pk=left_behind.pk).assigned_worker == trust.colleague
    assert_accessible(page)

    # A board download, as filtered.
    page.get_by_role("main").get_by_role("link", name="Caseload board").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = read_csv(download.value.path())
    assert [row[1] for row in rows[1:]] == ["Priya Patel", "Paul Price", "Team total"]


def test_reassigning_without_a_worker_shows_the_message_beside_the_field(
    page, live_server, trust, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    page.goto(f"{live_server.url}/caseload/review/people/?worker={trust.psw.pk}")
    page.get_by_label("Choose Sam Sutton").check()
    page.get_by_label("Reason").fill("Rebalancing")
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("alert").filter(has_text="Nothing was changed")).to_be_visible()
    expect(page.locator("#id_to_worker + .invalid-feedback, .invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    assert Person.objects.get(pk=trust.person.pk).assigned_worker == trust.psw


def test_cover_and_figures_pages_are_accessible(page, live_server, trust, sign_in, assert_accessible):
    sign_in(page, trust.manager)
    for path, heading in (
        ("/caseload/review/cover/", "Cover for an absence"),
        ("/caseload/review/figures/", "Service figures"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)
    page.goto(f"{live_server.url}/caseload/review/cover/")
    page.get_by_label("Worker away").select_option(label="Priya Patel")
    page.get_by_label("Covered by").select_option(label="Paul Price")
    page.get_by_label("Until").fill("2020-01-01")
    page.get_by_role("button", name="Arrange cover").click()
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    assert_accessible(page)


def board_fits(page) -> None:
    """No sideways scrolling, on the page or inside the board's own box."""
    no_sideways_scroll(page)
    for box in page.locator(".board-table").all():
        assert box.evaluate("el => el.scrollWidth - el.clientWidth") <= 0


def test_a_new_manager_finds_one_people_list_and_the_people_behind_each_figure(
    page, live_server, trust, sign_in, assert_accessible
):
    """At 1280 px, as a new manager: the menu's People and the board's People are one page; each
    figure opens exactly its people; the breadcrumb from a person leads back to that list."""
    from caseload.services import safety

    page.set_viewport_size(DESKTOP)
    ContactFactory(person=trust.person, worker=trust.psw)
    unseen = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Uma", family_name="Unseen")
    safety.raise_concern(
        person=unseen,
        contact=None,
        raised_by=trust.psw,
        description="Said they had stopped eating and were not opening the door to anyone.",
        severity="high",
        escalated_to=trust.manager,
        escalated_to_role="duty_worker",
    )
    sign_in(page, trust.manager)

    # Home: the alert names the person, with the concern's first words and how long it has waited.
    alerts = page.get_by_role("region", name="Safety alerts waiting for you")
    expect(alerts.get_by_role("link", name="Uma Unseen: high risk concern")).to_be_visible()
    expect(alerts).to_contain_text("Said they had stopped eating")
    expect(alerts).to_contain_text("waiting since today")
    expect(page.get_by_role("region", name="Open risk concerns 1")).to_contain_text("Each is among the alerts")
    assert_accessible(page)

    # The menu's People is the review's people list; the board's tab is the same page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People in your teams", level=1)).to_be_visible()
    menu_url = page.url
    page.get_by_role("main").get_by_role("link", name="Caseload board").first.click()
    page.get_by_label("Manager review").get_by_role("link", name="People").click()
    assert page.url == menu_url
    assert_accessible(page)
    no_sideways_scroll(page)

    # The board fits 1280 px: short headings, the full meaning in the tooltip and for screen readers.
    page.get_by_label("Manager review").get_by_role("link", name="Caseload board").click()
    heading = page.get_by_role("columnheader", name="Not seen in 14 days")
    expect(heading).to_be_visible()
    expect(heading.get_by_role("link")).to_have_attribute("title", re.compile("no contact for 14 days"))
    board_fits(page)
    assert_accessible(page)

    # Each figure opens the list of exactly the people it counts.
    priya = page.get_by_role("row", name=re.compile("Priya Patel"))
    for name in ("Not seen in 14 days", "Open risk concerns"):
        link = priya.get_by_role("link", name=re.compile(name))
        figure = int(link.inner_text().split()[0])
        link.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"{name}: Priya Patel")
        expect(page.get_by_role("table").locator("tbody tr")).to_have_count(figure)
        expect(page.get_by_role("link", name="Uma Unseen")).to_be_visible()
        assert_accessible(page)
        no_sideways_scroll(page)
        page.go_back()
    team_total = page.get_by_role("row", name=re.compile("Team total"))
    link = team_total.get_by_role("link", name=re.compile("on the caseload"))
    figure = int(link.inner_text().split()[0])
    link.click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(figure)

    # From a person and back by the breadcrumb: the same one list.
    page.get_by_role("link", name="Uma Unseen").click()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People in your teams", level=1)).to_be_visible()

    # Another manager's team in the URL: as if it did not exist. A tampered sort: a plain message.
    page.goto(f"{live_server.url}/caseload/review/board/?team={trust.south.pk}")
    expect(page.get_by_role("main")).not_to_contain_text("South CMHT")
    page.goto(f"{live_server.url}/caseload/review/board/?sort=salary")
    expect(page.get_by_role("main")).to_contain_text("not one of the options offered")
    expect(page.get_by_role("main")).not_to_contain_text("salary")
    expect(page.get_by_role("heading", name="North CMHT")).to_be_visible()
    assert_accessible(page)


def test_the_board_is_one_card_per_worker_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    page.goto(f"{live_server.url}/caseload/review/board/")
    cards = page.locator(".board-table tbody tr")
    expect(cards).to_have_count(2)
    for card in cards.all():
        box = card.bounding_box()
        assert box["width"] <= PHONE["width"]
        assert box["height"] > 200  # figures stacked, each on its own line with its label
    expect(cards.first).to_contain_text("Not seen in 14 days")
    board_fits(page)
    assert_accessible(page)


def test_a_covering_worker_sees_the_covered_caseloads_concerns_on_a_phone(
    page, live_server, trust, sign_in, assert_accessible
):
    import datetime as dt

    from django.utils import timezone

    from caseload.models import CaseloadCover, CoverReason
    from caseload.services import safety
    from caseload.tests.factories import AppointmentFactory

    today = timezone.localdate()
    CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        reason=CoverReason.ANNUAL_LEAVE,
        granted_by=trust.manager,
    )
    safety.raise_concern(
        person=trust.person,
        contact=None,
        raised_by=trust.psw,
        description="Has not been seen at the hostel since Friday.",
        severity="high",
        escalated_to=trust.manager,
        escalated_to_role="duty_worker",
    )
    AppointmentFactory(person=trust.person, worker=trust.psw, title="Benefits appointment")
    ends = timezone.now() + dt.timedelta(minutes=90)
    safety.start_visit(worker=trust.manager, person=trust.person, location="The hostel", expected_end=ends, buddy=None)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.colleague)
    expect(page.get_by_role("heading", name="Open risk concerns 1")).to_be_visible()
    cover = page.get_by_role("region", name=re.compile("Covering Priya Patel's caseload"))
    expect(cover.get_by_role("link", name="Sam Sutton: high risk concern")).to_be_visible()
    expect(cover).to_contain_text("Has not been seen at the hostel")
    expect(cover).to_contain_text("Benefits appointment")
    expect(cover.get_by_role("heading", name="Visits in progress on this caseload 1")).to_be_visible()
    expect(cover).to_contain_text(
        f"Maya Morris with Sam Sutton at The hostel · expected to end {timezone.localtime(ends):%H:%M}"
    )
    no_sideways_scroll(page)
    assert_accessible(page)
