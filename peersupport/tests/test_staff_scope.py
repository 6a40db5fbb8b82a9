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
    assert names(trust.dev_worker) == {"Priya", "Paul", "Olive", "Dev", "Dana"}


def test_an_administrator_sees_everyone(trust):
    assert names(trust.admin) == {"Priya", "Paul", "Maya", "Olive", "Omar", "Dev", "Dana", "Ada"}


def test_the_scope_is_one_query_and_chains(trust, django_assert_num_queries):
    assert trust.manager.managed_team_ids  # the user's roles are read once, before
    with django_assert_num_queries(1):
        assert list(User.objects.visible_to(trust.manager).peer_workers().in_post().order_by("first_name")) == [
            trust.colleague,
            trust.psw,
        ]
