"""Trainees and the register of people trained but not in role (the contract with development days)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import User


class TraineeQuerySet(models.QuerySet):
    def visible_to(self, user) -> TraineeQuerySet:
        """The development team sees everyone not employed by the trust and the staff it sees (every
        peer worker, leavers included); a manager their teams' staff; a worker only their own."""
        from ..rules import runs_training, staff_in_reach

        if not user.is_authenticated:
            return self.none()
        scope = Q(user__in=staff_in_reach(user))
        if runs_training(user):
            scope |= Q(user__isnull=True)
        return self.filter(scope)

    def completed_peer_support(self) -> TraineeQuerySet:
        """Completed the trust's peer support training, or an approved external equivalent of it."""
        from .courses import CourseKind

        trust_course = Q(
            enrolments__completed_on__isnull=False,
            enrolments__withdrawn_at__isnull=True,
            enrolments__cohort__course__kind=CourseKind.PEER_SUPPORT,
        )
        external = Q(equivalents__withdrawn_at__isnull=True, equivalents__course__kind=CourseKind.PEER_SUPPORT)
        return self.filter(pk__in=self.model.objects.filter(trust_course | external).values("pk"))

    def register(self) -> TraineeQuerySet:
        """People who completed peer support training and are not in role: no staff account, or the
        account is not a peer support worker in post (leavers, long leave, people on no PSW team)."""
        in_role = User.objects.peer_workers().in_post().values("pk")
        return self.completed_peer_support().filter(Q(user__isnull=True) | ~Q(user__in=in_role))

    def contactable(self) -> TraineeQuerySet:
        """Consent given and not withdrawn, and an address to write to (their own, or their staff one)."""
        has_address = ~Q(email="") | (Q(user__isnull=False) & ~Q(user__email=""))
        return self.filter(has_address, consent_to_contact=True, consent_withdrawn_at__isnull=True)


class Trainee(models.Model):
    """Someone who enrols on training: a member of staff (user set) or not employed by the trust."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="trainee"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)  # for staff, may be blank: contact_email falls back to user.email
    phone = models.CharField(max_length=30, blank=True)
    consent_to_contact = models.BooleanField(
        "consent to be contacted",
        default=False,
        help_text="They agreed to hear from the development team about development days and training.",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("training:trainee-detail", args=[self.pk])

    @property
    def contact_email(self) -> str:
        if self.email:
            return self.email
        return self.user.email if self.user_id else ""

    @property
    def display_name(self) -> str:
        return self.full_name or (str(self.user) if self.user_id else "")

    @property
    def is_staff_member(self) -> bool:
        return self.user_id is not None

    @property
    def may_be_contacted(self) -> bool:
        return self.consent_to_contact and self.consent_withdrawn_at is None and bool(self.contact_email)

    def withdraw_consent(self, *, by) -> None:
        """Stop all contact from now on; the history keeps when consent was given and who recorded the
        withdrawal."""
        if self.consent_withdrawn_at is not None:
            return
        self.consent_withdrawn_at = timezone.now()
        self._history_user = by
        self.save(update_fields=["consent_withdrawn_at"])

    def give_consent(self, *, by) -> None:
        self.consent_to_contact = True
        self.consent_recorded_at = timezone.now()
        self.consent_withdrawn_at = None
        self._history_user = by
        self.save(update_fields=["consent_to_contact", "consent_recorded_at", "consent_withdrawn_at"])

    @classmethod
    def for_user(cls, user) -> Trainee:
        """The staff member's trainee record, made on first use (staff enrol without re-typing details)."""
        trainee, _ = cls.objects.get_or_create(user=user, defaults={"full_name": user.get_full_name() or user.email})
        return trainee
