from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from .models import RecordView


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
