"""What the audit records by itself: every write of a model with history (naming the fields, never
their values), every view of a sensitive record with whom it is about, every refused request, and
never clinical text. On PostgreSQL the table itself refuses UPDATE and DELETE."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.urls import reverse

from caseload.models import Contact, Person
from caseload.tests.factories import ContactFactory, GoalRatingFactory, RecoveryGoalFactory
from peersupport import audit, plugins
from peersupport.models import AuditEvent
from supervision.models import SessionContent
from supervision.tests.factories import ActionFactory, ContentFactory
from tests.conftest import needs_postgresql

MARKER = "Zephyrine Quillfeather"


def _type(model):
    return ContentType.objects.get_for_model(model)


def test_every_model_with_history_says_whom_its_records_are_about():
    unsaid = [
        model._meta.label
        for model in apps.get_models()
        if hasattr(model, "history")
        and not model.__name__.startswith("Historical")
        and model._meta.app_label != "plugin_app"
        and plugins.audit_subject_paths(model) is None
    ]
    assert unsaid == []


def test_a_change_names_the_fields_changed_and_never_their_values(trust):
    person = Person.objects.get(pk=trust.person.pk)
    person.referral_reason = MARKER
    person.pronouns = "they/them"
    person._history_user = trust.manager
    person.save()
    event = AuditEvent.objects.filter(action=audit.CHANGE, target_type=_type(Person)).first()
    assert (event.actor, event.target, event.subject) == (trust.manager, person, person)
    assert event.detail == "fields: pronouns, referral_reason"
    assert MARKER not in event.detail


def test_a_write_through_a_page_records_who_whom_what_when_and_from_where(client_for, trust):
    url = reverse("caseload:goal-create", args=[trust.person.pk])
    data = {"description": MARKER, "life_area": "community", "set_on": "2026-11-20"}
    client_for(trust.psw).post(url, data, REMOTE_ADDR="10.20.30.40")
    event = AuditEvent.objects.get(action=audit.CREATE, path=url)
    assert (event.actor, event.actor_email, event.method, event.ip_address) == (
        trust.psw,
        trust.psw.email,
        "POST",
        "10.20.30.40",
    )
    assert event.target.description == MARKER and event.subject == trust.person
    assert event.at.utcoffset().total_seconds() == 0


def test_a_write_costs_one_insert_for_its_event(trust):
    from django.test.utils import CaptureQueriesContext

    contact = Contact.objects.get(pk=ContactFactory(person=trust.person, worker=trust.psw).pk)
    contact.notes = "Changed"
    with CaptureQueriesContext(connection) as queries:
        contact.save()
    # One INSERT for the event; the changed fields are named without reading the previous version.
    audit_sql = [q["sql"] for q in queries if "peersupport_auditevent" in q["sql"]]
    assert len(audit_sql) == 1 and audit_sql[0].startswith("INSERT")
    assert not any(q["sql"].startswith("SELECT") and "historicalcontact" in q["sql"] for q in queries)
    events = AuditEvent.objects.filter(action=audit.CHANGE, target_type=_type(Contact), target_id=contact.pk)
    assert events.first().detail == "fields: notes"


def test_records_about_a_person_through_a_chain_are_about_that_person(trust):
    rating = GoalRatingFactory(goal=RecoveryGoalFactory(person=trust.person, created_by=trust.psw))
    event = AuditEvent.objects.get(action=audit.CREATE, target_type=_type(type(rating)), target_id=rating.pk)
    assert event.subject == trust.person


def test_supervision_records_are_about_the_supervisee(trust):
    content = ContentFactory(session=trust.session, updated_by=trust.supervisor)
    event = AuditEvent.objects.get(action=audit.CREATE, target_type=_type(SessionContent), target_id=content.pk)
    assert event.subject == trust.agreement.supervisee


def test_viewing_supervision_content_is_a_view_of_the_supervisee(client_for, trust):
    ContentFactory(session=trust.session, updated_by=trust.supervisor)
    client_for(trust.supervisor).get(reverse("supervision:session-detail", args=[trust.session.pk]))
    view = AuditEvent.objects.get(action=audit.VIEW)
    assert (view.actor, view.target, view.subject) == (trust.supervisor, trust.session, trust.agreement.supervisee)


def test_viewing_an_occupational_health_passport_is_a_view_of_the_worker(client_for, trust):
    response = client_for(trust.manager).get(reverse("supervision:passport", args=[trust.psw.pk]))
    assert response.status_code == 200
    view = AuditEvent.objects.get(action=audit.VIEW)
    assert (view.actor, view.subject) == (trust.manager, trust.psw)


def test_a_download_logs_one_view_per_person_in_one_insert(rf, trust, django_assert_num_queries):
    request = rf.get("/caseload/review/people.csv", REMOTE_ADDR="10.0.0.9")
    request.user = trust.manager
    people = Person.objects.filter(pk__in=[trust.person.pk, trust.other_person.pk])
    with django_assert_num_queries(1):
        audit.log_views(request, people)
    views = AuditEvent.objects.filter(action=audit.VIEW)
    assert {(v.target, v.subject, v.ip_address, v.actor_email) for v in views} == {
        (trust.person, trust.person, "10.0.0.9", trust.manager.email),
        (trust.other_person, trust.other_person, "10.0.0.9", trust.manager.email),
    }


def test_a_refused_page_is_recorded_with_its_path(client_for, trust):
    url = reverse("caseload:person-detail", kwargs={"person_pk": trust.other_person.pk})
    assert client_for(trust.psw).get(url, REMOTE_ADDR="10.9.8.7").status_code == 404
    refused = AuditEvent.objects.get(action=audit.REFUSED)
    assert (refused.actor, refused.path, refused.ip_address, refused.detail) == (trust.psw, url, "10.9.8.7", "404")
    assert not AuditEvent.objects.filter(action=audit.VIEW).exists()


def test_a_page_not_found_for_someone_signed_out_is_not_an_event(client, db):
    client.get("/no-such-page/")
    assert not AuditEvent.objects.filter(action=audit.REFUSED).exists()


def _plant(instance) -> bool:
    planted = False
    for field in instance._meta.concrete_fields:
        if (
            isinstance(field, models.TextField | models.CharField)
            and not field.choices
            and not field.unique
            and field.name != "password"
        ) and (field.max_length is None or field.max_length >= len(MARKER)):
            setattr(instance, field.attname, MARKER)
            planted = True
    return planted


def test_no_clinical_text_reaches_the_audit(client_for, trust):
    contact = ContactFactory(person=trust.person, worker=trust.psw, notes=MARKER)
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw, description=MARKER)
    ContentFactory(session=trust.session, updated_by=trust.supervisor, themes=MARKER)
    ActionFactory(session=trust.session, owner=trust.psw, description=MARKER)
    # Every text field of every record with history, changed to the marker and saved.
    for model in apps.get_models():
        if hasattr(model, "history") and not model.__name__.startswith("Historical"):
            for instance in model._default_manager.all():
                if _plant(instance):
                    try:
                        with transaction.atomic():
                            instance.save()
                    except IntegrityError:  # the marker twice in a unique pair (a course's module titles)
                        pass
    for user, url in [
        (trust.psw, trust.person.get_absolute_url()),
        (trust.psw, reverse("caseload:contact-detail", args=[contact.pk])),
        (trust.psw, goal.get_absolute_url()),
        (trust.supervisor, reverse("supervision:session-detail", args=[trust.session.pk])),
        (trust.manager, reverse("supervision:passport", args=[trust.psw.pk])),
        (trust.psw, reverse("supervision:wellbeing-mine")),
    ]:
        assert client_for(user).get(url).status_code == 200, url
    assert AuditEvent.objects.filter(action=audit.CHANGE).count() > 20
    assert AuditEvent.objects.filter(action=audit.VIEW).count() >= 5
    for row in AuditEvent.objects.values_list():
        assert not any(MARKER in str(value) for value in row), row


def test_postgresql_refuses_to_update_or_delete_the_audit(trust):
    needs_postgresql()
    event = audit.record(audit.SIGN_IN, actor=trust.psw)
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'rewritten' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_changes_whose_history_is_written_in_bulk_are_audited_too(trust):
    from caseload.models import RiskConcern
    from caseload.services.alerts import record_history
    from caseload.tests.safety_helpers import concern_for

    concern = concern_for(trust)
    record_history(RiskConcern, [concern.pk], by=trust.manager, reason="Acknowledged")
    event = AuditEvent.objects.filter(action=audit.CHANGE, target_type=_type(RiskConcern)).first()
    assert (event.actor, event.target, event.subject, event.detail) == (
        trust.manager,
        concern,
        trust.person,
        "Acknowledged",
    )
