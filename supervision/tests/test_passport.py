"""Occupational health and reasonable adjustments: the worker, their line manager and the development
lead; 404 for everyone else, administrators included; review reminders once."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from peersupport import reminders
from supervision.models import HealthCheck, ReasonableAdjustment
from supervision.scans import scan_adjustment_reviews


def test_who_may_read_the_passport(client_for, trust):
    url = reverse("supervision:passport", args=[trust.psw.pk])
    allowed = {trust.psw, trust.manager, trust.dev_lead}
    for user in trust.roles.values():
        expected = 200 if user in allowed else 404
        assert client_for(user).get(url).status_code == expected, user


def test_line_manager_records_and_bad_dates_are_refused(client_for, trust, today):
    client = client_for(trust.manager)
    response = client.post(
        reverse("supervision:adjustment-create", args=[trust.psw.pk]),
        {
            "description": "Later start on Mondays",
            "agreed_on": today.isoformat(),
            "review_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The review cannot be before the date the adjustment was agreed." in response.content.decode()
    assert not ReasonableAdjustment.objects.exists()
    client.post(
        reverse("supervision:adjustment-create", args=[trust.psw.pk]),
        {
            "description": "Later start on Mondays",
            "agreed_on": today.isoformat(),
            "review_on": (today + dt.timedelta(days=90)).isoformat(),
        },
    )
    client.post(
        reverse("supervision:health-check-create", args=[trust.psw.pk]),
        {"checked_on": today.isoformat(), "outcome": "fit_with_adjustments"},
    )
    assert HealthCheck.objects.filter(worker=trust.psw).count() == 1
    page = client_for(trust.psw).get(reverse("supervision:passport", args=[trust.psw.pk])).content.decode()
    assert "Later start on Mondays" in page and "Fit with adjustments" in page
    # The worker reads; they do not record.
    assert client_for(trust.psw).get(reverse("supervision:adjustment-create", args=[trust.psw.pk])).status_code == 403


def test_the_passport_follows_the_worker_to_a_new_team(client_for, trust, today):
    adjustment = ReasonableAdjustment.objects.create(
        worker=trust.psw, description="Quiet room", agreed_on=today, review_on=today, recorded_by=trust.manager
    )
    membership = trust.psw.memberships.get()
    membership.team = trust.south
    membership.save()
    url = reverse("supervision:adjustment-edit", args=[adjustment.pk])
    assert client_for(trust.manager).get(url).status_code == 404
    assert client_for(trust.other_manager).get(url).status_code == 200


def test_review_reminder_to_the_worker_and_line_manager_once(trust, today, mailoutbox):
    ReasonableAdjustment.objects.create(
        worker=trust.psw,
        description="Quiet room for writing up",
        agreed_on=today,
        review_on=today + dt.timedelta(days=20),
        recorded_by=trust.manager,
    )
    at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=6), dt.time(9)))
    with time_machine.travel(at, tick=False):
        scan_adjustment_reviews()
        reminders.send_due_reminders()
        scan_adjustment_reviews()
        reminders.send_due_reminders()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([trust.psw.email, trust.manager.email])
    assert all("Quiet room" not in m.body for m in mailoutbox)
