"""Calendar files: the invitation (.ics, METHOD:REQUEST with an alarm), its updates (same UID, higher
SEQUENCE), its cancellation (METHOD:CANCEL) and each person's subscribed feed (METHOD:PUBLISH)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Answer, DayStatus, DevelopmentDay, Invitation

PRODID = "-//Peer support service//Peer development days//EN"
PARTSTAT = {
    Answer.ATTENDING: "ACCEPTED",
    Answer.OFFERED: "NEEDS-ACTION",
    Answer.MAYBE: "TENTATIVE",
    Answer.NOT_ATTENDING: "DECLINED",
    Answer.WAITING: "TENTATIVE",
    Answer.LAPSED: "DECLINED",
    Answer.NONE: "NEEDS-ACTION",
}
ALARM_BEFORE = dt.timedelta(days=1)


def uid(day: DevelopmentDay) -> str:
    """Stable for the life of the day, so every update replaces the same calendar entry."""
    return f"devday-{day.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _description(day: DevelopmentDay, agenda: Iterable, answer_url: str) -> str:
    lines = ["Peer development day: training, guest speakers, updates on peer support and a reflective space."]
    if day.online_link:
        lines.append(f"Join online: {day.online_link}")
    items = list(agenda)
    if items:
        lines.append("")
        lines.append("Agenda:")
        lines += [
            f"{item.starts_at:%H:%M}-{item.ends_at:%H:%M} {item.title} ({item.get_type_display()})"
            + (f", {item.speakers}" if item.speakers else "")
            for item in items
        ]
    if answer_url:
        lines += ["", f"Your answer, or change it: {answer_url}"]
    return "\n".join(lines)


def event(day: DevelopmentDay, *, invitation: Invitation | None, agenda: Iterable = (), answer_url: str = ""):
    cancelled = day.status == DayStatus.CANCELLED
    ev = icalendar.Event()
    ev.add("uid", uid(day))
    ev.add("sequence", day.sequence)
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", day.start)
    ev.add("dtend", day.end)
    summary = "Peer development day"
    if invitation is not None and invitation.answer != Answer.NONE:
        summary += f" ({invitation.get_answer_display().lower()})"
    ev.add("summary", ("Cancelled: " if cancelled else "") + summary)
    ev.add("location", day.venue or "Online")
    if day.online_link:
        ev.add("url", day.online_link)
    ev.add("description", _description(day, agenda, answer_url))
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = icalendar.vText("Peer support development team")
    ev.add("organizer", organiser)
    if invitation is not None:
        address = invitation.user.email if invitation.user_id else invitation.email
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params["cn"] = icalendar.vText(invitation.full_name)
        attendee.params["partstat"] = icalendar.vText(PARTSTAT[invitation.answer])
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        ev.add("attendee", attendee)
    if not cancelled and (invitation is None or invitation.answer != Answer.NOT_ATTENDING):
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Peer development day tomorrow")
        alarm.add("trigger", -ALARM_BEFORE)
        ev.add_component(alarm)
    return ev


def _calendar(method: str, events: Iterable) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("x-wr-calname", "Peer development days")
    for ev in events:
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation_ics(invitation: Invitation, *, agenda: Iterable = (), answer_url: str = "") -> bytes:
    """REQUEST for a day that goes ahead (new or changed), CANCEL for a cancelled one."""
    day = invitation.day
    method = "CANCEL" if day.status == DayStatus.CANCELLED else "REQUEST"
    return _calendar(method, [event(day, invitation=invitation, agenda=agenda, answer_url=answer_url)])


def feed_ics(invitations: Iterable[Invitation]) -> bytes:
    """A subscribed calendar: each day the person is invited to, carrying their answer."""
    return _calendar("PUBLISH", [event(inv.day, invitation=inv, agenda=inv.day.agenda.all()) for inv in invitations])
