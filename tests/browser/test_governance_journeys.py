"""Subject access and retention in a real browser, at 1280 px: the information governance lead finds a
person, opens a request and prepares the export; a clinical reviewer reads and releases it; the lead
downloads the zip. Then the retention review, for both."""

import datetime as dt
import zipfile
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from caseload.tests.factories import ContactFactory, PersonFactory
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def governance_groups(transactional_db):
    """A transactional test's flush empties the groups the migrations made: make them again."""
    groups = import_module("peersupport.migrations.0007_governance_groups").GROUPS
    for name, codenames in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="peersupport", codename__in=codenames))


def no_inline_script_or_style(page) -> None:
    main = page.get_by_role("main")
    assert main.locator("script:not([src])").count() == 0
    assert main.locator("[style]").count() == 0


def test_subject_access_from_search_to_download(page, live_server, trust, sign_in, assert_accessible, tmp_path):
    page.set_viewport_size(DESKTOP)
    sam = trust.person
    sam.date_of_birth = dt.date(1980, 11, 23)
    sam.save()
    ContactFactory(person=sam, worker=trust.psw, notes="Walked to the library together.")

    sign_in(page, trust.ig_lead)
    page.get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", name="Information governance")).to_be_visible()
    page.get_by_label("Name or NHS number").fill("sutton")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 found")).to_be_visible()
    assert_accessible(page)
    no_inline_script_or_style(page)
    page.get_by_role("link", name="Open a subject access request for Sam Sutton").click()
    page.get_by_label("Who asked").fill("Sam Sutton, by email")
    page.get_by_label("Date received").fill("2026-11-23")
    page.get_by_label("Due by").fill("2026-11-01")
    page.get_by_role("button", name="Open the request").click()
    expect(
        page.locator(".invalid-feedback").get_by_text("The due date cannot be before the date received.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Due by").fill("")
    page.get_by_role("button", name="Open the request").click()
    expect(page.get_by_role("heading", name="Subject access request")).to_be_visible()
    expect(page.get_by_text("23 Dec 2026")).to_be_visible()
    page.get_by_role("button", name="Prepare the export").click()
    expect(page.get_by_text("waiting for a clinical reviewer's release")).to_be_visible()
    expect(page.get_by_role("link", name="Download the export (zip)")).to_have_count(0)
    assert_accessible(page)
    no_inline_script_or_style(page)
    request_url = page.url

    page.context.clear_cookies()
    sign_in(page, trust.clinical_reviewer)
    page.get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", name="Exports waiting for your review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Request", exact=False).first.click()
    expect(page.get_by_role("heading", name="Records held about Sam Sutton")).to_be_visible()
    expect(page.locator("#contacts").get_by_text("Walked to the library together.")).to_be_visible()
    assert_accessible(page)
    no_inline_script_or_style(page)
    page.get_by_label("Withhold it").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".invalid-feedback").get_by_text("Give the reason for withholding the export.")).to_be_visible()
    page.get_by_label("Release the export to the information governance lead").check()
    page.get_by_label("Your notes").fill("Read through; nothing to withhold.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Export released.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, trust.ig_lead)
    page.goto(request_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export (zip)").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        document = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("document.html"))
    assert "Walked to the library together." in document and "23 Nov 1980" in document


def test_retention_review_for_the_lead_and_the_reviewer(page, live_server, trust, sign_in, assert_accessible):
    page.set_viewport_size(DESKTOP)
    old = PersonFactory(
        team=trust.north,
        assigned_worker=trust.psw,
        given_name="Olga",
        family_name="Oldfield",
        referral_date=dt.date(2001, 1, 5),
        date_of_death=dt.date(2010, 2, 1),
    )
    sign_in(page, trust.ig_lead)
    page.goto(f"{live_server.url}/governance/retention/")
    expect(page.get_by_role("heading", name="Due for review (1)")).to_be_visible()
    assert_accessible(page)
    no_inline_script_or_style(page)
    page.get_by_role("link", name=f"Review for destruction record {old.pk}").click()
    page.get_by_role("button", name="Confirm the destruction").click()
    expect(
        page.locator(".invalid-feedback").get_by_text("Give the reason for destroying these records.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for destruction").fill("Ten years after death; reviewed.")
    page.get_by_role("button", name="Confirm the destruction").click()
    expect(page.get_by_text("Waiting for a clinical reviewer's agreement.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, trust.clinical_reviewer)
    page.goto(f"{live_server.url}/governance/retention/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Agree and destroy record {old.pk}").click()
    expect(page.get_by_text("The records' clinical text has been destroyed")).to_be_visible()
    expect(page.get_by_role("heading", name="Due for review (0)")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Record {old.pk}")).to_be_visible()
    assert_accessible(page)
