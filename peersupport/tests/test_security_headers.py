"""Security headers and the Content Security Policy: every template keeps to the policy (no inline
script, no style attribute, no event-handler attribute), and every response carries the headers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
# Emails are read in mail programs, not under the site's policy.
EXEMPT = ("emails",)

TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
SCRIPT_DATA_TYPES = {"application/json", "application/ld+json", "text/template"}


def violations(text: str) -> list[str]:
    """What in a template's text the Content Security Policy would refuse."""
    found = []
    for match in TAG.finditer(text):
        name, attrs = match["name"].lower(), match["attrs"]
        line = text.count("\n", 0, match.start()) + 1
        if name == "script" and not re.search(r"\ssrc\s*=", attrs):
            kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs)
            if not kind or kind[1].lower() not in SCRIPT_DATA_TYPES:
                found.append(f"line {line}: inline <script>")
        if name == "style":
            found.append(f"line {line}: <style> element")
        if re.search(r"(?:^|\s)style\s*=", attrs):
            found.append(f"line {line}: style attribute")
        handler = re.search(r"(?:^|\s)(on[a-z]+|hx-on[:\w-]*)\s*=", attrs)
        if handler:
            found.append(f"line {line}: event-handler attribute {handler[1]}")
        if re.search(r"=\s*[\"']?\s*javascript:", attrs, re.I):
            found.append(f"line {line}: javascript: URL")
    return found


def template_files() -> list[Path]:
    dirs = [ROOT / "templates", *(p for p in ROOT.glob("*/templates") if p.is_dir())]
    return sorted(
        path
        for directory in dirs
        for path in directory.rglob("*")
        if path.suffix in {".html", ".svg", ".txt"}
        and not any(part in EXEMPT for part in path.relative_to(directory).parts)
    )


def test_every_template_keeps_to_the_content_security_policy():
    files = template_files()
    assert len(files) > 100  # the scan found the four apps' templates, not an empty folder
    bad = {str(path.relative_to(ROOT)): v for path in files if (v := violations(path.read_text()))}
    assert bad == {}


@pytest.mark.parametrize(
    "template, expected",
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="text/javascript">go()</script>', "inline <script>"),
        ('<div class="x" style="color: red">', "style attribute"),
        ("<p\n  style='margin:0'>", "style attribute"),
        ('<button type="button" onclick="go()">', "event-handler attribute onclick"),
        ('<body onload="start()">', "event-handler attribute onload"),
        ('<a href="#" hx-on:click="go()">', "event-handler attribute hx-on:click"),
        ('<a href="javascript:go()">', "javascript: URL"),
        ("<style>.x { color: red }</style>", "<style> element"),
    ],
)
def test_the_scan_catches_a_planted_bad_template(template, expected):
    assert any(expected in v for v in violations("{% load static %}\n" + template))


@pytest.mark.parametrize(
    "template",
    [
        '<script src="/static/js/app.js" defer></script>',
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<div data-onclick="x" data-style="y" class="one two">',
        "<p>Someone=one, style = plain text, onwards</p>",
        '<svg><rect width="10" fill="#0072b2"/></svg>',
    ],
)
def test_the_scan_passes_what_the_policy_allows(template):
    assert violations(template) == []


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_every_page_carries_the_content_security_policy(client_for, trust):
    response = client_for(trust.psw).get(reverse("home"))
    policy = _csp(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'" and policy["style-src"] == "style-src 'self'"
    assert policy["img-src"] == "img-src 'self' data:"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_sign_in_page_carries_the_headers_too(client, db):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_nosniff_framing_and_referrer_policy_on_a_signed_in_page(client_for, trust):
    response = client_for(trust.manager).get(reverse("caseload:person-list"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "name", ["home", "caseload:review-people", "notification-list", "supervision:overview", "training:overview"]
)
def test_no_page_for_a_signed_in_user_is_stored(client_for, trust, name):
    response = client_for(trust.manager).get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_downloads_and_refusals_for_a_signed_in_user_are_not_stored(client_for, trust):
    client = client_for(trust.manager)
    download = client.get(reverse("caseload:review-people-csv"))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    refused = client.get(reverse("caseload:person-detail", kwargs={"person_pk": trust.other_person.pk}))
    assert refused.status_code == 404 and "no-store" in refused["Cache-Control"]


def test_hsts_for_a_year_with_subdomains_over_https(client_for, trust, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(trust.psw).get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def _production(code: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peersupport.settings",
        "DEBUG": "false",
        "SECRET_KEY": "production-like-" + "k" * 60,
        "ALLOWED_HOSTS": "peersupport.example.nhs.uk",
    }
    for name in (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_settings_use_host_cookies_hsts_and_https():
    out = _production(
        "from peersupport import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT)"
    )
    assert out.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "/",
        "/",
        "None",
        "None",
        "31536000",
        "True",
        "True",
    ]


def test_check_deploy_is_clean_with_production_settings():
    out = _production(
        "import django, sys; from django.core.management import call_command; django.setup(); "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    assert "no issues" in out or out == ""


def test_a_host_session_cookie_is_sent_secure_for_path_root_without_domain(client, trust, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    client.force_login(trust.psw)
    cookie = client.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
