"""Demo data: four development days by the team's rule (the last one held, with its register and
feedback; the next with invitations out, answers of every kind and a waiting list; two planned).
The people trained but not in role come from the training demo (it runs first). Safe to run again."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peersupport.models import Reminder

from . import schedule, services
from .models import AgendaType, Answer, DayStatus, DevelopmentDay, Feedback, Invitation

VENUE = "Duncan Macmillan House, Porchester Road, Nottingham NG3 6AA, lecture theatre"
ONLINE = "https://teams.microsoft.com/l/meetup-join/peer-development-day"
AGENDA = [
    (AgendaType.UPDATES, "Updates on peer support across the trust", dt.time(9, 45), dt.time(10, 30), "Dana Doyle"),
    (
        AgendaType.TRAINING,
        "Using lived experience in a way that is helpful",
        dt.time(10, 45),
        dt.time(12, 15),
        "Dev Dhillon",
    ),
    (
        AgendaType.SPEAKER,
        "Guest speaker: Recovery College stories",
        dt.time(13, 0),
        dt.time(14, 0),
        "Jo Marsh, Recovery College",
    ),
    (
        AgendaType.REFLECTIVE,
        "Reflective space: successes and challenges",
        dt.time(14, 15),
        dt.time(15, 45),
        "Rosa Quinn",
    ),
]


def _dates(today: dt.date) -> list[dt.date]:
    """The last rule date before today and the next three after it."""
    rule = schedule.Rule()
    dates = [p.date for year in (today.year - 1, today.year, today.year + 1) for p in schedule.propose(year, rule)]
    past = [d for d in dates if d < today]
    future = [d for d in dates if d > today + dt.timedelta(days=7)]
    return [past[-1], *future[:3]]


def _day(date: dt.date, lead, facilitators, capacity: int) -> DevelopmentDay:
    day, created = DevelopmentDay.objects.get_or_create(
        date=date, defaults={"venue": VENUE, "online_link": ONLINE, "capacity": capacity, "created_by": lead}
    )
    if created:
        day.facilitators.set(facilitators)
        for kind, title, start, end, speakers in AGENDA:
            day.agenda.create(type=kind, title=title, starts_at=start, ends_at=end, speakers=speakers)
    return day


def seed(staff) -> list[str]:
    today = timezone.localdate()
    lead = staff.users["Dana Doyle"]
    facilitators = [lead, staff.users["Dev Dhillon"], staff.users["Rosa Quinn"]]
    held_date, next_date, *planned_dates = _dates(today)
    held = _day(held_date, lead, facilitators, 60)
    # A small room, so the demo has a waiting list.
    coming = _day(next_date, lead, facilitators, max(2, len(services.audience()) // 3))
    for date in planned_dates:
        _day(date, lead, facilitators, 60)

    if not held.invitations.exists():
        people = services.audience()
        Invitation.objects.bulk_create(
            Invitation(
                day=held,
                user_id=p.user_id,
                trainee_id=p.trainee_id,
                email="" if p.user_id else p.email,
                full_name=p.full_name,
                invited_at=held.start - dt.timedelta(days=60),
            )
            for p in people
        )
        answers = [Answer.ATTENDING, Answer.ATTENDING, Answer.ATTENDING, Answer.NOT_ATTENDING, Answer.MAYBE]
        for k, inv in enumerate(held.invitations.order_by("pk")):
            inv.answer = answers[k % len(answers)]
            inv.answered_at = inv.invited_at + dt.timedelta(days=3)
            inv.attended = inv.answer == Answer.ATTENDING and k % 7 != 2
            inv.attendance_recorded_by = lead
            inv.save()
        DevelopmentDay.objects.filter(pk=held.pk).update(
            status=DayStatus.HELD, invitations_sent_at=held.start - dt.timedelta(days=60)
        )
        comments = [
            (5, "Hearing how other teams use their lived experience.", "More time in the reflective space."),
            (4, "The Recovery College talk.", ""),
            (4, "", "A quieter room for the breakout."),
        ]
        came = list(held.invitations.filter(attended=True).order_by("pk")[: len(comments)])
        for k, (inv, (rating, useful, better)) in enumerate(zip(came, comments, strict=False)):
            services.give_feedback(
                invitation=inv, anonymous=k == 1, rating=rating, most_useful=useful, to_improve=better, future_topics=""
            )

    if coming.status == DayStatus.PLANNED:
        services.send_invitations(day=coming, by=lead)
        coming.refresh_from_db()
        invitations = list(coming.invitations.order_by("pk"))
        answers = [Answer.ATTENDING, Answer.NOT_ATTENDING, Answer.ATTENDING, Answer.MAYBE, Answer.ATTENDING]
        for k, inv in enumerate(invitations[:-1]):
            services.give_answer(
                invitation_pk=inv.pk,
                answer=answers[k % len(answers)],
                access_needs="Step-free access, please." if k == 0 else "",
                dietary_needs="Vegetarian." if k == 3 else "",
                version=Invitation.objects.get(pk=inv.pk).version,
            )
    counts = {a: coming.invitations.filter(answer=a).count() for a in Answer.values}
    queued = Reminder.objects.filter(kind__startswith="devdays_", sent_at__isnull=True).count()
    return [
        f"Development days: held {held.date:%-d %b %Y} ({held.invitations.filter(attended=True).count()} came, "
        f"{Feedback.objects.filter(day=held).count()} feedback); invitations out for {coming.date:%-d %b %Y} "
        f"({counts[Answer.ATTENDING]} attending, {counts[Answer.MAYBE]} maybe, {counts[Answer.NOT_ATTENDING]} not, "
        f"{counts[Answer.WAITING]} waiting, {counts[Answer.NONE]} to answer); "
        f"{len(planned_dates)} planned. {queued} emails with calendar files queued: the worker prints them "
        "on the console (or run manage.py send_reminders)."
    ]
