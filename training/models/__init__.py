"""The training app's models, one module per sub-domain, all importable from training.models."""

from .conduct import Acknowledgement, CodeKind, CodeVersion, codes_for
from .courses import (
    Attendance,
    Cohort,
    Course,
    CourseKind,
    Enrolment,
    ExternalEquivalent,
    Module,
    ModuleCompletion,
    Session,
)
from .imports import ImportBatch
from .mandatory import AMBER_DAYS, CompletionSource, TrainingCompletion, TrainingSubject, add_months, check_dates
from .trainees import Trainee, TraineeQuerySet

__all__ = [
    "AMBER_DAYS",
    "Acknowledgement",
    "Attendance",
    "CodeKind",
    "CodeVersion",
    "Cohort",
    "CompletionSource",
    "Course",
    "CourseKind",
    "Enrolment",
    "ExternalEquivalent",
    "ImportBatch",
    "Module",
    "ModuleCompletion",
    "Session",
    "Trainee",
    "TraineeQuerySet",
    "TrainingCompletion",
    "TrainingSubject",
    "add_months",
    "check_dates",
    "codes_for",
]
