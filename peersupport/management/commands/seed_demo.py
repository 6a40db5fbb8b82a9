from django.core.management.base import BaseCommand
from django.db import transaction

from caseload.demo import seed_caseload_records, seed_people, seed_resources
from caseload.demo_review import seed_review
from caseload.safety_demo import seed_safety
from peersupport.demo import DEMO_PASSWORD, seed_staff


class Command(BaseCommand):
    help = "Build a realistic demo trust (teams, staff, people on caseloads). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        staff = seed_staff()
        people = seed_people(staff)
        resources = seed_resources(staff)
        seed_caseload_records(people, resources)
        seed_safety(staff)
        seed_review(staff)
        self.stdout.write(self.style.SUCCESS(f"Demo trust ready: {len(staff.teams)} teams, {len(people)} people."))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role in staff.sign_ins:
            self.stdout.write(f"  {email:<40} {role}")
