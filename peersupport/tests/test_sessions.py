"""Session limits: 30 minutes idle, 12 hours however active; a new key at sign-in; signing out, a
password change and disabling an account end every session of that account at once."""

import time_machine
from django.urls import reverse

from peersupport.testing import SignInClient


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_idle_limit_a_minute_either_side(client, trust):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client.force_login(trust.psw)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        assert signed_out(client.get(reverse("home")))


def test_absolute_limit_a_minute_either_side_however_active(client, trust):
    with time_machine.travel("2026-11-24 08:00 +0000", tick=False) as traveller:
        client.force_login(trust.psw)
        for _ in range(11 * 3 + 2):  # a page every 20 minutes: never idle
            traveller.shift(20 * 60)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(19 * 60)  # 11 h 59 min after signing in
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(2 * 60)  # 12 h 1 min
        response = client.get(reverse("home"))
        assert signed_out(response)
        assert "12 hours after signing in" in client.get(response["Location"]).content.decode()


def test_signing_in_gives_a_new_session_key(client, trust, password):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    client.post(reverse("login"), {"username": trust.psw.email, "password": password})
    assert client.cookies["sessionid"].value != before


def test_signing_out_ends_every_session_of_the_account(trust):
    phone, desk, other = SignInClient(), SignInClient(), SignInClient()
    phone.force_login(trust.psw)
    desk.force_login(trust.psw)
    other.force_login(trust.colleague)
    phone.post(reverse("logout"))
    assert signed_out(desk.get(reverse("home")))
    assert other.get(reverse("home")).status_code == 200


def test_a_password_change_ends_the_other_sessions(trust, password):
    here, there = SignInClient(), SignInClient()
    here.force_login(trust.psw)
    there.force_login(trust.psw)
    response = here.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "another-fine-phrase-7", "new_password2": "another-fine-phrase-7"},
    )
    assert response.status_code == 302
    assert here.get(reverse("home")).status_code == 200
    assert signed_out(there.get(reverse("home")))


def test_disabling_an_account_ends_its_sessions(trust):
    one, two = SignInClient(), SignInClient()
    one.force_login(trust.psw)
    two.force_login(trust.psw)
    trust.psw.is_active = False
    trust.psw.save()
    assert signed_out(one.get(reverse("home")))
    assert signed_out(two.get(reverse("caseload:person-list")))
