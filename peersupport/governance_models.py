"""Information governance: subject access requests and reviewed destructions (issue #16, points 7-8).

Both name their subject generically (a content type and an id), so the core imports no app: the
caseload's person supported is one subject (peersupport.plugins.register_subject).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class GovernanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Governance is trust-wide and for the governance roles only: everyone else sees nothing."""
        if not user.is_authenticated:
            return self.none()
        if user.is_information_governance_lead:
            return self
        if user.is_clinical_reviewer:
            return self.reviewable()
        return self.none()


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open: export not prepared"
    PREPARED = "prepared", "Prepared: waiting for a clinical reviewer"
    RELEASED = "released", "Released"
    WITHHELD = "withheld", "Withheld"


class SubjectAccessQuerySet(GovernanceQuerySet):
    def reviewable(self):
        """What a clinical reviewer sees: requests whose export has been prepared."""
        return self.exclude(status=RequestStatus.OPEN)


class SubjectAccessRequest(models.Model):
    """A request for a copy of everything held about one person, its prepared export and its release."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    requested_by = models.CharField(
        "who asked", max_length=200, help_text="The person themselves, or who asks on their behalf and how."
    )
    received_on = models.DateField("date received")
    due_on = models.DateField("due by", help_text="One calendar month after the date received.")
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, editable=False)

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    export = models.BinaryField(blank=True, editable=False)
    export_name = models.CharField(max_length=120, blank=True)

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_notes = models.TextField("reviewer's notes", max_length=5000, blank=True)
    withheld_reason = models.TextField("reason for withholding", max_length=2000, blank=True)

    history = HistoricalRecords(excluded_fields=["export"])
    objects = SubjectAccessQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def is_prepared(self) -> bool:
        return self.status == RequestStatus.PREPARED

    @property
    def is_released(self) -> bool:
        return self.status == RequestStatus.RELEASED


class DestructionQuerySet(GovernanceQuerySet):
    def reviewable(self):
        return self


class Destruction(models.Model):
    """The stub a reviewed destruction keeps: who, what, when and why, the subject's id, no clinical text."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    basis = models.CharField("why it was due", max_length=200)
    reason = models.TextField("reason for destruction", max_length=2000)
    records = models.TextField("what was destroyed", blank=True, help_text="Record types and counts, no content.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)
    # A clinical reviewer's agreement carries it out; until then nothing is removed.
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clinical reviewer who agreed",
    )
    destroyed_at = models.DateTimeField(null=True, blank=True)

    objects = DestructionQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="one_destruction_each")]

    def __str__(self) -> str:
        return f"Destruction of records of subject {self.subject_id}"

    @property
    def is_done(self) -> bool:
        return self.destroyed_at is not None
