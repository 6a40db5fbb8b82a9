from django.core.management.base import BaseCommand, CommandError

from peersupport import twofactor
from peersupport.models import User


class Command(BaseCommand):
    help = (
        "Print the code an account's authenticator app shows now (for testers without a phone; each code "
        "works once, and a new one comes every 30 seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        device = twofactor.app_device(user)
        if device is None:
            raise CommandError(f"{email} has no authenticator app yet: they set one up at their next sign-in.")
        self.stdout.write(twofactor.code_at(device))
