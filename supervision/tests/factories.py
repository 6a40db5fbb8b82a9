import datetime as dt

import factory
from django.utils import timezone

from peersupport.tests.factories import UserFactory
from supervision.models import Action, Agreement, AgreementType, Session, SessionContent, SessionStatus


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    supervisor = factory.SubFactory(UserFactory)
    supervisee = factory.SubFactory(UserFactory)
    agreement_type = AgreementType.PEER
    frequency_weeks = 4
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    created_by = factory.SelfAttribute("supervisor")

    @factory.post_generation
    def due(obj, create, extracted, **kwargs):
        if create:
            obj.refresh_due()


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    status = SessionStatus.HELD
    duration_minutes = 60
    recorded_by = factory.SelfAttribute("agreement.supervisor")

    @factory.post_generation
    def due(obj, create, extracted, **kwargs):
        if create:
            obj.agreement.refresh_due()


class ContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionContent

    session = factory.SubFactory(SessionFactory)
    themes = "Reflecting on a first meeting"
    wellbeing_discussed = True
    wellbeing_notes = "Taking breaks"
    updated_by = factory.SelfAttribute("session.agreement.supervisor")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    session = factory.SubFactory(SessionFactory)
    description = "Read the lived experience guidance"
    owner = factory.SelfAttribute("session.agreement.supervisee")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
