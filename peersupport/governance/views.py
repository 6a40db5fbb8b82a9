"""The information governance pages: find a person, subject access requests, the retention review.

For the information governance lead and clinical reviewers only (everyone else: 404). Every step is
audited (peersupport.audit.record); the records come from the apps through peersupport.plugins.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import audit, plugins
from ..governance_models import Destruction, RequestStatus, SubjectAccessRequest
from ..reauth import personal_data_download
from . import export, retention
from .forms import DestructionForm, RequestForm, ReviewForm, SearchForm

SEARCH = "subject-search"
OPEN, PREPARE, REVIEW_VIEW, RELEASE, WITHHOLD, DOWNLOAD = (
    "sar-open",
    "sar-prepare",
    "sar-review-view",
    "sar-release",
    "sar-withhold",
    "sar-download",
)
PROPOSE_DESTRUCTION, DESTROY = "retention-propose", "retention-destroy"


def _lead(request: HttpRequest) -> None:
    if not request.user.is_information_governance_lead:
        raise Http404


def _governance(request: HttpRequest) -> None:
    if not (request.user.is_information_governance_lead or request.user.is_clinical_reviewer):
        raise Http404


def _subject(user, subject_name: str, governed_pk: int):
    """The subject named in the URL, if this user may govern it; else 404."""
    source = next((s for s in plugins.subjects() if s.name == subject_name), None)
    found = source.get(user, governed_pk) if source is not None else None
    if found is None:
        raise Http404
    return found


def _subject_of(item):
    """The subject a request or a destruction names (it is never out of the lead's reach)."""
    model = item.subject_type.model_class()
    return model._default_manager.get(pk=item.subject_id)


def _subjects_of(items) -> list:
    """The subjects of many requests: one query per kind of subject, however many requests."""
    wanted: dict = {}
    for item in items:
        wanted.setdefault(item.subject_type, set()).add(item.subject_id)
    found = {
        (content_type.pk, pk): subject
        for content_type, pks in wanted.items()
        for pk, subject in content_type.model_class()._default_manager.in_bulk(pks).items()
    }
    return [found[(item.subject_type_id, item.subject_id)] for item in items]


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    _governance(request)
    requests = SubjectAccessRequest.objects.visible_to(request.user).select_related("subject_type", "opened_by")
    form, people = SearchForm(request.GET or None), None
    if request.user.is_information_governance_lead and form.is_valid():
        data = form.cleaned_data
        people = []
        for source in plugins.subjects():
            found = list(source.search(request.user, data["words"].strip(), data["born_on"])[:50])
            people += [(source.name, person) for person in found]
        audit.record(SEARCH, request=request, detail=f"by {form.search_by()}: {len(people)} found")
    if request.user.is_information_governance_lead:
        shown = list(requests[:200])
    else:
        shown = list(requests.filter(status=RequestStatus.PREPARED))
    context = {"form": form, "people": people, "rows": list(zip(shown, _subjects_of(shown), strict=True))}
    return render(request, "governance/home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def request_new(request: HttpRequest, subject_name: str, governed_pk: int) -> HttpResponse:
    _lead(request)
    subject = _subject(request.user, subject_name, governed_pk)
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save(commit=False)
            item.subject_type = ContentType.objects.get_for_model(subject)
            item.subject_id = subject.pk
            item.opened_by = request.user
            item.save()
            audit.record(OPEN, request=request, target=item, subject=subject)
        messages.success(request, "Subject access request opened. Prepare the export when you are ready.")
        return redirect("governance:request-detail", request_pk=item.pk)
    return render(request, "governance/request_form.html", {"form": form, "subject": subject})


def _request(request: HttpRequest, request_pk: int) -> SubjectAccessRequest:
    _governance(request)
    queryset = SubjectAccessRequest.objects.visible_to(request.user).select_related(
        "subject_type", "opened_by", "prepared_by", "reviewed_by"
    )
    return get_object_or_404(queryset, pk=request_pk)


@require_GET
@login_required
def request_detail(request: HttpRequest, request_pk: int) -> HttpResponse:
    item = _request(request, request_pk)
    subject = _subject_of(item)
    is_reviewer = request.user.is_clinical_reviewer
    preview = None
    if is_reviewer and item.status != RequestStatus.OPEN:
        preview = mark_safe(export.document_body(bytes(item.export)))  # noqa: S308  (built by our templates, escaped)
        audit.record(REVIEW_VIEW, request=request, target=item, subject=subject)
    context = {
        "item": item,
        "subject": subject,
        "preview": preview,
        "review_form": ReviewForm() if is_reviewer and item.is_prepared else None,
        "can_prepare": request.user.is_information_governance_lead
        and item.status in (RequestStatus.OPEN, RequestStatus.PREPARED),
        "can_download": request.user.is_information_governance_lead and item.is_released,
    }
    return render(request, "governance/request_detail.html", context)


@require_POST
@login_required
def request_prepare(request: HttpRequest, request_pk: int) -> HttpResponse:
    _lead(request)
    with transaction.atomic():
        item = get_object_or_404(
            SubjectAccessRequest.objects.visible_to(request.user).select_for_update(), pk=request_pk
        )
        if item.status not in (RequestStatus.OPEN, RequestStatus.PREPARED):
            messages.error(request, "This export has been reviewed already: it cannot be prepared again.")
            return redirect("governance:request-detail", request_pk=item.pk)
        subject = _subject_of(item)
        name, content = export.build(item, subject)
        item.export, item.export_name = content, name
        item.status, item.prepared_by, item.prepared_at = RequestStatus.PREPARED, request.user, timezone.now()
        item.save()
        audit.record(PREPARE, request=request, target=item, subject=subject, detail=f"{len(content)} bytes")
    messages.success(request, "Export prepared. A clinical reviewer must release it before you can download it.")
    return redirect("governance:request-detail", request_pk=item.pk)


@require_http_methods(["GET", "POST"])
@login_required
def request_review(request: HttpRequest, request_pk: int) -> HttpResponse:
    if not request.user.is_clinical_reviewer:
        raise Http404
    item = _request(request, request_pk)
    if request.method == "GET":
        return redirect("governance:request-detail", request_pk=item.pk)
    form = ReviewForm(request.POST)
    subject = _subject_of(item)
    if not item.is_prepared:
        messages.error(request, "Only a prepared export waiting for review can be released or withheld.")
        return redirect("governance:request-detail", request_pk=item.pk)
    if not form.is_valid():
        preview = mark_safe(export.document_body(bytes(item.export)))  # noqa: S308
        context = {"item": item, "subject": subject, "preview": preview, "review_form": form}
        return render(request, "governance/request_detail.html", context, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=item.pk)
        if not locked.is_prepared:
            messages.error(request, "Another reviewer decided on this export meanwhile.")
            return redirect("governance:request-detail", request_pk=item.pk)
        release = data["decision"] == ReviewForm.RELEASE
        locked.status = RequestStatus.RELEASED if release else RequestStatus.WITHHELD
        locked.reviewed_by, locked.reviewed_at = request.user, timezone.now()
        locked.review_notes = data["review_notes"]
        locked.withheld_reason = "" if release else data["withheld_reason"]
        locked.save()
        audit.record(RELEASE if release else WITHHOLD, request=request, target=locked, subject=subject)
    messages.success(request, "Export released." if release else "Export withheld.")
    return redirect("governance:request-detail", request_pk=item.pk)


@require_GET
@login_required
@personal_data_download
def request_download(request: HttpRequest, request_pk: int) -> HttpResponse:
    _lead(request)
    item = get_object_or_404(SubjectAccessRequest.objects.visible_to(request.user), pk=request_pk)
    if not item.is_released:
        raise Http404
    audit.record(DOWNLOAD, request=request, target=item, subject=_subject_of(item), detail=item.export_name)
    response = HttpResponse(bytes(item.export), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{item.export_name}"'
    response["Cache-Control"] = "no-store"
    return response


# Retention ----------------------------------------------------------------------------------------


@require_GET
@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    _governance(request)
    context = {
        "due": retention.due(),
        "done": Destruction.objects.visible_to(request.user)
        .filter(destroyed_at__isnull=False)
        .select_related("confirmed_by", "agreed_by")[:100],
        "form": DestructionForm(),
    }
    return render(request, "governance/retention.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def retention_propose(request: HttpRequest, subject_name: str, governed_pk: int) -> HttpResponse:
    _lead(request)
    subject = _subject(request.user, subject_name, governed_pk)
    item = retention.is_due(subject_name, subject)
    if item is None:
        raise Http404
    form = DestructionForm(request.POST or None)
    if request.method == "POST" and item.proposal is None and form.is_valid():
        with transaction.atomic():
            stub = form.save(commit=False)
            stub.subject_type = ContentType.objects.get_for_model(subject)
            stub.subject_id, stub.basis, stub.confirmed_by = subject.pk, item.basis, request.user
            stub.save()
            audit.record(PROPOSE_DESTRUCTION, request=request, target=stub, subject=subject)
        messages.success(request, "Destruction confirmed. It is carried out when a clinical reviewer agrees.")
        return redirect("governance:retention")
    return render(request, "governance/retention_propose.html", {"form": form, "item": item})


@require_POST
@login_required
def retention_agree(request: HttpRequest, destruction_pk: int) -> HttpResponse:
    if not request.user.is_clinical_reviewer:
        raise Http404
    with transaction.atomic():
        stub = get_object_or_404(
            Destruction.objects.visible_to(request.user).filter(destroyed_at__isnull=True).select_for_update(),
            pk=destruction_pk,
        )
        subject = _subject_of(stub)
        retention.destroy(stub, subject, request.user)
        audit.record(DESTROY, request=request, target=stub, subject=subject)
    messages.success(request, "The records' clinical text has been destroyed; the stub is kept.")
    return redirect("governance:retention")
