"""The plug-in points, proven by tests/plugin_app: an app that registers a kind, scans, a home section
and a navigation entry in its AppConfig.ready() and touches no core file."""

from __future__ import annotations

import ast
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from peersupport import plugins, reminders
from peersupport.models import EmailPreference, Heartbeat, Notification, Reminder, ReminderStatus
from tests.plugin_app import hooks

CORE = Path(settings.BASE_DIR) / "peersupport"
APPS = {"caseload", "training", "supervision", "devdays", "tests"}


@pytest.fixture
def plugin_on():
    hooks.STATE.update(on=True, broken=False, unwanted=set())
    yield hooks.STATE
    hooks.STATE.update(on=False, broken=False, unwanted=set())


def test_a_kind_registered_twice_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        plugins.register_kind("plugin_app_hello", "Again")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        plugins.register_scan(hooks.scan_hello, name="plugin_app.hello")
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        plugins.register_home_section("plugin-app", template="x.html", context=hooks.home_section)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        plugins.register_nav("Again", "plugin_app:page", visible=hooks.nav_visible)


def test_the_app_s_kind_is_offered_in_email_settings_with_its_default(client_for, trust):
    page = client_for(trust.psw).get(reverse("notification-preferences")).content.decode()
    assert "Hello from the test app" in page
    assert not EmailPreference.wants_email(trust.psw, "plugin_app_hello")  # its default is off
    EmailPreference.objects.create(user=trust.psw, kind="plugin_app_hello", email=True)
    assert EmailPreference.wants_email(trust.psw, "plugin_app_hello")


def test_scans_run_safety_first_then_by_order():
    names = [scan.name for scan in plugins.scans()]
    assert names.index("caseload.safety.scan_overdue_visits") < names.index("plugin_app.broken")
    assert names.index("plugin_app.broken") < names.index("plugin_app.hello")


def test_a_scan_that_raises_is_logged_and_the_others_still_run(trust, plugin_on, caplog):
    plugin_on["broken"] = True
    with caplog.at_level(logging.ERROR):
        queued = reminders.run_scans()
    assert "plugin_app.broken" not in queued
    assert queued["plugin_app.hello"] == 1
    assert "Reminder scan plugin_app.broken failed" in caplog.text
    assert "RuntimeError: this scan is broken" in Heartbeat.objects.get(name="scan:plugin_app.broken").last_error


def test_safety_scans_run_on_every_beat(trust):
    now = timezone.now()
    for seconds in (0, 2, 4):
        with time_machine.travel(now + timedelta(seconds=seconds), tick=False):
            assert "caseload.safety.scan_overdue_visits" in reminders.run_scans()


def test_a_scan_runs_as_often_as_it_asks(trust, plugin_on):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "plugin_app.hello" in reminders.run_scans()
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        ran = reminders.run_scans()
        assert "plugin_app.hello" not in ran  # hourly
        assert "caseload.safety.scan_overdue_visits" in ran  # on every beat
    with time_machine.travel(start + timedelta(minutes=59, seconds=58), tick=False):
        assert "plugin_app.hello" in reminders.run_scans()  # beat's jitter never costs a period


def test_a_recipient_with_neither_account_nor_email_is_logged_and_the_rest_go(trust, plugin_on, caplog):
    with caplog.at_level(logging.ERROR):
        reminders.run_scans(force=True)
    assert "has no recipient" in caplog.text
    assert list(Reminder.objects.values_list("recipient_email", flat=True)) == [
        "someone.without.an.account@example.com"
    ]


def test_someone_without_an_account_gets_the_kind_s_email_with_its_attachment_once(trust, plugin_on, mailoutbox):
    reminders.run_scans(force=True)
    reminders.run_scans(force=True)  # the same key: nothing new
    reminders.send_due_reminders()
    reminders.send_due_reminders()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    reminder = Reminder.objects.get()
    assert message.to == ["someone.without.an.account@example.com"]
    assert message.subject == "Hello from the plug-in: Hello"
    assert f"https://example.nhs.uk/answer/{reminder.pk}" in message.body
    assert message.attachments[0][0] == "hello.ics"
    assert message.attachments[0][2].startswith("text/calendar")
    assert message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}@127.0.0.1>"
    assert reminder.status == ReminderStatus.SENT and reminder.email_sent_at is not None
    assert not Notification.objects.exists()  # no account, so nothing behind a bell


def test_a_message_no_longer_wanted_is_dropped(trust, plugin_on, mailoutbox):
    reminders.run_scans(force=True)
    plugin_on["unwanted"].add("someone.without.an.account@example.com")
    reminders.send_due_reminders()
    assert mailoutbox == []
    assert Reminder.objects.get().status == ReminderStatus.SENT  # not retried


def test_the_app_s_home_section_and_menu_entry_appear(client_for, trust, plugin_on, settings):
    settings.ROOT_URLCONF = "tests.plugin_app.urls"
    page = client_for(trust.psw).get(reverse("home")).content.decode()
    assert "Hello from the plug-in" in page
    assert f'href="{reverse("plugin_app:page")}"' in page and "Plug-in page" in page
    assert client_for(trust.psw).get(reverse("plugin_app:page")).content == b"The plug-in page"


def test_switched_off_the_app_shows_nothing(client_for, trust):
    page = client_for(trust.psw).get(reverse("home")).content.decode()
    assert "Hello from the plug-in" not in page and "Plug-in page" not in page


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_imports_no_app():
    offenders = {
        str(path.relative_to(CORE)): sorted(_imports(path) & APPS)
        for path in CORE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and _imports(path) & APPS
    }
    assert offenders == {}


def _local_imports(path: Path) -> set[str]:
    """Modules of peersupport a core module imports, at module level or inside functions."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found |= {alias.name for alias in node.names}
            elif node.module and node.module.startswith("peersupport."):
                found.add(node.module.split(".")[1])
    return found


def test_the_core_has_no_import_cycle():
    modules = {p.stem: p for p in CORE.glob("*.py") if p.stem not in {"__init__", "settings", "settings_test"}}
    graph = {name: _local_imports(path) & set(modules) for name, path in modules.items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})) for nxt in graph[start])

    cycles = sorted(name for name in graph if reaches(name, name, {name}))
    assert cycles == []
