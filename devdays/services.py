"""Workflows across days, invitations and the outbox: inviting the audience, answers and the waiting
list, changes and cancellations, the register. Each queues its messages with one outbox insert."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from peersupport import reminders
from peersupport.models import User
from training.models import Trainee

from .kinds import Kind
from .models import (
    CHOSEN,
    PLACE_HOLDING,
    Answer,
    DayStatus,
    DevelopmentDay,
    Feedback,
    Invitation,
)

# Changes to these fields are news to everyone invited: their calendars get an update.
NEWSWORTHY_FIELDS = ("date", "starts_at", "ends_at", "venue", "online_link")


class AnswerConflict(Exception):
    """The invitation was answered again (another tab, a second click) since this form was shown."""


@dataclass(frozen=True)
class Invitee:
    """Someone the rules say to invite: a member of staff (user_id) or someone without an account."""

    full_name: str
    email: str
    user_id: int | None = None
    trainee_id: int | None = None

    @property
    def key(self) -> tuple:
        if self.user_id:
            return ("user", self.user_id)
        return ("trainee", self.trainee_id) if self.trainee_id else ("email", self.email.lower())


def staff_audience() -> list[Invitee]:
    """Every peer worker in post (one query)."""
    rows = User.objects.peer_workers().in_post().order_by("last_name", "first_name")
    return [
        Invitee(full_name=f"{first} {last}".strip() or email, email=email, user_id=pk)
        for pk, first, last, email in rows.values_list("pk", "first_name", "last_name", "email")
    ]


def trainee_audience() -> list[Invitee]:
    """Everyone on the training register who agreed to be contacted (one query). They have no
    account in role, so they are written to at their contact address and answer through the link."""
    trainees = Trainee.objects.register().contactable().select_related("user").order_by("full_name")
    return [
        Invitee(full_name=t.display_name, email=t.contact_email.lower(), trainee_id=t.pk)
        for t in trainees
        if t.contact_email
    ]


def audience() -> list[Invitee]:
    """Who the rules say to invite, each person once (a trainee whose address is a member of staff's
    in the audience is that member of staff)."""
    staff = staff_audience()
    staff_emails = {p.email.lower() for p in staff}
    trainees = [t for t in trainee_audience() if t.email not in staff_emails]
    seen: set[tuple] = set()
    people = []
    for invitee in staff + trainees:
        if invitee.key not in seen and (invitee.user_id or ("email", invitee.email) not in seen):
            seen.add(invitee.key)
            seen.add(("email", invitee.email))
            people.append(invitee)
    return people


def day_label(day: DevelopmentDay) -> str:
    return date_format(day.date, "l j F Y")


def _message(kind: str, invitation: Invitation, *, stage: str, title: str, body: str, due_at=None):
    return reminders.reminder_for(
        kind=kind,
        content_type=ContentType.objects.get_for_model(Invitation),
        object_id=invitation.pk,
        recipient_id=invitation.user_id,
        recipient_email="" if invitation.user_id else invitation.email,
        stage=stage,
        title=title,
        body=body,
        url=invitation.day.get_absolute_url() if invitation.user_id else "",
        due_at=due_at,
    )


def invitation_message(invitation: Invitation):
    day = invitation.day
    return _message(
        Kind.INVITATION,
        invitation,
        stage="invite",
        title=f"You are invited: peer development day on {day_label(day)}",
        body=f"{day.starts_at:%H:%M} to {day.ends_at:%H:%M}, {day.venue or 'online'}. "
        "Please let us know if you can come.",
    )


def invited_keys(day: DevelopmentDay) -> set[tuple]:
    """Everyone already invited to the day, by account, trainee record and address (one query)."""
    keys: set[tuple] = set()
    for user_id, trainee_id, email in Invitation.objects.filter(day=day).values_list("user_id", "trainee_id", "email"):
        if user_id:
            keys.add(("user", user_id))
        if trainee_id:
            keys.add(("trainee", trainee_id))
        if email:
            keys.add(("email", email.lower()))
    return keys


def invite_missing(day: DevelopmentDay, people: list[Invitee], now: dt.datetime | None = None) -> list[Invitation]:
    """Invite those of `people` not yet invited to `day`, each once, and queue their invitations
    (a fixed number of queries, however many people). The caller holds the day's row lock."""
    now = now or timezone.now()
    invited = invited_keys(day)
    new = [
        Invitation(
            day=day,
            user_id=person.user_id,
            trainee_id=person.trainee_id,
            email="" if person.user_id else person.email.lower(),
            full_name=person.full_name,
            invited_at=now,
        )
        for person in people
        if person.key not in invited and ("email", person.email.lower()) not in invited
    ]
    if not new:
        return []
    created = Invitation.objects.bulk_create(new)
    if any(inv.pk is None for inv in created):  # a database that does not return ids from a bulk insert
        created = list(Invitation.objects.filter(day=day, invited_at=now))
    for invitation in created:
        invitation.day = day
    reminders.queue(invitation_message(inv) for inv in created)
    return created


def send_invitations(*, day: DevelopmentDay, by: User) -> int:
    """Invite the whole audience to a planned day; returns how many were invited."""
    with transaction.atomic():
        day = DevelopmentDay.objects.select_for_update().get(pk=day.pk)
        if day.status not in (DayStatus.PLANNED, DayStatus.INVITED):
            return 0
        created = invite_missing(day, audience())
        DevelopmentDay.objects.filter(pk=day.pk).update(
            status=DayStatus.INVITED, invitations_sent_at=day.invitations_sent_at or timezone.now()
        )
        reminders.dispatch_soon()
    return len(created)


def offer_places(day: DevelopmentDay, now: dt.datetime | None = None) -> list[Invitation]:
    """Offer free places to the first people waiting, each told by email once; the offer holds for the
    day's hold time, never past the day before. The caller holds the day's row lock."""
    now = now or timezone.now()
    expires = day.offer_expiry(now)
    if expires <= now or day.status != DayStatus.INVITED:
        return []  # too close to the day: nobody could take up an offer in time
    free = day.capacity - Invitation.objects.filter(day=day, answer__in=PLACE_HOLDING).count()
    if free <= 0:
        return []
    chosen = list(
        Invitation.objects.filter(day=day, answer=Answer.WAITING, withdrawn_at__isnull=True).order_by(
            "waiting_since", "pk"
        )[:free]
    )
    if not chosen:
        return []
    Invitation.objects.filter(pk__in=[inv.pk for inv in chosen]).update(
        answer=Answer.OFFERED, offer_expires_at=expires, offers_made=F("offers_made") + 1, version=F("version") + 1
    )
    for inv in chosen:
        inv.answer, inv.offer_expires_at, inv.offers_made, inv.day = Answer.OFFERED, expires, inv.offers_made + 1, day
    until = date_format(timezone.localtime(expires), "DATETIME_FORMAT")
    reminders.queue(
        _message(
            Kind.OFFER,
            inv,
            stage=f"offer-{inv.offers_made}",
            title=f"A place is free for you: peer development day on {day_label(day)}",
            body=f"A place has come free. It is held for you until {until}: answer 'attending' to take it.",
        )
        for inv in chosen
    )
    reminders.dispatch_soon()
    return chosen


@dataclass(frozen=True)
class AnswerResult:
    invitation: Invitation
    message: str


def give_answer(
    *, invitation_pk: int, answer: str, access_needs: str, dietary_needs: str, version: int
) -> AnswerResult:
    """Record an answer. Attending takes a free place or joins the waiting list; giving up a place
    offers it to the first person waiting. `version` is the one the form was shown with."""
    if answer not in CHOSEN:
        raise ValueError(f"Not an answer a person can give: {answer!r}")
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_pk)
        day = DevelopmentDay.objects.select_for_update().get(pk=invitation.day_id)
        if invitation.version != version:
            raise AnswerConflict
        had_place = invitation.holds_place
        if answer == Answer.ATTENDING:
            if had_place:
                new = Answer.ATTENDING
            else:
                taken = Invitation.objects.filter(day=day, answer__in=PLACE_HOLDING).count()
                new = Answer.ATTENDING if taken < day.capacity else Answer.WAITING
        else:
            new = answer
        if new == Answer.WAITING and invitation.answer != Answer.WAITING:
            invitation.waiting_since = now
        if new != Answer.WAITING:
            invitation.waiting_since = None
        if new != Answer.OFFERED:
            invitation.offer_expires_at = None
        invitation.answer = new
        invitation.answered_at = now
        invitation.access_needs = access_needs.strip()
        invitation.dietary_needs = dietary_needs.strip()
        invitation.version += 1
        invitation.save()
        if had_place and not invitation.holds_place:
            offer_places(day, now)
        invitation.day = day
    messages = {
        Answer.ATTENDING: "Thank you: you are booked in. Your calendar feed shows you attending.",
        Answer.WAITING: "The day is full, so you are on the waiting list. If a place comes free we will email you.",
        Answer.MAYBE: "Thank you: we have noted 'maybe'. You can change your answer with the same link until the day.",
        Answer.NOT_ATTENDING: "Thank you for letting us know you cannot come. No more reminders for this day.",
    }
    return AnswerResult(invitation=invitation, message=messages[new])


def expire_offers(now: dt.datetime) -> int:
    """Offers past their time lapse and pass to the next person waiting (a few queries per day
    with lapsed offers, none per invitation)."""
    lapsed = Invitation.objects.filter(answer=Answer.OFFERED, offer_expires_at__lte=now)
    day_ids = set(lapsed.values_list("day_id", flat=True))
    offered = 0
    for day_id in sorted(day_ids):
        with transaction.atomic():
            day = DevelopmentDay.objects.select_for_update().get(pk=day_id)
            Invitation.objects.filter(day=day, answer=Answer.OFFERED, offer_expires_at__lte=now).update(
                answer=Answer.LAPSED, offer_expires_at=None, version=F("version") + 1
            )
            offered += len(offer_places(day, now))
    return offered


def _queue_to_everyone(day: DevelopmentDay, *, stage: str, title: str, body: str) -> int:
    invitations = list(Invitation.objects.filter(day=day).for_reminders())
    for inv in invitations:
        inv.day = day
    return reminders.queue(_message(Kind.CHANGE, inv, stage=stage, title=title, body=body) for inv in invitations)


def update_day(*, day: DevelopmentDay, changed: list[str], by: User) -> int:
    """Save a changed day; a change of date, time or place tells everyone invited, with an updated
    calendar entry (same UID, higher SEQUENCE). Returns how many were told."""
    with transaction.atomic():
        newsworthy = [name for name in changed if name in NEWSWORTHY_FIELDS]
        if newsworthy and day.status == DayStatus.INVITED:
            day.sequence += 1
        day.save()
        if day.status == DayStatus.INVITED:
            offer_places(day)
        if not newsworthy or day.status != DayStatus.INVITED:
            return 0
        told = _queue_to_everyone(
            day,
            stage=f"update-{day.sequence}",
            title=f"Changed: peer development day, now {day_label(day)}",
            body=f"Now {day.starts_at:%H:%M} to {day.ends_at:%H:%M}, {day.venue or 'online'}. "
            "Your calendar entry is updated; your answer stays as it was.",
        )
        reminders.dispatch_soon()
    return told


def cancel_day(*, day: DevelopmentDay, reason: str, by: User) -> int:
    with transaction.atomic():
        day = DevelopmentDay.objects.select_for_update().get(pk=day.pk)
        was_invited = day.status == DayStatus.INVITED
        day.status = DayStatus.CANCELLED
        day.cancelled_reason = reason.strip()
        day.sequence += 1
        day.save()
        if not was_invited:
            return 0
        told = _queue_to_everyone(
            day,
            stage="cancelled",
            title=f"Cancelled: peer development day on {day_label(day)}",
            body=(f"The day is cancelled: {day.cancelled_reason}" if day.cancelled_reason else "The day is cancelled.")
            + " Your calendar entry is removed.",
        )
        reminders.dispatch_soon()
    return told


def record_attendance(*, day: DevelopmentDay, invitation_pk: int, attended: bool, by: User) -> Invitation:
    invitation = Invitation.objects.get(day=day, pk=invitation_pk)
    invitation.attended = attended
    invitation.attendance_recorded_by = by
    invitation.save(update_fields=["attended", "attendance_recorded_by"])
    return invitation


def add_walk_in(*, day: DevelopmentDay, by: User, user: User | None, full_name: str, email: str) -> Invitation:
    """Someone who came without a place: marked present. A person already invited is marked present
    on their own invitation instead, so nobody is on the register twice."""
    existing = Invitation.objects.filter(day=day)
    existing = existing.filter(user=user) if user else existing.filter(user__isnull=True, email=email.lower())
    invitation = existing.first() if (user or email) else None
    if invitation is None:
        invitation = Invitation(
            day=day,
            user=user,
            email="" if user else email.lower(),
            full_name=user.get_full_name() if user else full_name.strip(),
            walk_in=True,
            answer=Answer.ATTENDING,
        )
    invitation.attended = True
    invitation.attendance_recorded_by = by
    invitation.save()
    return invitation


def mark_held(*, day: DevelopmentDay, by: User) -> None:
    DevelopmentDay.objects.filter(pk=day.pk).exclude(status=DayStatus.CANCELLED).update(status=DayStatus.HELD)


def give_feedback(*, invitation: Invitation, anonymous: bool, **answers) -> Feedback:
    """Once per invitation: anonymous feedback is not linked to it (the invitation only notes that it
    was given)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.feedback_given_at:
            raise AnswerConflict
        feedback = Feedback.objects.create(day_id=locked.day_id, invitation=None if anonymous else locked, **answers)
        Invitation.objects.filter(pk=locked.pk).update(feedback_given_at=timezone.now())
    return feedback
