"""What the development team, managers and workers depend on: pages, bad input, reminders, import,
fixed query counts."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport import reminders
from peersupport.models import Reminder
from peersupport.tests.factories import TeamFactory, make_worker
from training.models import Acknowledgement, Enrolment, ModuleCompletion, Trainee, TrainingCompletion

from .factories import (
    CodeVersionFactory,
    CohortFactory,
    CompletionFactory,
    EnrolmentFactory,
    SubjectFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


def test_every_page_opens_for_the_development_team(trust, client_for):
    cohort = CohortFactory()
    enrolment = EnrolmentFactory(cohort=cohort, trainee=Trainee.for_user(trust.psw), completed_on=dt.date(2024, 4, 29))
    session = cohort.sessions.create(date=dt.date(2024, 3, 4), title="Active listening")
    CompletionFactory(user=trust.psw, subject=SubjectFactory(name="Basic life support"))
    version = CodeVersionFactory(published_by=trust.dev_lead)
    client = client_for(trust.dev_worker)
    for name, args in [
        ("overview", []),
        ("matrix", []),
        ("trend", []),
        ("untrained", []),
        ("course-list", []),
        ("register", []),
        ("import", []),
        ("trainee-list", []),
        ("subject-list", []),
        ("code-list", []),
        ("code-detail", [version.pk]),
        ("cohort-detail", [cohort.pk]),
        ("course-detail", [cohort.course_id]),
        ("attendance", [session.pk]),
        ("module-completions", [cohort.pk]),
        ("certificate", [enrolment.pk]),
        ("worker-record", [trust.psw.pk]),
        ("enrol-staff", [cohort.pk]),
        ("enrol-trainee", [cohort.pk]),
        ("invite", [cohort.pk]),
    ]:
        assert client.get(reverse(f"training:{name}", args=args)).status_code == 200, name
    assert client.get(reverse("training:matrix-csv")).status_code == 200
    assert client.get(reverse("training:matrix-xlsx")).status_code == 200


def test_worker_sees_own_record_and_not_a_colleagues(trust, client_for):
    client = client_for(trust.psw)
    assert client.get(reverse("training:worker-record", args=[trust.psw.pk])).status_code == 200
    assert client.get(reverse("training:worker-record", args=[trust.colleague.pk])).status_code == 404
    assert client.get(reverse("training:matrix")).status_code == 404
    manager = client_for(trust.other_manager)
    assert manager.get(reverse("training:worker-record", args=[trust.psw.pk])).status_code == 404


def test_module_completion_before_enrolment_is_refused(trust, client_for):
    cohort = CohortFactory()
    enrolment = EnrolmentFactory(cohort=cohort, enrolled_on=dt.date(2024, 3, 1))
    module = cohort.course.modules.first()
    response = client_for(trust.dev_worker).post(
        reverse("training:module-completions", args=[cohort.pk]),
        {"module": module.pk, "completed_on": "2024-02-01", "enrolments": [enrolment.pk]},
    )
    assert response.status_code == 200
    assert "Completion cannot be before enrolment" in response.content.decode()
    assert not ModuleCompletion.objects.exists()


def test_unknown_module_is_refused(trust, client_for):
    from training.models import Course

    other = Course.objects.create(name="Mental health first aid")
    foreign = other.modules.create(title="First aid")
    cohort = CohortFactory()
    enrolment = EnrolmentFactory(cohort=cohort)
    response = client_for(trust.dev_worker).post(
        reverse("training:module-completions", args=[cohort.pk]),
        {"module": foreign.pk, "completed_on": "2024-03-10", "enrolments": [enrolment.pk]},
    )
    assert "That module is not part of this course" in response.content.decode()
    assert not ModuleCompletion.objects.exists()


def test_every_module_completes_the_course(trust, client_for):
    cohort = CohortFactory()
    enrolment = EnrolmentFactory(cohort=cohort, enrolled_on=dt.date(2024, 3, 1))
    client = client_for(trust.dev_worker)
    for module in cohort.course.modules.all():
        client.post(
            reverse("training:module-completions", args=[cohort.pk]),
            {"module": module.pk, "completed_on": "2024-04-29", "enrolments": [enrolment.pk]},
        )
    enrolment.refresh_from_db()
    assert enrolment.completed_on == dt.date(2024, 4, 29)
    assert Trainee.objects.register().filter(pk=enrolment.trainee_id).exists()


def test_expiry_before_completion_is_refused(trust, client_for):
    subject = SubjectFactory(name="Information governance")
    response = client_for(trust.manager).post(
        reverse("training:completion-create", args=[trust.psw.pk]),
        {"subject": subject.pk, "completed_on": "2025-06-01", "expires_on": "2025-05-01"},
    )
    assert "The expiry date must be after the completion date" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_completion_uses_the_renewal_period(trust, client_for):
    subject = SubjectFactory(name="Safeguarding adults level 2", renewal_months=36)
    client_for(trust.manager).post(
        reverse("training:completion-create", args=[trust.psw.pk]),
        {"subject": subject.pk, "completed_on": "2025-06-01"},
    )
    assert TrainingCompletion.objects.get().expires_on == dt.date(2028, 6, 1)


def test_invitation_refused_after_consent_withdrawn(trust, client_for, mailoutbox):
    trainee = TraineeFactory(full_name="Nia North")
    EnrolmentFactory(trainee=trainee, completed_on=dt.date(2024, 4, 29))
    trainee.withdraw_consent(by=trust.dev_lead)
    cohort = CohortFactory(name="Refresher")
    response = client_for(trust.dev_worker).post(reverse("training:invite", args=[cohort.pk]), {"trainee": trainee.pk})
    assert "withdrew consent to be contacted" in response.content.decode()
    assert not Reminder.objects.exists()


def test_invitation_goes_once_by_email(trust, client_for, mailoutbox):
    trainee = TraineeFactory(full_name="Nia North", email="nia@example.org")
    EnrolmentFactory(trainee=trainee, completed_on=dt.date(2024, 4, 29))
    cohort = CohortFactory(name="Refresher")
    client = client_for(trust.dev_worker)
    client.post(reverse("training:invite", args=[cohort.pk]), {"trainee": trainee.pk})
    client.post(reverse("training:invite", args=[cohort.pk]), {"trainee": trainee.pk})
    reminders.send_due_reminders()
    assert [m.to for m in mailoutbox] == [["nia@example.org"]]
    assert "Hello Nia North" in mailoutbox[0].body


def test_expiry_reminders_each_go_once(trust, mailoutbox):
    from training.scans import scan_expiring_training

    subject = SubjectFactory(name="Basic life support")
    CompletionFactory(
        user=trust.psw, subject=subject, completed_on=dt.date(2025, 6, 10), expires_on=dt.date(2026, 6, 10)
    )
    for day, expected in [
        ("2026-05-01", []),
        ("2026-05-11", [["priya@example.nhs.uk"]]),
        ("2026-05-12", []),
        ("2026-06-03", [["priya@example.nhs.uk"]]),
        ("2026-06-10", [["priya@example.nhs.uk"], ["maya@example.nhs.uk"]]),
        ("2026-06-11", []),
    ]:
        with time_machine.travel(dt.datetime.fromisoformat(day + "T09:00+01:00")):
            scan_expiring_training()
            scan_expiring_training()
            mailoutbox.clear()
            reminders.send_due_reminders()
            assert sorted(m.to for m in mailoutbox) == sorted(expected), day


def test_renewed_training_brings_no_reminder(trust, mailoutbox):
    from training.scans import scan_expiring_training

    subject = SubjectFactory(name="Basic life support")
    CompletionFactory(
        user=trust.psw, subject=subject, completed_on=dt.date(2025, 6, 10), expires_on=dt.date(2026, 6, 10)
    )
    CompletionFactory(user=trust.psw, subject=subject, completed_on=dt.date(2026, 5, 1), expires_on=dt.date(2027, 5, 1))
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)):
        assert scan_expiring_training() == 0


def _upload(client, text: str, name="records.csv"):
    return client.post(reverse("training:import"), {"step": "preview", "file": SimpleUploadedFile(name, text.encode())})


def test_import_lists_every_bad_row_and_imports_nothing(trust, client_for):
    SubjectFactory(name="Information governance")
    text = (
        "email,subject,completed_on,expires_on\n"
        "priya@example.nhs.uk,Information governance,2025-01-10,\n"
        "nobody@example.nhs.uk,Information governance,2025-01-10,\n"
        "paul@example.nhs.uk,Juggling,2025-01-10,\n"
        "paul@example.nhs.uk,Information governance,31/13/2025,\n"
        "priya@example.nhs.uk,Information governance,2025-01-10,\n"
        "paul@example.nhs.uk,Information governance,2025-01-10,2024-01-01\n"
    )
    page = _upload(client_for(trust.dev_worker), text).content.decode()
    assert "No member of staff you can see has the address nobody@example.nhs.uk" in page
    assert "Unknown subject" in page and "Not a date" in page and "(a duplicate)" in page
    assert "The expiry date must be after the completion date" in page
    assert "6 problems" not in page and "5 problems found" in page
    assert not TrainingCompletion.objects.exists()


def test_import_wrong_headers(trust, client_for):
    page = _upload(client_for(trust.dev_worker), "name,course\nPriya,IG\n").content.decode()
    assert "Wrong headers" in page


def test_same_file_twice_adds_nothing(trust, client_for):
    import base64

    SubjectFactory(name="Information governance", renewal_months=12)
    text = "email,subject,completed_on\npriya@example.nhs.uk,Information governance,10/01/2025\n"
    client = client_for(trust.dev_worker)
    for _ in range(2):
        client.post(
            reverse("training:import"),
            {"step": "import", "content": base64.b64encode(text.encode()).decode(), "filename": "ig.csv"},
        )
    completion = TrainingCompletion.objects.get()
    assert completion.expires_on == dt.date(2026, 1, 10)
    assert "recorded already" in _upload(client, text).content.decode()


def test_worker_acknowledges_the_current_code_and_a_new_version_asks_again(trust, client_for):
    old = CodeVersionFactory(version="2024.1", published_on=dt.date(2024, 1, 1), published_by=trust.dev_lead)
    client = client_for(trust.psw)
    assert "Please read and acknowledge" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("training:code-detail", args=[old.pk]), {})
    assert "Tick to confirm" in response.content.decode(), response.content.decode()[-3000:]
    client.post(reverse("training:code-detail", args=[old.pk]), {"confirm": "on"})
    assert Acknowledgement.objects.filter(user=trust.psw, version=old).exists()
    assert "Please read and acknowledge" not in client.get(reverse("home")).content.decode()
    CodeVersionFactory(version="2026.1", published_on=dt.date(2026, 1, 1), published_by=trust.dev_lead)
    assert "Please read and acknowledge" in client.get(reverse("home")).content.decode()
    assert client.post(reverse("training:code-detail", args=[old.pk]), {"confirm": "on"}).status_code == 403


def _workers(count: int, start: int = 0):
    team = TeamFactory()
    subjects = [SubjectFactory(name=f"Subject {i}") for i in range(3)]
    for i in range(start, start + count):
        worker = make_worker(team, email=f"w{i}@example.nhs.uk")
        for subject in subjects:
            CompletionFactory(user=worker, subject=subject)
        Enrolment.objects.create(
            cohort=CohortFactory(), trainee=Trainee.for_user(worker), completed_on=dt.date(2024, 4, 1)
        )


@pytest.mark.parametrize(
    "url_name",
    ["training:matrix", "training:trend", "training:matrix-csv", "training:matrix-xlsx", "training:untrained"],
)
def test_matrix_and_downloads_run_fixed_queries(trust, client_for, url_name):
    CodeVersionFactory(published_by=trust.dev_lead)
    client = client_for(trust.dev_worker)
    _workers(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    _workers(299, start=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(many) == len(one)
    if url_name == "training:matrix":
        assert "300 peer worker" in response.content.decode() or "303 peer worker" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 5, 12, 9, tzinfo=dt.UTC))
def test_matrix_cells_show_status_words_and_expiry_and_escape_names(trust, client_for):
    subject = SubjectFactory(name="Basic life support")
    CompletionFactory(user=trust.psw, subject=subject, completed_on=dt.date(2025, 6, 1), expires_on=dt.date(2026, 6, 1))
    CompletionFactory(
        user=trust.colleague, subject=subject, completed_on=dt.date(2025, 5, 1), expires_on=dt.date(2026, 5, 1)
    )
    trust.colleague.first_name = "<b>Paul</b>"
    trust.colleague.save()
    page = client_for(trust.manager).get(reverse("training:matrix")).content.decode()
    rows = {row.split("</th>")[0]: row for row in page.split("<tr>")[2:]}
    priya = next(row for name, row in rows.items() if "Priya Patel" in name)
    paul = next(row for name, row in rows.items() if "Paul" in name)
    assert 'Due soon</span><br><span class="small">to 1 Jun 2026' in priya
    assert 'Expired</span><br><span class="small">to 1 May 2026' in paul
    assert "&lt;b&gt;Paul&lt;/b&gt; Price" in paul and "<b>Paul" not in page
    assert reverse("training:worker-record", args=[trust.psw.pk]) in priya


def test_session_module_and_course_can_be_edited_and_a_session_outside_the_run_is_refused(trust, client_for):
    cohort = CohortFactory(starts_on=dt.date(2024, 3, 4), ends_on=dt.date(2024, 4, 29))
    module = cohort.course.modules.first()
    session = cohort.sessions.create(date=dt.date(2024, 3, 4), title="Active listening", module=module)
    client = client_for(trust.dev_lead)
    url = reverse("training:session-edit", args=[session.pk])
    response = client.post(url, {"date": "2024-05-20", "title": "Moved", "module": module.pk})
    assert response.status_code == 200
    assert "The run is from 4 Mar 2024 to 29 Apr 2024" in response.content.decode()
    session.refresh_from_db()
    assert (session.date, session.title) == (dt.date(2024, 3, 4), "Active listening")
    response = client.post(url, {"date": "2024-03-11", "title": "Active listening, part 2", "module": module.pk})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.title) == (dt.date(2024, 3, 11), "Active listening, part 2")

    response = client.post(reverse("training:module-edit", args=[module.pk]), {"title": "Listening", "position": 1})
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.title == "Listening"
    other = cohort.course.modules.exclude(pk=module.pk).first()
    response = client.post(reverse("training:module-edit", args=[other.pk]), {"title": "listening", "position": 2})
    assert "already has a module with that title" in response.content.decode()

    course_url = reverse("training:course-edit", args=[cohort.course_id])
    response = client.post(course_url, {"name": "Peer support training", "description": "Six modules."})
    assert response.status_code == 302
    assert client.get(reverse("training:course-detail", args=[cohort.course_id])).content.decode().count("Six modules.")
    for name, args in [
        ("session-edit", [session.pk]),
        ("module-edit", [module.pk]),
        ("course-edit", [cohort.course_id]),
    ]:
        assert client_for(trust.manager).get(reverse(f"training:{name}", args=args)).status_code == 404
