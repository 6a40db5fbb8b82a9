"""The subject access export: everything held about one person, as print-ready HTML and CSV in a zip.

The records come from the apps (peersupport.plugins.register_subject_records), each type with its
history; who viewed the record comes from the audit. Built synchronously when the lead prepares it: one
person's records are a few hundred rows, a fixed number of queries per record type.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from .. import plugins
from ..exports import neutralise
from ..models import AuditEvent, User

HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
CSS = Path(settings.BASE_DIR) / "static" / "css" / "governance-export.css"
DOCUMENT_START, DOCUMENT_END = "<!-- export -->", "<!-- /export -->"


def show(value) -> str:
    """A value as the export shows it: dates as 23 Nov 2026, times in London, staff by name."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    if isinstance(value, User):
        return value.get_full_name() or value.email
    if isinstance(value, Decimal | int | float):
        return str(value)
    return str(value)


@dataclass
class Column:
    name: str
    label: str
    field: models.Field | None = None

    def value(self, row) -> str:
        field = self.field
        if field is None:
            return show(getattr(row, self.name))
        if field.many_to_many:
            return "; ".join(show(item) for item in getattr(row, field.name).all())
        if field.choices:
            return show(getattr(row, f"get_{field.name}_display")())
        return show(getattr(row, field.name))


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def labelled(self) -> list[list[tuple[str, str]]]:
        labels = [column.label for column in self.columns]
        return [list(zip(labels, row, strict=True)) for row in self.rows]


def _columns(model, exclude: tuple[str, ...], history: bool) -> list[Column]:
    columns = []
    if history:
        columns += [
            Column("history_date", "Changed at"),
            Column("history_change", "Change"),
            Column("history_user", "Changed by"),
        ]
    for f in model._meta.get_fields():
        if not f.concrete or f.name in exclude or f.name in HISTORY_FIELDS:
            continue
        label = str(getattr(f, "verbose_name", f.name))
        columns.append(Column(f.name, label[:1].upper() + label[1:], f))
    return columns


def _load(queryset, columns: list[Column]) -> list:
    related = [c.field.name for c in columns if c.field is not None and c.field.many_to_one]
    many = [c.field.name for c in columns if c.field is not None and c.field.many_to_many]
    if any(c.name == "history_user" for c in columns):
        related.append("history_user")
    return list(queryset.select_related(*related).prefetch_related(*many).order_by("pk"))


def _table(slug: str, title: str, queryset, exclude: tuple[str, ...], history: bool) -> Table:
    columns = _columns(queryset.model, exclude, history)
    table = Table(slug, title, columns)
    for row in _load(queryset, columns):
        if history:
            row.history_change = CHANGE_TYPES.get(row.history_type, row.history_type)
        table.rows.append([column.value(row) for column in columns])
    return table


def viewing_events(subject, records: list[plugins.RecordSet]) -> list[list[str]]:
    """Who viewed the person's record and what was done to their records, oldest first: the audit's
    events whose subject is the person or whose target is one of their records."""
    subject_type = ContentType.objects.get_for_model(subject)
    targets = Q(subject_type=subject_type, subject_id=subject.pk)
    for record_set in records:
        content_type = ContentType.objects.get_for_model(record_set.model)
        targets |= Q(target_type=content_type, target_id__in=record_set.rows.values("pk"))
    rows = [
        (event.at, event.actor or event.actor_email, event.action, event.detail, event.path)
        for event in AuditEvent.objects.filter(targets).select_related("actor").order_by("at", "pk")
    ]
    return [[show(cell) for cell in row] for row in rows]


VIEW_HEADER = ["When", "Who", "What", "Detail", "Page"]


def collect(subject) -> list[Table]:
    tables = []
    for record_set in plugins.subject_records(subject):
        tables.append(_table(record_set.slug, record_set.title, record_set.rows, record_set.exclude, history=False))
        if record_set.history is not None:
            tables.append(
                _table(
                    f"{record_set.slug}-history",
                    f"{record_set.title}: history of changes",
                    record_set.history,
                    record_set.exclude,
                    history=True,
                )
            )
    return tables


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[neutralise(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode()


def build(request, subject) -> tuple[str, bytes]:
    """The zip's name and bytes: document.html (one readable document), export.css, one CSV per type."""
    records = plugins.subject_records(subject)
    tables = collect(subject)
    views = viewing_events(subject, records)
    context = {
        "request_obj": request,
        "subject": subject,
        "tables": tables,
        "views": views,
        "view_header": VIEW_HEADER,
        "prepared_at": timezone.now(),
    }
    body = render_to_string("governance/export_body.html", context)
    document = render_to_string("governance/export_document.html", {**context, "body": body})
    name = f"subject-access-{request.pk}-{timezone.localdate():%Y-%m-%d}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/document.html", document)
        archive.writestr(f"{name}/export.css", CSS.read_bytes())
        for table in tables:
            archive.writestr(f"{name}/csv/{table.slug}.csv", _csv([c.label for c in table.columns], table.rows))
        archive.writestr(f"{name}/csv/who-viewed.csv", _csv(VIEW_HEADER, views))
    return f"{name}.zip", buffer.getvalue()


def document_body(export: bytes) -> str:
    """The readable part of a prepared export's document, as the clinical reviewer sees it."""
    with zipfile.ZipFile(io.BytesIO(export)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/document.html"))
        html = archive.read(name).decode()
    return html[html.index(DOCUMENT_START) : html.index(DOCUMENT_END) + len(DOCUMENT_END)]
