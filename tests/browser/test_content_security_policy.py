"""The Content Security Policy in a real browser: each role opens its main pages (every menu entry, a
record, a page with charts, the menu folded at phone size) and the browser reports no violation of the
policy: no inline script or style was needed, nothing was loaded from elsewhere."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any page script runs; the policy does not apply to the browser's own init scripts.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _visit(page, url) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, url
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    return [f"{url}: {v}" for v in page.evaluate("window.__cspViolations")]


def _main_pages(page, live_server, extra) -> list[str]:
    page.goto(live_server.url + "/")
    urls = [live_server.url + "/"]
    for href in page.locator("#main-nav a.nav-link").evaluate_all("links => links.map(a => a.href)"):
        if "/admin/" not in href and href not in urls:
            urls.append(href)
    return urls + [live_server.url + path for path in extra]


@pytest.mark.parametrize("role", ["psw", "manager", "dev_lead", "supervisor", "ig_lead", "admin"])
def test_each_roles_main_pages_keep_to_the_policy(page, live_server, trust, sign_in, role):
    page.add_init_script(WATCH)
    user = getattr(trust, role)
    sign_in(page, user)
    extra = {
        "psw": [trust.person.get_absolute_url(), reverse("notification-list")],
        "manager": [reverse("caseload:review-figures"), trust.person.get_absolute_url()],
        "supervisor": [reverse("supervision:session-detail", args=[trust.session.pk])],
        "ig_lead": [reverse("audit-search") + "?date_from=nonsense"],
        "admin": [reverse("audit-search")],
    }.get(role, [])
    seen = []
    for url in _main_pages(page, live_server, extra):
        seen += _visit(page, url)
    assert seen == []


def test_the_folded_menu_and_the_bell_keep_to_the_policy(page, live_server, trust, sign_in):
    page.add_init_script(WATCH)
    page.set_viewport_size(PHONE)
    sign_in(page, trust.manager)
    page.get_by_role("button", name="Show or hide the menu").click()
    page.locator("#main-nav").wait_for(state="visible")
    page.get_by_role("button", name="Show or hide the menu").click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__cspViolations") == []


def test_the_watch_sees_a_violation_when_there_is_one(page, live_server, trust, sign_in):
    # The control: markup with a style attribute, added to a page, is refused and reported.
    page.add_init_script(WATCH)
    sign_in(page, trust.psw)
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(300)
    assert any(v.startswith("style-src") for v in page.evaluate("window.__cspViolations"))


def test_the_audit_search_on_a_phone(page, live_server, trust, sign_in, assert_accessible):
    sign_in(page, trust.ig_lead)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("audit-search"))
    page.get_by_label("From").fill("2026-11-20")
    page.get_by_label("To").fill("2026-11-01")
    page.get_by_role("button", name="Search").click()
    assert (
        page.locator("#id_date_to-error").get_by_text("The end date must be on or after the start date.").is_visible()
    )
    assert (
        page.locator(".error-summary")
        .get_by_role("link", name="The end date must be on or after the start date.")
        .is_visible()
    )
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
