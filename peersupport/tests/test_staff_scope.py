"""One access rule for staff: User.objects.visible_to."""

from peersupport.models import User


def names(user) -> set[str]:
    return {u.first_name for u in User.objects.visible_to(user)}


def test_a_worker_sees_themselves(trust):
    assert names(trust.psw) == {"Priya"}


def test_a_manager_sees_their_teams_staff(trust):
    assert names(trust.manager) == {"Priya", "Paul", "Maya"}
    assert names(trust.other_manager) == {"Olive", "Omar"}


def test_the_development_team_sees_every_peer_worker_and_itself(trust):
    seen = set(User.objects.visible_to(trust.dev_worker))
    assert set(User.objects.peer_workers()) | {trust.dev_worker, trust.dev_lead} <= seen
    assert not {trust.manager, trust.other_manager, trust.admin} & seen  # managers are not peer workers


def test_an_administrator_sees_everyone(trust):
    assert set(User.objects.visible_to(trust.admin)) == set(User.objects.all())


def test_the_scope_is_one_query_and_chains(trust, django_assert_num_queries):
    assert trust.manager.managed_team_ids  # the user's roles are read once, before
    with django_assert_num_queries(1):
        assert list(User.objects.visible_to(trust.manager).peer_workers().in_post().order_by("first_name")) == [
            trust.colleague,
            trust.psw,
        ]
