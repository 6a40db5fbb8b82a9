"""The demo signposting directory."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peersupport.demo import DemoStaff

from ..models import (
    Provider,
    Resource,
    ResourceCategory,
)

RESOURCES = [
    # (name, category, provider, area, description, how to refer, phone, website)
    ("Recovery College", ResourceCategory.RECOVERY_COLLEGE, Provider.TRUST, "County-wide",
     "Free courses co-produced by people with lived experience: understanding anxiety, hearing voices, "
     "building confidence, WRAP.", "Self-enrol online or ask your peer support worker to enrol you.",
     "0115 555 0101", "https://recoverycollege.example.nhs.uk"),
    ("Hearing Voices group", ResourceCategory.PEER_GROUP, Provider.TRUST, "Nottingham",
     "A peer-led group for people who hear voices, see visions or have other unusual experiences.",
     "Drop in, Thursdays 2pm to 4pm. No referral needed.", "0115 555 0102", ""),
    ("Citizens Advice Bassetlaw", ResourceCategory.MONEY, Provider.COMMUNITY, "Bassetlaw",
     "Help with benefits, debt, PIP and Universal Credit claims and appeals.",
     "Phone or drop in at Worksop library on Tuesdays; the person can refer themselves.", "0300 555 0103",
     "https://citizensadvice.example.org.uk/bassetlaw"),
    ("Walking for wellbeing", ResourceCategory.PHYSICAL, Provider.COMMUNITY, "Bassetlaw",
     "Gentle group walks of about an hour around Clumber Park and Worksop, with a cuppa afterwards.",
     "Turn up at the visitor centre, Saturdays 10am.", "", ""),
    ("Men's shed, Retford", ResourceCategory.SOCIAL, Provider.COMMUNITY, "Bassetlaw",
     "Woodwork, repairs and a chat, for anyone who wants somewhere to go and something to do.",
     "Drop in, Monday and Wednesday mornings.", "01777 555 0104", ""),
    ("Employment support service (IPS)", ResourceCategory.WORK, Provider.TRUST, "County-wide",
     "Individual placement and support: employment specialists help people into paid work that suits them.",
     "Referral by the care coordinator or the peer support worker, with the person's agreement.",
     "0115 555 0105", ""),
    ("Volunteer centre", ResourceCategory.WORK, Provider.COMMUNITY, "Nottingham",
     "Volunteering roles across the city, from gardening to befriending, with support to get started.",
     "Self-referral online or by phone.", "0115 555 0106", "https://volunteer.example.org.uk"),
    ("Housing options team", ResourceCategory.HOUSING, Provider.COMMUNITY, "Nottingham",
     "Council housing advice, homelessness prevention and help with tenancy problems.",
     "Phone the housing options line; urgent cases the same day.", "0115 555 0107", ""),
    ("Carers' hub", ResourceCategory.CARERS, Provider.COMMUNITY, "County-wide",
     "Support, breaks and information for family members and friends who care for someone.",
     "Carers can refer themselves by phone or online.", "0115 555 0108", "https://carershub.example.org.uk"),
    ("Change Grow Live", ResourceCategory.SUBSTANCES, Provider.COMMUNITY, "County-wide",
     "Free, confidential support with drugs and alcohol.", "Self-referral by phone or drop in.",
     "0115 555 0109", ""),
    ("Samaritans", ResourceCategory.CRISIS, Provider.COMMUNITY, "National",
     "Listening support, any time of day or night, by phone or email.", "Call free on 116 123.",
     "116 123", "https://www.samaritans.org"),
    ("Crisis line (24 hours)", ResourceCategory.CRISIS, Provider.TRUST, "County-wide",
     "The trust's 24-hour mental health crisis line, through NHS 111 option 2.",
     "Call NHS 111 and choose option 2.", "111", ""),
    ("NHS Talking Therapies", ResourceCategory.TALKING, Provider.TRUST, "County-wide",
     "Talking therapies for anxiety and depression.", "Self-referral online or through the GP.",
     "0115 555 0110", ""),
    ("Arts on prescription", ResourceCategory.CREATIVE, Provider.COMMUNITY, "Mansfield",
     "Ten-week creative courses: painting, pottery and creative writing in small groups.",
     "Referral from the GP or the peer support worker; a short form.", "01623 555 0111", ""),
    ("Allotment project", ResourceCategory.SOCIAL, Provider.COMMUNITY, "Mansfield",
     "A shared allotment where people grow food together; no experience needed.",
     "Drop in, Fridays from 10am.", "", ""),
    ("Drop-in cafe (closed)", ResourceCategory.SOCIAL, Provider.COMMUNITY, "Worksop",
     "A peer-run cafe; closed in 2026 when its funding ended.", "No longer running.", "", ""),
]  # fmt: skip


def seed_resources(staff: DemoStaff) -> list[Resource]:
    editor = staff.users.get("Priya Patel")
    today = timezone.localdate()
    resources = []
    for i, (name, category, provider, area, description, how, phone, website) in enumerate(RESOURCES):
        resource, _ = Resource.objects.get_or_create(
            name=name,
            defaults=dict(
                category=category,
                provider=provider,
                area=area,
                description=description,
                how_to_refer=how,
                phone=phone,
                website=website,
                active="(closed)" not in name,
                # One entry not checked for over a year, so the "check these details" flag shows.
                checked_on=today - dt.timedelta(days=400 if i == 6 else 20 + i * 9),
                updated_by=editor,
            ),
        )
        resources.append(resource)
    return resources
