"""Messages from the caseload. They go through the core's outbox: in-app, and by email unless
the recipient has turned this kind off."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from peersupport.models import EmploymentStatus, NotificationKind, User
from peersupport.reminders import notify_now


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
