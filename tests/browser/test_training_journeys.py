"""Training in a real browser: the development team runs a cohort, a manager reads and downloads the
compliance matrix, a worker acknowledges a code on a phone, the certificate prints; every training page
is accessible and fits a 360 px screen."""

import csv
import datetime as dt
import io
import re
from importlib import import_module
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from training.models import Attendance, Enrolment, Session, Trainee, TrainingSubject
from training.tests.factories import (
    CodeVersionFactory,
    CohortFactory,
    CompletionFactory,
    EnrolmentFactory,
    SubjectFactory,
    TraineeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def peer_support_course(db):
    """A transactional test empties the tables, data migrations' rows too: put the trust's course back."""
    import_module("training.migrations.0002_peer_support_course").create_course(apps, None)


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def fits_360(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def running_cohort(trust):
    """A run that started three weeks ago, with Priya and someone not employed by the trust."""
    today = timezone.localdate()
    cohort = CohortFactory(
        name="Winter run", starts_on=today - dt.timedelta(days=21), ends_on=today + dt.timedelta(days=21)
    )
    modules = list(cohort.course.modules.all())
    for k, module in enumerate(modules[:2]):
        Session.objects.create(
            cohort=cohort, date=cohort.starts_on + dt.timedelta(days=7 * k), title=module.title, module=module
        )
    enrolled_on = cohort.starts_on - dt.timedelta(days=7)
    EnrolmentFactory(cohort=cohort, trainee=Trainee.for_user(trust.psw), enrolled_on=enrolled_on)
    EnrolmentFactory(cohort=cohort, trainee=TraineeFactory(full_name="Tessa Volunteer"), enrolled_on=enrolled_on)
    cohort.facilitators.set([trust.dev_worker])
    return cohort


def mandatory_training(trust) -> list[TrainingSubject]:
    today = timezone.localdate()
    subjects = [
        SubjectFactory(name="Basic life support", renewal_months=12),
        SubjectFactory(name="Information governance", renewal_months=12),
    ]
    CompletionFactory(user=trust.psw, subject=subjects[0], completed_on=today - dt.timedelta(days=100))
    CompletionFactory(
        user=trust.psw,
        subject=subjects[1],
        completed_on=today - dt.timedelta(days=350),
        expires_on=today + dt.timedelta(days=15),
    )
    CompletionFactory(
        user=trust.colleague,
        subject=subjects[0],
        completed_on=today - dt.timedelta(days=400),
        expires_on=today - dt.timedelta(days=35),
    )
    CompletionFactory(user=trust.other_psw, subject=subjects[0], completed_on=today - dt.timedelta(days=10))
    return subjects


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_development_team_records_attendance_and_completions_and_prints_the_certificate(
    page, live_server, trust, sign_in, assert_accessible, viewport
):
    page.set_viewport_size(viewport)
    cohort = running_cohort(trust)
    modules = list(cohort.course.modules.all())
    sign_in(page, trust.dev_worker)

    page.goto(live_server.url + reverse("training:overview"))
    page.get_by_role("link", name="Courses and course runs").click()
    page.get_by_role("link", name="Peer support training", exact=True).click()
    page.get_by_role("link", name="Winter run").click()
    expect(page.get_by_role("heading", name="Winter run")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Tessa Volunteer")
    assert_accessible(page)

    # Attendance at the first session: Priya came, Tessa did not.
    page.get_by_role("link", name=re.compile("Record attendance for")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Attendance:"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Priya Patel").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("1 attended")
    first = cohort.sessions.order_by("date").first()
    assert set(Attendance.objects.filter(session=first).values_list("enrolment__trainee__full_name", "attended")) == {
        ("Priya Patel", True),
        ("Tessa Volunteer", False),
    }

    # Every module for Priya completes the course; Tessa has one module.
    completed_on = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    for k, module in enumerate(modules):
        page.get_by_role("link", name="Record module completion").click()
        page.get_by_label("Module").select_option(label=module.title)
        page.get_by_label("Completed on").fill(completed_on)
        page.get_by_label("Priya Patel").check()
        if k == 0:
            page.get_by_label("Tessa Volunteer").check()
            assert_accessible(page)
        page.get_by_role("button", name="Save completions").click()
        expect(page.get_by_role("heading", name="Winter run")).to_be_visible()
    priya = Enrolment.objects.get(cohort=cohort, trainee__user=trust.psw)
    assert priya.completed_on == timezone.localdate() - dt.timedelta(days=1)
    assert Enrolment.objects.get(cohort=cohort, trainee__full_name="Tessa Volunteer").completed_on is None
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Tessa Volunteer"))).to_contain_text("In progress")

    # The certificate: on paper the navigation and the print button go, the certificate stays.
    page.get_by_role("link", name=re.compile("certificate")).click()
    certificate = page.get_by_role("article")
    expect(certificate).to_contain_text("Priya Patel")
    expect(certificate).to_contain_text("Peer support training")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print certificate")).to_be_hidden()
    expect(certificate).to_be_visible()
    for module in modules:
        expect(certificate).to_contain_text(module.title)
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Main")).to_be_attached()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_manager_reads_the_matrix_filters_and_downloads_it(
    page, live_server, trust, sign_in, assert_accessible, viewport
):
    page.set_viewport_size(viewport)
    mandatory_training(trust)
    EnrolmentFactory(cohort=CohortFactory(), trainee=Trainee.for_user(trust.psw), completed_on=dt.date(2024, 4, 29))
    sign_in(page, trust.manager)

    page.get_by_role("region", name="Training gaps in my teams").get_by_role("link", name="Compliance matrix").click()
    expect(page.get_by_role("heading", name="Training compliance")).to_be_visible()
    matrix = page.get_by_role("table")
    expect(matrix).to_contain_text("Priya Patel")
    expect(matrix).to_contain_text("Paul Price")
    expect(page.get_by_role("main")).not_to_contain_text("Olive")
    expect(matrix.get_by_role("row", name=re.compile("Priya Patel"))).to_contain_text("Due soon")
    expect(matrix.get_by_role("row", name=re.compile("Paul Price"))).to_contain_text("Expired")
    assert_accessible(page)
    if viewport == PHONE:
        fits_360(page)
    page.get_by_role("link", name="Compliance over the last 12 months").click()
    expect(page.get_by_role("figure", name="Compliance over the last 12 months")).to_be_visible()
    page.go_back()

    # Only those with something missing or expired: Paul (Priya's is due soon, not out of date).
    page.get_by_label("Status").select_option(label="Missing or expired")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # heading, Paul
    expect(page.get_by_role("table")).to_contain_text("Paul Price")

    page.get_by_label("Subject").select_option(label="Information governance")
    page.get_by_label("Status").select_option(label="Expires within 30 days")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # heading, Priya
    expect(page.get_by_role("table")).to_contain_text("Priya Patel")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = read_csv(download.value.path())
    assert [row[0] for row in rows[1:]] == ["Priya Patel"]
    assert "Information governance: status" in rows[0] and "Basic life support: status" not in rows[0]

    page.get_by_label("Status").select_option(label="Any status")
    page.get_by_label("Subject").select_option(label="All subjects")
    page.get_by_role("button", name="Show", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Priya Patel", "Paul Price"]

    page.get_by_role("link", name=re.compile("Peer workers without peer support training")).first.click()
    expect(page.get_by_role("main")).to_contain_text("Paul Price")
    expect(page.get_by_role("main")).not_to_contain_text("Priya Patel")
    assert_accessible(page)


def test_worker_acknowledges_the_code_from_the_home_page_on_a_phone(
    page, live_server, trust, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    CodeVersionFactory(version="2026.1", published_by=trust.dev_lead, text="Keep boundaries.\n\nLook after yourself.")
    sign_in(page, trust.psw)

    mine = page.get_by_role("region", name="My training")
    expect(mine).to_contain_text("Please read and acknowledge")
    assert_accessible(page)
    fits_360(page)
    mine.get_by_role("link", name=re.compile("Peer worker code of conduct, version 2026.1")).click()
    expect(page.get_by_role("main")).to_contain_text("Look after yourself.")
    assert_accessible(page)
    fits_360(page)

    # Sending without ticking says why, and records nothing.
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Tick to confirm you have read it.").first).to_be_visible()
    assert not trust.psw.code_acknowledgements.exists()

    page.get_by_label("I have read this code of conduct and will follow it").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Thank you: you acknowledged the")).to_be_visible()
    expect(page.get_by_role("region", name="My training")).not_to_contain_text("Please read and acknowledge")
    assert trust.psw.code_acknowledgements.count() == 1
    fits_360(page)


def training_pages(trust) -> dict[str, list[str]]:
    """Every training page each role may open (downloads aside), with records to show."""
    cohort = running_cohort(trust)
    subjects = mandatory_training(trust)
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(name="Spring run"), trainee=Trainee.for_user(trust.psw), completed_on=dt.date(2024, 4, 29)
    )
    outside = Trainee.objects.get(full_name="Tessa Volunteer")
    EnrolmentFactory(cohort=enrolment.cohort, trainee=outside, completed_on=dt.date(2024, 4, 29))
    version = CodeVersionFactory(published_by=trust.dev_lead)
    completion = trust.psw.training_completions.first()
    session = cohort.sessions.first()

    def urls(*names):
        return [reverse(f"training:{name}", args=args) for name, *args in names]

    everyone = urls(
        ("overview",),
        ("course-list",),
        ("course-detail", cohort.course_id),
        ("subject-list",),
        ("code-list",),
        ("code-detail", version.pk),
    )
    psw = [*everyone, *urls(("worker-record", trust.psw.pk), ("certificate", enrolment.pk))]
    manager = [
        *psw,
        *urls(
            ("matrix",),
            ("trend",),
            ("untrained",),
            ("completion-create", trust.psw.pk),
            ("completion-withdraw", completion.pk),
        ),
    ]
    lead = [
        *manager,
        *urls(
            ("course-create",),
            ("module-create", cohort.course_id),
            ("course-edit", cohort.course_id),
            ("module-edit", cohort.course.modules.first().pk),
            ("session-edit", session.pk),
            ("cohort-create", cohort.course_id),
            ("cohort-detail", cohort.pk),
            ("cohort-edit", cohort.pk),
            ("session-create", cohort.pk),
            ("enrol-staff", cohort.pk),
            ("enrol-trainee", cohort.pk),
            ("module-completions", cohort.pk),
            ("invite", enrolment.cohort_id),
            ("attendance", session.pk),
            ("trainee-list",),
            ("trainee-create",),
            ("trainee-detail", outside.pk),
            ("trainee-edit", outside.pk),
            ("consent-withdraw", outside.pk),
            ("equivalent-create", outside.pk),
            ("register",),
            ("code-create",),
            ("import",),
            ("subject-create",),
            ("subject-edit", subjects[0].pk),
        ),
    ]
    return {"dev_lead": lead, "manager": manager, "psw": psw}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ["dev_lead", "manager", "psw"])
def test_every_training_page_is_accessible_and_fits_360_px(
    page, live_server, trust, sign_in, assert_accessible, role, viewport
):
    pages = training_pages(trust)[role]
    page.set_viewport_size(viewport)
    sign_in(page, getattr(trust, role))
    for url in [reverse("home"), *pages]:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.mouse.move(0, 0)  # no button left hovered mid-transition from the previous page
        assert_accessible(page)
        if viewport == PHONE:
            fits_360(page)
