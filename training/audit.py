"""Training's part of the audit: whom each record is about, and finding trainees in an audit search."""

from django.db.models import Q

from peersupport import plugins

SUBJECTS = {
    # A trainee who is on the staff is that member of staff; one trained but not in role, the trainee.
    "Trainee": ("user", ""),
    "Enrolment": ("trainee__user", "trainee"),
    "Attendance": ("enrolment__trainee__user", "enrolment__trainee"),
    "ModuleCompletion": ("enrolment__trainee__user", "enrolment__trainee"),
    "ExternalEquivalent": ("trainee__user", "trainee"),
    "TrainingCompletion": "user",
    "CodeVersion": None,
    "Course": None,
    "Module": None,
    "Cohort": None,
    "Session": None,
    "TrainingSubject": None,
}


def find_trainees(text: str):
    """Trainees not on the staff (staff are found as staff) whose name or email holds every word."""
    from .models import Trainee

    query = Q()
    for word in text.split():
        query &= Q(full_name__icontains=word) | Q(email__icontains=word)
    return Trainee.objects.filter(query, user__isnull=True)


def register() -> None:
    plugins.register_audit_subjects("training", SUBJECTS)
    plugins.register_audit_search("training.Trainee", find_trainees)
