"""The audit search, for administrators and the information governance lead: filter by who, whom,
action and dates, page through the events, and download the filtered events as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import audit, exports, plugins
from .models import AuditEvent
from .reauth import personal_data_download

PER_PAGE = 50
HEADER = [
    "When (UTC)",
    "Who",
    "Who's email",
    "Action",
    "Record type",
    "Record id",
    "About (type)",
    "About (id)",
    "About",
    "Method",
    "Path",
    "IP address",
    "Detail",
]


class AuditSearchForm(forms.Form):
    who = forms.CharField(
        label="Who", required=False, max_length=200, help_text="A member of staff's name or email address."
    )
    whom = forms.CharField(
        label="About whom",
        required=False,
        max_length=200,
        help_text="A person's name or NHS number, or a member of staff's name or email address.",
    )
    action = forms.ChoiceField(label="Action", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        known = dict(audit.ACTIONS)
        for action in actions:
            known.setdefault(action, action.replace("-", " ").capitalize())
        self.fields["action"].choices = [("", "Any action"), *sorted(known.items(), key=lambda item: item[1])]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filter(self, events: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["who"]:
            events = events.filter(
                Q(actor__in=audit.find_staff(data["who"]).values("pk")) | Q(actor_email__icontains=data["who"].strip())
            )
        if data["whom"]:
            about = Q(pk__in=[])
            for label, find in plugins.audit_searches().items():
                content_type = ContentType.objects.get_for_model(_model(label))
                about |= Q(subject_type=content_type, subject_id__in=find(data["whom"]).values("pk"))
            events = events.filter(about)
        if data["action"]:
            events = events.filter(action=data["action"])
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time(), tzinfo=zone))
        if data["date_to"]:
            end = data["date_to"] + dt.timedelta(days=1)
            events = events.filter(at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone))
        return events


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _searched(request: HttpRequest) -> tuple[AuditSearchForm, QuerySet, bool]:
    """The form and the events it selects; the bool says the filters were valid."""
    if not request.user.can_search_audit:
        raise Http404
    actions = list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
    form = AuditSearchForm(request.GET or None, actions=actions)
    events = AuditEvent.objects.select_related("actor", "target_type", "subject_type").prefetch_related("subject")
    if not form.is_bound:
        return form, events, True
    if not form.is_valid():
        return form, events.none(), False
    return form, form.filter(events), True


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    form, events, valid = _searched(request)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "valid": valid, "query": query.urlencode(), "labels": audit.ACTIONS},
    )


def _rows(events: QuerySet) -> Iterator[list]:
    for event in events.iterator(chunk_size=2000):
        yield [
            event.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            str(event.actor) if event.actor else "",
            event.actor_email,
            audit.ACTIONS.get(event.action, event.action),
            event.target_type.name if event.target_type else "",
            event.target_id,
            event.subject_type.name if event.subject_type else "",
            event.subject_id,
            str(event.subject) if event.subject is not None else "",
            event.method,
            event.path,
            event.ip_address or "",
            event.detail,
        ]


def _download(request: HttpRequest, extension: str) -> HttpResponse:
    form, events, valid = _searched(request)
    if not valid:
        context = {"form": form, "page": None, "valid": False, "query": "", "labels": audit.ACTIONS}
        return render(request, "audit/search.html", context)
    audit.record(audit.DOWNLOAD, request=request, detail=f"audit search, {extension}")
    if extension == "csv":
        return exports.csv_response("audit", HEADER, _rows(events))
    return exports.xlsx_response("audit", "Audit", HEADER, _rows(events))


@require_GET
@login_required
@personal_data_download
def search_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@require_GET
@login_required
@personal_data_download
def search_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")
