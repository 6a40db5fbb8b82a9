"""What is discussed in supervision reaches the supervisor and the supervisee only. A marker planted in
every content field is found on no page, download, email, notification, admin list or history view
that a manager, the development team or the administrator can reach."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from peersupport import reminders
from peersupport.models import Notification
from supervision.models import (
    Action,
    HealthCheck,
    ReasonableAdjustment,
    SessionContent,
    WellbeingPlan,
    WellbeingPlanVersion,
)
from tests.access import discover_routes

MARKER = "Quillon Marchbanks-Vey"


@pytest.fixture
def planted(trust, content):
    SessionContent.objects.filter(pk=content.pk).update(themes=MARKER, wellbeing_notes=MARKER + " wellbeing")
    Action.objects.filter(session=trust.session).update(description=MARKER + " action")
    # A scheduled session too, so calendar messages go out (names and times only).
    from supervision.tests.factories import SessionFactory

    return SessionFactory(
        agreement=trust.agreement, starts_at=timezone.now() + dt.timedelta(days=2), status="scheduled"
    )


def _kwargs(trust, session):
    action = Action.objects.get(session=trust.session)
    plan, _ = WellbeingPlan.objects.get_or_create(worker=trust.psw)
    return {
        "agreement_pk": trust.agreement.pk,
        "session_pk": trust.session.pk,
        "action_pk": action.pk,
        "plan_pk": plan.pk,
        "induction_pk": trust.induction.pk,
        "worker_pk": trust.psw.pk,
        "adjustment_pk": 0,
    }


def _pages(trust, session):
    kwargs = _kwargs(trust, session)
    urls = [reverse("home"), reverse("notification-list")]
    for route in discover_routes():
        if route.name.startswith("supervision:"):
            urls.append(reverse(route.name, kwargs={k: kwargs[k] for k in route.kwargs}))
    return urls


def test_the_supervisor_and_supervisee_read_the_marker(client_for, trust, planted):
    for user in (trust.supervisor, trust.psw):
        page = client_for(user).get(reverse("supervision:session-detail", args=[trust.session.pk]))
        assert MARKER in page.content.decode()
        assert MARKER + " action" in page.content.decode()


def test_no_page_or_download_a_manager_or_the_development_team_reaches_shows_content(client, trust, planted):
    seen_agreement = False
    for user in (trust.manager, trust.other_manager, trust.dev_worker, trust.dev_lead, trust.admin, trust.colleague):
        client.force_login(user)
        for url in _pages(trust, planted):
            response = client.get(url)
            body = response.content.decode(errors="replace")
            if url.endswith(".xlsx"):
                body = response.content.decode("latin-1")
            assert MARKER not in body, (user, url)
            assert response.status_code < 500, (user, url)
            if url == trust.agreement.get_absolute_url() and response.status_code == 200:
                seen_agreement = True
                assert trust.session.starts_at.strftime("%Y") in body  # dates and attendance, yes
        session_url = reverse("supervision:session-detail", args=[trust.session.pk])
        assert client.get(session_url).status_code == 404, user
    assert seen_agreement  # the manager and the development team did see the dates


def test_no_email_or_notification_carries_content(trust, planted, mailoutbox):
    # Overdue by more than the escalation limit: supervisor, supervisee and manager are all written to.
    due = trust.agreement.next_due_on
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=20), dt.time(9)))):
        reminders.run_scans(force=True)
        reminders.send_due_reminders()
    assert {m.to[0] for m in mailoutbox} >= {trust.manager.email, trust.psw.email, trust.supervisor.email}
    for message in mailoutbox:
        texts = [message.subject, message.body, *(str(c) for c, _ in getattr(message, "alternatives", []))]
        texts += [a[1].decode() if isinstance(a[1], bytes) else str(a[1]) for a in message.attachments]
        assert not any(MARKER in text for text in texts)
    assert Notification.objects.exists()
    assert not Notification.objects.filter(title__contains=MARKER).exists()
    assert not Notification.objects.filter(body__contains=MARKER).exists()


def test_the_admin_lists_and_histories_show_no_content(client_for, trust, planted):
    registered = admin.site._registry
    for model in (SessionContent, Action, WellbeingPlan, WellbeingPlanVersion, HealthCheck, ReasonableAdjustment):
        assert model not in registered, model
    client = client_for(trust.admin)
    urls = [
        reverse("admin:supervision_session_changelist"),
        reverse("admin:supervision_session_change", args=[trust.session.pk]),
        reverse("admin:supervision_session_history", args=[trust.session.pk]),
        reverse("admin:supervision_agreement_changelist"),
        reverse("admin:supervision_agreement_change", args=[trust.agreement.pk]),
        reverse("admin:supervision_agreement_history", args=[trust.agreement.pk]),
        reverse("admin:peersupport_user_history", args=[trust.psw.pk]),
        reverse("admin:peersupport_auditevent_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url
