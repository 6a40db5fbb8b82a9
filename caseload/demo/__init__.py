"""The caseload's demo data, in the order the records depend on each other (registered as a demo seeder)."""

from .people import seed_people
from .records import seed_caseload_records
from .review import seed_review
from .safety import seed_safety
from .signposting import seed_resources


def seed(staff) -> list[str]:
    people = seed_people(staff)
    resources = seed_resources(staff)
    seed_caseload_records(people, resources)
    seed_safety(staff)
    seed_review(staff)
    return [f"Caseload: {len(people)} people."]
