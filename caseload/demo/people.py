"""Demo people: names, referrals and who supports them, the same on every run (a fixed seed)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from peersupport.demo import DemoStaff
from peersupport.models import Role

from ..models import (
    Person,
    PersonStatus,
    ReferralSource,
)

GIVEN = [
    "Sam",
    "Jordan",
    "Alex",
    "Chloe",
    "Daniel",
    "Fatima",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kieran",
    "Lauren",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Poppy",
    "Reece",
    "Sophie",
    "Tariq",
    "Una",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zoe",
    "Bethany",
    "Callum",
    "Demi",
    "Ellis",
    "Farah",
    "Gareth",
]
FAMILY = [
    "Sutton",
    "Clarke",
    "Walker",
    "Bennett",
    "Hussain",
    "Kaur",
    "Lowe",
    "Marsh",
    "Nolan",
    "Okafor",
    "Pearson",
    "Rowe",
    "Shaw",
    "Turner",
    "Webb",
    "Young",
    "Atkinson",
    "Bailey",
    "Cole",
    "Dixon",
]
PRONOUNS = ["she/her", "he/him", "they/them", "", ""]
REASONS = [
    "Would like support to rebuild confidence after a hospital stay.",
    "Feeling isolated since moving to the area; wants to find local groups.",
    "Hearing voices and would value talking with someone who has been there.",
    "Wants help to get back into volunteering and, later, work.",
    "Recently diagnosed; would like to understand what recovery can look like.",
    "Struggling with anxiety about leaving the house; wants support with appointments.",
]


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        digits[0] = rng.randint(4, 6)
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _recently(rng: random.Random, today: dt.date, *, not_before: dt.date, days: int) -> dt.date:
    """A day in the last `days` days, but not before `not_before` (nor after today)."""
    return min(max(not_before, today - dt.timedelta(days=rng.randint(2, days))), today)


def seed_people(staff: DemoStaff) -> list[Person]:
    rng = random.Random(2026)  # the same people every run
    today = timezone.localdate()
    people = []
    workers = [
        (user, membership.team)
        for user in staff.users.values()
        for membership in user.memberships.select_related("team")
        if membership.role == Role.PSW
    ]
    index = 0
    for worker, team in workers:
        for n in range(7):
            index += 1
            number = nhs_number(rng)
            status = [PersonStatus.ACTIVE] * 4 + [PersonStatus.REFERRED, PersonStatus.PAUSED, PersonStatus.CLOSED]
            chosen = status[n]
            # Waits from referral to a first meeting vary, so the service figures have something to show.
            if chosen == PersonStatus.REFERRED:
                referral = today - dt.timedelta(days=rng.randint(2, 25))
            else:
                referral = today - dt.timedelta(days=rng.randint(60, 400))
            started = referral + dt.timedelta(days=rng.randint(1, 35))
            # Closures and pauses are recent, some of them this quarter; each after some weeks of support.
            changed_on = started
            if chosen == PersonStatus.REFERRED:
                changed_on = referral
            elif chosen == PersonStatus.PAUSED:
                changed_on = _recently(rng, today, not_before=started + dt.timedelta(days=14), days=40)
            elif chosen == PersonStatus.CLOSED:
                changed_on = _recently(rng, today, not_before=started + dt.timedelta(days=28), days=120)
            given = GIVEN[index % len(GIVEN)]
            family = FAMILY[(index * 7) % len(FAMILY)]
            person, _ = Person.objects.get_or_create(
                nhs_number=number,
                defaults=dict(
                    given_name=given,
                    family_name=family,
                    preferred_name="",
                    pronouns=PRONOUNS[index % len(PRONOUNS)],
                    date_of_birth=dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                    phone=f"07700 900{index:03d}",
                    team=team,
                    assigned_worker=worker,
                    referral_source=rng.choice(ReferralSource.values),
                    referral_date=referral,
                    referral_reason=REASONS[index % len(REASONS)],
                    consent_date=None if chosen == PersonStatus.REFERRED else started,
                    consent_recorded_by=None if chosen == PersonStatus.REFERRED else worker,
                    status=chosen,
                    status_changed_on=changed_on,
                ),
            )
            people.append(person)
    return people


# Signposting directory, contacts, goals, plans, appointments and outcomes ---------------------
