from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .models import RecordView


def log_view(request: HttpRequest, record: models.Model) -> None:
    """Record that the signed-in user viewed a sensitive record."""
    RecordView.objects.create(
        viewer=request.user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        path=request.path[:255],
    )
