from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import Team

from .validators import validate_nhs_number


class PersonStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class ReferralSource(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    CMHT = "cmht", "Community mental health team"
    INPATIENT = "inpatient", "Inpatient ward"
    CRISIS_TEAM = "crisis_team", "Crisis team"
    GP = "gp", "GP"
    SELF = "self", "Self-referral"
    CARER = "carer", "Family or carer"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """People a user may see (SPEC section 3): a PSW their own caseload, a manager
        every caseload in the teams they manage. Nobody else sees caseloads."""
        if not user.is_authenticated:
            return self.none()
        scope = Q(assigned_worker=user)
        if user.managed_team_ids:
            scope |= Q(team_id__in=user.managed_team_ids)
        return self.filter(scope)

    def open(self) -> PersonQuerySet:
        return self.exclude(status=PersonStatus.CLOSED)


class Person(models.Model):
    """A person who uses services and is supported by a peer support worker."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number], db_index=True
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name="peer support worker",
    )

    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referral_date = models.DateField(default=timezone.localdate)
    referral_reason = models.TextField(blank=True)
    consent_date = models.DateField("consent to peer support given on", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(max_length=20, choices=PersonStatus.choices, default=PersonStatus.REFERRED)
    status_changed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="unique_nhs_number_when_given"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}"

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        dob: date = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    def get_absolute_url(self) -> str:
        return reverse("caseload:person-detail", kwargs={"person_pk": self.pk})


class ContactType(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    MESSAGE = "message", "Message"
    ACCOMPANIED = "accompanied", "Accompanied appointment"
    GROUP = "group", "Group"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


LATE_ENTRY_AFTER = timedelta(hours=24)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class Contact(models.Model):
    """One recorded interaction with a person, written with them where possible."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts")
    contact_at = models.DateTimeField("date and time of the contact", default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", default=60)
    contact_type = models.CharField(max_length=20, choices=ContactType.choices, default=ContactType.FACE_TO_FACE)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=5000, blank=True)
    written_with_person = models.BooleanField("written with the person", default=False)
    risk_flag = models.BooleanField("risk concern noted", default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_at"]
        indexes = [models.Index(fields=["person", "-contact_at"]), models.Index(fields=["worker", "-contact_at"])]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} with {self.person} on {timezone.localtime(self.contact_at):%d %b %Y}"

    @property
    def is_late_entry(self) -> bool:
        recorded = self.recorded_at or timezone.now()
        return recorded - self.contact_at > LATE_ENTRY_AFTER
