"""Induction: a mentor for the first months, a shadowing log and a checklist. Until the mentor signs
off shadowing, the worker carries a caseload hold (User.caseload_hold) that the caseload reads."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import DEVELOPMENT_ROLES, Role, User

from .agreements import is_line_manager_of

CHECKLIST = [
    ("welcome_done", "Welcome and introductions"),
    ("codes_of_conduct_acknowledged", "Codes of conduct acknowledged"),
    ("it_access_done", "IT access set up"),
    ("laptop_issued", "Laptop issued"),
    ("mobile_issued", "Mobile phone issued"),
    ("health_check_done", "Occupational health check done"),
    ("supervision_arranged", "Supervision arranged"),
    ("training_done", "Peer support training completed"),
]


def hold_reason(mentor: User) -> str:
    return f"Shadowing not yet signed off by their mentor, {mentor}"


class InductionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InductionQuerySet:
        """The worker, their mentor, their line managers, the development team (for peer workers and
        the development team)."""
        if not user.is_authenticated:
            return self.none()
        scope = Q(worker=user) | Q(mentor=user)
        if user.managed_team_ids:
            scope |= Q(worker__memberships__team_id__in=user.managed_team_ids, worker__memberships__role=Role.PSW)
        if user.is_development_team:
            scope |= Q(worker__memberships__role__in=[Role.PSW, *DEVELOPMENT_ROLES])
        return self.filter(pk__in=Induction.objects.filter(scope).values("pk"))


class Induction(models.Model):
    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="induction")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentees")
    starts_on = models.DateField("mentoring starts")
    mentoring_ends_on = models.DateField("mentoring ends")
    welcome_done = models.BooleanField(CHECKLIST[0][1], default=False)
    codes_of_conduct_acknowledged = models.BooleanField(CHECKLIST[1][1], default=False)
    it_access_done = models.BooleanField(CHECKLIST[2][1], default=False)
    laptop_issued = models.BooleanField(CHECKLIST[3][1], default=False)
    mobile_issued = models.BooleanField(CHECKLIST[4][1], default=False)
    health_check_done = models.BooleanField(CHECKLIST[5][1], default=False)
    supervision_arranged = models.BooleanField(CHECKLIST[6][1], default=False)
    # Recorded by hand by a manager or the development team until the training app can say it.
    training_done = models.BooleanField(CHECKLIST[7][1], default=False)
    shadowing_signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    shadowing_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = InductionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Induction of {self.worker}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:induction-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.mentor_id and self.mentor_id == self.worker_id:
            errors["mentor"] = "A mentor cannot be their own mentee: choose a colleague."
        if self.starts_on and self.mentoring_ends_on and self.mentoring_ends_on < self.starts_on:
            errors["mentoring_ends_on"] = "Mentoring cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    def checklist(self) -> list[tuple[str, str, bool]]:
        return [(name, label, getattr(self, name)) for name, label in CHECKLIST]

    @property
    def steps_total(self) -> int:
        return len(CHECKLIST) + 1  # and the shadowing sign-off

    @property
    def steps_done(self) -> int:
        return sum(done for _, _, done in self.checklist()) + bool(self.shadowing_signed_off_at)

    @property
    def is_complete(self) -> bool:
        return self.steps_done == self.steps_total

    def can_edit_checklist(self, user) -> bool:
        return user.is_development_team or is_line_manager_of(user, self.worker)

    def can_sign_off(self, user) -> bool:
        return user.pk == self.mentor_id and not self.shadowing_signed_off_at

    def can_log_shadowing(self, user) -> bool:
        return user.pk in (self.worker_id, self.mentor_id) and not self.shadowing_signed_off_at

    def sign_off_shadowing(self, user) -> None:
        if user.pk != self.mentor_id:
            raise ValidationError("Only the worker's mentor can sign off their shadowing.")
        if self.shadowing_signed_off_at:
            raise ValidationError("Shadowing is already signed off.")
        if not self.shadowing.exists():
            raise ValidationError("Record at least one shadowing visit before signing off.")
        self.shadowing_signed_off_at = timezone.now()
        self.shadowing_signed_off_by = user
        self.save(update_fields=["shadowing_signed_off_at", "shadowing_signed_off_by"])


class ShadowingEntry(models.Model):
    induction = models.ForeignKey(Induction, on_delete=models.PROTECT, related_name="shadowing")
    shadowed = models.CharField("whom I shadowed", max_length=120)
    their_role = models.CharField("their role", max_length=120)
    shadowed_on = models.DateField("date")
    learned = models.TextField("what I learned")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-shadowed_on", "-pk"]
        verbose_name_plural = "shadowing entries"

    def __str__(self) -> str:
        return f"Shadowing on {self.shadowed_on:%d %b %Y}"

    def clean(self) -> None:
        super().clean()
        if self.shadowed_on and self.shadowed_on > timezone.localdate():
            raise ValidationError({"shadowed_on": "Record shadowing once it has happened: the date is in the future."})
