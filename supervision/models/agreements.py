"""Agreements and sessions (dates and attendance: managers and the development team may see these)
and the sessions' content and actions (the supervisor and the supervisee only)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import DEVELOPMENT_ROLES, Membership, Role, User


def line_manager_ids(worker_ids) -> dict[int, set[int]]:
    """Each worker's line managers: the managers of the teams the worker is a peer support worker in
    (one query, however many workers)."""
    rows = Membership.objects.filter(
        role=Role.MANAGER,
        team__memberships__role=Role.PSW,
        team__memberships__user_id__in=list(worker_ids),
    ).values_list("team__memberships__user_id", "user_id")
    managers: dict[int, set[int]] = defaultdict(set)
    for worker_id, manager_id in rows:
        managers[worker_id].add(manager_id)
    return managers


def is_line_manager_of(user, worker: User) -> bool:
    return bool(user.managed_team_ids & worker.team_ids_with_role(Role.PSW))


class AgreementType(models.TextChoices):
    PEER = "peer", "Peer supervision"
    LINE_MANAGEMENT = "line_management", "Line management"
    CLINICAL = "clinical", "Clinical supervision"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


def _staff_in_reach(user) -> Q:
    """Supervision dates and attendance a user may see about a supervisee (SPEC section 3): their own
    and those they supervise; a manager, their teams' staff; the development team, every peer worker
    and the development team (trust-wide). An administrator as such: none in the app (the admin
    shows them dates)."""
    scope = Q(supervisor=user) | Q(supervisee=user)
    if user.managed_team_ids:
        scope |= Q(supervisee__memberships__team_id__in=user.managed_team_ids)
    if user.is_development_team:
        scope |= Q(supervisee__memberships__role__in=[Role.PSW, *DEVELOPMENT_ROLES])
    return scope


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Agreement.objects.filter(_staff_in_reach(user)).values("pk"))

    def active_on(self, day: dt.date) -> AgreementQuerySet:
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)

    def overdue_on(self, day: dt.date) -> AgreementQuerySet:
        return self.active_on(day).filter(next_due_on__lt=day)


class Agreement(models.Model):
    """A supervision agreement between a supervisor and a supervisee. A worker can have several
    (peer supervision and line management, say)."""

    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_agreements"
    )
    agreement_type = models.CharField("type", max_length=20, choices=AgreementType.choices)
    frequency_weeks = models.PositiveSmallIntegerField(
        "every (weeks)",
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="How often you meet, in weeks: 4 for every four weeks.",
    )
    starts_on = models.DateField("starts")
    ends_on = models.DateField("ends", null=True, blank=True, help_text="Leave empty if open-ended.")
    # Kept current from the held sessions (refresh_due), so that lists and scans read one row.
    last_held_on = models.DateField(null=True, blank=True, editable=False)
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["supervisee__last_name", "supervisee__first_name", "starts_on"]

    def __str__(self) -> str:
        return f"{self.get_agreement_type_display()}: {self.supervisor} with {self.supervisee}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:agreement-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.supervisor_id and self.supervisor_id == self.supervisee_id:
            errors["supervisor"] = "Someone cannot supervise themselves."
        elif self.supervisor_id and not (self.supervisor.is_manager or self.supervisor.is_development_team):
            errors["supervisor"] = "A supervisor is a team manager or a peer development worker."
        if self.frequency_weeks is not None and self.frequency_weeks < 1:
            errors["frequency_weeks"] = "Meet at least every 26 weeks: the frequency must be 1 or more."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end cannot be before the start."
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def due_after(self, last_held: dt.date | None) -> dt.date:
        """The first session is due one interval after the start; each next one an interval after the
        last session held."""
        return (last_held or self.starts_on) + dt.timedelta(weeks=self.frequency_weeks)

    def refresh_due(self) -> None:
        self.last_held_on = (
            self.sessions.filter(status=SessionStatus.HELD).aggregate(last=Max("starts_at"))["last"] or None
        )
        if self.last_held_on:
            self.last_held_on = timezone.localdate(self.last_held_on)
        self.next_due_on = self.due_after(self.last_held_on)
        if self.ends_on and self.next_due_on > self.ends_on:
            self.next_due_on = None  # the agreement ends before another session falls due
        Agreement.objects.filter(pk=self.pk).update(last_held_on=self.last_held_on, next_due_on=self.next_due_on)

    def days_overdue(self, today: dt.date | None = None) -> int:
        today = today or timezone.localdate()
        if not self.next_due_on or not self.is_active_on(today) or self.next_due_on >= today:
            return 0
        return (today - self.next_due_on).days

    def in_room(self, user) -> bool:
        """The two people who meet: the only ones who read what is discussed."""
        return user.pk in (self.supervisor_id, self.supervisee_id)

    def can_change(self, user) -> bool:
        """Anyone who may see the agreement and is not the supervisee (a manager, the development
        team, the supervisor) may change it or record its sessions' dates."""
        return user.pk != self.supervisee_id

    def can_record_sessions(self, user) -> bool:
        return user.pk == self.supervisor_id


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        """Dates and attendance: whoever may see the agreement."""
        return self.filter(agreement__in=Agreement.objects.visible_to(user))

    def in_room(self, user) -> SessionQuerySet:
        """Sessions whose content a user may read: theirs as supervisor or supervisee."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(agreement__supervisor=user) | Q(agreement__supervisee=user))


class Session(models.Model):
    """A session's date, time and attendance. What was discussed is in SessionContent."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField("date and time")
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    location = models.CharField(max_length=200, blank=True, help_text="A room, or Teams.")
    # The calendar file's SEQUENCE: raised on every move or cancellation, so Outlook updates the event.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    supervisor_signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    supervisee_signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"Supervision on {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:session-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        agreement = self.agreement if self.agreement_id else None
        if agreement and self.starts_at:
            day = timezone.localdate(self.starts_at)
            if day < agreement.starts_on:
                errors["starts_at"] = (
                    f"The agreement starts on {agreement.starts_on:%-d %b %Y}: a session cannot be before that."
                )
            elif agreement.ends_on and day > agreement.ends_on:
                errors["starts_at"] = f"The agreement ended on {agreement.ends_on:%-d %b %Y}."
        if self.status == SessionStatus.HELD and not self.duration_minutes:
            errors["duration_minutes"] = "Say how long the session lasted."
        if self.status == SessionStatus.HELD and self.starts_at and self.starts_at > timezone.now():
            errors["status"] = "A session in the future cannot have been held yet."
        if errors:
            raise ValidationError(errors)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes or 60)

    @property
    def calendar_uid(self) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"supervision-session-{self.pk}@{host}"

    @property
    def is_signed_off(self) -> bool:
        return bool(self.supervisor_signed_off_at and self.supervisee_signed_off_at)

    def signed_off_by(self, user) -> bool:
        if user.pk == self.agreement.supervisor_id:
            return bool(self.supervisor_signed_off_at)
        if user.pk == self.agreement.supervisee_id:
            return bool(self.supervisee_signed_off_at)
        return False

    def sign_off(self, user) -> None:
        """Each of the two people confirms the record; nobody else can."""
        if not self.agreement.in_room(user):
            raise ValidationError("Only the supervisor and the supervisee of this session can sign it off.")
        if self.status != SessionStatus.HELD:
            raise ValidationError("Only a session that was held can be signed off.")
        field = "supervisor_signed_off_at" if user.pk == self.agreement.supervisor_id else "supervisee_signed_off_at"
        setattr(self, field, timezone.now())
        self.save(update_fields=[field])


class InRoomQuerySet(models.QuerySet):
    """Content: the supervisor and the supervisee only. Nobody else, administrators included."""

    def visible_to(self, user) -> InRoomQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(session__agreement__supervisor=user) | Q(session__agreement__supervisee=user))


class SessionContent(models.Model):
    """What was discussed and any wellbeing notes: readable by the two people in the room only."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="content")
    themes = models.TextField("what we discussed", blank=True)
    wellbeing_discussed = models.BooleanField("wellbeing was discussed", default=False)
    wellbeing_notes = models.TextField("wellbeing notes", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InRoomQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Notes of {self.session}"


class ActionQuerySet(InRoomQuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(done_on__isnull=True)


class Action(models.Model):
    """An action agreed in a session, with its owner and due date: the two people in the room only."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField("action", max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due")
    done_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Action due {self.due_on:%d %b %Y}"

    def clean(self) -> None:
        super().clean()
        if not self.session_id:
            return
        agreement = self.session.agreement
        if self.owner_id and self.owner_id not in (agreement.supervisor_id, agreement.supervisee_id):
            raise ValidationError({"owner": "An action belongs to the supervisor or the supervisee."})
        if self.due_on and self.due_on < timezone.localdate(self.session.starts_at):
            raise ValidationError({"due_on": "An action cannot be due before the session that agreed it."})
