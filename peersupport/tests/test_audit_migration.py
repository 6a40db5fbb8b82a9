"""Migration 0008 moves every RecordView row into the audit as a view, with whom it was about, before
0009 retires RecordView: no view of anyone's record is lost in the upgrade."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from caseload.models import Person
from peersupport.models import AuditEvent, User
from supervision.models import Session

BEFORE = [("peersupport", "0007_governance_groups")]


@pytest.mark.django_db(transaction=True)
def test_record_views_become_view_events_with_their_subject(trust):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    RecordView = old.get_model("peersupport", "RecordView")
    when = dt.datetime(2026, 11, 3, 14, 30, tzinfo=dt.UTC)
    views = [
        (trust.manager, Person, trust.person.pk, "/caseload/people/1/"),
        (trust.supervisor, Session, trust.session.pk, "/supervision/sessions/1/"),
        (trust.manager, User, trust.psw.pk, "/supervision/passports/1/"),
    ]
    for viewer, model, pk, path in views:
        row = RecordView.objects.create(
            viewer_id=viewer.pk, content_type_id=ContentType.objects.get_for_model(model).pk, object_id=pk, path=path
        )
        RecordView.objects.filter(pk=row.pk).update(viewed_at=when)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest, every app
    events = AuditEvent.objects.filter(action="view").order_by("pk")
    assert {(e.actor, e.actor_email, e.target, e.subject, e.path, e.at) for e in events} == {
        (trust.manager, trust.manager.email, trust.person, trust.person, "/caseload/people/1/", when),
        (trust.supervisor, trust.supervisor.email, trust.session, trust.psw, "/supervision/sessions/1/", when),
        (trust.manager, trust.manager.email, trust.psw, trust.psw, "/supervision/passports/1/", when),
    }
    assert "peersupport_recordview" not in connection.introspection.table_names()
