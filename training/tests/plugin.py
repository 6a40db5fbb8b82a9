"""Training's part of the shared test world (registered in TrainingConfig.ready()): outsider records
and URL fillers for the access sweep.

The development team sees training trust-wide, so the outsider's records belong to Hugo, the outsider
team's manager: no peer worker, so not even the development team's view reaches him (nor an
administrator's: training records are not theirs to read)."""

from __future__ import annotations

import datetime as dt

from peersupport.tests.factories import OUTSIDER_MARKER
from training.models import Cohort, CourseKind, Enrolment, Session, Trainee, TrainingCompletion

from .factories import CodeVersionFactory, SubjectFactory

# Courses, subjects and code versions are reference data every member of staff may read. A course
# run and its sessions hold no personal data of their own (dates, venue): the development team reads
# every run, everyone else gets 404, and the people on a run are filtered by Trainee.visible_to, which
# the sweep's marker check proves (the outsider's enrolment is on the outsider run).
SHARED_KWARGS = {"course_pk", "module_pk", "subject_pk", "version_pk", "cohort_pk", "session_pk"}


def build_outsider(outsider) -> None:
    from training.models import Course

    hugo = outsider.manager
    trainee = Trainee.objects.create(
        user=hugo, full_name=OUTSIDER_MARKER, email="zebedee@example.org", phone=OUTSIDER_MARKER
    )
    course = Course.objects.get(kind=CourseKind.PEER_SUPPORT)
    cohort = Cohort.objects.create(
        course=course, name="Hidden Valley run", starts_on=dt.date(2024, 1, 8), ends_on=dt.date(2024, 2, 26), places=10
    )
    session = Session.objects.create(cohort=cohort, date=dt.date(2024, 1, 8), title="Active listening")
    enrolment = Enrolment.objects.create(
        cohort=cohort, trainee=trainee, enrolled_on=dt.date(2024, 1, 1), completed_on=dt.date(2024, 2, 26)
    )
    subject = SubjectFactory(name="Hidden Valley safety")
    completion = TrainingCompletion.objects.create(
        user=hugo,
        subject=subject,
        completed_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 1, 1),
        recorded_by=hugo,
        withdrawn_reason="",
    )
    outsider.extra.update(
        trainee=trainee,
        cohort=cohort,
        session=session,
        enrolment=enrolment,
        completion=completion,
        subject=subject,
        code_version=CodeVersionFactory(published_by=hugo),
    )


FILLERS = {
    "user_pk": lambda o: o.manager.pk,
    "trainee_pk": lambda o: o.extra["trainee"].pk,
    "enrolment_pk": lambda o: o.extra["enrolment"].pk,
    "completion_pk": lambda o: o.extra["completion"].pk,
    "cohort_pk": lambda o: o.extra["cohort"].pk,
    "session_pk": lambda o: o.extra["session"].pk,
    "course_pk": lambda o: o.extra["cohort"].course_id,
    "module_pk": lambda o: o.extra["cohort"].course.modules.first().pk,
    "subject_pk": lambda o: o.extra["subject"].pk,
    "version_pk": lambda o: o.extra["code_version"].pk,
}
