"""The caseload's part of the audit: whom each record is about, and finding people in an audit search."""

from django.db.models import Q

from peersupport import plugins

SUBJECTS = {
    "Person": "",
    "StatusChange": "person",
    "Contact": "person",
    "RecoveryGoal": "person",
    "GoalRating": "goal__person",
    "Appointment": "person",
    "DialogAssessment": "person",
    "RecoveryPlan": "person",
    "AdvanceStatement": "person",
    "RiskConcern": "person",
    "Visit": "person",
    "CaseloadCover": "absent_worker",
    "LoneWorkingBuddy": "worker",
    "EscalationStep": "user",
    "SafetySettings": None,
    "Resource": None,
}


def find_people(text: str):
    """People whose NHS number is `text` (spaces ignored) or whose names hold every word of it."""
    from .models import Person

    digits = text.replace(" ", "")
    if digits.isdigit():
        return Person.objects.filter(nhs_number=digits)
    query = Q()
    for word in text.split():
        query &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
    return Person.objects.filter(query)


def register() -> None:
    plugins.register_audit_subjects("caseload", SUBJECTS)
    plugins.register_audit_search("caseload.Person", find_people)
