"""Mandatory training subjects, a worker's training record, completions; the training overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport.models import User
from training.rules import staff_in_reach

from .. import forms
from ..compliance import rag_for
from ..models import Acknowledgement, CodeVersion, Enrolment, Trainee, TrainingCompletion, TrainingSubject, codes_for
from ..rules import may_record_for, runs_training
from .common import GET_POST, require_training_team


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Where the menu entry lands: the development team's and managers' tools, and your own record."""
    user = request.user
    if not (user.is_psw or user.is_manager or runs_training(user)):
        return redirect("training:worker-record", user_pk=user.pk)
    return render(
        request,
        "training/overview.html",
        {"runs_training": runs_training(user), "subjects": TrainingSubject.objects.visible_to(user).active()},
    )


def record_for(worker: User, viewer) -> dict:
    """A worker's training: mandatory subjects with their latest completion, peer support training,
    codes of conduct. A fixed number of queries."""
    today = timezone.localdate()
    completions = list(
        TrainingCompletion.objects.visible_to(viewer).filter(user=worker).select_related("subject", "recorded_by")
    )
    latest: dict[int, TrainingCompletion] = {}
    for completion in completions:
        if completion.withdrawn_at is None:
            best = latest.get(completion.subject_id)
            if best is None or completion.expires_on > best.expires_on:
                latest[completion.subject_id] = completion
    subjects = []
    for subject in TrainingSubject.objects.visible_to(viewer).active():
        completion = latest.get(subject.pk)
        subjects.append((subject, completion, rag_for(completion.expires_on if completion else None, today)))
    trainee = (
        Trainee.objects.filter(user=worker)
        .prefetch_related(
            Prefetch(
                "enrolments", queryset=Enrolment.objects.select_related("cohort__course").order_by("-cohort__starts_on")
            ),
            "equivalents__course",
        )
        .first()
    )
    kinds = codes_for(worker)
    versions = [v for v in CodeVersion.objects.current() if v.kind in kinds]
    acknowledged = dict(
        Acknowledgement.objects.filter(user=worker, version__in=[v.pk for v in versions]).values_list(
            "version_id", "acknowledged_at"
        )
    )
    return {
        "worker": worker,
        "subjects": subjects,
        "completions": completions,
        "trainee": trainee,
        "peer_support_trained": bool(
            trainee and Trainee.objects.completed_peer_support().filter(pk=trainee.pk).exists()
        ),
        "codes": [(v, acknowledged.get(v.pk)) for v in versions],
    }


@require_GET
@login_required
def worker_record(request: HttpRequest, user_pk: int) -> HttpResponse:
    worker = get_object_or_404(staff_in_reach(request.user), pk=user_pk)
    context = record_for(worker, request.user)
    context["can_record"] = may_record_for(request.user, worker)
    context["is_self"] = worker.pk == request.user.pk
    return render(request, "training/worker_record.html", context)


@GET_POST
@login_required
def completion_create(request: HttpRequest, user_pk: int) -> HttpResponse:
    worker = get_object_or_404(staff_in_reach(request.user), pk=user_pk)
    if not may_record_for(request.user, worker):
        raise PermissionDenied
    form = forms.CompletionForm(request.POST or None, worker=worker, user=request.user)
    if request.method == "POST" and form.is_valid():
        completion = form.save()
        messages.success(
            request, f"{completion.subject} recorded for {worker}, in date until {completion.expires_on:%-d %b %Y}."
        )
        return redirect("training:worker-record", user_pk=worker.pk)
    back = reverse("training:worker-record", args=[worker.pk])
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Record mandatory training for {worker}", "back_url": back},
    )


@GET_POST
@login_required
def completion_withdraw(request: HttpRequest, completion_pk: int) -> HttpResponse:
    completion = get_object_or_404(
        TrainingCompletion.objects.visible_to(request.user).current().select_related("user", "subject"),
        pk=completion_pk,
    )
    if not may_record_for(request.user, completion.user):
        raise PermissionDenied
    form = forms.WithdrawCompletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        completion.withdrawn_at = timezone.now()
        completion.withdrawn_reason = form.cleaned_data["reason"]
        completion._history_user = request.user
        completion.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        messages.success(request, f"{completion} marked as entered in error.")
        return redirect("training:worker-record", user_pk=completion.user_id)
    back = reverse("training:worker-record", args=[completion.user_id])
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": f"Mark {completion} as entered in error",
            "back_url": back,
            "submit": "Mark as entered in error",
        },
    )


@require_GET
@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/subject_list.html",
        {
            "subjects": TrainingSubject.objects.visible_to(request.user).active(),
            "can_edit": runs_training(request.user),
        },
    )


@GET_POST
@login_required
def subject_create(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    form = forms.SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = form.save()
        messages.success(request, f"{subject} added, renewed {subject.renewal_label}.")
        return redirect("training:subject-list")
    return render(
        request,
        "training/form.html",
        {"form": form, "title": "Add a mandatory training subject", "back_url": reverse("training:subject-list")},
    )


@GET_POST
@login_required
def subject_edit(request: HttpRequest, subject_pk: int) -> HttpResponse:
    subject = get_object_or_404(TrainingSubject.objects.visible_to(request.user), pk=subject_pk)
    if not runs_training(request.user):
        raise PermissionDenied
    form = forms.SubjectForm(request.POST or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{subject} updated.")
        return redirect("training:subject-list")
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Edit {subject}", "back_url": reverse("training:subject-list")},
    )
