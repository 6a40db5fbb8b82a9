"""Agreements and sessions. Dates and attendance: whoever may see the agreement. What was discussed,
actions and wellbeing notes: the supervisor and the supervisee only (SessionQuerySet.in_room)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from peersupport.audit import log_view
from peersupport.reauth import personal_data_download

from .. import ics, services
from ..forms import ActionForm, AgreementForm, ContentForm, SessionForm
from ..models import Action, Agreement, Session, SessionContent, SessionStatus
from .common import GET_POST, form_page


def _agreement(request: HttpRequest, agreement_pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("supervisor", "supervisee"), pk=agreement_pk
    )


def _session_in_room(request: HttpRequest, session_pk: int) -> Session:
    return get_object_or_404(
        Session.objects.in_room(request.user).select_related("agreement__supervisor", "agreement__supervisee"),
        pk=session_pk,
    )


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = Agreement.objects.visible_to(user).select_related("supervisor", "supervisee")
    return render(
        request,
        "supervision/overview.html",
        {
            "as_supervisee": list(mine.filter(supervisee=user)),
            "as_supervisor": list(mine.filter(supervisor=user)),
            "today": timezone.localdate(),
            "can_create": user.is_manager or user.is_development_team,
            "sees_compliance": user.is_manager or user.is_development_team,
        },
    )


@GET_POST
@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_manager or request.user.is_development_team):
        raise PermissionDenied
    form = AgreementForm(request.POST if request.method == "POST" else None, user=request.user)
    form.instance.created_by = request.user
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        agreement.refresh_due()
        messages.success(request, "Agreement saved.")
        return redirect(agreement)
    return form_page(
        request, form, title="New supervision agreement", submit="Save agreement", cancel="supervision:overview"
    )


@require_GET
@login_required
def agreement_detail(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = _agreement(request, agreement_pk)
    sessions = list(agreement.sessions.order_by("-starts_at"))
    return render(
        request,
        "supervision/agreement_detail.html",
        {
            "agreement": agreement,
            "sessions": sessions,
            "in_room": agreement.in_room(request.user),
            "can_record": agreement.can_record_sessions(request.user),
            "can_change": agreement.can_change(request.user),
            "days_overdue": agreement.days_overdue(),
        },
    )


@GET_POST
@login_required
def agreement_edit(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = _agreement(request, agreement_pk)
    if not agreement.can_change(request.user):
        raise PermissionDenied
    form = AgreementForm(request.POST if request.method == "POST" else None, instance=agreement, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        agreement.refresh_due()
        messages.success(request, "Agreement changed.")
        return redirect(agreement)
    return form_page(
        request, form, title="Change the agreement", submit="Save changes", cancel=agreement.get_absolute_url()
    )


@GET_POST
@login_required
def session_create(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = _agreement(request, agreement_pk)
    if not agreement.can_record_sessions(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST if request.method == "POST" else None, initial={"status": SessionStatus.SCHEDULED})
    form.instance.agreement = agreement
    form.instance.recorded_by = request.user
    if request.method == "POST" and form.is_valid():
        session = services.schedule_session(session=form.save(commit=False), by=request.user)
        messages.success(request, "Session saved. Both of you get a calendar file for a session still to come.")
        return redirect(session)
    return form_page(
        request,
        form,
        title=f"Book or record a session with {agreement.supervisee}",
        submit="Save session",
        cancel=agreement.get_absolute_url(),
        intro="Book a session to come, or record one already held, cancelled or not attended.",
    )


@require_GET
@login_required
def session_detail(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    log_view(request, session)
    content = SessionContent.objects.visible_to(request.user).filter(session=session).first()
    actions = Action.objects.visible_to(request.user).filter(session=session).select_related("owner")
    return render(
        request,
        "supervision/session_detail.html",
        {
            "session": session,
            "agreement": session.agreement,
            "content": content,
            "actions": list(actions),
            "is_supervisor": request.user.pk == session.agreement.supervisor_id,
            "signed_by_me": session.signed_off_by(request.user),
        },
    )


@GET_POST
@login_required
def session_edit(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    if not session.agreement.can_record_sessions(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST if request.method == "POST" else None, instance=session)
    if request.method == "POST" and form.is_valid():
        services.change_session(session=form.save(commit=False), changed=form.changed_data)
        messages.success(request, "Session changed.")
        return redirect(session)
    return form_page(
        request, form, title="Change the session", submit="Save changes", cancel=session.get_absolute_url()
    )


@GET_POST
@login_required
def session_notes(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    content = SessionContent.objects.visible_to(request.user).filter(session=session).first()
    content = content or SessionContent(session=session, updated_by=request.user)
    form = ContentForm(request.POST if request.method == "POST" else None, instance=content)
    if request.method == "POST" and form.is_valid():
        services.save_content(content=form.save(commit=False), by=request.user, changed=bool(form.changed_data))
        messages.success(request, "Notes saved. If the record had been signed off, both of you sign it off again.")
        return redirect(session)
    return form_page(
        request,
        form,
        title="What we discussed",
        submit="Save notes",
        cancel=session.get_absolute_url(),
        intro="Only the two of you can read these notes.",
    )


@GET_POST
@login_required
def action_create(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    form = ActionForm(request.POST if request.method == "POST" else None, session=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action added.")
        return redirect(session)
    return form_page(
        request, form, title="Add an action agreed", submit="Add action", cancel=session.get_absolute_url()
    )


@require_POST
@login_required
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.visible_to(request.user).select_related("session"), pk=action_pk)
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save(update_fields=["done_on"])
        messages.success(request, "Action marked as done.")
    return redirect(action.session)


@require_POST
@login_required
def session_sign_off(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    try:
        session.sign_off(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You signed off this session's record.")
    return redirect(session)


@require_GET
@login_required
@personal_data_download
def session_calendar(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _session_in_room(request, session_pk)
    method = ics.CANCEL if session.status == SessionStatus.CANCELLED else ics.REQUEST
    response = HttpResponse(ics.ics_bytes(ics.snapshot(session, method)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supervision-{session.pk}.ics"'
    return response
