"""Each demo person's records: contacts, goals and ratings, plans, appointments, DIALOG, corrections."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ..models import (
    DIALOG_ITEMS,
    AdvanceStatement,
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    ClosureReason,
    Contact,
    ContactType,
    DialogAssessment,
    DialogStage,
    GoalRating,
    GoalStatus,
    LifeArea,
    Person,
    PersonStatus,
    Rater,
    RecoveryGoal,
    RecoveryPlan,
    Resource,
    StatusChange,
)
from ..services import amend

GOALS = [
    (LifeArea.COMMUNITY, "I want to go back to my choir on Tuesday nights."),
    (LifeArea.WORK, "I'd like to find some volunteering, maybe with animals."),
    (LifeArea.MENTAL_WELLBEING, "I want to get out of the house on my own three times a week."),
    (LifeArea.RELATIONSHIPS, "I want to ring my brother and start talking again."),
    (LifeArea.HOME, "Cook a proper meal twice a week instead of takeaways."),
    (LifeArea.MONEY, "Sort out my PIP claim so I'm not worrying about money."),
    (LifeArea.PHYSICAL_HEALTH, "I'd like to sleep better and not lie awake till 4."),
    (LifeArea.IDENTITY, "Feel like me again: go to the barber, wear my own clothes."),
]
# Each note is written for the type of contact it records: a phone call is a phone contact, a message
# exchange a message, and so on (the demo picks a type first, then one of its notes).
NOTES = {
    ContactType.FACE_TO_FACE: [
        "Met at the cafe by the market. {name} talked about the week: the bad night on Tuesday, and how "
        "going for a walk the next morning helped. We looked at the choir's website together.",
        "Walked round the park. {name} told me more about what keeps them well; I shared how I use a "
        "morning routine. We started the wellness toolbox for the recovery plan.",
        "Went to the library together to look at volunteering roles. {name} chose two to ring about and "
        "wrote the numbers in their phone.",
        "{name} was low today and said so, which took courage. We talked about what helped last time: "
        "music and ringing their sister. Agreed to speak again on Friday.",
    ],
    ContactType.PHONE: [
        "Phone call. {name} had been to the GP on their own, a first. Talked through what they want from "
        "the medication review next month.",
        "Rang {name} as agreed. They had a better week and have started cooking again; we set the date for "
        "our next meeting.",
    ],
    ContactType.MESSAGE: [
        "Message exchange about the appointment time. {name} confirmed and asked me to meet them outside.",
    ],
    ContactType.ACCOMPANIED: [
        "Went with {name} to their appointment at the job centre. They did most of the talking and asked "
        "about part-time work; we had a coffee afterwards to go over what was said.",
    ],
    ContactType.GROUP: [
        "Group session at the recovery college taster. {name} stayed for the whole session and spoke once.",
    ],
}
# How often each type comes up, and how long it usually lasts.
KINDS = [ContactType.FACE_TO_FACE] * 4 + [ContactType.PHONE, ContactType.ACCOMPANIED, ContactType.MESSAGE]
MINUTES = {
    ContactType.FACE_TO_FACE: [45, 60, 60, 90],
    ContactType.PHONE: [10, 15, 20, 30],
    ContactType.MESSAGE: [5, 10],
    ContactType.ACCOMPANIED: [90, 120],
    ContactType.GROUP: [90, 120],
}
PLACES = {
    ContactType.FACE_TO_FACE: ["Cafe on the market square", "Home visit", "The library", "Clumber Park", "Team base"],
    ContactType.ACCOMPANIED: ["Job centre, Bridge Street"],
    ContactType.GROUP: ["Recovery college"],
    ContactType.DID_NOT_ATTEND: ["Home visit"],
}
DNA_NOTE = "{name} was not in when I called round. Left a card and sent a text; will try again next week."
CLOSING_SUMMARY = (
    "{name} has rejoined the choir, volunteers two mornings a week and feels ready to carry on without "
    "peer support. We talked about what helped: being listened to, small steps, and knowing setbacks pass. "
    "{name} has their WRAP and the recovery college prospectus, and knows they can be referred again."
)
# Why the demo's closed records ended, most often as planned.
CLOSURES = [
    (ClosureReason.GOALS_ACHIEVED, "Planned ending, agreed together."),
    (ClosureReason.TRANSFERRED, "{name} has started with the employment support service, which now leads."),
    (ClosureReason.GOALS_ACHIEVED, "Planned ending, agreed together."),
    (ClosureReason.MOVED_AWAY, "{name} has moved to be near family; signposted to peer support there."),
    (ClosureReason.PERSON_CHOSE, "{name} felt ready to stop for now and knows how to come back."),
    (ClosureReason.NO_ENGAGEMENT, "No reply to calls, texts or a letter over four weeks; care coordinator told."),
]
TIMES = [(10, 0), (11, 30), (14, 0), (15, 30)]


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    hour, minute = rng.choice(TIMES)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed_caseload_records(people: list[Person], resources: list[Resource]) -> None:
    """Contacts, goals, ratings, plans, appointments and DIALOG for every demo person (once)."""
    rng = random.Random(42)
    active_resources = [r for r in resources if r.active]
    for index, person in enumerate(people):
        if person.contacts.exists() or person.status_changes.exists():
            continue
        _seed_person(person, index, rng, active_resources)


def _seed_person(person: Person, index: int, rng: random.Random, resources: list[Resource]) -> None:
    worker = person.assigned_worker
    today = timezone.localdate()
    name = person.preferred_name or person.given_name
    start = person.consent_date or person.referral_date + dt.timedelta(days=7)
    if person.status == PersonStatus.REFERRED:
        return  # waiting for a first meeting: shows as "No contact yet"
    _status_changes(person, worker, start, name, index)
    # When they were last seen varies, so the caseload shows who needs attention first.
    end = (
        person.status_changed_on
        if person.status != PersonStatus.ACTIVE
        else today - dt.timedelta(days=[1, 3, 6, 19, 33][index % 5])
    )
    span = max((end - start).days, 1)
    goals = []
    for n, (area, text) in enumerate(rng.sample(GOALS, 2 + index % 2)):
        # A planned ending has met every goal, another ending the first; some people on a caseload have
        # met a goal lately (the board's goals achieved this quarter).
        if person.status == PersonStatus.CLOSED:
            planned = CLOSURES[index % len(CLOSURES)][0] == ClosureReason.GOALS_ACHIEVED
            status = GoalStatus.ACHIEVED if planned or n == 0 else GoalStatus.SET_ASIDE
            changed_on = end
        elif n == 0 and index % 3 == 1 and span > 60:
            status, changed_on = GoalStatus.ACHIEVED, end - dt.timedelta(days=index % 40)
        else:
            status, changed_on = GoalStatus.ACTIVE, start
        goals.append(
            RecoveryGoal.objects.create(
                person=person,
                description=text,
                life_area=area,
                set_on=start + dt.timedelta(days=n * 7),
                target_date=start + dt.timedelta(days=120 + n * 30),
                created_by=worker,
                status=status,
                status_changed_on=changed_on,
            )
        )
    count = min(3 + span // 14, 12)
    contacts = []
    for n in range(count):
        day = start + dt.timedelta(days=round(span * n / max(count - 1, 1)))
        kind = ContactType.DID_NOT_ATTEND if n == 2 and index % 3 == 0 else rng.choice(KINDS)
        if kind == ContactType.FACE_TO_FACE and n % 5 == 4:
            kind = ContactType.GROUP
        at = _at(day, rng)
        late = n == count - 2 and index % 4 == 1
        missed = kind == ContactType.DID_NOT_ATTEND
        contact = Contact.objects.create(
            person=person,
            worker=worker,
            contact_at=at,
            recorded_at=at + (dt.timedelta(hours=30) if late else dt.timedelta(hours=1, minutes=20)),
            contact_type=kind,
            duration_minutes=0 if missed else rng.choice(MINUTES[kind]),
            location=rng.choice(PLACES[kind]) if kind in PLACES else "",
            notes=(DNA_NOTE if missed else rng.choice(NOTES[kind])).format(name=name),
            written_with_person=not missed and kind != ContactType.MESSAGE and n % 3 != 2,
        )
        if kind != ContactType.DID_NOT_ATTEND:
            contact.goals.set(rng.sample(goals, 1))
            if n % 3 == 1:
                contact.signposted_to.set(rng.sample(resources, 1))
        contacts.append(contact)
    for goal in goals:
        score = rng.randint(1, 3)
        for n in range(2 + index % 4):
            rated = min(goal.set_on + dt.timedelta(days=n * 21), end)
            GoalRating.objects.create(goal=goal, score=min(score, 10), rated_on=rated, recorded_by=worker,
                                      recorded_at=_at(rated, rng))  # fmt: skip
            score += rng.randint(0, 3)
    _plans(person, index, worker, start, end, name)
    _appointments(person, index, worker, goals, rng)
    _dialog(person, worker, start, end, rng)
    if index % 7 == 0 and len(contacts) > 3:
        _corrections(contacts, worker)


def _status_changes(person: Person, worker, start: dt.date, name: str, index: int) -> None:
    StatusChange.objects.create(
        person=person, from_status=PersonStatus.REFERRED, to_status=PersonStatus.ACTIVE, changed_on=start,
        note="Met for the first time and agreed to peer support.", changed_by=worker, recorded_at=_noon(start),
    )  # fmt: skip
    if person.status == PersonStatus.PAUSED:
        StatusChange.objects.create(
            person=person, from_status=PersonStatus.ACTIVE, to_status=PersonStatus.PAUSED,
            changed_on=person.status_changed_on, changed_by=worker, recorded_at=_noon(person.status_changed_on),
            note=f"{name} is in hospital for a few weeks; we agreed to pause and pick up when they are home.",
        )  # fmt: skip
    if person.status == PersonStatus.CLOSED:
        reason, note = CLOSURES[index % len(CLOSURES)]
        StatusChange.objects.create(
            person=person, from_status=PersonStatus.ACTIVE, to_status=PersonStatus.CLOSED,
            changed_on=person.status_changed_on, changed_by=worker, closure_reason=reason,
            recorded_at=_noon(person.status_changed_on),
            ending_summary=CLOSING_SUMMARY.format(name=name) if reason == ClosureReason.GOALS_ACHIEVED else "",
            note=note.format(name=name),
        )  # fmt: skip


def _plans(person: Person, index: int, worker, start: dt.date, end: dt.date, name: str) -> None:
    if index % 4 == 3:
        return
    first = start + dt.timedelta(days=14)
    versions = [first] + ([first + dt.timedelta(days=60)] if index % 2 == 0 else [])
    for version, agreed in enumerate(versions, start=1):
        agreed = min(agreed, end)
        # Every fifth person's plan is past its review date, so the caseload flags it.
        review = agreed + dt.timedelta(days=30 if index % 5 == 0 else 180)
        RecoveryPlan.objects.create(
            person=person,
            version=version,
            agreed_on=agreed,
            review_on=review,
            written_by=worker,
            created_at=_at(agreed, random.Random(index)),
            wellness_toolbox="Music (Motown, loud), walking the dog, ringing my sister, a bath with the radio on.",
            daily_plan="Up by 9, breakfast, get dressed, outside at least once, text someone.",
            triggers="Brown envelopes; the anniversary in March; being rushed in appointments. "
            + ("Plan: open post with someone; tell staff I need time." if version > 1 else ""),
            early_warning_signs="Stopping answering the phone; not sleeping; losing interest in music.",
            breaking_down="Not eating, staying in bed, hearing the voices more. "
            "Ring my sister and my care coordinator.",
            crisis_plan="My sister Jo to be contacted first. I would rather stay at home with the crisis team "
            "visiting than go to hospital. Please keep my dog with Jo.",
            post_crisis_plan="Take things slowly; one thing a day; see my peer support worker within a week.",
        )
    if index % 3 == 0:
        AdvanceStatement.objects.create(
            person=person,
            version=1,
            agreed_on=min(first + dt.timedelta(days=7), end),
            review_on=min(first + dt.timedelta(days=7), end) + dt.timedelta(days=365),
            written_by=worker,
            wishes=f"If I become unwell I, {person.given_name} {person.family_name}, would like to be cared for at "
            "home if at all possible, with the crisis team visiting. If I must go into hospital, I would "
            "prefer a ward close to my sister.",
            people_to_contact="My sister Jo (07700 900555) first. Please do not contact my father.",
            what_helps="Being spoken to calmly and told what is happening. Time to answer. My music.",
            what_to_avoid="Being touched without asking first. Being in a room with lots of people.",
            practical_matters="My dog, Biscuit, should go to Jo. The rent is paid by direct debit.",
            consent_to_share=True,
            created_at=_noon(min(first + dt.timedelta(days=7), end)),
        )


def _appointments(person: Person, index: int, worker, goals: list[RecoveryGoal], rng: random.Random) -> None:
    now = timezone.now()
    past = Appointment.objects.create(
        person=person, worker=worker, title="Medication review with the GP", kind=AppointmentKind.HEALTH,
        starts_at=now - dt.timedelta(days=10 + index % 9, hours=2), location="Health centre",
        outcome=AppointmentOutcome.ATTENDED, created_by=worker,
        outcome_note="Went in together; spoke up about side effects and the dose was changed.",
    )  # fmt: skip
    past.goals.set(goals[:1])
    if person.status == PersonStatus.ACTIVE and index % 2 == 0:
        day = timezone.localdate() + dt.timedelta(days=1 + index % 6)
        title, kind, where = rng.choice(
            [
                ("Job centre appointment", AppointmentKind.BENEFITS, "Job centre, Bridge Street"),
                ("Volunteering taster", AppointmentKind.WORK, "Volunteer centre"),
                ("Choir rehearsal", AppointmentKind.ACTIVITY, "St John's church hall"),
                ("Care review", AppointmentKind.REVIEW, "Team base"),
            ]
        )
        upcoming = Appointment.objects.create(
            person=person, worker=worker, title=title, kind=kind, starts_at=_at(day, rng), location=where,
            created_by=worker,
        )  # fmt: skip
        upcoming.goals.set(goals[-1:])


def _dialog(person: Person, worker, start: dt.date, end: dt.date, rng: random.Random) -> None:
    stages = [(DialogStage.START, start)]
    if (end - start).days > 60:
        stages.append((DialogStage.REVIEW, start + (end - start) / 2))
    if person.status == PersonStatus.CLOSED:
        stages.append((DialogStage.CLOSURE, end))
    base = {name: rng.randint(2, 4) for name, _ in DIALOG_ITEMS}
    for step, (stage, day) in enumerate(stages):
        for rater in (Rater.PERSON, Rater.WORKER) if stage == DialogStage.START else (Rater.PERSON,):
            ratings = {name: min(7, value + step + (1 if rater == Rater.WORKER else 0)) for name, value in base.items()}
            helps = {f"{name}_help": value <= 3 for name, value in ratings.items()}
            DialogAssessment.objects.create(
                person=person, assessed_on=day, stage=stage, rater=rater, recorded_by=worker,
                recorded_at=_at(day, rng), **ratings, **helps,
            )  # fmt: skip


def _corrections(contacts: list[Contact], worker) -> None:
    """One amended contact and one entered in error, so the history view has something to show."""
    met = [c for c in contacts[2:] if c.contact_type == ContactType.FACE_TO_FACE]
    if not met:
        return
    original = met[-1]  # the added ending is about a visit in person
    draft = original.draft_amendment()
    draft.duration_minutes = 75
    draft.notes = original.notes + " Afterwards we sat in the cafe and planned the next visit."
    amend(original=original, replacement=draft, by=worker, reason="Added the end of the visit; it lasted 75 minutes.")
    mistaken = contacts[1]
    mistaken.mark_entered_in_error(by=worker, reason="Written on the wrong person's record.")
    # Corrected a day after each contact, as would happen in practice.
    for entry in (original, mistaken):
        Contact.objects.filter(pk=entry.pk).update(corrected_at=entry.contact_at + dt.timedelta(days=1))


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
