"""Messages from the caseload. They go through the core's outbox: in-app, and by email unless
the recipient has turned this kind off."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peersupport.models import EmploymentStatus, User
from peersupport.reminders import notify_now

from .kinds import NotificationKind
from .models import CaseloadCover


def notify_reassignment(*, moved: dict, to_worker: User, by: User, reason: str) -> int:
    """Tell the new worker who has joined their caseload, and each previous worker who has left
    theirs. Someone who has left the trust is not sent names of people they no longer support.
    Returns the number of messages queued."""
    people = [person for group in moved.values() for person in group]
    messages = [(to_worker, "joined", people)]
    messages += [
        (previous, "left", group)
        for previous, group in moved.items()
        if previous is not None and previous != to_worker and previous.employment_status != EmploymentStatus.LEFT
    ]
    # Each reassignment is its own event, so its moment is part of the outbox key.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    for worker, direction, group in messages:
        context = {
            "worker": worker,
            "direction": direction,
            "people": group,
            "to_worker": to_worker,
            "by": by,
            "reason": reason,
        }
        notify_now(
            recipients=[worker],
            kind=NotificationKind.CASELOAD_CHANGE,
            obj=worker,
            stage=f"{direction}-{stamp}",
            title=render_to_string("emails/reassignment_subject.txt", context).strip(),
            body=render_to_string("emails/reassignment_body.txt", context).strip(),
            url=reverse("caseload:person-list") if direction == "joined" else "",
        )
    return len(messages)


def notify_cover(cover: CaseloadCover) -> None:
    """Tell the covering worker whose caseload they cover and until when, and the worker away who
    covers them. No names of the people supported: those are in the app, on the covering worker's
    home page."""
    period = f"from {date_format(cover.starts_on)} until the end of {date_format(cover.ends_on)}"
    notify_now(
        recipients=[cover.covering_worker],
        kind=NotificationKind.CASELOAD_CHANGE,
        obj=cover,
        stage="covering",
        title=f"You are covering {cover.absent_worker}'s caseload in {cover.team}",
        body=(
            f"{cover.granted_by} has asked you to cover {cover.absent_worker}'s caseload in {cover.team} {period}. "
            "You can see and update the records of the people they support; access ends by itself. "
            "They are listed on your home page."
        ),
        url=reverse("home"),
    )
    notify_now(
        recipients=[cover.absent_worker],
        kind=NotificationKind.CASELOAD_CHANGE,
        obj=cover,
        stage="covered",
        title=f"{cover.covering_worker} is covering your caseload in {cover.team}",
        body=f"{cover.granted_by} has asked {cover.covering_worker} to cover your caseload in {cover.team} {period}.",
    )
