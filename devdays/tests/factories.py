import datetime as dt

import factory

from devdays.models import AgendaItem, AgendaType, DevelopmentDay, Invitation


class DayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentDay
        skip_postgeneration_save = True

    date = dt.date(2027, 2, 10)
    starts_at = dt.time(9, 30)
    ends_at = dt.time(16, 0)
    venue = "Trust HQ, lecture theatre"
    capacity = 60


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    day = factory.SubFactory(DayFactory)
    type = AgendaType.TRAINING
    title = "Using lived experience well"
    starts_at = dt.time(10, 0)
    ends_at = dt.time(11, 0)
    speakers = "Dev Dhillon"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    day = factory.SubFactory(DayFactory)
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
