"""Two-factor sign-in: setting up an app, codes refused when reused, expired, guessed or another
account's, throttling, backup codes, a password reset, and an administrator's reset."""

import re
import time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from peersupport import twofactor
from peersupport.models import AuditEvent
from peersupport.testing import SignInClient, authenticator_for

NOON = "2026-11-24 12:00:05 +0000"


def password_only(client, user, password):
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return response


def test_first_sign_in_sets_up_an_app_then_shows_backup_codes_once(client, trust, password):
    password_only(client, trust.psw, password)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-enrol"))
    page = client.get(response["Location"])
    device = TOTPDevice.objects.get(user=trust.psw, confirmed=False)
    assert twofactor.secret_text(device) in page.content.decode()
    qr = client.get(reverse("two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    wrong = client.post(
        reverse("two-factor-enrol"), {"code": "000000" if twofactor.code_at(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "did not work" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=trust.psw, confirmed=True).exists()

    time.sleep(1.1)  # the wrong code's throttle: one second
    done = client.post(reverse("two-factor-enrol"), {"code": twofactor.code_at(device), "next": "/"})
    codes = re.findall(r'<li class="font-monospace fs-5">([a-z2-7]{8})</li>', done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=trust.psw).values_list("token", flat=True))
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action=twofactor.ENROLLED, actor=trust.psw).count() == 1
    # Shown once: the set-up page now sends the user on, and no page shows the codes again.
    assert client.get(reverse("two-factor-enrol")).status_code == 302
    assert codes[0] not in client.get(reverse("account-security")).content.decode()


def test_a_user_with_an_app_types_its_code(client, trust, password):
    device = authenticator_for(trust.psw)
    password_only(client, trust.psw, password)
    response = client.get(reverse("caseload:person-list"))
    assert response["Location"].startswith(reverse("two-factor-verify"))
    done = client.post(response["Location"], {"code": twofactor.code_at(device)})
    assert done.status_code == 302 and done["Location"] == reverse("caseload:person-list")
    assert client.get(reverse("caseload:person-list")).status_code == 200
    assert AuditEvent.objects.filter(action=twofactor.VERIFIED, actor=trust.psw).exists()


def test_a_used_code_is_refused_the_second_time(client, trust, password):
    device = authenticator_for(trust.psw)
    with time_machine.travel(NOON, tick=False):
        code = twofactor.code_at(device)
        password_only(client, trust.psw, password)
        assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
        client.post(reverse("logout"))
        password_only(client, trust.psw, password)
        again = client.post(reverse("two-factor-verify"), {"code": code})
    assert again.status_code == 200 and "did not work" in again.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action=twofactor.CODE_REFUSED, actor=trust.psw).exists()


def test_an_expired_code_is_refused(client, trust, password):
    device = authenticator_for(trust.psw)
    with time_machine.travel(NOON, tick=False):
        old = twofactor.code_at(device, time.time() - 120)
        password_only(client, trust.psw, password)
        response = client.post(reverse("two-factor-verify"), {"code": old})
    assert response.status_code == 200 and "did not work" in response.content.decode()


def test_another_accounts_code_is_refused(client, trust, password):
    authenticator_for(trust.psw)
    theirs = authenticator_for(trust.colleague)
    password_only(client, trust.psw, password)
    response = client.post(reverse("two-factor-verify"), {"code": twofactor.code_at(theirs)})
    assert response.status_code == 200 and "did not work" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_guessing_is_throttled_even_the_right_code_waits(client, trust, password):
    device = authenticator_for(trust.psw)
    with time_machine.travel(NOON, tick=False) as traveller:
        password_only(client, trust.psw, password)
        right = twofactor.code_at(device)
        for guess in ("123456", "654321"):
            if guess != right:
                client.post(reverse("two-factor-verify"), {"code": guess})
        waiting = client.post(reverse("two-factor-verify"), {"code": right})
        assert "Too many wrong codes" in waiting.content.decode()
        traveller.shift(3)
        assert client.post(reverse("two-factor-verify"), {"code": right}).status_code == 302


def test_codes_are_rate_limited_with_a_429_page(client, trust, password, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "code": (3, 15)}
    authenticator_for(trust.psw)
    password_only(client, trust.psw, password)
    for _ in range(3):
        client.post(reverse("two-factor-verify"), {"code": "abc"})
    response = client.post(reverse("two-factor-verify"), {"code": "abc"})
    assert response.status_code == 429 and "Try again in" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert AuditEvent.objects.filter(action="rate-limited", actor=trust.psw).exists()


def test_a_backup_code_works_once(client, trust, password):
    authenticator_for(trust.psw)
    codes = twofactor.new_backup_codes(trust.psw)
    password_only(client, trust.psw, password)
    assert client.post(reverse("two-factor-verify"), {"code": codes[0].upper()}).status_code == 302
    client.post(reverse("logout"))
    password_only(client, trust.psw, password)
    replay = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert replay.status_code == 200 and "did not work" in replay.content.decode()
    assert AuditEvent.objects.filter(action=twofactor.CODE_REFUSED, actor=trust.psw).exists()
    time.sleep(1.1)
    assert client.post(reverse("two-factor-verify"), {"code": codes[1]}).status_code == 302


def test_a_password_reset_never_skips_the_second_factor(client, trust):
    authenticator_for(trust.psw)
    client.post(reverse("password_reset"), {"email": trust.psw.email})
    path = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-passphrase", "new_password2": "a-much-better-passphrase"},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # the reset signed no one in
    client.post(reverse("login"), {"username": trust.psw.email, "password": "a-much-better-passphrase"})
    assert client.get(reverse("home"))["Location"].startswith(reverse("two-factor-verify"))


def test_an_administrator_resets_a_lost_phone_audited(client_for, trust):
    theirs = SignInClient()
    theirs.force_login(trust.psw)
    twofactor.new_backup_codes(trust.psw)
    admin = client_for(trust.admin)
    response = admin.post(
        reverse("admin:peersupport_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [trust.psw.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=trust.psw).exists()
    assert not StaticToken.objects.filter(device__user=trust.psw).exists()
    assert theirs.get(reverse("home"))["Location"].startswith(reverse("login"))  # their sessions ended
    event = AuditEvent.objects.get(action=twofactor.RESET)
    assert event.actor == trust.admin and event.target_id == trust.psw.pk


def test_the_test_client_signs_in_with_a_real_code(client, trust):
    client.force_login(trust.psw)
    device = TOTPDevice.objects.get(user=trust.psw, confirmed=True)
    assert device.last_t > 0 or StaticToken.objects.filter(device__user=trust.psw).count() == 0
    assert client.session[DEVICE_ID_SESSION_KEY] in (
        device.persistent_id,
        *[d.persistent_id for d in trust.psw.staticdevice_set.all()],
    )
    client.force_login(trust.psw)  # the same time step again: a fresh backup code instead
    assert client.get(reverse("home")).status_code == 200


def test_password_only_sessions_reach_only_the_second_factor_pages(client, trust):
    client.force_login(trust.psw, second_factor=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two-factor-enrol"))
    assert client.get(reverse("two-factor-enrol")).status_code == 200
    htmx = client.get(reverse("notification-bell"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.content == b""


@pytest.mark.parametrize("cookie", ["made-up-session-key", "x" * 40, "' OR 1=1 --"])
def test_a_tampered_session_cookie_is_refused_and_audited(client, trust, cookie):
    client.force_login(trust.psw)
    client.cookies["sessionid"] = cookie
    response = client.get(reverse("caseload:person-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="session-refused").exists()


def test_demo_accounts_sign_in_with_the_printed_secret_and_totp_code(db, client, capsys):
    from django.core.management import call_command

    from peersupport.demo import DEMO_PASSWORD, demo_totp_secret

    call_command("seed_demo")
    assert demo_totp_secret() in capsys.readouterr().out
    call_command("totp_code", "priya.patel@demo.nhs.uk")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post(reverse("login"), {"username": "priya.patel@demo.nhs.uk", "password": DEMO_PASSWORD})
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
