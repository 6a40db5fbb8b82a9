from celery import shared_task
from django.core import management

from . import reminders


@shared_task
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")


@shared_task
def run_reminder_scans() -> dict[str, int]:
    queued = reminders.run_scans()
    if any(queued.values()):
        send_reminders.delay()  # alerts go now, not at the next beat
    return queued


@shared_task
def send_reminders() -> int:
    return len(reminders.send_due_reminders().sent)
