"""Courses, their modules, course runs (cohorts) with sessions, enrolments, attendance and completion,
and approved external equivalents."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .trainees import Trainee


class CourseKind(models.TextChoices):
    PEER_SUPPORT = "peer_support", "The trust's peer support training"
    OTHER = "other", "Other course"


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CourseQuerySet:
        """Courses are reference data: every member of staff may read them."""
        return self.all() if user.is_authenticated else self.none()

    def peer_support(self) -> CourseQuerySet:
        return self.filter(kind=CourseKind.PEER_SUPPORT)


class Course(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=CourseKind.choices, default=CourseKind.OTHER)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            # There is one trust peer support course: "completed peer support training" means this one.
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="peer_support"), name="one_peer_support_course")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:course-detail", args=[self.pk])

    @property
    def is_peer_support(self) -> bool:
        return self.kind == CourseKind.PEER_SUPPORT


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="modules")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "title"], name="unique_module_title")]

    def __str__(self) -> str:
        return self.title


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        """The development team runs the course runs and sees them all, with everyone's attendance;
        others see their own enrolments on their training record, not the run's register."""
        if not user.is_authenticated:
            return self.none()
        return self.all() if user.is_development_team else self.none()


class Cohort(models.Model):
    """One run of a course: its dates, sessions, facilitators and places."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example “Spring 2026”.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200)])
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilitated_cohorts")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[facilitators])
    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="unique_cohort_name")]

    def __str__(self) -> str:
        return f"{self.course}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("training:cohort-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day cannot be before the first day."})

    def status_label(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.cancelled_at:
            return "Cancelled"
        if today < self.starts_on:
            return "Planned"
        if today > self.ends_on:
            return "Finished"
        return "Running"


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    title = models.CharField(max_length=200)
    module = models.ForeignKey(
        Module,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text="The module this session teaches, if one.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{date_format(self.date)}: {self.title}"

    def clean(self):
        super().clean()
        if self.module_id and self.cohort_id and self.module.course_id != self.cohort.course_id:
            raise ValidationError({"module": "That module is not part of this course."})
        if self.date and self.cohort_id and not (self.cohort.starts_on <= self.date <= self.cohort.ends_on):
            raise ValidationError(
                {
                    "date": f"Sessions fall within the course run: {date_format(self.cohort.starts_on)} "
                    f"to {date_format(self.cohort.ends_on)}."
                }
            )


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(trainee__in=Trainee.objects.visible_to(user))

    def current(self) -> EnrolmentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(default=timezone.localdate)
    completed_on = models.DateField(null=True, blank=True, help_text="Set when every module of the course is complete.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["trainee__full_name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "trainee"], name="unique_enrolment")]

    def __str__(self) -> str:
        return f"{self.trainee} on {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate", args=[self.pk])

    def refresh_completion(self) -> bool:
        """The course is complete when every module is: on the date of the last module completed.
        Returns whether the enrolment is complete now."""
        modules = set(self.cohort.course.modules.values_list("pk", flat=True))
        done = dict(self.module_completions.values_list("module_id", "completed_on"))
        completed_on = max(done.values()) if modules and modules <= set(done) else None
        if completed_on != self.completed_on:
            self.completed_on = completed_on
            self.save(update_fields=["completed_on"])
        return completed_on is not None


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    attended = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.enrolment.trainee} {'attended' if self.attended else 'missed'} {self.session}"


class ModuleCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="module_completions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "module"], name="unique_module_completion")]

    def __str__(self) -> str:
        return f"{self.module} completed by {self.enrolment.trainee}"

    def clean(self):
        super().clean()
        if self.enrolment_id and self.module_id and self.module.course_id != self.enrolment.cohort.course_id:
            raise ValidationError({"module": "That module is not part of this course."})
        if self.enrolment_id and self.completed_on and self.completed_on < self.enrolment.enrolled_on:
            raise ValidationError(
                {
                    "completed_on": "A module cannot be completed before enrolment "
                    f"({date_format(self.enrolment.enrolled_on)})."
                }
            )
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "A completion date cannot be in the future."})


class ExternalEquivalent(models.Model):
    """A course run by someone else that the development team accepts as equal to one of ours."""

    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="equivalents")
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="equivalents", help_text="The trust course it stands for."
    )
    title = models.CharField("external course", max_length=200)
    provider = models.CharField(max_length=200)
    completed_on = models.DateField()
    evidence = models.TextField(help_text="What was seen: a certificate, its number, a letter from the provider.")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(default=timezone.localdate)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.provider}) for {self.trainee}"

    def clean(self):
        super().clean()
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "A completion date cannot be in the future."})
        if self.completed_on and self.approved_on and self.approved_on < self.completed_on:
            raise ValidationError({"approved_on": "Approval cannot come before the course was completed."})
