"""Reminder scans (registered in DevdaysConfig.ready()): plain idempotent functions run by beat.

Reminders go at each of a day's offsets to those attending, maybe or offered a place; chasers at the
same offsets to those who have not answered; nobody who declined hears again. An offset whose due
time passed before someone was invited is not sent to them: their invitation is newer news. Each
(day, offset) is marked done once queued, so later runs do not insert the same thousands of rows
again; the outbox's key would refuse a repeat anyway."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services
from .kinds import Kind
from .models import Answer, DayStatus, DevelopmentDay, Invitation

# A reminder found later than this after it fell due (the service was down) is not worth sending.
LATE_LIMIT = dt.timedelta(days=2)


def due_offsets(day: DevelopmentDay, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    due = []
    for offset in sorted(set(day.reminder_offsets), reverse=True):
        at = day.start - dt.timedelta(days=offset)
        if offset not in day.reminders_done and at <= now < min(at + LATE_LIMIT, day.start):
            due.append((offset, at))
    return due


def scan_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders and chasers that have fallen due (four queries however many invitations,
    plus one per day marked done)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = list(DevelopmentDay.objects.inviting(today).filter(date__lte=today + dt.timedelta(days=400)))
    work = {day.pk: (day, due_offsets(day, now)) for day in days}
    work = {pk: item for pk, item in work.items() if item[1]}
    if not work:
        return 0
    invitations = (
        Invitation.objects.filter(day_id__in=work.keys())
        .for_reminders()
        .filter(answer__in=[Answer.NONE, Answer.ATTENDING, Answer.MAYBE, Answer.OFFERED])
        .only("pk", "day_id", "user_id", "email", "answer", "invited_at")
    )
    rows = []
    for inv in invitations.iterator(chunk_size=2000):
        day, offsets = work[inv.day_id]
        inv.day = day
        for offset, at in offsets:
            if inv.invited_at >= at:
                continue
            when = services.day_label(day)
            if inv.answer == Answer.NONE:
                rows.append(
                    services._message(
                        Kind.CHASER,
                        inv,
                        stage=f"chaser-{offset}d",
                        title=f"Can you come? Peer development day on {when}",
                        body="We have not had your answer yet. It takes a moment with the link below.",
                    )
                )
            else:
                rows.append(
                    services._message(
                        Kind.REMINDER,
                        inv,
                        stage=f"reminder-{offset}d",
                        title=f"Reminder: peer development day on {when}",
                        body=f"{day.starts_at:%H:%M} to {day.ends_at:%H:%M}, {day.venue or 'online'}.",
                    )
                )
    with transaction.atomic():
        queued = services.reminders.queue(rows) if rows else 0
        for day, offsets in work.values():
            DevelopmentDay.objects.filter(pk=day.pk).update(
                reminders_done=sorted(set(day.reminders_done) | {offset for offset, _ in offsets})
            )
    if queued:
        services.reminders.dispatch_soon()
    return queued


def scan_offers(now: dt.datetime | None = None) -> int:
    """Offers of a place that ran out pass to the next person waiting."""
    return services.expire_offers(now or timezone.now())


def scan_new_audience(now: dt.datetime | None = None) -> int:
    """Someone who joined the audience after the invitations went (a new starter, a new trainee) is
    invited automatically, to every day still to come."""
    now = now or timezone.now()
    days = list(DevelopmentDay.objects.inviting(timezone.localdate(now)).values_list("pk", flat=True))
    if not days:
        return 0
    people = services.audience()
    invited = 0
    for day_pk in days:
        with transaction.atomic():
            day = DevelopmentDay.objects.select_for_update().get(pk=day_pk)
            if day.status == DayStatus.INVITED:
                invited += len(services.invite_missing(day, people, now))
    if invited:
        services.reminders.dispatch_soon()
    return invited
