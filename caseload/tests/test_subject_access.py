"""Subject access (issue #16, point 7): find a person, open a request, prepare the export, a clinical
reviewer's release, the download; everything about the person and nothing about anyone else."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from caseload.models import CaseloadCover, ConcernSeverity, EscalationRole, Person
from caseload.services.safety import close_visit, raise_concern, resolve_concern, start_visit
from caseload.tests.factories import (
    AdvanceStatementFactory,
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)
from peersupport import audit, plugins
from peersupport.models import AuditEvent, SubjectAccessRequest

pytestmark = pytest.mark.django_db

MARKER_NAME = ("Zebedee", "Quarrington")
MARKER_NHS = "9434765919"
MARKER_NOTE = "MARKER-OTHER-PERSON-NOTE"


def _records_for(person, worker, resource):
    contact = ContactFactory(person=person, worker=worker, notes=f"Notes about {person.given_name}.")
    contact.signposted_to.add(resource)
    goal = RecoveryGoalFactory(person=person, created_by=worker, description=f"{person.given_name}'s goal")
    GoalRatingFactory(goal=goal, recorded_by=worker, contact=contact)
    RecoveryPlanFactory(person=person, written_by=worker)
    AdvanceStatementFactory(person=person, written_by=worker)
    DialogAssessmentFactory(person=person, recorded_by=worker)
    AppointmentFactory(person=person, worker=worker)
    concern = raise_concern(
        person=person,
        contact=contact,
        raised_by=worker,
        description=f"Worried about {person.given_name}.",
        severity=ConcernSeverity.HIGH,
        escalated_to=worker,
        escalated_to_role=EscalationRole.SUPERVISOR,
    )
    resolve_concern(concern, by=worker, note=f"Resolved for {person.given_name}.")
    return contact


@pytest.fixture
def world(trust):
    """Sam (the subject) and Zebedee (another person, in the same team, with the same worker)."""
    sam = trust.person
    sam.nhs_number, sam.date_of_birth = "9434765870", dt.date(1980, 11, 23)
    sam.save()
    other = PersonFactory(
        team=trust.north,
        assigned_worker=trust.psw,
        given_name=MARKER_NAME[0],
        family_name=MARKER_NAME[1],
        nhs_number=MARKER_NHS,
        referral_reason=MARKER_NOTE,
    )
    resource = ResourceFactory(name="Riverside walking group")
    _records_for(sam, trust.psw, resource)
    other_contact = _records_for(other, trust.psw, resource)
    other_contact.notes = f"{MARKER_NOTE} {MARKER_NAME[0]}"
    other_contact.save()
    # Visits by the same worker at the same time, one with each person; the other's is closed with a note.
    end = timezone.now() + timedelta(hours=1)
    start_visit(worker=trust.psw, person=sam, location="Sam's home", expected_end=end, buddy=trust.manager)
    theirs = start_visit(
        worker=trust.colleague, person=other, location=f"{MARKER_NAME[1]} house", expected_end=end, buddy=trust.manager
    )
    close_visit(theirs, by=trust.colleague, reason="safe", note=MARKER_NOTE)
    CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 14),
        granted_by=trust.manager,
        note=f"Covers {MARKER_NAME[0]} too",
    )
    # Views of both people's records.
    audit.record(audit.VIEW, actor=trust.manager, target=sam, subject=sam)
    audit.record(audit.VIEW, actor=trust.manager, target=other, subject=other)
    audit.record(audit.VIEW, actor=trust.colleague, target=sam, subject=sam)
    audit.record(audit.VIEW, actor=trust.colleague, target=other, subject=other, detail=MARKER_NAME[1])
    return sam, other


def _open(client, trust, sam, **data):
    client.force_login(trust.ig_lead)
    url = reverse("governance:request-new", kwargs={"subject_name": "person", "governed_pk": sam.pk})
    fields = {"requested_by": "Sam, by letter", "received_on": "2026-11-23", **data}
    return client.post(url, fields)


def _released_zip(client, trust, sam) -> zipfile.ZipFile:
    _open(client, trust, sam)
    item = SubjectAccessRequest.objects.get()
    client.post(reverse("governance:request-prepare", kwargs={"request_pk": item.pk}))
    client.force_login(trust.clinical_reviewer)
    client.post(reverse("governance:request-review", kwargs={"request_pk": item.pk}), {"decision": "release"})
    client.force_login(trust.ig_lead)
    response = client.get(reverse("governance:request-download", kwargs={"request_pk": item.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") or model.__name__.startswith("Historical")


def test_every_model_with_a_key_to_a_person_is_in_the_export(trust):
    exported = {record_set.model for record_set in plugins.subject_records(trust.person)}
    missing = []
    for model in apps.get_models():
        if _is_history(model):
            continue
        keys = [f for f in model._meta.get_fields() if f.concrete and f.is_relation and f.related_model is Person]
        if keys and model not in exported:
            missing.append(model._meta.label)
    assert missing == []


def test_search_is_trust_wide_for_the_lead_only_and_audited(client, trust, world):
    sam, _other = world
    url = reverse("governance:home")
    client.force_login(trust.ig_lead)
    for query in ({"words": "sam sutton"}, {"words": "943 476 5870"}, {"born_on": "1980-11-23"}):
        response = client.get(url, query)
        assert response.status_code == 200
        assert list(response.context["people"]) == [("person", sam)], query
    events = AuditEvent.objects.filter(action="subject-search", actor=trust.ig_lead)
    assert sorted(e.detail for e in events) == [
        "by NHS number: 1 found",
        "by date of birth: 1 found",
        "by name: 1 found",
    ]
    assert not any("Sutton" in e.detail for e in events)  # the audit holds what was searched by, not the words
    response = client.get(url, {"words": "", "born_on": ""})
    assert "Give a name, an NHS number or a date of birth." in response.content.decode()
    for user in (trust.psw, trust.manager, trust.admin, trust.dev_lead):
        client.force_login(user)
        assert client.get(url, {"words": "sam"}).status_code == 404


def test_a_request_is_due_one_calendar_month_after_it_is_received(client, trust, world):
    sam, _ = world
    response = _open(client, trust, sam, received_on="2026-01-31")
    item = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert item.due_on == dt.date(2026, 2, 28)
    assert AuditEvent.objects.filter(action="sar-open", subject_id=sam.pk, target_id=item.pk).exists()


def test_a_due_date_before_the_date_received_is_refused(client, trust, world):
    sam, _ = world
    response = _open(client, trust, sam, due_on="2026-11-22")
    assert response.status_code == 200
    assert "The due date cannot be before the date received." in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_a_person_out_of_reach_is_404(client, trust, world):
    sam, _ = world
    assert _open(client, trust, Person(pk=sam.pk + 1000)).status_code == 404
    client.force_login(trust.manager)  # Sam's manager, but not a governance role
    url = reverse("governance:request-new", kwargs={"subject_name": "person", "governed_pk": sam.pk})
    assert client.post(url, {"requested_by": "x", "received_on": "2026-11-23"}).status_code == 404
    assert not SubjectAccessRequest.objects.exists()


def test_the_export_waits_for_a_clinical_reviewer_and_every_step_is_audited(client, trust, world):
    sam, _ = world
    _open(client, trust, sam)
    item = SubjectAccessRequest.objects.get()
    detail = reverse("governance:request-detail", kwargs={"request_pk": item.pk})
    download = reverse("governance:request-download", kwargs={"request_pk": item.pk})
    review = reverse("governance:request-review", kwargs={"request_pk": item.pk})
    # Not yet prepared: the reviewer cannot see it or release it.
    client.force_login(trust.clinical_reviewer)
    assert client.get(detail).status_code == 404
    assert client.post(review, {"decision": "release"}).status_code == 404
    client.force_login(trust.ig_lead)
    client.post(reverse("governance:request-prepare", kwargs={"request_pk": item.pk}))
    item.refresh_from_db()
    assert item.status == "prepared" and item.export_name.endswith(".zip")
    assert client.get(download).status_code == 404  # not released yet
    client.force_login(trust.clinical_reviewer)
    page = client.get(detail).content.decode()
    assert "Records held about Sam Sutton" in page and "Notes about Sam." in page
    response = client.post(review, {"decision": "withhold", "withheld_reason": ""})
    assert response.status_code == 400 and "Give the reason for withholding the export." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "prepared"
    client.post(review, {"decision": "release", "review_notes": "Checked: nothing held back."})
    item.refresh_from_db()
    assert item.status == "released" and item.reviewed_by == trust.clinical_reviewer
    # A second decision on a released export changes nothing.
    client.post(review, {"decision": "withhold", "withheld_reason": "Changed my mind"})
    item.refresh_from_db()
    assert item.status == "released" and item.withheld_reason == ""
    assert client.get(download).status_code == 404  # only the lead downloads
    client.force_login(trust.ig_lead)
    assert client.get(download).status_code == 200
    actions = set(
        AuditEvent.objects.filter(subject_id=sam.pk, action__startswith="sar-").values_list("action", flat=True)
    )
    assert actions == {"sar-open", "sar-prepare", "sar-review-view", "sar-release", "sar-download"}
    for user in (trust.psw, trust.manager, trust.admin, trust.other_manager):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404


def test_the_zip_holds_everything_about_the_person_readable_and_as_csv(client, trust, world):
    sam, _ = world
    archive = _released_zip(client, trust, sam)
    names = archive.namelist()
    document = next(archive.read(n).decode() for n in names if n.endswith("document.html"))
    for slug in (
        "person",
        "person-history",
        "contacts",
        "contacts-history",
        "signposting",
        "goals",
        "goal-ratings",
        "recovery-plans",
        "advance-statements",
        "dialog",
        "appointments",
        "risk-concerns",
        "risk-concerns-history",
        "visits",
        "safety-events",
        "cover",
        "who-viewed",
    ):
        assert any(n.endswith(f"/csv/{slug}.csv") for n in names), slug
    assert "Records held about Sam Sutton" in document
    assert "23 Nov 1980" in document  # dates as 23 Nov 2026
    assert "Notes about Sam." in document and "Worried about Sam." in document and "Resolved for Sam." in document
    assert "Riverside walking group" in document
    assert "Priya Patel" in document  # staff appear as authors
    views = next(archive.read(n).decode() for n in names if n.endswith("who-viewed.csv"))
    assert "Maya Morris" in views and "Paul Price" in views
    assert "<script" not in document and "style=" not in document


def test_the_zip_holds_nothing_about_anyone_else(client, trust, world):
    sam, _ = world
    archive = _released_zip(client, trust, sam)
    markers = [*MARKER_NAME, MARKER_NHS, MARKER_NOTE, "/other/"]
    for name in archive.namelist():
        text = archive.read(name).decode(errors="replace")
        for marker in markers:
            assert marker not in text, (marker, name)


def test_the_list_of_requests_takes_the_same_queries_however_many(client, trust, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sam, other = world
    client.force_login(trust.ig_lead)
    _open(client, trust, sam)
    url = reverse("governance:home")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for person in (sam, other, trust.other_person):
        _open(client, trust, person)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).content.decode().count("Request ") >= 4
    assert len(four) == len(one)
