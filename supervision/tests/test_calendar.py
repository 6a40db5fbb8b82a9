"""Calendar files: a scheduled session goes to both people as an .ics with an alarm; a move sends an
update with the same UID and a higher SEQUENCE; a cancellation METHOD:CANCEL. Parsed back with icalendar."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peersupport import reminders
from supervision.models import Session


def _events(message):
    calendars = [Calendar.from_ical(a[1]) for a in message.attachments if a[0].endswith(".ics")]
    assert len(calendars) == 1
    calendar = calendars[0]
    return calendar, calendar.walk("VEVENT")[0]


def test_schedule_move_cancel(client_for, trust, mailoutbox):
    client = client_for(trust.supervisor)
    when = timezone.localtime() + dt.timedelta(days=5)
    client.post(
        reverse("supervision:session-create", args=[trust.agreement.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT10:00"), "status": "scheduled", "location": "Room 2"},
    )
    session = Session.objects.get(status="scheduled")
    reminders.send_due_reminders()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([trust.psw.email, trust.supervisor.email])
    calendar, event = _events(mailoutbox[0])
    uid = str(event["UID"])
    assert calendar["METHOD"] == "REQUEST"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == timezone.make_aware(dt.datetime.combine(when.date(), dt.time(10)))
    alarms = event.walk("VALARM")
    assert alarms and alarms[0].decoded("TRIGGER") == -dt.timedelta(minutes=30)
    assert str(event["LOCATION"]) == "Room 2"

    mailoutbox.clear()
    client.post(
        reverse("supervision:session-edit", args=[session.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT15:30"), "status": "scheduled", "location": "Room 2"},
    )
    reminders.send_due_reminders()
    assert len(mailoutbox) == 2
    calendar, event = _events(mailoutbox[0])
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(timezone.get_current_timezone()).hour == 15
    assert "moved" in mailoutbox[0].subject

    mailoutbox.clear()
    client.post(
        reverse("supervision:session-edit", args=[session.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT15:30"), "status": "cancelled", "location": "Room 2"},
    )
    reminders.send_due_reminders()
    assert len(mailoutbox) == 2
    calendar, event = _events(mailoutbox[0])
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2

    # The download says the same as the latest message.
    response = client.get(reverse("supervision:session-calendar", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    downloaded = Calendar.from_ical(response.content)
    assert downloaded["METHOD"] == "CANCEL" and int(downloaded.walk("VEVENT")[0]["SEQUENCE"]) == 2


def test_saving_without_a_change_sends_nothing_new(client_for, trust, mailoutbox):
    client = client_for(trust.supervisor)
    when = timezone.localtime() + dt.timedelta(days=5)
    data = {"starts_at": when.strftime("%Y-%m-%dT10:00"), "status": "scheduled", "location": ""}
    client.post(reverse("supervision:session-create", args=[trust.agreement.pk]), data)
    session = Session.objects.get(status="scheduled")
    client.post(reverse("supervision:session-edit", args=[session.pk]), data)
    reminders.send_due_reminders()
    assert len(mailoutbox) == 2
    session.refresh_from_db()
    assert session.sequence == 0
