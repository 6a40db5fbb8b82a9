"""Calendar files for supervision sessions. One UID per session; every move or cancellation raises
SEQUENCE, so Outlook updates (or removes) the event it already holds rather than adding another."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from peersupport import plugins

ALARM_BEFORE = dt.timedelta(minutes=30)
REQUEST, CANCEL = "REQUEST", "CANCEL"


def snapshot(session, method: str = REQUEST) -> dict:
    """What a calendar file says about a session at the moment a message is queued (JSON), so a file
    sent later describes the change it announces. Names and times only: never what is discussed."""
    agreement = session.agreement
    return {
        "uid": session.calendar_uid,
        "sequence": session.sequence,
        "method": method,
        "starts_at": session.starts_at.astimezone(dt.UTC).isoformat(),
        "ends_at": session.ends_at.astimezone(dt.UTC).isoformat(),
        "summary": f"Supervision: {agreement.supervisor} and {agreement.supervisee}",
        "location": session.location,
        "organizer": [str(agreement.supervisor), agreement.supervisor.email],
        "attendees": [[str(agreement.supervisee), agreement.supervisee.email]],
    }


def ics_bytes(data: dict) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//NHS peer support service//Supervision//EN")
    calendar.add("version", "2.0")
    calendar.add("method", data["method"])
    event = Event()
    event.add("uid", data["uid"])
    event.add("sequence", data["sequence"])
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", dt.datetime.fromisoformat(data["starts_at"]))
    event.add("dtend", dt.datetime.fromisoformat(data["ends_at"]))
    event.add("summary", data["summary"])
    if data.get("location"):
        event.add("location", data["location"])
    organizer = vCalAddress(f"mailto:{data['organizer'][1]}")
    organizer.params["cn"] = vText(data["organizer"][0])
    event.add("organizer", organizer)
    for name, email in data["attendees"]:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    if data["method"] == CANCEL:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", data["summary"])
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def attachments(reminder) -> list[plugins.Attachment]:
    data = reminder.context
    if not data.get("uid"):
        return []
    mimetype = f"text/calendar; method={data['method']}"
    return [plugins.Attachment("supervision.ics", ics_bytes(data), mimetype)]
