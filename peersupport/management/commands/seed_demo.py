from django.core.management.base import BaseCommand
from django.db import transaction

from peersupport import plugins
from peersupport.demo import DEMO_PASSWORD, demo_totp_secret, give_demo_authenticators, seed_staff


class Command(BaseCommand):
    help = "Build a realistic demo trust (teams, staff and each app's records). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        staff = seed_staff()
        for seeder in plugins.demo_seeders():
            for line in seeder.seed(staff) or []:
                self.stdout.write(line)
        give_demo_authenticators()
        self.stdout.write(self.style.SUCCESS(f"Demo trust ready: {len(staff.teams)} teams."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role in staff.sign_ins:
            self.stdout.write(f"  {email:<40} {role}")
        self.stdout.write(
            f"Second factor: every demo account's authenticator app has the secret {demo_totp_secret()}\n"
            "  (add it to an authenticator app, or run: python manage.py totp_code EMAIL)."
        )
