"""Recovery goals in the person's own words, and their 0-10 ratings over time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .contacts import Contact
from .corrections import Amendable, Correctable, CorrectableQuerySet
from .people import Person


class LifeArea(models.TextChoices):
    MENTAL_WELLBEING = "mental_wellbeing", "Mental wellbeing"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    RELATIONSHIPS = "relationships", "Family, friends and relationships"
    HOME = "home", "Home and living skills"
    WORK = "work", "Work, volunteering and learning"
    MONEY = "money", "Money and benefits"
    COMMUNITY = "community", "Community, leisure and hobbies"
    IDENTITY = "identity", "Identity, faith and self-belief"
    OTHER = "other", "Something else"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    SET_ASIDE = "set_aside", "Set aside"


# A goal-based outcome moving by 2.5 points or more on the 0-10 scale is a reliable change.
GBO_RELIABLE_CHANGE = 2.5


class RecoveryGoalQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> RecoveryGoalQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def active(self) -> RecoveryGoalQuerySet:
        return self.current().filter(status=GoalStatus.ACTIVE)


class RecoveryGoal(Correctable):
    """A goal the person has set for their own recovery, in their own words."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="goals")
    description = models.TextField("the goal, in the person's own words", max_length=1000)
    life_area = models.CharField(max_length=30, choices=LifeArea.choices)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_changed_on = models.DateField(default=timezone.localdate)
    set_on = models.DateField("goal set on", default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = RecoveryGoalQuerySet.as_manager()

    class Meta:
        ordering = ["status", "set_on", "pk"]

    def __str__(self) -> str:
        return self.description if len(self.description) <= 60 else self.description[:59] + "…"

    @property
    def is_active(self) -> bool:
        return self.status == GoalStatus.ACTIVE

    def get_absolute_url(self) -> str:
        return reverse("caseload:goal-detail", kwargs={"goal_pk": self.pk})


class GoalRatingQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> GoalRatingQuerySet:
        return self.filter(goal__person__in=Person.objects.visible_to(user))


class GoalRating(Amendable):
    """How close the person feels to their goal, 0 (not at all) to 10 (reached it)."""

    goal = models.ForeignKey(RecoveryGoal, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    rated_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="goal_ratings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = GoalRatingQuerySet.as_manager()

    class Meta:
        ordering = ["rated_on", "recorded_at"]
        # A goal's first and latest rating, read for every goal on the team caseload board.
        indexes = [models.Index(fields=["goal", "rated_on", "recorded_at"], name="goalrating_series_idx")]

    def __str__(self) -> str:
        return f"{self.score}/10 on {date_format(self.rated_on)}"


# Recovery plans (WRAP) and advance statements ------------------------------------------------
