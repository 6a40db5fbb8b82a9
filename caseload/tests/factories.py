import datetime as dt

import factory
from django.utils import timezone

from caseload.models import (
    AdvanceStatement,
    Appointment,
    Contact,
    DialogAssessment,
    GoalRating,
    LifeArea,
    Person,
    PersonStatus,
    Provider,
    RecoveryGoal,
    RecoveryPlan,
    ReferralSource,
    Resource,
    ResourceCategory,
)
from peersupport.tests.factories import TeamFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    team = factory.SubFactory(TeamFactory)
    referral_source = ReferralSource.CARE_COORDINATOR
    referral_date = factory.LazyFunction(lambda: dt.date(2026, 9, 1))
    referral_reason = "Would like support to get back into the community."
    consent_date = factory.LazyFunction(lambda: dt.date(2026, 9, 8))
    status = PersonStatus.ACTIVE


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    worker = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())
    contact_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    recorded_at = factory.LazyAttribute(lambda o: o.contact_at + dt.timedelta(hours=1))
    duration_minutes = 60
    notes = "Walked to the park and talked about the week ahead."
    written_with_person = True


class RecoveryGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryGoal

    person = factory.SubFactory(PersonFactory)
    description = "I want to go to the shop on my own."
    life_area = LifeArea.COMMUNITY
    created_by = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())


class GoalRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalRating

    goal = factory.SubFactory(RecoveryGoalFactory)
    score = 3
    recorded_by = factory.LazyAttribute(lambda o: o.goal.created_by)


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan

    person = factory.SubFactory(PersonFactory)
    version = factory.Sequence(lambda n: n + 1)
    wellness_toolbox = "Music, walking the dog, calling my sister."
    review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    written_by = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())


class AdvanceStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvanceStatement

    person = factory.SubFactory(PersonFactory)
    version = factory.Sequence(lambda n: n + 1)
    wishes = "I would like to be treated at home if at all possible."
    review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))
    written_by = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"Community allotment group {n}")
    category = ResourceCategory.SOCIAL
    provider = Provider.COMMUNITY
    area = "Bassetlaw"
    how_to_refer = "Drop in on Tuesday mornings."


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    worker = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())
    title = "GP appointment"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    created_by = factory.LazyAttribute(lambda o: o.worker)


class DialogAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogAssessment

    person = factory.SubFactory(PersonFactory)
    mental_health = 3
    physical_health = 4
    job_situation = 2
    accommodation = 5
    leisure = 3
    family = 4
    friendships = 3
    safety = 5
    medication = 4
    practical_help = 4
    meetings = 5
    recorded_by = factory.LazyAttribute(lambda o: o.person.assigned_worker or UserFactory())
