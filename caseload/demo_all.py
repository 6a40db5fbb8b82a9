"""The caseload's demo data, in the order the records depend on each other (registered as a demo seeder)."""

from .demo import seed_caseload_records, seed_people, seed_resources
from .demo_review import seed_review
from .safety_demo import seed_safety


def seed(staff) -> list[str]:
    people = seed_people(staff)
    resources = seed_resources(staff)
    seed_caseload_records(people, resources)
    seed_safety(staff)
    seed_review(staff)
    return [f"Caseload: {len(people)} people."]
