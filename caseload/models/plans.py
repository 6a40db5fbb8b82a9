"""Recovery plans (WRAP) and advance statements: versioned documents."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .corrections import Correctable, CorrectableQuerySet
from .people import Person


class PlanVersionQuerySet(CorrectableQuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Person.objects.visible_to(user))

    def latest_for(self, person: Person):
        return self.current().filter(person=person).order_by("-version").first()


class PlanVersion(Correctable):
    """A version of a document written with the person. Versions are never edited: a change is a
    new version, and every earlier version stays readable."""

    version = models.PositiveIntegerField(editable=False)
    agreed_on = models.DateField("agreed with the person on", default=timezone.localdate)
    review_on = models.DateField("review by")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-version"]

    def is_due_for_review(self, today: date | None = None) -> bool:
        return self.review_on < (today or timezone.localdate())


class RecoveryPlan(PlanVersion):
    """A Wellness Recovery Action Plan (WRAP), in the person's words."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="recovery_plans")
    wellness_toolbox = models.TextField(
        max_length=5000, blank=True, help_text="Things that help the person stay well, and things they enjoy."
    )
    daily_plan = models.TextField(
        "daily maintenance plan",
        max_length=5000,
        blank=True,
        help_text="What they are like when well; what they do each day to stay well.",
    )
    triggers = models.TextField(
        max_length=5000,
        blank=True,
        help_text="Events or situations that may make them feel worse, and a plan for them.",
    )
    early_warning_signs = models.TextField(
        max_length=5000, blank=True, help_text="Subtle signs that things are changing, and what helps then."
    )
    breaking_down = models.TextField(
        "when things are breaking down",
        max_length=5000,
        blank=True,
        help_text="Signs that things are getting much worse, and what to do.",
    )
    crisis_plan = models.TextField(
        max_length=5000, blank=True, help_text="What others should do, and who should be involved, in a crisis."
    )
    post_crisis_plan = models.TextField(
        max_length=5000, blank=True, help_text="How the person wants to recover after a crisis."
    )

    history = HistoricalRecords()
    objects = PlanVersionQuerySet.as_manager()

    SECTIONS = [
        "wellness_toolbox",
        "daily_plan",
        "triggers",
        "early_warning_signs",
        "breaking_down",
        "crisis_plan",
        "post_crisis_plan",
    ]

    class Meta(PlanVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="one_recovery_plan_per_version")]

    def __str__(self) -> str:
        return f"Recovery plan version {self.version} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:plan-detail", kwargs={"plan_pk": self.pk})


class AdvanceStatement(PlanVersion):
    """The person's wishes and preferences for their care in a future crisis (not legally binding)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="advance_statements")
    wishes = models.TextField(
        "wishes and preferences for care in a crisis", max_length=5000, help_text="In the person's own words."
    )
    people_to_contact = models.TextField(
        max_length=2000, blank=True, help_text="Who to tell, and how to reach them; who should not be contacted."
    )
    what_helps = models.TextField(max_length=5000, blank=True)
    what_to_avoid = models.TextField(max_length=5000, blank=True)
    practical_matters = models.TextField(
        max_length=2000, blank=True, help_text="For example pets, children, bills or a home to look after."
    )
    consent_to_share = models.BooleanField("the person consents to sharing this with the crisis team", default=False)

    history = HistoricalRecords()
    objects = PlanVersionQuerySet.as_manager()

    SECTIONS = ["wishes", "people_to_contact", "what_helps", "what_to_avoid", "practical_matters"]

    class Meta(PlanVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="one_advance_statement_per_version")]

    def __str__(self) -> str:
        return f"Advance statement version {self.version} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:statement-detail", kwargs={"statement_pk": self.pk})


# Signposting directory ----------------------------------------------------------------------
