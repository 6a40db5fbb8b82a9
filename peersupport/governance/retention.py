"""The retention review: records due (from each subject's rule), a reviewed destruction, the weekly scan.

Nothing is destroyed without the information governance lead's confirmation with a reason and a
clinical reviewer's agreement. The destruction keeps a stub (peersupport.models.Destruction: who, what,
when, why and the subject's id) and blanks the free text of every record about the person and of every
history row of those records; the rows stay, so who wrote what when is still known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from .. import plugins, reminders
from ..models import Destruction, User

KIND = "retention_review"


@dataclass
class Due:
    subject_name: str
    subject: object
    last_activity: dt.date
    basis: str
    due_on: dt.date
    proposal: Destruction | None = None


def due(today: dt.date | None = None) -> list[Due]:
    """Every subject whose records are due for review today, with any destruction already proposed."""
    today = today or timezone.localdate()
    found = []
    for subject in plugins.subjects():
        if subject.retention is None:
            continue
        for record, last, basis, due_on in subject.retention(today):
            found.append(Due(subject.name, record, last, basis, due_on))
    proposals = {(p.subject_type_id, p.subject_id): p for p in Destruction.objects.filter(destroyed_at__isnull=True)}
    for item in found:
        content_type = ContentType.objects.get_for_model(item.subject)
        item.proposal = proposals.get((content_type.pk, item.subject.pk))
    return found


def is_due(subject_name: str, record, today: dt.date | None = None) -> Due | None:
    return next((d for d in due(today) if d.subject_name == subject_name and d.subject.pk == record.pk), None)


def free_text_fields(model) -> list[str]:
    """The fields a destruction blanks: every text field that is not a choice of codes."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and isinstance(f, models.CharField | models.TextField) and not f.choices
    ]


@transaction.atomic
def destroy(destruction: Destruction, subject, agreed_by) -> Destruction:
    """Blank the free text of every record about `subject` and of their history; complete the stub."""
    counts = []
    for record_set in plugins.subject_records(subject):
        if not record_set.destroy:
            continue
        fields = [f for f in free_text_fields(record_set.model) if f not in record_set.exclude]
        count = record_set.rows.count()
        history = 0
        if fields and count:
            record_set.rows.update(**dict.fromkeys(fields, ""))
        if record_set.history is not None:
            history_fields = [*fields, "history_change_reason"]
            history = record_set.history.update(**dict.fromkeys(history_fields, ""))
        if count or history:
            counts.append(f"{record_set.title}: {count} records, {history} history rows")
    destruction.records = "\n".join(counts)
    destruction.agreed_by = agreed_by
    destruction.destroyed_at = timezone.now()
    destruction.save()
    return destruction


def governance_leads():
    return User.objects.filter(
        is_active=True,
        groups__permissions__codename="govern_information",
        groups__permissions__content_type__app_label="peersupport",
    ).distinct()


def scan_retention(now=None) -> int:
    """Weekly: tell each information governance lead of records that have become due for review
    (once per subject: the outbox key holds the subject and the stage)."""
    now = now or timezone.now()
    items = [item for item in due(timezone.localdate(now)) if item.proposal is None]
    if not items:
        return 0
    leads = list(governance_leads().values_list("pk", flat=True))
    url = reverse("governance:retention")
    rows = [
        reminders.reminder_for(
            kind=KIND,
            obj=item.subject,
            recipient_id=lead,
            stage="retention-due",
            title=f"Records due for a retention review ({item.basis})",
            body=f"Record {item.subject.pk} was due for review on {item.due_on:%d %b %Y}.",
            url=url,
        )
        for item in items
        for lead in leads
    ]
    return reminders.queue(rows)


def register() -> None:
    plugins.register_kind(KIND, "Records due for a retention review", email_default=True)
    plugins.register_scan(scan_retention, every=timedelta(days=7), name="peersupport.governance.scan_retention")
