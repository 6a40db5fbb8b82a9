import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from peersupport import twofactor
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_sets_up_the_app_on_a_phone(page, live_server, trust, password, assert_accessible):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(trust.psw.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    device = TOTPDevice.objects.get(user=trust.psw, confirmed=False)
    expect(page.locator("#secret")).to_have_text(twofactor.secret_text(device))

    page.get_by_label("Code from the app").fill("12345x")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".invalid-feedback").get_by_text("That code did not work")).to_be_visible()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # the wrong code's one-second throttle
    page.get_by_label("Code from the app").fill(twofactor.code_at(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text("My caseload")


def test_signing_in_types_a_code_and_a_wrong_one_is_explained(page, live_server, trust, password, assert_accessible):
    from peersupport.testing import authenticator_for

    device = authenticator_for(trust.psw)
    page.goto(f"{live_server.url}/caseload/people/")
    page.get_by_label("Email address").fill(trust.psw.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill("000000" if twofactor.code_at(device) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".invalid-feedback").get_by_text("That code did not work")).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)
    page.get_by_label("Code").fill(twofactor.code_at(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/caseload/people/")


def _make_authentication_stale(page, minutes=20):
    import time

    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[twofactor.AUTHENTICATED_AT] = time.time() - minutes * 60
    session.save()


def test_new_backup_codes_ask_for_the_password_again_on_a_phone(
    page, live_server, trust, password, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    sign_in(page, trust.psw)
    page.goto(f"{live_server.url}/accounts/security/")
    assert_accessible(page)
    _make_authentication_stale(page)
    page.get_by_role("button", name="Make new backup codes").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".invalid-feedback").get_by_text("That is not your password.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/security/")
    page.get_by_role("button", name="Make new backup codes").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
