"""Thin Celery tasks over the outbox. The outbox itself never imports this module: it finds the
send task by name in the Celery app."""

from celery import shared_task
from celery.signals import worker_ready
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


@shared_task(bind=True)
def send_reminders(self) -> int:
    return len(reminders.send_due_reminders(owner=self.request.hostname or "").sent)


@worker_ready.connect
def release_claims_and_send(sender, **kwargs) -> None:
    """A worker restarted after a kill sends what its dead self had claimed now, not after the lease."""
    released = reminders.release_claims_of(sender.hostname)
    if released:
        reminders.logger.warning("Released %s reminder(s) claimed by this worker before it stopped.", released)
    send_reminders.delay()
