"""Safety alerts that tell themselves apart: the home page's links name the person (to those who may
see them) and the time; the notifications, which leave by email, carry the time but never the person's
name. And a concern's page shows the role its escalation contact holds."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from caseload.models import EscalationRole, RiskConcern, Visit
from caseload.services.safety import scan_overdue_visits, scan_unacknowledged_concerns
from caseload.tests.safety_helpers import concern_for, visit_for
from peersupport import reminders
from peersupport.models import Notification
from peersupport.tests.factories import make_worker


def links_in(page: str, heading: str) -> list[str]:
    section = page.split(heading, 1)[1].split("</section>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r"<a [^>]*>(.*?)</a>", section, re.S)
    ]


def test_two_concerns_alike_have_different_links_naming_the_person_and_time(client_for, trust):
    first = concern_for(trust, escalated_to=trust.manager)
    second = concern_for(trust, escalated_to=trust.manager)
    RiskConcern.objects.filter(pk=first.pk).update(raised_at=first.raised_at - timedelta(minutes=40))
    page = client_for(trust.manager).get(reverse("home")).content.decode()
    waiting = links_in(page, "Safety alerts waiting for you")
    assert len(waiting) == 2 and len(set(waiting)) == 2
    assert all("Sam Sutton" in text and "Priya Patel" in text for text in waiting)
    assert f"at {timezone.localtime(second.raised_at):%H:%M}" in waiting[1]
    # Each is shown once: both are among the alerts, so the list below says so rather than repeat them.
    assert "Each is among the alerts waiting for you above" in page


def test_two_overdue_visits_by_one_worker_read_differently_and_emails_keep_the_person_out(client_for, trust):
    for minutes in (70, 30):  # two visits by Priya, one after another, both left overdue
        visit = visit_for(trust, minutes=1, buddy=trust.manager)
        started = timezone.now() - timedelta(minutes=minutes + 60)
        Visit.objects.filter(pk=visit.pk).update(started_at=started)
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            scan_overdue_visits()
            scan_overdue_visits()
            reminders.send_due_reminders()
        if minutes == 70:
            Visit.objects.filter(pk=visit.pk).update(status="closed")  # only one open at a time
    titles = list(Notification.objects.filter(recipient=trust.manager).values_list("title", flat=True))
    overdue = [t for t in titles if "overdue" in t]
    assert len(overdue) == 2 and len(set(overdue)) == 2
    assert all("visit from" in t and "Sam" not in t for t in titles)
    page = client_for(trust.manager).get(reverse("home")).content.decode()
    waiting = links_in(page, "Safety alerts waiting for you")
    assert len(waiting) == 1
    assert waiting[0].startswith(
        f"Overdue visit: Priya Patel with Sam Sutton, visit from {timezone.localtime(started):%H:%M}"
    )


def test_an_alert_names_the_person_only_to_those_who_may_see_them(client_for, trust):
    outsider = make_worker(trust.south)
    visit = visit_for(trust, minutes=1, buddy=outsider)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        scan_overdue_visits()
        scan_overdue_visits()
    page = client_for(outsider).get(reverse("home")).content.decode()
    waiting = links_in(page, "Safety alerts waiting for you")
    assert len(waiting) == 1
    assert waiting[0].startswith(f"Overdue visit: Priya Patel, visit from {timezone.localtime(visit.started_at):%H:%M}")


def test_concern_notifications_carry_the_time_not_the_person(trust):
    concern = concern_for(trust, escalated_to=trust.manager)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        scan_unacknowledged_concerns()
        reminders.send_due_reminders()
    titles = Notification.objects.filter(kind="risk_concern").values_list("title", flat=True)
    assert titles and all(f"at {timezone.localtime(concern.raised_at):%H:%M}" in t for t in titles)
    assert not any("Sam" in t for t in titles)


def test_the_concern_page_shows_the_role_the_contact_holds(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    fields = {"description": "Sam said they feel unsafe at home.", "severity": "high"}
    client.post(url, fields | {"escalated_to": trust.manager.pk, "escalated_to_role": "supervisor"})
    to_manager = RiskConcern.objects.get()
    assert to_manager.escalated_to_role == EscalationRole.TEAM_MANAGER  # the role held, whatever was picked
    page = client.get(to_manager.get_absolute_url()).content.decode()
    assert f"{trust.manager} (team manager)" in page
    # A concern recorded before with another role for the manager still shows the role they hold.
    RiskConcern.objects.filter(pk=to_manager.pk).update(escalated_to_role=EscalationRole.CARE_COORDINATOR)
    assert f"{trust.manager} (team manager)" in client.get(to_manager.get_absolute_url()).content.decode()
    to_colleague = concern_for(trust, escalated_to=trust.colleague)
    assert f"{trust.colleague} (duty worker)" in client.get(to_colleague.get_absolute_url()).content.decode()
