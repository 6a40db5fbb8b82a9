from django.core.management.base import BaseCommand

from peersupport import reminders


class Command(BaseCommand):
    help = "Run every reminder scan once, then send what is due (for cron, or when Celery is not running)."

    def handle(self, *args, **options):
        queued = reminders.run_scans()
        report = reminders.send_due_reminders()
        for scan, count in queued.items():
            self.stdout.write(f"{scan}: {count} queued")
        self.stdout.write(f"Sent {len(report.sent)}; {len(report.failed)} failed and will be retried.")
