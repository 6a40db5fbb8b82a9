"""Re-authentication: downloads of people's data, bulk reassignment and changing one's password or
second factor ask for the password or a code again after 15 minutes, then return the user."""

from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from peersupport import twofactor
from peersupport.models import AuditEvent
from peersupport.testing import SignInClient, authenticator_for
from tests.access import KWARG_FILLERS, build_outsider, discover_routes

DOWNLOAD_ENDINGS = (".csv", ".xlsx", ".ics", ".zip")
# Downloads that hold no one's personal data, or are fetched by a calendar app with a secret link
# rather than a signed-in session.
NOT_PERSONAL = {"devdays:figures-csv", "devdays:figures-xlsx", "devdays:feed"}


def after(traveller, minutes, client):
    """Let time pass with a page every 10 minutes, so the session is never idle."""
    for _ in range(minutes // 10):
        traveller.shift(10 * 60)
        client.get(reverse("home"))
    traveller.shift((minutes % 10) * 60)


def test_a_download_soon_after_signing_in_needs_nothing_more(client_for, trust):
    response = client_for(trust.manager).get(reverse("caseload:review-board-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_after_15_minutes_a_download_asks_again_then_returns(client_for, trust, password):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client = client_for(trust.manager)
        after(traveller, 16, client)
        url = reverse("caseload:review-board-csv")
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("reauthenticate"))
        wrong = client.post(response["Location"], {"password": "not-it"})
        assert wrong.status_code == 200 and "not your password" in wrong.content.decode()
        assert AuditEvent.objects.filter(action=twofactor.REAUTHENTICATION_FAILED, actor=trust.manager).exists()
        back = client.post(response["Location"], {"password": password})
        assert back.status_code == 302 and back["Location"] == url
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.filter(action=twofactor.REAUTHENTICATED, actor=trust.manager).exists()


def test_a_code_re_authenticates_too(client_for, trust):
    with time_machine.travel("2026-11-24 09:00:10 +0000", tick=False) as traveller:
        client = client_for(trust.manager)
        after(traveller, 20, client)
        code = twofactor.code_at(authenticator_for(trust.manager))
        back = client.post(reverse("reauthenticate") + "?next=/caseload/review/board.csv", {"code": code})
        assert back["Location"] == "/caseload/review/board.csv"


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"])
def test_re_authentication_returns_only_to_this_site(client_for, trust, password, target):
    client = client_for(trust.manager)
    back = client.post(reverse("reauthenticate"), {"password": password, "next": target})
    assert back["Location"] == reverse("home")


def test_a_re_authentication_in_another_session_does_not_count(trust, password):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        laptop, phone = SignInClient(), SignInClient()
        laptop.force_login(trust.manager)
        phone.force_login(trust.manager)
        for _ in range(2):
            traveller.shift(9 * 60)
            laptop.get(reverse("home"))
            phone.get(reverse("home"))
        assert phone.post(reverse("reauthenticate"), {"password": password}).status_code == 302
        assert phone.get(reverse("caseload:review-board-csv")).status_code == 200
        refused = laptop.get(reverse("caseload:review-board-csv"))
        assert refused["Location"].startswith(reverse("reauthenticate"))
        # Carrying the other session's cookie values over is no use either: the clock is in the session.
        assert twofactor.AUTHENTICATED_AT not in laptop.cookies


def test_bulk_reassignment_asks_again_and_keeps_the_chosen_people(client_for, trust):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client = client_for(trust.manager)
        after(traveller, 16, client)
        response = client.post(
            reverse("caseload:review-reassign"),
            {"people": [trust.person.pk], "to_worker": trust.colleague.pk, "reason": "x"},
        )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert f"people%3D{trust.person.pk}" in response["Location"]
    trust.person.refresh_from_db()
    assert trust.person.assigned_worker == trust.psw


@pytest.mark.parametrize(
    "name, method", [("password_change", "get"), ("backup-codes-renew", "post"), ("two-factor-replace", "post")]
)
def test_changing_password_or_second_factor_asks_again(client_for, trust, name, method):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client = client_for(trust.psw)
        after(traveller, 16, client)
        response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauthenticate"))
    going_to = reverse("account-security") if method == "post" else reverse(name)
    assert response["Location"].endswith("next=" + quote(going_to, safe=""))
    assert authenticator_for(trust.psw).confirmed


def test_every_download_of_personal_data_asks_again(client_for, trust):
    """Every .csv/.xlsx/.ics/.zip route of the four apps (found in the URLconf, not listed)."""
    outsider = build_outsider()
    downloads = [
        r
        for r in discover_routes()
        if r.name not in NOT_PERSONAL
        and any(
            reverse(r.name, kwargs={k: KWARG_FILLERS[k](outsider) for k in r.kwargs}).endswith(e)
            for e in DOWNLOAD_ENDINGS
        )
    ]
    assert len(downloads) >= 11
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client = client_for(trust.admin)
        after(traveller, 16, client)
        for route in downloads:
            url = reverse(route.name, kwargs={k: KWARG_FILLERS[k](outsider) for k in route.kwargs})
            response = client.get(url)
            assert response.status_code == 302, route.name
            assert response["Location"].startswith(reverse("reauthenticate")), route.name
