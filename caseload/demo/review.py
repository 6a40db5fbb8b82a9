"""Demo for manager review: team capacities and a colleague covering a worker on leave.

Idempotent: capacities are set only while still the default, and the cover is found again by who
covers whom, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peersupport.demo import DemoStaff
from peersupport.models import DEFAULT_PEOPLE_PER_FULL_TIME

from ..models import CaseloadCover, CoverReason

# A crisis team holds fewer people per worker: contacts are more frequent and more intense.
CAPACITIES = {"Broxtowe Crisis and Home Treatment": 8, "Mansfield Early Intervention in Psychosis": 12}


def seed_review(staff: DemoStaff) -> list[CaseloadCover]:
    for team in staff.teams:
        if team.name in CAPACITIES and team.people_per_full_time == DEFAULT_PEOPLE_PER_FULL_TIME:
            team.people_per_full_time = CAPACITIES[team.name]
            team.save(update_fields=["people_per_full_time"])
    today = timezone.localdate()
    manager = staff.users["Maya Morris"]
    cover, _ = CaseloadCover.objects.get_or_create(
        team=staff.teams[0],
        absent_worker=staff.users["Priya Patel"],
        covering_worker=staff.users["Paul Price"],
        reason=CoverReason.ANNUAL_LEAVE,
        defaults={
            "starts_on": today - dt.timedelta(days=2),
            "ends_on": today + dt.timedelta(days=12),
            "note": "Two weeks' annual leave.",
            "granted_by": manager,
        },
    )
    return [cover]
