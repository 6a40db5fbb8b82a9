"""Peer development days: four a year, for every peer worker in post and everyone trained but not in role.

A day has agenda items and invitations. An invitation is one person's place in a day: their answer
(given through a signed link or from their home page), their place on the waiting list, their
attendance on the day and whether they gave feedback. Each person is invited once per day: staff by
account, everyone else by email address.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from training.models import Trainee

LONDON = ZoneInfo("Europe/London")
DEFAULT_REMINDER_OFFSETS = [42, 7, 1]  # days before: 6 weeks, 1 week, 1 day
DEFAULT_OFFER_HOLD_DAYS = 3


def default_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class DayStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    INVITED = "invited", "Invitations sent"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AgendaType(models.TextChoices):
    TRAINING = "training", "Additional training"
    SPEAKER = "speaker", "Guest speaker"
    UPDATES = "updates", "Updates on peer support"
    REFLECTIVE = "reflective", "Reflective space"


class Answer(models.TextChoices):
    NONE = "none", "Not answered yet"
    ATTENDING = "attending", "Attending"
    MAYBE = "maybe", "Maybe"
    NOT_ATTENDING = "not_attending", "Not attending"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Offered a place"
    LAPSED = "lapsed", "Offer of a place lapsed"


# Answers that hold one of the day's places: an offer holds its place until it lapses.
PLACE_HOLDING = (Answer.ATTENDING, Answer.OFFERED)
# Who hears the reminders; people who declined never do, people who have not answered get chasers.
REMINDED = (Answer.ATTENDING, Answer.MAYBE, Answer.OFFERED)
# What a person may choose themselves (the rest follow from capacity and the waiting list).
CHOSEN = (Answer.ATTENDING, Answer.MAYBE, Answer.NOT_ATTENDING)


def quarter_of(date: dt.date) -> int:
    return (date.month - 1) // 3 + 1


class DevelopmentDayQuerySet(models.QuerySet):
    def visible_to(self, user) -> DevelopmentDayQuerySet:
        """Every member of staff may see the days (dates are given to anyone who asks)."""
        if not user.is_authenticated:
            return self.none()
        return self.all()

    def upcoming(self, today: dt.date | None = None) -> DevelopmentDayQuerySet:
        today = today or timezone.localdate()
        return self.filter(date__gte=today).exclude(status=DayStatus.CANCELLED).order_by("date", "starts_at")

    def inviting(self, today: dt.date | None = None) -> DevelopmentDayQuerySet:
        """Days whose invitations are out and that are still to come."""
        return self.upcoming(today).filter(status=DayStatus.INVITED)

    def with_counts(self) -> DevelopmentDayQuerySet:
        def answered(*answers):
            return Count("invitations", filter=Q(invitations__answer__in=answers))

        return self.annotate(
            invited_count=Count("invitations", filter=Q(invitations__walk_in=False)),
            attending_count=answered(Answer.ATTENDING),
            maybe_count=answered(Answer.MAYBE),
            declined_count=answered(Answer.NOT_ATTENDING),
            waiting_count=answered(Answer.WAITING),
            offered_count=answered(Answer.OFFERED),
            unanswered_count=answered(Answer.NONE),
            attended_count=Count("invitations", filter=Q(invitations__attended=True)),
        )


class DevelopmentDay(models.Model):
    date = models.DateField()
    starts_at = models.TimeField("starts at", default=dt.time(9, 30))
    ends_at = models.TimeField("ends at", default=dt.time(16, 0))
    venue = models.CharField(max_length=200, blank=True, help_text="Building and room, with the address.")
    online_link = models.URLField("online link", blank=True, help_text="For people joining online.")
    capacity = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(2000)], help_text="Places in the room."
    )
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="devdays_facilitated")
    status = models.CharField(max_length=20, choices=DayStatus.choices, default=DayStatus.PLANNED)
    reminder_offsets = models.JSONField(
        default=default_offsets, help_text="Days before the day on which reminders and chasers go."
    )
    offer_hold_days = models.PositiveSmallIntegerField(
        "days an offered place is held",
        default=DEFAULT_OFFER_HOLD_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="A place offered from the waiting list is held this long, never past the day before.",
    )
    # Raised on every change people must hear about, so calendars replace their copy of the event.
    sequence = models.PositiveIntegerField(default=0)
    # Offsets whose reminders and chasers have been queued, so each goes once however often the scan runs.
    reminders_done = models.JSONField(default=list, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["reminders_done"])

    objects = DevelopmentDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="devday_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Peer development day, {self.date:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("devdays:day-detail", kwargs={"day_pk": self.pk})

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The day must end after it starts."})
        if not self.venue and not self.online_link:
            raise ValidationError({"venue": "Give a venue, an online link or both."})

    @property
    def quarter(self) -> int:
        return quarter_of(self.date)

    @property
    def quarter_label(self) -> str:
        return f"Q{self.quarter} {self.date.year}"

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.starts_at, tzinfo=LONDON)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.ends_at, tzinfo=LONDON)

    @property
    def hours(self) -> float:
        return round((self.end - self.start).total_seconds() / 3600, 1)

    @property
    def is_open(self) -> bool:
        """Answers may still be given or changed: until the day starts, unless cancelled or held."""
        return self.status in (DayStatus.PLANNED, DayStatus.INVITED) and timezone.now() < self.start

    @property
    def is_past(self) -> bool:
        return timezone.localdate() > self.date

    def offer_expiry(self, now: dt.datetime) -> dt.datetime:
        """An offered place is held `offer_hold_days`, never past the end of the day before."""
        latest = dt.datetime.combine(self.date, dt.time(0, 0), tzinfo=LONDON)
        return min(now + dt.timedelta(days=self.offer_hold_days), latest)

    def can_plan(self, user) -> bool:
        return user.is_superuser or user.is_development_team

    def places_taken(self) -> int:
        return self.invitations.filter(answer__in=PLACE_HOLDING).count()


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgendaItemQuerySet:
        return self.filter(day__in=DevelopmentDay.objects.visible_to(user))


class AgendaItem(models.Model):
    day = models.ForeignKey(DevelopmentDay, on_delete=models.PROTECT, related_name="agenda")
    type = models.CharField(max_length=20, choices=AgendaType.choices)
    title = models.CharField(max_length=200)
    starts_at = models.TimeField("starts at")
    ends_at = models.TimeField("ends at")
    speakers = models.CharField(
        "facilitators or speakers", max_length=300, blank=True, help_text="Names, and organisation for a guest."
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.title}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The item must end after it starts."})
        day = getattr(self, "day", None)
        if day and self.starts_at and self.ends_at and (self.starts_at < day.starts_at or self.ends_at > day.ends_at):
            raise ValidationError(
                f"The item must fit within the day, {day.starts_at:%H:%M} to {day.ends_at:%H:%M}.", code="outside"
            )


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        """The development team sees every invitation; a manager their teams' staff's; a worker their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_development_team:
            return self.all()
        scope = Q(user=user)
        if user.managed_team_ids:
            scope |= Q(user__memberships__team_id__in=user.managed_team_ids)
        return self.filter(pk__in=self.model.objects.filter(scope).values("pk"))

    def contactable(self) -> InvitationQuerySet:
        """Nobody who withdrew their consent to be contacted (on the training register) hears again."""
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(trainee__isnull=True) | Q(trainee__consent_withdrawn_at__isnull=True)
        )

    def for_reminders(self) -> InvitationQuerySet:
        return self.contactable().filter(walk_in=False)


class Invitation(models.Model):
    day = models.ForeignKey(DevelopmentDay, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="devday_invitations"
    )
    # Someone on the training register (trained, not in role): invited by email, without an account.
    trainee = models.ForeignKey(
        Trainee, null=True, blank=True, on_delete=models.PROTECT, related_name="devday_invitations"
    )
    # For people without an account: where their invitation goes, and how their certificate names them.
    email = models.EmailField(blank=True)
    full_name = models.CharField(max_length=200)
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.NONE)
    answered_at = models.DateTimeField(null=True, blank=True)
    access_needs = models.TextField("access needs", blank=True)
    dietary_needs = models.TextField("dietary needs", blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    offers_made = models.PositiveSmallIntegerField(default=0)
    # Raised on every answer, so that two answers sent at once from one link cannot overwrite each other.
    version = models.PositiveIntegerField(default=0)
    attended = models.BooleanField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    walk_in = models.BooleanField(default=False)
    feedback_given_at = models.DateTimeField(null=True, blank=True)
    # Someone who withdrew their consent to be contacted: kept for the figures, never contacted again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "user"], condition=Q(user__isnull=False), name="devday_invite_staff_once"
            ),
            models.UniqueConstraint(
                fields=["day", "trainee"], condition=Q(trainee__isnull=False), name="devday_invite_trainee_once"
            ),
            models.UniqueConstraint(
                fields=["day", "email"],
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="devday_invite_email_once",
            ),
        ]
        indexes = [models.Index(fields=["day", "answer"])]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.day}"

    @property
    def is_staff_invitation(self) -> bool:
        return self.user_id is not None

    @property
    def consent_withdrawn(self) -> bool:
        return self.withdrawn_at is not None or (
            self.trainee_id is not None and self.trainee.consent_withdrawn_at is not None
        )

    @property
    def holds_place(self) -> bool:
        return self.answer in PLACE_HOLDING


class Rating(models.IntegerChoices):
    POOR = 1, "1: poor"
    FAIR = 2, "2: fair"
    GOOD = 3, "3: good"
    VERY_GOOD = 4, "4: very good"
    EXCELLENT = 5, "5: excellent"


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> FeedbackQuerySet:
        """Feedback is read by the development team only: managers see attendance, never feedback."""
        if user.is_authenticated and (user.is_superuser or user.is_development_team):
            return self.all()
        return self.none()


class Feedback(models.Model):
    """Optional feedback after a day. Anonymous feedback keeps no link to the invitation (the invitation
    only records that feedback was given, so nobody gives it twice)."""

    day = models.ForeignKey(DevelopmentDay, on_delete=models.PROTECT, related_name="feedback")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField("overall, the day was", choices=Rating.choices)
    most_useful = models.TextField("what was most useful", blank=True)
    to_improve = models.TextField("what could be better", blank=True)
    future_topics = models.TextField("topics for future days", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feedback on {self.day}"

    @property
    def is_anonymous(self) -> bool:
        return self.invitation_id is None


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A person's secret calendar address (Outlook and Google Calendar subscribe to it). Revoking it
    stops it at once; a new one can be made. Staff by account, everyone else by email address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="devday_feeds"
    )
    email = models.EmailField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True, user__isnull=False), name="devday_one_feed_user"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=Q(revoked_at__isnull=True, user__isnull=True), name="devday_one_feed_email"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user or self.email}"

    def get_absolute_url(self) -> str:
        return reverse("devdays:feed", kwargs={"feed_token": self.token})

    def invitations(self) -> InvitationQuerySet:
        people = Q(user_id=self.user_id) if self.user_id else Q(user__isnull=True, email=self.email)
        return Invitation.objects.filter(people).exclude(withdrawn_at__isnull=False)

    @classmethod
    def current_for(cls, *, user=None, email: str = "") -> CalendarFeed:
        """The person's feed, made on first use."""
        if user is not None:
            feed, _ = cls.objects.active().get_or_create(user=user)
        else:
            feed, _ = cls.objects.active().get_or_create(user=None, email=email.lower())
        return feed

    def revoke(self) -> None:
        CalendarFeed.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.revoked_at = timezone.now()
