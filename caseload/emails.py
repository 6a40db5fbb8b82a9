"""Emails from the caseload, one function per email (templates in templates/emails/)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from peersupport.models import EmploymentStatus, User


def notify_reassignment(*, moved: dict, to_worker: User, by: User, reason: str) -> int:
    """Tell the new worker who has joined their caseload, and each previous worker who has left
    theirs. Someone who has left the trust is not sent names of people they no longer support.
    Returns the number of emails sent."""
    people = [person for group in moved.values() for person in group]
    messages = [(to_worker, "joined", people)]
    messages += [
        (previous, "left", group)
        for previous, group in moved.items()
        if previous is not None and previous != to_worker and previous.employment_status != EmploymentStatus.LEFT
    ]
    sent = 0
    for worker, direction, group in messages:
        context = {
            "worker": worker,
            "direction": direction,
            "people": group,
            "to_worker": to_worker,
            "by": by,
            "reason": reason,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/reassignment_subject.txt", context).strip()
        body = render_to_string("emails/reassignment_body.txt", context)
        sent += send_mail(subject, body, None, [worker.email])
    return sent
