"""Workflows across several models: scheduling and changing sessions (with their calendar messages),
recording what was discussed, and starting and signing off an induction (with the caseload hold)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peersupport import reminders
from peersupport.models import User

from . import ics
from .kinds import NotificationKind
from .models import Induction, Session, SessionContent, SessionStatus, line_manager_ids
from .models.induction import hold_reason


def _when(session: Session) -> str:
    return f"{timezone.localtime(session.starts_at):%-d %b %Y at %H:%M}"


def _calendar_message(session: Session, *, stage: str, title: str, method: str) -> None:
    """A calendar file to both people, queued once per change (the stage names the SEQUENCE)."""
    agreement = session.agreement
    content_type = ContentType.objects.get_for_model(Session)
    data = ics.snapshot(session, method)
    reminders.queue(
        reminders.reminder_for(
            kind=NotificationKind.INVITE,
            content_type=content_type,
            object_id=session.pk,
            recipient_id=user_id,
            stage=f"{stage}-{session.sequence}",
            title=title,
            body="The calendar file attached adds it to Outlook." if method == ics.REQUEST else "",
            url=reverse("supervision:agreement-detail", args=[agreement.pk]),
            context=data,
        )
        for user_id in (agreement.supervisor_id, agreement.supervisee_id)
    )
    reminders.dispatch_soon()


@transaction.atomic
def schedule_session(*, session: Session, by: User) -> Session:
    session.recorded_by = by
    session.save()
    if session.status == SessionStatus.SCHEDULED and session.starts_at > timezone.now():
        _calendar_message(
            session,
            stage="invite",
            title=f"Supervision booked for {_when(session)}",
            method=ics.REQUEST,
        )
    session.agreement.refresh_due()
    return session


@transaction.atomic
def change_session(*, session: Session, changed: list[str]) -> Session:
    """Save a session's date, time or attendance. A scheduled session that moves sends an update, a
    cancelled one a cancellation, both with the same UID and a higher SEQUENCE."""
    before = Session.objects.select_for_update().get(pk=session.pk)
    moved = before.status == SessionStatus.SCHEDULED and session.status == SessionStatus.SCHEDULED
    moved = moved and ({"starts_at", "duration_minutes", "location"} & set(changed))
    cancelled = before.status == SessionStatus.SCHEDULED and session.status == SessionStatus.CANCELLED
    if moved or cancelled:
        session.sequence = before.sequence + 1
    session.save()
    if moved:
        _calendar_message(session, stage="update", title=f"Supervision moved to {_when(session)}", method=ics.REQUEST)
    elif cancelled:
        _calendar_message(
            session, stage="cancel", title=f"Supervision on {_when(session)} is cancelled", method=ics.CANCEL
        )
    session.agreement.refresh_due()
    return session


@transaction.atomic
def save_content(*, content: SessionContent, by: User, changed: bool) -> SessionContent:
    """A change to the record asks both people to sign it off again: a sign-off confirms what it says."""
    content.updated_by = by
    content.save()
    if changed:
        Session.objects.filter(pk=content.session_id).update(
            supervisor_signed_off_at=None, supervisee_signed_off_at=None
        )
    return content


def _set_hold(worker: User, reason: str) -> None:
    # save(update_fields) so the change is in the worker's history, with who made it.
    worker = User.objects.get(pk=worker.pk)
    worker.caseload_hold = reason[:200]
    worker.save(update_fields=["caseload_hold"])


@transaction.atomic
def start_induction(*, induction: Induction, by: User) -> Induction:
    """Until the mentor signs off shadowing, the worker cannot be allocated people."""
    induction.created_by = by
    induction.save()
    _set_hold(induction.worker, hold_reason(induction.mentor))
    return induction


@transaction.atomic
def change_mentor(*, induction: Induction) -> Induction:
    induction.save()
    if not induction.shadowing_signed_off_at:
        _set_hold(induction.worker, hold_reason(induction.mentor))
    return induction


@transaction.atomic
def sign_off_shadowing(*, induction: Induction, by: User) -> Induction:
    induction.sign_off_shadowing(by)
    if induction.worker.caseload_hold == hold_reason(induction.mentor):
        _set_hold(induction.worker, "")
    managers = line_manager_ids([induction.worker_id]).get(induction.worker_id, set())
    reminders.notify_now(
        recipients=User.objects.filter(pk__in={induction.worker_id, *managers}),
        kind=NotificationKind.INDUCTION,
        obj=induction,
        stage="shadowing-signed-off",
        title=f"{by} signed off {induction.worker}'s shadowing: people can now be allocated to them",
        url=induction.get_absolute_url(),
    )
    return induction
