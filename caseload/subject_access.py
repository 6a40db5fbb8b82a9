"""What the caseload holds about a person supported, for subject access and retention (issue #16).

Registered in CaseloadConfig.ready() through peersupport.plugins: the person as a subject the
information governance lead may find trust-wide, every record about them (each with its history), and
the retention rule: 20 years after the last contact, or 10 years after death.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q
from django.utils import timezone

from peersupport import plugins
from peersupport.models import Destruction

from .models import (
    AdvanceStatement,
    Appointment,
    CaseloadCover,
    Contact,
    DialogAssessment,
    GoalRating,
    Person,
    PersonSummary,
    RecoveryGoal,
    RecoveryPlan,
    RiskConcern,
    SafetyEvent,
    StatusChange,
    Visit,
)

YEARS_AFTER_LAST_CONTACT = 20
YEARS_AFTER_DEATH = 10


def governed(user):
    """People the user may govern: every person in the trust for the information governance lead."""
    if user.is_authenticated and user.is_information_governance_lead:
        return Person.objects.all()
    return Person.objects.none()


def search(user, words: str = "", born_on: dt.date | None = None):
    """People matching every word of a name, or an NHS number, and the date of birth when given."""
    people = governed(user).select_related("team", "assigned_worker")
    digits = words.replace(" ", "")
    if digits.isdigit():
        people = people.filter(nhs_number=digits)
    else:
        for word in words.split():
            people = people.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
            )
    if born_on is not None:
        people = people.filter(date_of_birth=born_on)
    return people.order_by("family_name", "given_name", "pk")


def get(user, pk: int):
    return governed(user).select_related("team", "assigned_worker").filter(pk=pk).first()


def records(person) -> list[plugins.RecordSet]:
    if not isinstance(person, Person):
        return []
    pk = person.pk
    workers = set(person.history.exclude(assigned_worker=None).values_list("assigned_worker_id", flat=True))
    safety = Q(visit__person_id=pk) | Q(concern__person_id=pk)
    history = {
        "goals": RecoveryGoal.history.filter(person_id=pk),
        "ratings": GoalRating.history.filter(goal_id__in=RecoveryGoal.objects.filter(person_id=pk).values("pk")),
    }
    return [
        plugins.RecordSet("person", "Personal details", Person.objects.filter(pk=pk), person.history.all()),
        plugins.RecordSet(
            "status-changes",
            "Status changes",
            StatusChange.objects.filter(person_id=pk),
            StatusChange.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "contacts", "Contacts", Contact.objects.filter(person_id=pk), Contact.history.filter(person_id=pk)
        ),
        plugins.RecordSet(
            "signposting",
            "Signposting given",
            Contact.signposted_to.through.objects.filter(contact__person_id=pk),
        ),
        plugins.RecordSet("goals", "Recovery goals", RecoveryGoal.objects.filter(person_id=pk), history["goals"]),
        plugins.RecordSet(
            "goal-ratings", "Goal ratings", GoalRating.objects.filter(goal__person_id=pk), history["ratings"]
        ),
        plugins.RecordSet(
            "recovery-plans",
            "Recovery plans",
            RecoveryPlan.objects.filter(person_id=pk),
            RecoveryPlan.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "advance-statements",
            "Advance statements",
            AdvanceStatement.objects.filter(person_id=pk),
            AdvanceStatement.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "dialog",
            "Outcomes (DIALOG)",
            DialogAssessment.objects.filter(person_id=pk),
            DialogAssessment.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "appointments",
            "Appointments",
            Appointment.objects.filter(person_id=pk),
            Appointment.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "risk-concerns",
            "Risk concerns",
            RiskConcern.objects.filter(person_id=pk),
            RiskConcern.history.filter(person_id=pk),
        ),
        plugins.RecordSet(
            "visits",
            "Lone-working visits",
            Visit.objects.filter(person_id=pk),
            Visit.history.filter(person_id=pk),
            exclude=("next_alert_at", "alert_level"),
        ),
        plugins.RecordSet("safety-events", "Safety alerts and escalations", SafetyEvent.objects.filter(safety)),
        # Who covered the person's worker: staff names and dates only; the note is about the staff member.
        plugins.RecordSet(
            "cover",
            "Caseload cover",
            CaseloadCover.objects.filter(team_id=person.team_id, absent_worker_id__in=workers),
            exclude=("note",),
            destroy=False,
        ),
        plugins.RecordSet("summary", "Figures on the caseload board", PersonSummary.objects.filter(person_id=pk)),
    ]


def _years_before(today: dt.date, years: int) -> dt.date:
    return today - relativedelta(years=years)


def retention(today: dt.date):
    """(person, last activity, basis, due on) for each person whose records are due for review today:
    20 years since the last contact (the referral when there was none), or 10 years after death."""
    contact_cutoff = _years_before(today, YEARS_AFTER_LAST_CONTACT)
    # A contact on the cut-off day counts as 20 years ago: before the next London midnight.
    bound = timezone.make_aware(dt.datetime.combine(contact_cutoff + dt.timedelta(days=1), dt.time()))
    destroyed = Destruction.objects.filter(destroyed_at__isnull=False).values("subject_id")
    people = (
        Person.objects.exclude(pk__in=destroyed)
        .annotate(last_contact_at=Max("contacts__contact_at"))
        .filter(
            Q(date_of_death__lte=_years_before(today, YEARS_AFTER_DEATH))
            | Q(date_of_death__isnull=True, last_contact_at__lt=bound)
            | Q(date_of_death__isnull=True, last_contact_at__isnull=True, referral_date__lte=contact_cutoff)
        )
        .select_related("team")
        .order_by("pk")
    )
    for person in people:
        if person.date_of_death:
            yield person, person.date_of_death, "10 years after death", person.date_of_death + relativedelta(years=10)
        else:
            last = timezone.localdate(person.last_contact_at) if person.last_contact_at else person.referral_date
            basis = "20 years since the last contact" if person.last_contact_at else "20 years since the referral"
            yield person, last, basis, last + relativedelta(years=YEARS_AFTER_LAST_CONTACT)


def register() -> None:
    plugins.register_subject("person", model="caseload.Person", search=search, get=get, retention=retention)
    plugins.register_subject_records("caseload", records, order=10)
