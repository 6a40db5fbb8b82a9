"""Demo data for training (manage.py seed_demo): subjects with expiries due this month, cohorts past
and running, trainees not in role, and a new code of conduct version. Safe to run twice."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from peersupport.models import EmploymentStatus, Role, User

from .models import (
    Acknowledgement,
    Attendance,
    CodeKind,
    CodeVersion,
    Cohort,
    Course,
    CourseKind,
    Enrolment,
    ModuleCompletion,
    Session,
    Trainee,
    TrainingCompletion,
    TrainingSubject,
    add_months,
)

SUBJECTS = [
    ("Safeguarding adults level 2", 36),
    ("Safeguarding children level 2", 36),
    ("Information governance", 12),
    ("Basic life support", 12),
    ("Fire safety", 24),
    ("Equality, diversity and human rights", 36),
]
NOT_IN_ROLE = [
    ("Grace Hollis", "grace.hollis@example.org", "07700 900101", True),
    ("Tomasz Wolak", "t.wolak@example.org", "07700 900102", True),
    ("Ife Adeyemi", "ife.adeyemi@example.org", "", False),
]


def _subjects() -> list[TrainingSubject]:
    return [TrainingSubject.objects.get_or_create(name=n, defaults={"renewal_months": m})[0] for n, m in SUBJECTS]


def _complete(enrolment: Enrolment, modules, on: dt.date, by: User) -> None:
    for module in modules:
        ModuleCompletion.objects.get_or_create(
            enrolment=enrolment, module=module, defaults={"completed_on": on, "recorded_by": by}
        )
    enrolment.refresh_completion()


def _season(day: dt.date) -> str:
    return ["Winter", "Spring", "Summer", "Autumn"][day.month % 12 // 3] + f" {day.year}"


def seed(staff) -> list[str]:
    today = timezone.localdate()
    lead = User.objects.filter(memberships__role=Role.DEVELOPMENT_LEAD).first()
    developers = list(
        User.objects.filter(memberships__role__in=[Role.DEVELOPMENT_WORKER, Role.DEVELOPMENT_LEAD]).distinct()
    )
    if lead is None:
        return ["Training: no development lead in the demo staff; skipped."]
    subjects = _subjects()
    course = Course.objects.get(kind=CourseKind.PEER_SUPPORT)
    modules = list(course.modules.all())
    workers = list(User.objects.peer_workers().order_by("last_name", "first_name"))

    # Mandatory training: most in date, some expiring this month, a few expired or missing. Seeded once
    # per worker (the dates follow today, so a later run would otherwise add a second set).
    month_end = add_months(today.replace(day=1), 1) - timedelta(days=1)
    seeded = set(TrainingCompletion.objects.filter(user__in=workers).values_list("user_id", flat=True))
    for i, worker in enumerate(workers):
        if worker.pk in seeded:
            continue
        for j, subject in enumerate(subjects):
            if (i + j) % 9 == 0:
                continue  # never done
            expires = add_months(today, 2 + (i * 5 + j * 3) % 20)
            if (i + j) % 7 == 0:
                expires = min(today + timedelta(days=3 + i % 20), month_end)  # due this month: reminders go
            if (i + j) % 11 == 0:
                expires = today - timedelta(days=20 + i)
            TrainingCompletion.objects.create(
                user=worker,
                subject=subject,
                completed_on=add_months(expires, -subject.renewal_months),
                expires_on=expires,
                recorded_by=lead,
            )

    # A finished cohort: most workers completed; the trainees not in role too.
    # Found again by its dates (relative to today) rather than by name, so a later run adds no run.
    past = Cohort.objects.filter(course=course, ends_on__lt=today).order_by("-ends_on").first()
    if past is None:
        starts = add_months(today, -8)
        past = Cohort.objects.create(
            course=course,
            name=f"{_season(starts)} cohort",
            starts_on=starts,
            ends_on=add_months(today, -6),
            places=20,
            venue="Trust headquarters, room 4",
        )
    past.facilitators.set(developers)
    if not past.sessions.exists():
        for k, module in enumerate(modules):
            Session.objects.create(
                cohort=past, date=past.starts_on + timedelta(days=7 * k), title=module.title, module=module
            )
    trained_workers = workers[: max(len(workers) - 2, 0)]
    for worker in trained_workers:
        enrolment, _ = Enrolment.objects.get_or_create(
            cohort=past, trainee=Trainee.for_user(worker), defaults={"enrolled_on": past.starts_on - timedelta(days=14)}
        )
        _complete(enrolment, modules, past.ends_on, lead)
    for name, email, phone, consent in NOT_IN_ROLE:
        trainee, _ = Trainee.objects.get_or_create(
            email=email,
            defaults={
                "full_name": name,
                "phone": phone,
                "consent_to_contact": consent,
                "consent_recorded_at": timezone.now() if consent else None,
            },
        )
        enrolment, _ = Enrolment.objects.get_or_create(
            cohort=past, trainee=trainee, defaults={"enrolled_on": past.starts_on - timedelta(days=14)}
        )
        _complete(enrolment, modules, past.ends_on, lead)
    for session in past.sessions.all():
        for enrolment in past.enrolments.all():
            Attendance.objects.get_or_create(
                session=session, enrolment=enrolment, defaults={"attended": True, "recorded_by": lead}
            )

    # A running cohort with two untrained workers and a trainee not employed by the trust.
    running = Cohort.objects.filter(course=course, starts_on__lte=today, ends_on__gte=today).first()
    if running is None:
        starts = today - timedelta(days=14)
        running = Cohort.objects.create(
            course=course,
            name=f"{_season(starts)} cohort",
            starts_on=starts,
            ends_on=today + timedelta(days=35),
            places=12,
            venue="Online (Teams)",
        )
    running.facilitators.set(developers[:1])
    if not running.sessions.exists():
        for k, module in enumerate(modules):
            Session.objects.create(
                cohort=running, date=running.starts_on + timedelta(days=7 * k), title=module.title, module=module
            )
    for worker in workers[len(trained_workers) :]:
        Enrolment.objects.get_or_create(
            cohort=running,
            trainee=Trainee.for_user(worker),
            defaults={"enrolled_on": running.starts_on - timedelta(days=7)},
        )
    volunteer, _ = Trainee.objects.get_or_create(
        email="sam.okafor@example.org",
        defaults={"full_name": "Sam Okafor", "consent_to_contact": True, "consent_recorded_at": timezone.now()},
    )
    Enrolment.objects.get_or_create(
        cohort=running, trainee=volunteer, defaults={"enrolled_on": running.starts_on - timedelta(days=7)}
    )

    # The sessions so far: attendance taken (one absence) and their modules completed.
    for session in running.sessions.filter(date__lte=today).order_by("date"):
        for k, enrolment in enumerate(running.enrolments.all()):
            attended = not (k == 0 and session.date == running.starts_on)
            Attendance.objects.get_or_create(
                session=session, enrolment=enrolment, defaults={"attended": attended, "recorded_by": lead}
            )
            if attended and session.module_id:
                ModuleCompletion.objects.get_or_create(
                    enrolment=enrolment,
                    module=session.module,
                    defaults={"completed_on": session.date, "recorded_by": lead},
                )

    # Codes of conduct: an older and a new version of the peer worker code, and the bands 2-4 code.
    old_code, _ = CodeVersion.objects.get_or_create(
        kind=CodeKind.PEER_WORKER,
        version="2024.1",
        defaults={
            "text": "Peer workers share lived experience with purpose, keep boundaries and respect confidentiality.",
            "published_on": add_months(today, -20),
            "published_by": lead,
        },
    )
    CodeVersion.objects.get_or_create(
        kind=CodeKind.PEER_WORKER,
        version="2026.1",
        defaults={
            "text": "Peer workers share lived experience with purpose, keep boundaries, respect confidentiality "
            "and look after their own wellbeing. New: personal social media and contact with people who use services.",
            "published_on": today - timedelta(days=3),
            "published_by": lead,
        },
    )
    CodeVersion.objects.get_or_create(
        kind=CodeKind.BANDS_2_4,
        version="2025.1",
        defaults={
            "text": "Support workers on bands 2 to 4 act with honesty, dignity and respect, "
            "and work within their competence.",
            "published_on": add_months(today, -9),
            "published_by": lead,
        },
    )
    # Everyone acknowledged the old peer worker code; the new version asks each of them again.
    for worker in workers:
        Acknowledgement.objects.get_or_create(
            version=old_code, user=worker, defaults={"acknowledged_at": timezone.now() - timedelta(days=400)}
        )
    left = User.objects.filter(employment_status=EmploymentStatus.LEFT).count()
    return [
        f"Training: {len(subjects)} subjects, 2 cohorts, "
        f"{Trainee.objects.register().count()} people trained but not in role "
        f"({left} staff who left), a new peer worker code version."
    ]
