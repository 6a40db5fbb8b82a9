"""The audit: who did what to which record, about whom, when and from where.

`record` writes one AuditEvent. Events are only ever added: the model refuses changes and deletes, and
on PostgreSQL a trigger refuses UPDATE and DELETE on its table. Never put clinical text in `detail`:
name the fields or the download, not what they hold.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, RecordView

# Actions. Apps may use their own short codes too; these are the core's.
SIGN_IN = "sign-in"
SIGN_OUT = "sign-out"
SIGN_IN_FAILED = "sign-in-failed"
VIEW = "view"
CREATE = "create"
CHANGE = "change"
REFUSED = "refused"
DOWNLOAD = "download"
LOCKED_OUT = "locked-out"
UNLOCKED = "unlocked"


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR: set the proxy to pass the client's own)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor=None,
    actor_email: str = "",
    target: models.Model | None = None,
    subject: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add one event to the audit. The actor defaults to the request's signed-in user."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor_email or (actor.email if actor is not None else ""),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        method=request.method if request is not None else "",
        path=request.path[:255] if request is not None else "",
        ip_address=client_ip(request),
        detail=detail[:255],
    )


def log_view(request: HttpRequest, record: models.Model) -> None:
    """Record that the signed-in user viewed a sensitive record."""
    RecordView.objects.create(
        viewer=request.user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        path=request.path[:255],
    )


def log_views(request: HttpRequest, records: models.QuerySet) -> None:
    """Record that the signed-in user viewed every record in `records` (a download of a list):
    one row each, written by one INSERT ... SELECT however many there are."""
    table, ops = RecordView._meta.db_table, connection.ops
    chosen, params = records.order_by().values("pk").query.sql_with_params()
    source = records.model._meta
    # Names come from the models' metadata; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (viewer_id, content_type_id, object_id, viewed_at, path) "  # noqa: S608
        f"SELECT %s, %s, {source.pk.column}, %s, %s FROM {source.db_table} WHERE {source.pk.column} IN ({chosen})"
    )
    content_type = ContentType.objects.get_for_model(records.model)
    now = ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [request.user.pk, content_type.pk, now, request.path[:255], *params])
