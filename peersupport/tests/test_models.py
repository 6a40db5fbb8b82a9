import pytest
from django.core.exceptions import ValidationError

from peersupport.models import Membership, Role, Team


def test_roles_come_from_memberships(trust):
    assert trust.psw.is_psw and not trust.psw.is_manager
    assert trust.manager.managed_team_ids == {trust.north.pk}
    assert trust.dev_lead.is_development_team and trust.dev_lead.is_development_lead
    assert not trust.dev_worker.is_development_lead


def test_development_roles_only_in_the_development_team(trust):
    with pytest.raises(ValidationError):
        Membership(user=trust.psw, team=trust.north, role=Role.DEVELOPMENT_LEAD).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=trust.psw, team=trust.devteam, role=Role.PSW).full_clean()


def test_team_visibility(trust):
    assert set(Team.objects.visible_to(trust.psw)) == {trust.north}
    assert set(Team.objects.visible_to(trust.dev_worker)) == set(Team.objects.all())
