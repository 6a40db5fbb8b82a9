import pytest
from django.urls import reverse

from peersupport.middleware import BEFORE_SECOND_FACTOR
from peersupport.models import Membership, Role
from peersupport.testing import SignInClient
from tests.access import (
    OUTSIDER_MARKER,
    PUBLIC_URL_NAMES,
    build_outsider,
    discover_routes,
    sweep,
    sweep_one_session,
    unfillable,
)


@pytest.fixture
def outsider(trust):
    return build_outsider()


def test_every_url_pattern_can_be_filled_by_the_sweep():
    assert unfillable() == []


def test_sweep_discovers_the_apps_urls():
    names = {route.name for route in discover_routes()}
    assert {"home", "caseload:person-list", "caseload:person-detail"} <= names


def test_no_role_reaches_out_of_scope_records(client, trust, outsider):
    users = {"anonymous": None, **trust.roles}
    assert sweep(client, users, outsider) == []


def test_sweep_catches_an_unscoped_view(client, trust, outsider, settings):
    settings.ROOT_URLCONF = "tests.leaky_urls"
    failures = sweep(client, {"psw": trust.psw}, outsider, urlconf="tests.leaky_urls")
    assert any("leaky-person" in failure for failure in failures)
    assert any("leaky-list" in failure for failure in failures)


def test_sweep_fails_a_pattern_it_cannot_fill():
    assert unfillable("tests.leaky_urls") == ["leaky-mystery: no filler for mystery_pk"]


def test_admin_is_for_administrators_only(client, trust):
    admin_urls = [
        reverse("admin:index"),
        reverse("admin:caseload_person_change", args=[trust.person.pk]),
        reverse("admin:peersupport_auditevent_changelist"),
    ]
    for role, user in trust.roles.items():
        client.force_login(user)
        for url in admin_urls:
            response = client.get(url)
            if role == "admin":
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, url)


def test_outsider_marker_is_really_in_the_data(outsider):
    assert outsider.person.display_name == OUTSIDER_MARKER


def test_a_disabled_user_is_sent_to_sign_in_from_every_page(trust, outsider):
    client = SignInClient()
    client.force_login(trust.manager)
    trust.manager.is_active = False
    trust.manager.save()
    assert sweep_one_session(client, outsider, PUBLIC_URL_NAMES, reverse("login")) == []


def test_a_user_without_a_second_factor_reaches_only_enrolment_and_sign_out(trust, outsider):
    client = SignInClient()
    client.force_login(trust.psw, second_factor=False)
    allowed = BEFORE_SECOND_FACTOR | PUBLIC_URL_NAMES
    assert sweep_one_session(client, outsider, allowed, reverse("two-factor-enrol")) == []
    # And the allowed pages really are only those: no page of the four apps.
    assert not any(name.startswith(("caseload", "training", "supervision", "devdays")) for name in allowed)


def test_a_role_changed_mid_session_applies_at_the_next_request(trust, outsider):
    manager = trust.manager
    during = SignInClient()
    during.force_login(manager)
    routes = [r for r in discover_routes() if not r.kwargs and r.url_name not in {"logout", "health"}]
    before = {r.name: during.get(reverse(r.name)).status_code for r in routes}
    Membership.objects.filter(user=manager, role=Role.MANAGER).update(role=Role.PSW)
    after = {r.name: during.get(reverse(r.name)).status_code for r in routes}
    fresh = SignInClient()
    fresh.force_login(manager)
    signed_in_afresh = {r.name: fresh.get(reverse(r.name)).status_code for r in routes}
    assert after == signed_in_afresh
    assert before != after  # the manager's pages closed at once
