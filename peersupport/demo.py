"""Demo staff and teams: a small but realistic trust. Idempotent: running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group

from .models import CLINICAL_REVIEWER, INFORMATION_GOVERNANCE_LEAD, Band, EmploymentStatus, Membership, Role, Team, User

DEMO_PASSWORD = "peer-support-demo"
DOMAIN = "demo.nhs.uk"

TEAMS = [
    ("Bassetlaw CMHT", "Adult community mental health"),
    ("Nottingham City East CMHT", "Adult community mental health"),
    ("Mansfield Early Intervention in Psychosis", "Early intervention"),
    ("Broxtowe Crisis and Home Treatment", "Crisis resolution and home treatment"),
]

# (first, last, team index or None for the development team, role, band, hours, start, status)
STAFF = [
    ("Maya", "Morris", 0, Role.MANAGER, Band.BAND_7, "37.5", "2016-05-03", EmploymentStatus.IN_POST),
    ("Omar", "Osei", 1, Role.MANAGER, Band.BAND_7, "37.5", "2018-09-10", EmploymentStatus.IN_POST),
    ("Omar", "Osei", 2, Role.MANAGER, Band.BAND_7, "37.5", "2018-09-10", EmploymentStatus.IN_POST),
    ("Grace", "Hughes", 3, Role.MANAGER, Band.BAND_7, "37.5", "2015-01-12", EmploymentStatus.IN_POST),
    ("Priya", "Patel", 0, Role.PSW, Band.BAND_4, "37.5", "2021-03-01", EmploymentStatus.IN_POST),
    ("Paul", "Price", 0, Role.PSW, Band.BAND_3, "22.5", "2026-07-06", EmploymentStatus.IN_POST),
    ("Leah", "Fletcher", 0, Role.PSW, Band.BAND_4, "30", "2019-11-18", EmploymentStatus.LEFT),
    ("Olive", "Owen", 1, Role.PSW, Band.BAND_4, "37.5", "2020-02-03", EmploymentStatus.IN_POST),
    ("Kwame", "Mensah", 1, Role.PSW, Band.BAND_3, "37.5", "2023-06-19", EmploymentStatus.IN_POST),
    ("Sian", "Roberts", 2, Role.PSW, Band.BAND_4, "30", "2022-01-10", EmploymentStatus.IN_POST),
    ("Tom", "Baxter", 2, Role.PSW, Band.BAND_3, "37.5", "2024-10-01", EmploymentStatus.LONG_LEAVE),
    ("Aisha", "Rahman", 3, Role.PSW, Band.BAND_4, "37.5", "2020-08-24", EmploymentStatus.IN_POST),
    ("Dana", "Doyle", None, Role.DEVELOPMENT_LEAD, Band.BAND_7, "37.5", "2013-04-01", EmploymentStatus.IN_POST),
    ("Dev", "Dhillon", None, Role.DEVELOPMENT_WORKER, Band.BAND_5, "37.5", "2017-07-17", EmploymentStatus.IN_POST),
    ("Rosa", "Quinn", None, Role.DEVELOPMENT_WORKER, Band.BAND_5, "30", "2019-03-04", EmploymentStatus.IN_POST),
]

# (first, last, group): the information governance lead and a clinical reviewer.
GOVERNANCE_STAFF = [
    ("Isla", "Grant", INFORMATION_GOVERNANCE_LEAD),
    ("Cal", "Reyes", CLINICAL_REVIEWER),
]


@dataclass
class DemoStaff:
    teams: list[Team] = field(default_factory=list)
    development_team: Team | None = None
    users: dict[str, User] = field(default_factory=dict)
    sign_ins: list[tuple[str, str]] = field(default_factory=list)


def email_for(first: str, last: str) -> str:
    return f"{first}.{last}@{DOMAIN}".lower()


def seed_staff() -> DemoStaff:
    demo = DemoStaff()
    for name, service in TEAMS:
        team, _ = Team.objects.get_or_create(name=name, defaults={"service": service})
        demo.teams.append(team)
    demo.development_team, _ = Team.objects.get_or_create(
        is_development_team=True,
        defaults={"name": "Peer support development team", "service": "Learning and Organisational Development"},
    )
    for first, last, team_index, role, band, hours, start, status in STAFF:
        email = email_for(first, last)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                afc_band=band,
                contracted_hours=Decimal(hours),
                start_date=dt.date.fromisoformat(start),
                employment_status=status,
                job_title=Role(role).label,
            )
        team = demo.development_team if team_index is None else demo.teams[team_index]
        Membership.objects.get_or_create(user=user, team=team, role=role)
        demo.users[f"{first} {last}"] = user
        if status == EmploymentStatus.IN_POST:
            label = f"{Role(role).label}, {team.name}"
            known = dict(demo.sign_ins)
            if email in known:
                demo.sign_ins[list(known).index(email)] = (email, f"{known[email]}; {team.name}")
            else:
                demo.sign_ins.append((email, label))
    admin_email = f"admin@{DOMAIN}"
    if not User.objects.filter(email=admin_email).exists():
        User.objects.create_superuser(
            email=admin_email, password=DEMO_PASSWORD, first_name="Ada", last_name="Admin", job_title="System owner"
        )
    demo.sign_ins.append((admin_email, "Administrator"))
    # Trust-wide roles outside the teams.
    for first, last, group_name in GOVERNANCE_STAFF:
        email = email_for(first, last)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, job_title=group_name
            )
        user.groups.add(Group.objects.get(name=group_name))
        demo.users[f"{first} {last}"] = user
        demo.sign_ins.append((email, group_name))
    return demo


# Every demo account's authenticator app shares this secret, so a tester can add it to an app once
# (or make a code with `manage.py totp_code EMAIL`). A demo only: real accounts set up their own.
DEMO_TOTP_KEY = b"peersupportdemo2fa!!".hex()


def demo_totp_secret() -> str:
    from base64 import b32encode

    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def give_demo_authenticators() -> int:
    """A confirmed authenticator app with the demo secret for every active account (safe to run again)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import APP_DEVICE_NAME

    given = 0
    for user in User.objects.filter(is_active=True):
        _, created = TOTPDevice.objects.update_or_create(
            user=user, name=APP_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        given += created
    return given
