"""Outcome measures: DIALOG assessments and the change in them and in goal ratings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .corrections import Amendable, CorrectableQuerySet
from .goals import GBO_RELIABLE_CHANGE, GoalRating
from .people import Person


class Rater(models.TextChoices):
    PERSON = "person", "The person's own rating"
    WORKER = "worker", "The worker's rating"


class DialogStage(models.TextChoices):
    START = "start", "Start"
    REVIEW = "review", "Review"
    CLOSURE = "closure", "Closure"


DIALOG_SCALE = [
    (1, "1 Totally dissatisfied"),
    (2, "2 Very dissatisfied"),
    (3, "3 Fairly dissatisfied"),
    (4, "4 In the middle"),
    (5, "5 Fairly satisfied"),
    (6, "6 Very satisfied"),
    (7, "7 Totally satisfied"),
]

# (field, how satisfied are you with ...). The first 8 are life domains, the last 3 treatment aspects.
DIALOG_LIFE_DOMAINS = [
    ("mental_health", "your mental health"),
    ("physical_health", "your physical health"),
    ("job_situation", "your job situation"),
    ("accommodation", "your accommodation"),
    ("leisure", "your leisure activities"),
    ("family", "your relationship with your partner or family"),
    ("friendships", "your friendships"),
    ("safety", "your personal safety"),
]
DIALOG_TREATMENT = [
    ("medication", "your medication"),
    ("practical_help", "the practical help you receive"),
    ("meetings", "meetings with mental health professionals"),
]
DIALOG_ITEMS = DIALOG_LIFE_DOMAINS + DIALOG_TREATMENT


def _dialog_rating(label: str):
    return models.PositiveSmallIntegerField(
        f"satisfaction with {label}", choices=DIALOG_SCALE, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )


def _dialog_help(label: str):
    return models.BooleanField(f"wants more help with {label}", default=False)


class DialogQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> DialogQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class DialogAssessment(Amendable):
    """DIALOG: 8 life domains and 3 treatment aspects rated 1-7, each with "do you want more help?"."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dialog_assessments")
    assessed_on = models.DateField(default=timezone.localdate)
    stage = models.CharField(max_length=20, choices=DialogStage.choices, default=DialogStage.REVIEW)
    rater = models.CharField("whose rating", max_length=20, choices=Rater.choices, default=Rater.PERSON)

    mental_health = _dialog_rating("your mental health")
    mental_health_help = _dialog_help("your mental health")
    physical_health = _dialog_rating("your physical health")
    physical_health_help = _dialog_help("your physical health")
    job_situation = _dialog_rating("your job situation")
    job_situation_help = _dialog_help("your job situation")
    accommodation = _dialog_rating("your accommodation")
    accommodation_help = _dialog_help("your accommodation")
    leisure = _dialog_rating("your leisure activities")
    leisure_help = _dialog_help("your leisure activities")
    family = _dialog_rating("your relationship with your partner or family")
    family_help = _dialog_help("your relationship with your partner or family")
    friendships = _dialog_rating("your friendships")
    friendships_help = _dialog_help("your friendships")
    safety = _dialog_rating("your personal safety")
    safety_help = _dialog_help("your personal safety")
    medication = _dialog_rating("your medication")
    medication_help = _dialog_help("your medication")
    practical_help = _dialog_rating("the practical help you receive")
    practical_help_help = _dialog_help("the practical help you receive")
    meetings = _dialog_rating("meetings with mental health professionals")
    meetings_help = _dialog_help("meetings with mental health professionals")

    # Stored so team boards can average them in the database.
    quality_of_life = models.DecimalField("subjective quality of life", max_digits=3, decimal_places=2, editable=False)
    treatment_satisfaction = models.DecimalField(max_digits=3, decimal_places=2, editable=False)

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = DialogQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "recorded_at"]
        verbose_name = "DIALOG assessment"
        # A person's first and latest DIALOG by the same rater, read for every person on the board.
        indexes = [models.Index(fields=["person", "rater", "assessed_on", "recorded_at"], name="dialog_series_idx")]

    def __str__(self) -> str:
        return f"DIALOG ({self.get_stage_display().lower()}) for {self.person} on {date_format(self.assessed_on)}"

    def save(self, *args, **kwargs):
        self.quality_of_life = _mean([getattr(self, name) for name, _ in DIALOG_LIFE_DOMAINS])
        self.treatment_satisfaction = _mean([getattr(self, name) for name, _ in DIALOG_TREATMENT])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "quality_of_life", "treatment_satisfaction"}
        super().save(*args, **kwargs)

    def items(self) -> list[tuple[str, int, bool]]:
        """(label, rating, wants more help) for each of the 11 items, in DIALOG order."""
        return [(label, getattr(self, name), getattr(self, f"{name}_help")) for name, label in DIALOG_ITEMS]


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Safety: lone working and risk concerns (SPEC section 4). Alerts go through the core's outbox.


@dataclass
class GoalOutcome:
    first: GoalRating
    latest: GoalRating

    @property
    def change(self) -> int:
        return self.latest.score - self.first.score

    @property
    def is_reliable(self) -> bool:
        return abs(self.change) >= GBO_RELIABLE_CHANGE


def goal_outcome(ratings: list[GoalRating]) -> GoalOutcome | None:
    """Change = latest minus first of the current ratings; None until there are two."""
    current = [r for r in ratings if r.is_current]
    if len(current) < 2:
        return None
    ordered = sorted(current, key=lambda r: (r.rated_on, r.recorded_at))
    return GoalOutcome(first=ordered[0], latest=ordered[-1])


@dataclass
class DialogOutcome:
    rater: str
    first: DialogAssessment
    latest: DialogAssessment
    count: int

    @property
    def rater_label(self) -> str:
        return Rater(self.rater).label

    @property
    def quality_of_life_change(self) -> Decimal:
        return self.latest.quality_of_life - self.first.quality_of_life

    @property
    def treatment_satisfaction_change(self) -> Decimal:
        return self.latest.treatment_satisfaction - self.first.treatment_satisfaction


def dialog_outcomes(assessments: list[DialogAssessment]) -> list[DialogOutcome]:
    """First and latest DIALOG for each rater: the person's view and the worker's are never mixed."""
    outcomes = []
    for rater in Rater.values:
        mine = sorted(
            (a for a in assessments if a.rater == rater and a.is_current), key=lambda a: (a.assessed_on, a.recorded_at)
        )
        if mine:
            outcomes.append(DialogOutcome(rater=rater, first=mine[0], latest=mine[-1], count=len(mine)))
    return outcomes
