"""A team manager's review journey in a real browser: board, filter, drill down, reassign, export."""

import csv
import io
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
    page.get_by_role("link", name="Caseload / capacity").click()
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
