"""Lone working and risk concerns: settings, chains, buddies, visits, concerns and their events."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import Team

from .contacts import Contact
from .people import Person


class EscalationChain(models.TextChoices):
    CONCERN = "concern", "Risk concerns (after the named person)"
    VISIT = "visit", "Overdue visits (after the buddy and manager)"


class EscalationTarget(models.TextChoices):
    MANAGER = "manager", "The worker's team manager"
    DEVELOPMENT_LEAD = "development_lead", "The peer support development lead"
    NAMED = "named", "A named member of staff"


# Used whenever an administrator has left a chain empty: nobody's alert may stop at nobody.
DEFAULT_CHAINS = {
    EscalationChain.CONCERN: [EscalationTarget.MANAGER, EscalationTarget.DEVELOPMENT_LEAD],
    EscalationChain.VISIT: [EscalationTarget.DEVELOPMENT_LEAD],
}


class SafetySettings(models.Model):
    """Grace periods and escalation timers, edited in the admin. One row; safe defaults."""

    visit_grace_minutes = models.PositiveSmallIntegerField(
        "grace period for a visit (minutes)",
        default=15,
        validators=[MaxValueValidator(120)],
        help_text="How long after the expected end a visit counts as overdue and the worker is alerted.",
    )
    visit_escalation_minutes = models.PositiveSmallIntegerField(
        "time to acknowledge a visit alert (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="An unacknowledged visit alert goes to the next people after this long.",
    )
    concern_high_minutes = models.PositiveIntegerField(
        "time to acknowledge a high concern (minutes)", default=30, validators=[MinValueValidator(1)]
    )
    concern_moderate_minutes = models.PositiveIntegerField(
        "time to acknowledge a moderate concern (minutes)", default=240, validators=[MinValueValidator(1)]
    )
    concern_low_minutes = models.PositiveIntegerField(
        "time to acknowledge a low concern (minutes)", default=1440, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "safety settings"
        verbose_name_plural = "safety settings"

    def __str__(self) -> str:
        return "Lone-working and risk-concern settings"

    @classmethod
    def load(cls) -> SafetySettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row

    def concern_timer(self, severity: str) -> timedelta:
        minutes = {
            ConcernSeverity.HIGH: self.concern_high_minutes,
            ConcernSeverity.MODERATE: self.concern_moderate_minutes,
        }.get(severity, self.concern_low_minutes)
        return timedelta(minutes=minutes)

    @property
    def visit_grace(self) -> timedelta:
        return timedelta(minutes=self.visit_grace_minutes)

    @property
    def visit_escalation(self) -> timedelta:
        return timedelta(minutes=self.visit_escalation_minutes)

    def chain(self, chain: str) -> list[tuple[str, int | None]]:
        """The steps of a chain as (target, named user id), or the default when none are set."""
        steps = [(step.target, step.user_id) for step in self.steps.filter(chain=chain).order_by("position", "pk")]
        return steps or [(target, None) for target in DEFAULT_CHAINS[chain]]


class EscalationStep(models.Model):
    safety_settings = models.ForeignKey(SafetySettings, on_delete=models.CASCADE, related_name="steps")
    chain = models.CharField(max_length=20, choices=EscalationChain.choices)
    position = models.PositiveSmallIntegerField(default=1)
    target = models.CharField(max_length=30, choices=EscalationTarget.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only for 'a named member of staff', e.g. the on-call senior manager.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "position", "pk"]

    def __str__(self) -> str:
        who = self.user if self.target == EscalationTarget.NAMED else self.get_target_display()
        return f"{self.get_chain_display()}: step {self.position}, {who}"

    def clean(self):
        super().clean()
        if self.target == EscalationTarget.NAMED and not self.user_id:
            raise ValidationError({"user": "Choose the member of staff for this step."})
        if self.target != EscalationTarget.NAMED and self.user_id:
            raise ValidationError({"user": "Only a 'named member of staff' step names someone."})


class LoneWorkingBuddy(models.Model):
    """The colleague a worker names as their lone-working buddy: alerted when a visit runs over."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lone_working_buddy")
    buddy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buddy_for")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lone-working buddy"

    def __str__(self) -> str:
        return f"{self.buddy} is buddy for {self.worker}"

    def clean(self):
        super().clean()
        if self.worker_id and self.worker_id == self.buddy_id:
            raise ValidationError({"buddy": "A worker cannot be their own buddy."})


class VisitStatus(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


class VisitCloseReason(models.TextChoices):
    CHECKED_OUT = "checked_out", "Checked out safe"
    CONTACT_LOGGED = "contact_logged", "Contact logged for the visit"
    CLOSED_WITH_NOTE = "closed_with_note", "Closed by a colleague with a note"


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        """A worker's own visits; every visit in the teams a manager manages; and a colleague's
        visit once the user has been alerted about it (buddy, chain), so they can respond."""
        if not user.is_authenticated:
            return self.none()
        scope = Q(worker=user) | Q(
            pk__in=SafetyEvent.objects.filter(kind=SafetyEventKind.ALERT, recipient=user, visit__isnull=False).values(
                "visit"
            )
        )
        if user.managed_team_ids:
            scope |= Q(team_id__in=user.managed_team_ids)
        return self.filter(scope)

    def open(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.OPEN)

    def open_for_contact(self, contact: Contact) -> Visit | None:
        """The visit a new contact is logged for: the worker's open visit to that person."""
        return self.open().filter(worker_id=contact.worker_id, person_id=contact.person_id).first()


class Visit(models.Model):
    """A lone-working visit: where the worker is and when they expect to finish."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    location = models.CharField("where", max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    expected_end = models.DateTimeField("expected end")
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    # 0 nobody alerted yet; 1 the worker; 2 buddy and manager; 3 onwards the chain's steps.
    alert_level = models.PositiveSmallIntegerField(default=0)
    next_alert_at = models.DateTimeField(null=True, blank=True, db_index=True)
    alarm_raised_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=VisitCloseReason.choices, blank=True)
    close_note = models.TextField(max_length=2000, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status=VisitStatus.OPEN), name="one_open_visit_per_worker"
            )
        ]

    def __str__(self) -> str:
        return f"Visit by {self.worker} at {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:visit-detail", kwargs={"visit_pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == VisitStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.expected_end

    @property
    def needs_acknowledgement(self) -> bool:
        return self.is_open and self.alert_level >= 2 and self.acknowledged_at is None

    def overdue_stage(self, level: int) -> str:
        return f"overdue-{level}@{timezone.localtime(self.expected_end):%Y%m%d%H%M}"

    def was_alerted(self, user) -> bool:
        return self.events.filter(kind=SafetyEventKind.ALERT, recipient=user).exists()

    def can_respond(self, user) -> bool:
        """Acknowledge or close with a note: those alerted (not the worker) and the team's managers."""
        if not self.is_open or user.pk == self.worker_id:
            return False
        return self.team_id in user.managed_team_ids or self.was_alerted(user)

    def close(self, *, by, reason: str, note: str = "", contact: Contact | None = None) -> bool:
        """Close the visit once; False if it was already closed (by someone else, just now).

        Only the record: whoever closes a visit calls services.safety.close_visit(), which keeps the
        event and tells those alerted (so the models never import the workflow)."""
        now = timezone.now()
        updated = Visit.objects.filter(pk=self.pk, status=VisitStatus.OPEN).update(
            status=VisitStatus.CLOSED,
            closed_at=now,
            closed_by=by,
            close_reason=reason,
            close_note=note,
            contact=contact,
            next_alert_at=None,
        )
        if not updated:
            return False
        self.refresh_from_db()
        return True


class ConcernSeverity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Awaiting acknowledgement"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class EscalationRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    DUTY_WORKER = "duty_worker", "Duty worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"


class RiskConcernQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskConcernQuerySet:
        """Concerns about people the user may see, and concerns escalated to them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(person__in=Person.objects.visible_to(user))
            | Q(escalated_to=user)
            | Q(
                pk__in=SafetyEvent.objects.filter(
                    kind=SafetyEventKind.ALERT, recipient=user, concern__isnull=False
                ).values("concern")
            )
        )

    def unresolved(self) -> RiskConcernQuerySet:
        return self.exclude(status=ConcernStatus.RESOLVED)


class RiskConcern(models.Model):
    """A risk concern about a person, escalated to a named person who must acknowledge it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_concerns")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    description = models.TextField("what is the concern?", max_length=5000)
    severity = models.CharField(max_length=10, choices=ConcernSeverity.choices)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_escalated_to_me"
    )
    escalated_to_role = models.CharField("their role", max_length=20, choices=EscalationRole.choices)
    status = models.CharField(max_length=15, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    # 0 the named person; 1 onwards the chain's steps.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=5000, blank=True)

    history = HistoricalRecords()
    objects = RiskConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} risk concern about {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:concern-detail", kwargs={"concern_pk": self.pk})

    def was_alerted(self, user) -> bool:
        return (
            self.escalated_to_id == user.pk or self.events.filter(kind=SafetyEventKind.ALERT, recipient=user).exists()
        )

    def can_acknowledge(self, user) -> bool:
        return self.status == ConcernStatus.OPEN and self.was_alerted(user)

    def can_resolve(self, user) -> bool:
        if self.status == ConcernStatus.RESOLVED:
            return False
        return self.person.team_id in user.managed_team_ids or self.was_alerted(user)


class SafetyEventKind(models.TextChoices):
    STARTED = "started", "Visit started"
    EXTENDED = "extended", "Visit extended"
    ALERT = "alert", "Alert sent"
    ALARM = "alarm", "Alarm raised"
    ACKNOWLEDGED = "acknowledged", "Alert acknowledged"
    CLOSED = "closed", "Visit closed"
    RAISED = "raised", "Concern raised"
    RESOLVED = "resolved", "Concern resolved"


class SafetyEvent(models.Model):
    """Every event in a visit's or a concern's life, alerts included, kept for good."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    concern = models.ForeignKey(RiskConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=15, choices=SafetyEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, concern__isnull=True) | Q(visit__isnull=True, concern__isnull=False),
                name="safety_event_for_a_visit_or_a_concern",
            ),
            models.UniqueConstraint(
                fields=["visit", "recipient", "stage"],
                condition=Q(kind=SafetyEventKind.ALERT),
                name="one_visit_alert_per_stage",
            ),
            models.UniqueConstraint(
                fields=["concern", "recipient", "stage"],
                condition=Q(kind=SafetyEventKind.ALERT),
                name="one_concern_alert_per_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {timezone.localtime(self.at):%d %b %Y %H:%M}"


# Cover: time-limited access to another worker's caseload ----------------------------------------
