import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role's home page shows of its own data.
HOME_MARKERS = {
    "psw": "My caseload",
    "manager": "Your teams: North CMHT",
    "dev_lead": "Peer workforce across the trust",
    "dev_worker": "Peer workforce across the trust",
    "admin": "Open the administration site",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("role", list(HOME_MARKERS))
def test_each_role_signs_in_and_lands_on_their_home_page(
    page, live_server, trust, sign_in, assert_accessible, role, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    sign_in(page, trust.roles[role])
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text(HOME_MARKERS[role])
    if role == "psw":
        expect(page.get_by_role("link", name=trust.person.display_name)).to_be_visible()
    assert_accessible(page)
    # Readable at 360 px: nothing wider than the screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_wrong_password_shows_a_clear_message(page, live_server, trust, assert_accessible):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(trust.psw.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the email address and password")
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, trust, sign_in):
    sign_in(page, trust.psw)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
