import datetime as dt

import factory
from django.contrib.auth.models import Group, Permission

from peersupport.models import GOVERNANCE_GROUPS, Band, Membership, Role, Team, User

PASSWORD = "correct-horse-battery-9"
# The name in every record of the access sweep's outsider world: no role may ever see it.
OUTSIDER_MARKER = "Zebedee Quartermaine"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"staff{n}@example.nhs.uk")
    afc_band = Band.BAND_4
    start_date = factory.LazyFunction(lambda: dt.date(2024, 4, 1))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Community mental health team {n}")
    service = "Adult community mental health"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.PSW


def make_worker(team: Team, role: str = Role.PSW, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, team=team, role=role)
    return user


def development_team() -> Team:
    team, _ = Team.objects.get_or_create(
        is_development_team=True, defaults={"name": "Peer support development team", "service": "Learning and OD"}
    )
    return team


def make_governance(group_name: str, **user_fields) -> User:
    """A member of staff holding a trust-wide role (peersupport.models.GOVERNANCE_GROUPS)."""

    user = UserFactory(**user_fields)
    # The groups come from a data migration; a transactional test's flush removes them, so make them again.
    group, created = Group.objects.get_or_create(name=group_name)
    if created:
        codes = GOVERNANCE_GROUPS[group_name]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="peersupport", codename__in=codes))
    user.groups.add(group)
    return user
