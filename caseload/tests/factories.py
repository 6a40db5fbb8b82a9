import datetime as dt

import factory

from caseload.models import Person, PersonStatus, ReferralSource
from peersupport.tests.factories import TeamFactory


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
    status = PersonStatus.ACTIVE
