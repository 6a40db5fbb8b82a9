"""The development days' kinds of message, registered with the core's outbox in DevdaysConfig.ready().

Every message is about one invitation (the outbox row's object), so its email can carry the person's
own answer link and a calendar file with their answer."""

from __future__ import annotations

from django.db import models

from peersupport import plugins
from peersupport.models import Reminder

from . import calendar, links
from .models import Answer, DayStatus, Invitation


class Kind(models.TextChoices):
    INVITATION = "devdays_invitation", "Peer development day invitations"
    REMINDER = "devdays_reminder", "Peer development day reminders"
    CHASER = "devdays_chaser", "Peer development day: asking for an answer"
    CHANGE = "devdays_change", "Peer development day changes and cancellations"
    OFFER = "devdays_offer", "Peer development day: a place offered from the waiting list"


# Kinds that carry a calendar entry (the offer does too: accepting puts it in the calendar).
WITH_CALENDAR = {Kind.INVITATION, Kind.REMINDER, Kind.CHASER, Kind.CHANGE, Kind.OFFER}


def _invitation(reminder: Reminder) -> Invitation | None:
    cached = getattr(reminder, "_devday_invitation", None)
    if cached is None:
        cached = (
            Invitation.objects.select_related("day", "user", "trainee")
            .prefetch_related("day__agenda")
            .filter(pk=reminder.object_id)
            .first()
        )
        reminder._devday_invitation = cached
    return cached


def email_context(reminder: Reminder) -> dict:
    invitation = _invitation(reminder)
    if invitation is None:
        return {}
    return {
        "invitation": invitation,
        "day": invitation.day,
        "agenda": list(invitation.day.agenda.all()),
        "answer_url": links.answer_url(invitation.pk),
        "recipient_name": invitation.full_name,
    }


def attachments(reminder: Reminder) -> list[plugins.Attachment]:
    invitation = _invitation(reminder)
    if invitation is None or reminder.kind not in WITH_CALENDAR:
        return []
    ics = calendar.invitation_ics(
        invitation, agenda=invitation.day.agenda.all(), answer_url=links.answer_url(invitation.pk)
    )
    method = "CANCEL" if invitation.day.status == DayStatus.CANCELLED else "REQUEST"
    return [plugins.Attachment("peer-development-day.ics", ics, f"text/calendar; method={method}; charset=utf-8")]


def still_wanted(reminder: Reminder) -> bool:
    """Dropped when the person withdrew consent since it was queued, when they have declined (a
    reminder), answered (a chaser), or the day was cancelled (anything but the cancellation)."""
    invitation = _invitation(reminder)
    if invitation is None or invitation.consent_withdrawn:
        return False
    if reminder.kind == Kind.CHANGE:
        return True
    if invitation.day.status == DayStatus.CANCELLED:
        return False
    if reminder.kind == Kind.REMINDER:
        return invitation.answer in (Answer.ATTENDING, Answer.MAYBE, Answer.OFFERED)
    if reminder.kind == Kind.CHASER:
        return invitation.answer == Answer.NONE
    if reminder.kind == Kind.OFFER:
        return invitation.answer == Answer.OFFERED
    return True


def register() -> None:
    for value, label in Kind.choices:
        plugins.register_kind(
            value,
            label,
            email_templates=f"devdays/emails/{value.removeprefix('devdays_')}",
            email_context=email_context,
            attachments=attachments,
            still_wanted=still_wanted,
        )
