"""The audit: who did what to which record, about whom, when and from where.

`record` writes one AuditEvent. Events are only ever added: the model refuses changes and deletes, and
on PostgreSQL a trigger refuses UPDATE and DELETE on its table. Never put clinical text in `detail`:
name the fields or the download, not what they hold.

What is recorded by itself:
- every write of a model with history (django-simple-history's post_create_historical_record): create,
  change (naming the fields changed, never their values) or delete, with the record and whom it is about;
- every view of a sensitive record (`log_view`, `log_views`, called by the views);
- every refused request of a signed-in user (a 404 or 403: `RefusalsMiddleware`).
Whom a record is about comes from the apps' registrations (`plugins.register_audit_subjects`).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from . import plugins
from .models import AuditEvent

# Actions. Apps may use their own short codes too; these are the core's.
SIGN_IN = "sign-in"
SIGN_OUT = "sign-out"
SIGN_IN_FAILED = "sign-in-failed"
VIEW = "view"
CREATE = "create"
CHANGE = "change"
DELETE = "delete"
REFUSED = "refused"
DOWNLOAD = "download"
LOCKED_OUT = "locked-out"
UNLOCKED = "unlocked"

ACTIONS = {
    SIGN_IN: "Signed in",
    SIGN_OUT: "Signed out",
    SIGN_IN_FAILED: "Failed sign-in",
    VIEW: "Viewed a record",
    CREATE: "Created a record",
    CHANGE: "Changed a record",
    DELETE: "Deleted a record",
    REFUSED: "Refused access",
    DOWNLOAD: "Downloaded",
    LOCKED_OUT: "Locked out",
    UNLOCKED: "Unlocked",
}

_HISTORY_ACTIONS = {"+": CREATE, "~": CHANGE, "-": DELETE}


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR: set the proxy to pass the client's own)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def subject_of(instance: models.Model) -> tuple[int | None, int | None]:
    """(content type id, pk) of whom a record is about, from its app's registration; (None, None) if nobody.

    A chain ("session__agreement__supervisee") follows the related records (a query for each one not
    already loaded); the last step reads the foreign key's id, so a direct key costs nothing."""
    for path in plugins.audit_subject_paths(instance._meta.concrete_model) or ():
        if path == "":
            return _content_type_id(instance._meta.concrete_model), instance.pk
        *through, last = path.split("__")
        obj = instance
        for name in through:
            obj = getattr(obj, name)
            if obj is None:
                break
        else:
            field = obj._meta.get_field(last)
            value = getattr(obj, field.attname)
            if value is not None:
                return _content_type_id(field.related_model), value
    return None, None


def _subject_ids(subject: models.Model | None) -> tuple[int | None, int | None]:
    if subject is None:
        return None, None
    return _content_type_id(subject._meta.concrete_model), subject.pk


def _actor(request: HttpRequest | None, actor):
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return actor


_COLUMNS = "at, actor_id, actor_email, action, target_type_id, target_id, subject_type_id, subject_id, method, path, "
_COLUMNS += "ip_address, detail"


def _inet() -> str:
    return "CAST(%s AS inet)" if connection.vendor == "postgresql" else "%s"


def _write(action, *, request, actor, actor_email, target, subject_ids, detail, returning: bool = True):
    """One event. `returning=False` (views and writes, on every page) writes it by a plain INSERT:
    the ORM took longer to build that INSERT than the database takes to run it."""
    actor = _actor(request, actor)
    subject_type_id, subject_id = subject_ids
    event = {
        "actor_id": actor.pk if actor is not None else None,
        "actor_email": actor_email or (actor.email if actor is not None else ""),
        "action": action,
        "target_type_id": _content_type_id(target._meta.concrete_model) if target is not None else None,
        "target_id": target.pk if target is not None else None,
        "subject_type_id": subject_type_id,
        "subject_id": subject_id,
        "method": request.method if request is not None else "",
        "path": request.path[:255] if request is not None else "",
        "ip_address": client_ip(request),
        "detail": detail[:255],
    }
    if returning:
        return AuditEvent.objects.create(**event)
    values = [connection.ops.adapt_datetimefield_value(timezone.now()), *event.values()]
    sql = f"INSERT INTO {AuditEvent._meta.db_table} ({_COLUMNS}) VALUES ({', '.join(['%s'] * 10)}, {_inet()}, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    return None


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
    """Add one event to the audit (one INSERT). The actor defaults to the request's signed-in user;
    the subject, when not given, is whom the target is about (its app's registration)."""
    if subject is not None:
        subject_ids = _subject_ids(subject)
    else:
        subject_ids = subject_of(target) if target is not None else (None, None)
    return _write(
        action,
        request=request,
        actor=actor,
        actor_email=actor_email,
        target=target,
        subject_ids=subject_ids,
        detail=detail,
    )


def log_view(request: HttpRequest, record: models.Model) -> None:
    """Record that the signed-in user viewed a sensitive record (one INSERT; whom it is about from
    the record's app's registration)."""
    _write(
        VIEW,
        request=request,
        actor=None,
        actor_email="",
        target=record,
        subject_ids=subject_of(record),
        detail="",
        returning=False,
    )


def _subject_columns(model) -> dict[str, models.Expression]:
    """Expressions for the subject's content type and id of each row of `model`, for log_views."""
    paths = plugins.audit_subject_paths(model._meta.concrete_model) or ()
    if not paths:
        nobody = Value(None, output_field=IntegerField())
        return {"audit_st": nobody, "audit_s": nobody}
    whens, ids = [], []
    for path in paths:
        if path == "":
            whens.append(When(pk__isnull=False, then=Value(_content_type_id(model._meta.concrete_model))))
            ids.append(F("pk"))
            continue
        *through, last = path.split("__")
        owner = model
        for name in through:
            owner = owner._meta.get_field(name).related_model
        related = owner._meta.get_field(last).related_model
        whens.append(When(**{f"{path}__isnull": False}, then=Value(_content_type_id(related))))
        ids.append(F(path))
    subject_id = ids[0] if len(ids) == 1 else Coalesce(*ids, output_field=IntegerField())
    return {"audit_st": Case(*whens, default=None, output_field=IntegerField()), "audit_s": subject_id}


def log_views(request: HttpRequest, records: models.QuerySet) -> None:
    """Record that the signed-in user viewed every record in `records` (a download of a list):
    one row each, written by one INSERT ... SELECT however many there are."""
    ops = connection.ops
    chosen, params = (
        records.order_by().values(audit_t=F("pk"), **_subject_columns(records.model)).query.sql_with_params()
    )
    # Names come from the models' metadata; every value is a parameter.
    sql = (
        f"INSERT INTO {AuditEvent._meta.db_table} ({_COLUMNS}) "  # noqa: S608
        f"SELECT %s, %s, %s, %s, %s, chosen.audit_t, chosen.audit_st, chosen.audit_s, %s, %s, {_inet()}, %s "
        f"FROM ({chosen}) chosen"
    )
    user = request.user
    values = [
        ops.adapt_datetimefield_value(timezone.now()),
        user.pk,
        user.email,
        VIEW,
        _content_type_id(records.model._meta.concrete_model),
        request.method,
        request.path[:255],
        client_ip(request),
        "",
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])


def find_staff(text: str):
    """Members of staff whose email is `text`, or whose names hold every word of it."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    User = get_user_model()
    if "@" in text:
        return User.objects.filter(email__iexact=text.strip())
    query = Q()
    for word in text.split():
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    return User.objects.filter(query)


# Writes: one event for each historical record django-simple-history writes ----------------------

_LOADED = "_audit_loaded"


def remember_loaded_values(sender, instance, **kwargs) -> None:
    """post_init of a model with history: keep the values it was loaded with, so that a change names
    the fields it changed without reading the previous version back."""
    instance.__dict__[_LOADED] = dict(instance.__dict__)


def changed_fields(instance: models.Model, history_instance) -> list[str] | None:
    loaded = instance.__dict__.get(_LOADED)
    if loaded is None:
        previous = history_instance.prev_record
        if previous is None:
            return None
        return sorted(change.field for change in history_instance.diff_against(previous).changes)
    names = []
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now", False) or field.attname not in loaded:
            continue
        if loaded[field.attname] != instance.__dict__.get(field.attname):
            names.append(field.name)
    return names


@receiver(post_create_historical_record)
def record_write(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    action = _HISTORY_ACTIONS.get(history_instance.history_type, CHANGE)
    detail = ""
    if action == CHANGE:
        names = changed_fields(instance, history_instance)
        if names is not None:
            detail = "fields: " + (", ".join(names) if names else "none")
    request = getattr(HistoricalRecords.context, "request", None)
    actor = history_user if getattr(history_user, "is_authenticated", False) else None
    _write(
        action,
        request=request,
        actor=actor,
        actor_email="",
        target=instance,
        subject_ids=subject_of(instance),
        detail=detail,
        returning=False,
    )
    instance.__dict__[_LOADED] = {k: v for k, v in instance.__dict__.items() if k != _LOADED}


def record_changes(instances: list[models.Model], *, actor=None, detail: str = "") -> None:
    """Events for records changed by a conditional UPDATE, whose history is written in bulk
    (bulk_history_create sends no signal): one `change` event each, in one INSERT."""
    if not instances:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    actor = _actor(request, actor)
    target_type = _content_type_id(instances[0]._meta.concrete_model)
    events = []
    for instance in instances:
        subject_type_id, subject_id = subject_of(instance)
        events.append(
            AuditEvent(
                actor=actor,
                actor_email=actor.email if actor is not None else "",
                action=CHANGE,
                target_type_id=target_type,
                target_id=instance.pk,
                subject_type_id=subject_type_id,
                subject_id=subject_id,
                method=request.method if request is not None else "",
                path=request.path[:255] if request is not None else "",
                ip_address=client_ip(request),
                detail=detail[:255],
            )
        )
    AuditEvent.objects.bulk_create(events)


def connect_history_models() -> None:
    """Keep the loaded values of every model with history (called once, from the core's ready())."""
    from django.apps import apps
    from django.db.models.signals import post_init

    for model in apps.get_models():
        tracked = getattr(model._meta, "simple_history_manager_attribute", None) or hasattr(model, "history")
        if tracked and not model.__name__.startswith("Historical"):
            post_init.connect(remember_loaded_values, sender=model, dispatch_uid=f"audit-{model._meta.label}")


# Refusals ----------------------------------------------------------------------------------------


class RefusalsMiddleware:
    """Record every refused request of a signed-in user: a 404 (out of their reach, or no such record)
    or a 403, with the path asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                _write(
                    REFUSED,
                    request=request,
                    actor=user,
                    actor_email="",
                    target=None,
                    subject_ids=(None, None),
                    detail=str(response.status_code),
                )
        return response
