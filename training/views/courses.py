"""Courses, course runs (cohorts), sessions, enrolment, attendance, module completion, certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peersupport import reminders

from .. import forms
from ..kinds import NotificationKind
from ..models import (
    Attendance,
    Cohort,
    Course,
    Enrolment,
    Module,
    ModuleCompletion,
    Session,
    Trainee,
)
from ..rules import runs_training
from .common import GET_POST, require_training_team


@require_GET
@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.visible_to(request.user).annotate(
        module_count=Count("modules", distinct=True), cohort_count=Count("cohorts", distinct=True)
    )
    return render(request, "training/course_list.html", {"courses": courses, "can_edit": runs_training(request.user)})


@GET_POST
@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    require_training_team(request.user)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        messages.success(request, f"{course} added. Add its modules next.")
        return redirect(course)
    return render(request, "training/form.html", {"form": form, "title": "Add a course"})


@require_GET
@login_required
def course_detail(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_pk)
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .filter(course=course)
        .annotate(enrolled=Count("enrolments", filter=Q(enrolments__withdrawn_at__isnull=True)))
    )
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "modules": list(course.modules.all()),
            "cohorts": cohorts,
            "can_edit": runs_training(request.user),
        },
    )


@GET_POST
@login_required
def course_edit(request: HttpRequest, course_pk: int) -> HttpResponse:
    require_training_team(request.user)
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_pk)
    form = forms.CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{course} updated.")
        return redirect(course)
    return render(request, "training/form.html", {"form": form, "title": f"Edit {course}", "back": course})


@GET_POST
@login_required
def module_edit(request: HttpRequest, module_pk: int) -> HttpResponse:
    require_training_team(request.user)
    module = get_object_or_404(
        Module.objects.filter(course__in=Course.objects.visible_to(request.user)).select_related("course"),
        pk=module_pk,
    )
    form = forms.ModuleForm(request.POST or None, instance=module, course=module.course)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Module “{module}” updated.")
        return redirect(module.course)
    return render(
        request, "training/form.html", {"form": form, "title": f"Edit the module “{module}”", "back": module.course}
    )


@GET_POST
@login_required
def module_create(request: HttpRequest, course_pk: int) -> HttpResponse:
    require_training_team(request.user)
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_pk)
    form = forms.ModuleForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        module = form.save()
        messages.success(request, f"Module “{module}” added.")
        return redirect(course)
    return render(request, "training/form.html", {"form": form, "title": f"Add a module to {course}", "back": course})


@GET_POST
@login_required
def cohort_create(request: HttpRequest, course_pk: int) -> HttpResponse:
    require_training_team(request.user)
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_pk)
    form = forms.CohortForm(request.POST or None, course=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, f"{cohort.name} added. Add its sessions and enrol people.")
        return redirect(cohort)
    return render(request, "training/form.html", {"form": form, "title": f"New run of {course}", "back": course})


def _cohort(request: HttpRequest, cohort_pk: int) -> Cohort:
    return get_object_or_404(Cohort.objects.visible_to(request.user).select_related("course"), pk=cohort_pk)


def _current_enrolments(cohort: Cohort, user):
    """The run's people the user may see (the development team: peer workers and people not employed)."""
    return (
        cohort.enrolments.current()
        .filter(trainee__in=Trainee.objects.visible_to(user))
        .select_related("trainee__user")
        .order_by("trainee__full_name")
    )


@require_GET
@login_required
def cohort_detail(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = _cohort(request, cohort_pk)
    modules = list(cohort.course.modules.all())
    sessions = list(
        cohort.sessions.select_related("module").annotate(
            present=Count("attendance", filter=Q(attendance__attended=True))
        )
    )
    enrolments = list(
        _current_enrolments(cohort, request.user)
        .prefetch_related(
            Prefetch(
                "module_completions",
                queryset=ModuleCompletion.objects.only("enrolment_id", "module_id", "completed_on"),
            )
        )
        .annotate(sessions_attended=Count("attendance", filter=Q(attendance__attended=True)))
    )
    for enrolment in enrolments:
        done = {c.module_id: c.completed_on for c in enrolment.module_completions.all()}
        enrolment.module_cells = [(module, done.get(module.pk)) for module in modules]
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": sessions,
            "enrolments": enrolments,
            "modules": modules,
            "facilitators": list(cohort.facilitators.all()),
            "places_left": max(cohort.places - len(enrolments), 0),
        },
    )


@GET_POST
@login_required
def cohort_edit(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = _cohort(request, cohort_pk)
    form = forms.CohortForm(request.POST or None, instance=cohort, course=cohort.course, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{cohort.name} updated.")
        return redirect(cohort)
    return render(request, "training/form.html", {"form": form, "title": f"Edit {cohort}", "back": cohort})


@GET_POST
@login_required
def session_edit(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.filter(cohort__in=Cohort.objects.visible_to(request.user)).select_related("cohort__course"),
        pk=session_pk,
    )
    form = forms.SessionForm(request.POST or None, instance=session, cohort=session.cohort)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Session on {session} updated.")
        return redirect(session.cohort)
    return render(
        request, "training/form.html", {"form": form, "title": f"Edit the session on {session}", "back": session.cohort}
    )


@GET_POST
@login_required
def session_create(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = _cohort(request, cohort_pk)
    form = forms.SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, f"Session on {session} added.")
        return redirect(cohort)
    return render(
        request, "training/form.html", {"form": form, "title": f"Add a session to {cohort.name}", "back": cohort}
    )


def _enrol(request: HttpRequest, cohort: Cohort, trainee: Trainee, enrolled_on) -> None:
    Enrolment.objects.create(cohort=cohort, trainee=trainee, enrolled_on=enrolled_on, enrolled_by=request.user)
    messages.success(request, f"{trainee} enrolled on {cohort.name}.")


@GET_POST
@login_required
def enrol_staff(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = _cohort(request, cohort_pk)
    form = forms.EnrolStaffForm(request.POST or None, cohort=cohort, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _enrol(request, cohort, Trainee.for_user(form.cleaned_data["worker"]), form.cleaned_data["enrolled_on"])
        return redirect(cohort)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Enrol a member of staff on {cohort.name}", "back": cohort},
    )


@GET_POST
@login_required
def enrol_trainee(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """Someone not employed by the trust: a new trainee, or one recorded already."""
    cohort = _cohort(request, cohort_pk)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("which")
    new_form = forms.EnrolTraineeForm(posted if which == "new" else None, cohort=cohort, prefix="new")
    existing_form = forms.EnrolExistingForm(
        posted if which == "existing" else None, cohort=cohort, user=request.user, prefix="existing"
    )
    if which == "new" and new_form.is_valid():
        with transaction.atomic():
            _enrol(request, cohort, new_form.save(), new_form.cleaned_data["enrolled_on"])
        return redirect(cohort)
    if which == "existing" and existing_form.is_valid():
        _enrol(request, cohort, existing_form.cleaned_data["trainee"], existing_form.cleaned_data["enrolled_on"])
        return redirect(cohort)
    return render(
        request, "training/enrol_trainee.html", {"cohort": cohort, "new_form": new_form, "existing_form": existing_form}
    )


@GET_POST
@login_required
def attendance(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.filter(cohort__in=Cohort.objects.visible_to(request.user)).select_related(
            "cohort__course", "module"
        ),
        pk=session_pk,
    )
    enrolments = _current_enrolments(session.cohort, request.user)
    present = list(session.attendance.filter(attended=True).values_list("enrolment_id", flat=True))
    form = forms.AttendanceForm(
        request.POST or None, session=session, enrolments=enrolments, initial={"attended": present}
    )
    if request.method == "POST" and form.is_valid():
        came = {e.pk for e in form.cleaned_data["attended"]}
        with transaction.atomic():
            for enrolment in enrolments:
                Attendance.objects.update_or_create(
                    session=session,
                    enrolment=enrolment,
                    defaults={"attended": enrolment.pk in came, "recorded_by": request.user},
                )
        messages.success(request, f"Attendance for {session} saved: {len(came)} attended.")
        return redirect(session.cohort)
    return render(request, "training/attendance.html", {"session": session, "form": form, "cohort": session.cohort})


@GET_POST
@login_required
def module_completions(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = _cohort(request, cohort_pk)
    enrolments = _current_enrolments(cohort, request.user)
    form = forms.ModuleCompletionForm(
        request.POST or None, cohort=cohort, enrolments=enrolments, initial={"module": request.GET.get("module")}
    )
    if request.method == "POST" and form.is_valid():
        module: Module = form.cleaned_data["module"]
        completed = []
        with transaction.atomic():
            for enrolment in form.cleaned_data["enrolments"]:
                ModuleCompletion.objects.update_or_create(
                    enrolment=enrolment,
                    module=module,
                    defaults={"completed_on": form.cleaned_data["completed_on"], "recorded_by": request.user},
                )
                if enrolment.refresh_completion():
                    completed.append(enrolment.trainee.display_name)
        messages.success(request, f"“{module}” recorded as completed for {len(form.cleaned_data['enrolments'])}.")
        if completed:
            messages.success(request, f"Course completed: {', '.join(completed)}. Their certificates are ready.")
        return redirect(cohort)
    return render(request, "training/module_completions.html", {"cohort": cohort, "form": form})


@GET_POST
@login_required
def invite(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """Invite someone on the register (trained, not in role) to a run, by email through the outbox."""
    cohort = _cohort(request, cohort_pk)
    form = forms.InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        trainee = form.cleaned_data["trainee"]
        reminders.queue(
            [
                reminders.reminder_for(
                    kind=NotificationKind.INVITATION,
                    obj=cohort,
                    recipient_id=None,
                    recipient_email=trainee.contact_email,
                    stage=f"invite-{trainee.pk}",
                    title=f"You are invited to {cohort}",
                    body=form.cleaned_data["message"]
                    or f"{cohort.course} runs from {cohort.starts_on:%-d %b %Y} to {cohort.ends_on:%-d %b %Y}"
                    + (f" at {cohort.venue}." if cohort.venue else "."),
                    context={"trainee_id": trainee.pk, "trainee_name": trainee.display_name},
                )
            ]
        )
        reminders.dispatch_soon()
        messages.success(request, f"Invitation to {cohort.name} sent to {trainee}.")
        return redirect(cohort)
    return render(
        request,
        "training/form.html",
        {"form": form, "title": f"Invite someone to {cohort.name}", "back": cohort, "submit": "Send invitation"},
    )


@require_GET
@login_required
def certificate(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user)
        .current()
        .filter(completed_on__isnull=False)
        .select_related("trainee__user", "cohort__course"),
        pk=enrolment_pk,
    )
    if enrolment.trainee.user_id is None and not runs_training(request.user):
        raise Http404
    return render(
        request,
        "training/certificate.html",
        {
            "enrolment": enrolment,
            "modules": list(enrolment.cohort.course.modules.all()),
            "facilitators": list(enrolment.cohort.facilitators.all()),
            "back": reverse("training:overview"),
        },
    )
