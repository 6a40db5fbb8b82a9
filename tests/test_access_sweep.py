import pytest
from django.urls import reverse

from tests.access import OUTSIDER_MARKER, build_outsider, discover_routes, sweep, unfillable


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
        reverse("admin:peersupport_recordview_changelist"),
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
