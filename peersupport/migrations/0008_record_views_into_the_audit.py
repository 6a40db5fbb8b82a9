"""Every RecordView row becomes an AuditEvent with action "view" (kept, with who, what and when; the
subject from the apps' registrations), before RecordView is retired."""

from django.db import migrations

BATCH = 2000


def copy_record_views(apps, schema_editor):
    from django.apps import apps as live_apps

    from peersupport import plugins

    RecordView = apps.get_model("peersupport", "RecordView")
    AuditEvent = apps.get_model("peersupport", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("peersupport", "User")
    emails = dict(User.objects.values_list("pk", "email"))
    for content_type in ContentType.objects.filter(pk__in=RecordView.objects.values("content_type")):
        subjects = {}
        # Whom each record is about, read through the live model and its app's registration (the
        # tables exist: their rows were viewed). A model gone since leaves the subject empty.
        try:
            model = live_apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            model = None
        paths = plugins.audit_subject_paths(model) if model is not None else None
        if paths:
            from peersupport.audit import _subject_columns

            ids = RecordView.objects.filter(content_type=content_type).values_list("object_id", flat=True)
            rows = model._base_manager.filter(pk__in=list(ids)).values("pk", **_subject_columns(model))
            subjects = {row["pk"]: (row["audit_st"], row["audit_s"]) for row in rows}
        views = RecordView.objects.filter(content_type=content_type).order_by("pk")
        batch = []
        for view in views.iterator(chunk_size=BATCH):
            subject_type, subject_id = subjects.get(view.object_id, (None, None))
            batch.append(
                AuditEvent(
                    at=view.viewed_at,
                    actor_id=view.viewer_id,
                    actor_email=emails.get(view.viewer_id, ""),
                    action="view",
                    target_type_id=content_type.pk,
                    target_id=view.object_id,
                    subject_type_id=subject_type,
                    subject_id=subject_id,
                    method="GET",
                    path=view.path,
                )
            )
            if len(batch) >= BATCH:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("peersupport", "0007_governance_groups"),
    ]

    operations = [migrations.RunPython(copy_record_views, migrations.RunPython.noop)]
