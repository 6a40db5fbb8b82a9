from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peersupport import plugins, reminders
from peersupport.models import Team

STATE = {"on": False, "broken": False, "unwanted": set()}


def email_context(reminder) -> dict:
    return {"answer_link": f"https://example.nhs.uk/answer/{reminder.pk}"}


def attachments(reminder) -> list[plugins.Attachment]:
    return [plugins.Attachment("hello.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")]


def still_wanted(reminder) -> bool:
    return reminder.to_address not in STATE["unwanted"]


def scan_hello(now) -> int:
    if not STATE["on"]:
        return 0
    team = Team.objects.order_by("pk").first()
    return reminders.queue(
        [
            reminders.reminder_for(
                kind="plugin_app_hello",
                obj=team,
                recipient_email="someone.without.an.account@example.com",
                stage=f"{now:%Y-%m-%d}",
                title="Hello",
            ),
            reminders.reminder_for(kind="plugin_app_hello", obj=team, stage="nobody", title="To nobody"),
        ]
    )


def scan_that_breaks(now) -> int:
    if STATE["broken"]:
        raise RuntimeError("this scan is broken")
    return 0


def home_section(request: HttpRequest) -> dict | None:
    return {"plugin_greeting": "Hello from the plug-in"} if STATE["on"] else None


def nav_visible(user) -> bool:
    return STATE["on"]


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The plug-in page")
