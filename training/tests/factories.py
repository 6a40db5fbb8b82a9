import datetime as dt

import factory

from peersupport.tests.factories import UserFactory
from training.models import (
    CodeKind,
    CodeVersion,
    Cohort,
    Course,
    CourseKind,
    Enrolment,
    ExternalEquivalent,
    Trainee,
    TrainingCompletion,
    TrainingSubject,
)


def peer_support_course() -> Course:
    return Course.objects.get(kind=CourseKind.PEER_SUPPORT)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"trainee{n}@example.org")
    consent_to_contact = True
    consent_recorded_at = factory.LazyFunction(lambda: dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    course = factory.LazyFunction(peer_support_course)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = dt.date(2024, 3, 4)
    ends_on = dt.date(2024, 4, 29)
    places = 16
    venue = "Trust HQ, training room 2"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    trainee = factory.SubFactory(TraineeFactory)
    enrolled_on = dt.date(2024, 2, 1)


def completed_enrolment(trainee: Trainee, on: dt.date = dt.date(2024, 4, 29), **cohort_fields) -> Enrolment:
    return EnrolmentFactory(trainee=trainee, cohort=CohortFactory(**cohort_fields), completed_on=on)


class ExternalEquivalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalEquivalent

    trainee = factory.SubFactory(TraineeFactory)
    course = factory.LazyFunction(peer_support_course)
    title = "Peer support worker certificate"
    provider = "Recovery College East"
    completed_on = dt.date(2023, 6, 1)
    evidence = "Certificate PSW-2231 seen"
    approved_by = factory.SubFactory(UserFactory)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSubject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Subject {n}")
    renewal_months = 12


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    user = factory.SubFactory(UserFactory)
    subject = factory.SubFactory(SubjectFactory)
    completed_on = dt.date(2025, 6, 1)
    expires_on = factory.LazyAttribute(lambda o: dt.date(o.completed_on.year + 1, o.completed_on.month, 1))
    recorded_by = factory.LazyAttribute(lambda o: o.user)


class CodeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeVersion

    kind = CodeKind.PEER_WORKER
    version = factory.Sequence(lambda n: f"2025.{n}")
    text = "Keep boundaries; use lived experience with purpose."
    published_on = dt.date(2025, 1, 1)
    published_by = factory.SubFactory(UserFactory)
