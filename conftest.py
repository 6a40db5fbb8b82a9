"""The fixed cast: one user per role in one small trust (after healthchecks' alice, bob and charlie).

North CMHT: Priya and Paul are peer support workers, Maya manages. South CMHT: Olive is a PSW,
Omar manages. The development team: Dev (peer development worker) and Dana (lead). Ada administers.
Trust-wide, outside the teams: Isla is the information governance lead, Cal a clinical reviewer.
This file holds the core's cast only. Each app adds its own records and roles in its test plug-in
(peersupport.plugins.register_tests): the caseload, for one, gives Priya Sam and Olive Sol. Everyone
reaches only what section 3 of the spec allows.
"""

import os
from dataclasses import dataclass, field
from importlib import import_module

import pytest

from peersupport import plugins
from peersupport.models import CLINICAL_REVIEWER, INFORMATION_GOVERNANCE_LEAD, Role, Team, User
from peersupport.testing import SignInClient
from peersupport.tests.factories import (
    PASSWORD,
    TeamFactory,
    UserFactory,
    development_team,
    make_governance,
    make_worker,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Trust:
    north: Team
    south: Team
    devteam: Team
    psw: User
    colleague: User
    manager: User
    other_psw: User
    other_manager: User
    dev_worker: User
    dev_lead: User
    admin: User
    ig_lead: User
    clinical_reviewer: User
    # Roles the apps add to the sweep's cast (a supervisor, a mentor), by name.
    extra_roles: dict[str, User] = field(default_factory=dict)

    @property
    def roles(self) -> dict[str, User]:
        return {
            "psw": self.psw,
            "colleague": self.colleague,
            "manager": self.manager,
            "other_psw": self.other_psw,
            "other_manager": self.other_manager,
            "dev_worker": self.dev_worker,
            "dev_lead": self.dev_lead,
            "admin": self.admin,
            "ig_lead": self.ig_lead,
            "clinical_reviewer": self.clinical_reviewer,
            **self.extra_roles,
        }


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def trust(db) -> Trust:
    north = TeamFactory(name="North CMHT")
    south = TeamFactory(name="South CMHT")
    devteam = development_team()
    trust = Trust(
        north=north,
        south=south,
        devteam=devteam,
        psw=make_worker(north, first_name="Priya", last_name="Patel", email="priya@example.nhs.uk"),
        colleague=make_worker(north, first_name="Paul", last_name="Price", email="paul@example.nhs.uk"),
        manager=make_worker(north, Role.MANAGER, first_name="Maya", last_name="Morris", email="maya@example.nhs.uk"),
        other_psw=make_worker(south, first_name="Olive", last_name="Owen", email="olive@example.nhs.uk"),
        other_manager=make_worker(
            south, Role.MANAGER, first_name="Omar", last_name="Osei", email="omar@example.nhs.uk"
        ),
        dev_worker=make_worker(
            devteam, Role.DEVELOPMENT_WORKER, first_name="Dev", last_name="Dhillon", email="dev@example.nhs.uk"
        ),
        dev_lead=make_worker(
            devteam, Role.DEVELOPMENT_LEAD, first_name="Dana", last_name="Doyle", email="dana@example.nhs.uk"
        ),
        admin=UserFactory(
            first_name="Ada", last_name="Admin", email="ada@example.nhs.uk", is_staff=True, is_superuser=True
        ),
        ig_lead=make_governance(
            INFORMATION_GOVERNANCE_LEAD, first_name="Isla", last_name="Grant", email="isla@example.nhs.uk"
        ),
        clinical_reviewer=make_governance(
            CLINICAL_REVIEWER, first_name="Cal", last_name="Reyes", email="cal@example.nhs.uk"
        ),
    )
    for path in plugins.registered_test_modules():
        extend = getattr(import_module(path), "extend_trust", None)
        if extend:
            extend(trust)
    return trust


@pytest.fixture
def client():
    """pytest-django's client, whose force_login passes the second factor with a real code
    (peersupport.testing.SignInClient); force_login(user, second_factor=False) stops at the password."""
    return SignInClient()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache, which outlives a test: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def client_for(client):
    """Sign the test client in as a user: client_for(trust.psw)."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in
