"""The shared core: staff, teams, roles and the audit log.

The core's models never import an app; apps depend on the core.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from . import plugins

FULL_TIME_HOURS = Decimal("37.5")
# A sensible starting caseload for a full-time peer support worker; each team sets its own.
DEFAULT_PEOPLE_PER_FULL_TIME = 15


class EmploymentStatus(models.TextChoices):
    IN_POST = "in_post", "In post"
    LONG_LEAVE = "long_leave", "On long leave"
    LEFT = "left", "Left"


class Band(models.TextChoices):
    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    BAND_8A = "8a", "Band 8a"
    BAND_8B = "8b", "Band 8b"


class Role(models.TextChoices):
    PSW = "psw", "Peer support worker"
    MANAGER = "manager", "Team manager"
    DEVELOPMENT_WORKER = "development_worker", "Peer development worker"
    DEVELOPMENT_LEAD = "development_lead", "Peer support development lead"


SERVICE_ROLES = {Role.PSW, Role.MANAGER}
DEVELOPMENT_ROLES = {Role.DEVELOPMENT_WORKER, Role.DEVELOPMENT_LEAD}


# Trust-wide roles held through Django groups: the group's name and the permissions it carries.
INFORMATION_GOVERNANCE_LEAD = "Information governance lead"
CLINICAL_REVIEWER = "Clinical reviewer"
GOVERNANCE_GROUPS = {
    INFORMATION_GOVERNANCE_LEAD: ["search_audit", "govern_information"],
    CLINICAL_REVIEWER: ["release_subject_access"],
}
GOVERNANCE_CODENAMES = tuple(sorted({code for codes in GOVERNANCE_GROUPS.values() for code in codes}))


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user) -> StaffQuerySet:
        """Staff a user may see or pick: a worker, themselves; a manager, their teams' staff; the
        development team, every peer worker and the development team; an administrator, everyone."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        scope = Q(pk=user.pk)
        if user.managed_team_ids:
            scope |= Q(memberships__team_id__in=user.managed_team_ids)
        if user.is_development_team:
            scope |= Q(memberships__role__in=[Role.PSW, *DEVELOPMENT_ROLES])
        return self.filter(pk__in=self.model.objects.filter(scope).values("pk"))

    def in_post(self):
        return self.filter(employment_status=EmploymentStatus.IN_POST, is_active=True)

    def peer_workers(self):
        return self.filter(memberships__role=Role.PSW).distinct()


class StaffManager(UserManager.from_queryset(StaffQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff. Signs in with their work email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=120, blank=True)
    afc_band = models.CharField("AfC band", max_length=2, choices=Band.choices, blank=True)
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=FULL_TIME_HOURS,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("48"))],
        help_text="Contracted hours a week. Full time is 37.5.",
    )
    start_date = models.DateField(null=True, blank=True)
    employment_status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.IN_POST
    )
    phone = models.CharField("work mobile", max_length=30, blank=True)
    caseload_hold = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why people cannot be allocated to this worker yet (for example, shadowing not yet signed "
        "off by their mentor). Empty: they can be.",
    )

    # Raised to end every session of the account at once (signing out, a reset second factor):
    # it is part of the session's auth hash, which every request checks.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_generation"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "member of staff"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def _get_session_auth_hash(self, secret=None):
        key_salt = "peersupport.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def end_all_sessions(self) -> None:
        """End every session of this account, wherever it is open (the next request signs out)."""
        type(self).objects.filter(pk=self.pk).update(session_generation=models.F("session_generation") + 1)
        self.refresh_from_db(fields=["session_generation"])

    # Roles. Loaded once per user object (one query), then answered from memory.
    @cached_property
    def _memberships(self) -> list[tuple[int, str]]:
        if not self.pk:
            return []
        return list(self.memberships.values_list("team_id", "role"))

    def remember_memberships(self, memberships: list[tuple[int, str]]) -> None:
        """Take the user's (team, role) pairs from a query that read them anyway: no query of its own."""
        self.__dict__["_memberships"] = memberships

    def team_ids_with_role(self, *roles: str) -> set[int]:
        return {team_id for team_id, role in self._memberships if role in roles}

    @property
    def is_psw(self) -> bool:
        return bool(self.team_ids_with_role(Role.PSW))

    @property
    def managed_team_ids(self) -> set[int]:
        return self.team_ids_with_role(Role.MANAGER)

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_team_ids)

    @property
    def is_development_team(self) -> bool:
        return bool(self.team_ids_with_role(*DEVELOPMENT_ROLES))

    @property
    def is_development_lead(self) -> bool:
        return bool(self.team_ids_with_role(Role.DEVELOPMENT_LEAD))

    # Trust-wide roles outside the teams, held through groups (GOVERNANCE_GROUPS). Read from the
    # groups themselves (one query, then cached on the user), so an administrator, who holds every
    # permission, is not an information governance lead or a clinical reviewer unless made one.
    @cached_property
    def _governance_codenames(self) -> set[str]:
        if not self.pk:
            return set()
        return set(
            self.groups.filter(permissions__content_type__app_label="peersupport").values_list(
                "permissions__codename", flat=True
            )
        )

    def _holds(self, codename: str) -> bool:
        return self.is_active and codename in self._governance_codenames

    @property
    def is_information_governance_lead(self) -> bool:
        return self._holds("govern_information")

    @property
    def is_clinical_reviewer(self) -> bool:
        return self._holds("release_subject_access")

    @property
    def can_search_audit(self) -> bool:
        """Administrators and the information governance lead."""
        return self.is_active and (self.is_superuser or self._holds("search_audit"))

    @property
    def role_labels(self) -> list[str]:
        seen = {role for _, role in self._memberships}
        labels = [label for value, label in Role.choices if value in seen]
        if self.is_information_governance_lead:
            labels.append(INFORMATION_GOVERNANCE_LEAD)
        if self.is_clinical_reviewer:
            labels.append(CLINICAL_REVIEWER)
        return labels


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> TeamQuerySet:
        """Teams a user may see: their own, those they manage; the development team sees all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_development_team:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def service_teams(self) -> TeamQuerySet:
        return self.filter(is_development_team=False)


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service = models.CharField(
        max_length=120, blank=True, help_text="The service or directorate, e.g. Adult community mental health."
    )
    is_development_team = models.BooleanField(
        "peer support development team",
        default=False,
        help_text="Tick for the peer support development team (peer development workers and the lead).",
    )
    people_per_full_time = models.PositiveSmallIntegerField(
        "caseload capacity per full-time worker",
        default=DEFAULT_PEOPLE_PER_FULL_TIME,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="People a full-time (37.5 hours) peer support worker can support; part-time workers pro rata.",
    )

    history = HistoricalRecords()
    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_development_team"],
                condition=Q(is_development_team=True),
                name="one_development_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def capacity_for(self, contracted_hours: Decimal) -> int:
        """A worker's caseload capacity in this team, pro rata to their contracted hours."""
        share = Decimal(self.people_per_full_time) * Decimal(contracted_hours) / FULL_TIME_HOURS
        return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class Membership(models.Model):
    """A member of staff's role in a team."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "team", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.team}"

    def clean(self):
        super().clean()
        if not self.team_id or not self.role:
            return
        if self.team.is_development_team and self.role not in DEVELOPMENT_ROLES:
            raise ValidationError({"role": "The development team has peer development workers and a lead."})
        if not self.team.is_development_team and self.role not in SERVICE_ROLES:
            raise ValidationError({"role": "A service team has peer support workers and managers."})


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit cannot be changed.")

    def delete(self):
        raise PermissionDenied("The audit cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which record, about whom, when (UTC) and from where.

    Written through peersupport.audit.record, never changed or deleted through the application. The
    action is a short code from peersupport.audit (sign-in, view, change, refused, ...); detail says
    which fields or which download, never clinical text.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was typed at a failed sign-in, or the actor's email at the time.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    # The record acted on.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Whom it is about: the person supported or the member of staff whose record it is.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]
        permissions = [
            ("search_audit", "Search and download the audit"),
            ("govern_information", "Prepare subject access exports and review retention"),
            ("release_subject_access", "Release subject access exports (clinical reviewer)"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'anonymous'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The audit cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit cannot be deleted.")


# Notifications and the outbox. Every app's reminders and alerts go through these. Kinds are
# registered by the apps (peersupport.plugins.register_kind), so a new kind needs no migration here.


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"


class ReminderQuerySet(models.QuerySet):
    def claimable(self, now, stale_before) -> ReminderQuerySet:
        """Due rows nobody holds, and rows whose sender died holding them (claim older than the lease)."""
        return self.filter(
            Q(status=ReminderStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale_before)
        )


class Reminder(models.Model):
    """One message in the outbox. The unique key (kind, object, recipient, stage) means a
    reminder exists once, however often a scan runs, and is claimed by one sender at a time.
    The recipient is a member of staff or, for people without an account, an email address."""

    kind = models.CharField(max_length=30)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders", null=True, blank=True
    )
    recipient_email = models.EmailField(blank=True, help_text="For a recipient without an account.")
    stage = models.CharField(max_length=40)
    # What the kind's templates and attachments need that the object alone does not say.
    context = models.JSONField(default=dict, blank=True)

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)

    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["next_attempt_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "stage"], name="one_reminder_per_key"
            ),
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient_email", "stage"],
                condition=Q(recipient__isnull=True),
                name="one_reminder_per_key_by_email",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_email=""), name="reminder_has_a_recipient"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.title} → {self.recipient or self.recipient_email}"

    @property
    def kind_label(self) -> str:
        return plugins.kind(self.kind).label

    @property
    def is_safety_alert(self) -> bool:
        return plugins.kind(self.kind).safety

    @property
    def to_address(self) -> str:
        return self.recipient.email if self.recipient_id else self.recipient_email


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification, shown behind the bell in the page header."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)
    reminder = models.OneToOneField(
        Reminder, on_delete=models.PROTECT, null=True, blank=True, related_name="notification"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"

    @property
    def is_safety_alert(self) -> bool:
        return plugins.kind(self.kind).safety


class EmailPreference(models.Model):
    """A user's choice of email for one kind of notification. No row means email is on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=30)
    email = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {plugins.kind(self.kind).label} by email {'on' if self.email else 'off'}"

    @classmethod
    def wants_email(cls, user, kind: str) -> bool:
        """Safety alerts always; otherwise the user's choice, or the kind's default if they made none."""
        spec = plugins.kind(kind)
        if spec.safety:
            return True
        choice = cls.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
        return spec.email_default if choice is None else choice


class Heartbeat(models.Model):
    """When a piece of background work last ran (the sender, each scan), so that a stopped worker is
    seen: the home pages of administrators and managers warn, and the health page reports it."""

    name = models.CharField(max_length=200, unique=True)
    last_run_at = models.DateTimeField()
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} last ran {self.last_run_at:%d %b %Y %H:%M:%S}"


# Information governance (subject access, retention): in their own module, registered here.
from .governance_models import Destruction, SubjectAccessRequest  # noqa: E402, F401
