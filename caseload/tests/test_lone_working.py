"""Lone working: overdue visits escalate worker -> buddy and manager -> the chain, each step kept."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from caseload.kinds import NotificationKind
from caseload.models import (
    EscalationChain,
    EscalationStep,
    EscalationTarget,
    SafetyEvent,
    SafetySettings,
    Visit,
    VisitCloseReason,
    VisitStatus,
)
from caseload.services.safety import (
    acknowledge_visit_alert,
    close_visit,
    close_visit_for_contact,
    extend_visit,
    raise_alarm,
    scan_overdue_visits,
)
from caseload.tests.factories import PersonFactory
from caseload.tests.safety_helpers import visit_for
from peersupport import reminders
from peersupport.models import Notification, Reminder, Role
from peersupport.tests.factories import make_worker


def alerted(visit, stage_prefix):
    return set(
        SafetyEvent.objects.filter(visit=visit, kind="alert", stage__startswith=stage_prefix).values_list(
            "recipient__first_name", flat=True
        )
    )


def run_at(moment):
    with time_machine.travel(moment):
        queued = scan_overdue_visits()
        reminders.send_due_reminders()
    return queued


def test_overdue_visit_alerts_worker_then_buddy_and_manager_then_development_lead(trust):
    visit = visit_for(trust, minutes=60)
    end = visit.expected_end
    assert run_at(end + timedelta(minutes=14)) == 0  # inside the 15-minute grace period
    run_at(end + timedelta(minutes=15))
    assert alerted(visit, "overdue-1") == {"Priya"}
    run_at(end + timedelta(minutes=29))
    assert alerted(visit, "overdue-2") == set()
    run_at(end + timedelta(minutes=30))
    assert alerted(visit, "overdue-2") == {"Paul", "Maya"}
    run_at(end + timedelta(minutes=45))
    assert alerted(visit, "overdue-3") == {"Dana"}
    # The chain has ended: no more alerts, and every alert is kept as an event.
    run_at(end + timedelta(minutes=90))
    assert SafetyEvent.objects.filter(visit=visit, kind="alert").count() == 4
    assert Notification.objects.filter(kind=NotificationKind.LONE_WORKING).count() == 4
    assert {m.to[0] for m in mail.outbox} == {
        u.email for u in (trust.psw, trust.colleague, trust.manager, trust.dev_lead)
    }


def test_scanning_twice_alerts_once(trust):
    visit = visit_for(trust, minutes=5)
    moment = visit.expected_end + timedelta(minutes=16)
    run_at(moment)
    run_at(moment)
    assert Reminder.objects.filter(object_id=visit.pk).count() == 1
    assert len(mail.outbox) == 1


def test_acknowledging_stops_the_alert_going_further(trust):
    visit = visit_for(trust, minutes=5)
    end = visit.expected_end
    run_at(end + timedelta(minutes=15))
    run_at(end + timedelta(minutes=30))
    assert acknowledge_visit_alert(visit, by=trust.colleague)
    run_at(end + timedelta(hours=2))
    assert alerted(visit, "overdue-3") == set()
    assert SafetyEvent.objects.filter(visit=visit, kind="acknowledged", actor=trust.colleague).exists()


def test_extending_starts_the_overdue_clock_again(trust):
    visit = visit_for(trust, minutes=5)
    end = visit.expected_end
    run_at(end + timedelta(minutes=15))
    with time_machine.travel(end + timedelta(minutes=16)):
        assert extend_visit(visit, by=trust.psw, minutes=30)
    visit.refresh_from_db()
    assert visit.alert_level == 0
    new_end = visit.expected_end
    run_at(new_end + timedelta(minutes=14))
    assert alerted(visit, "overdue-2") == set()
    run_at(new_end + timedelta(minutes=15))
    # A new overdue episode: the worker is alerted again for the new end.
    assert Reminder.objects.filter(object_id=visit.pk, recipient=trust.psw).count() == 2


def test_check_out_closes_the_visit_and_tells_those_alerted(trust):
    visit = visit_for(trust, minutes=5)
    end = visit.expected_end
    run_at(end + timedelta(minutes=15))
    run_at(end + timedelta(minutes=30))
    mail.outbox.clear()
    assert close_visit(visit, by=trust.psw, reason=VisitCloseReason.CHECKED_OUT)
    reminders.send_due_reminders()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.next_alert_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([trust.colleague.email, trust.manager.email])
    run_at(end + timedelta(hours=3))
    assert alerted(visit, "overdue-3") == set()
    assert not close_visit(visit, by=trust.manager, reason=VisitCloseReason.CLOSED_WITH_NOTE, note="again")


def test_logging_the_contact_for_the_visit_closes_it(trust):
    from caseload.models import Contact

    visit = visit_for(trust)
    other = visit_for(trust, worker=trust.colleague, buddy=trust.psw)
    contact = Contact.objects.create(person=trust.person, worker=trust.psw, notes="Walked to the library.")
    closed = close_visit_for_contact(contact)
    assert closed.pk == visit.pk
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.close_reason == VisitCloseReason.CONTACT_LOGGED
    assert visit.contact == contact
    other.refresh_from_db()
    assert other.status == VisitStatus.OPEN  # another worker's visit is not touched
    assert close_visit_for_contact(contact) is None


def test_alarm_alerts_buddy_and_manager_at_once(trust):
    visit = visit_for(trust, minutes=60)
    assert raise_alarm(visit, by=trust.psw)
    assert not raise_alarm(visit, by=trust.psw)  # pressed twice: one alarm
    reminders.send_due_reminders()
    assert alerted(visit, "alarm") == {"Paul", "Maya"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([trust.colleague.email, trust.manager.email])
    assert all(m.subject.startswith("[Safety alert] ALARM") for m in mail.outbox)


def test_the_chain_is_configured_in_settings(trust):
    on_call = make_worker(trust.south, Role.MANAGER, first_name="Olu", last_name="OnCall")
    cfg = SafetySettings.load()
    cfg.steps.filter(chain=EscalationChain.VISIT).delete()
    EscalationStep.objects.create(
        safety_settings=cfg, chain=EscalationChain.VISIT, position=1, target=EscalationTarget.NAMED, user=on_call
    )
    cfg.visit_grace_minutes = 5
    cfg.visit_escalation_minutes = 10
    cfg.save()
    visit = visit_for(trust, minutes=5)
    end = visit.expected_end
    run_at(end + timedelta(minutes=5))
    run_at(end + timedelta(minutes=15))
    run_at(end + timedelta(minutes=25))
    assert alerted(visit, "overdue-3") == {"Olu"}


def test_an_empty_chain_falls_back_to_the_safe_default(trust):
    SafetySettings.load().steps.all().delete()
    visit = visit_for(trust, minutes=5)
    end = visit.expected_end
    for minutes in (15, 30, 45):
        run_at(end + timedelta(minutes=minutes))
    assert alerted(visit, "overdue-3") == {"Dana"}


def test_scan_runs_a_fixed_number_of_queries(trust, django_assert_num_queries):
    workers = [make_worker(trust.north) for _ in range(20)]
    person = PersonFactory(team=trust.north)
    visit_for(trust, minutes=5)
    scan_overdue_visits()  # warms Django's content-type cache, as in a long-running worker
    later = timezone.now() + timedelta(minutes=25)
    with time_machine.travel(later), django_assert_num_queries(13) as one:  # 13: one INSERT audits the changes
        assert scan_overdue_visits() == 1
    for worker in workers:
        Visit.objects.create(
            worker=worker,
            person=person,
            team=trust.north,
            location="x",
            expected_end=timezone.now(),
            next_alert_at=timezone.now(),
            buddy=trust.psw,
        )
    with time_machine.travel(later), django_assert_num_queries(len(one.captured_queries)):
        assert scan_overdue_visits() == 20


def test_settings_and_chains_are_edited_in_the_admin_with_safe_defaults(client_for, trust):
    cfg = SafetySettings.load()
    assert (cfg.visit_grace_minutes, cfg.visit_escalation_minutes, cfg.concern_high_minutes) == (15, 15, 30)
    assert cfg.chain(EscalationChain.CONCERN) == [
        (EscalationTarget.MANAGER, None),
        (EscalationTarget.DEVELOPMENT_LEAD, None),
    ]
    admin = client_for(trust.admin)
    page = admin.get(reverse("admin:caseload_safetysettings_change", args=[cfg.pk])).content.decode()
    assert "Grace period for a visit (minutes)" in page and "The worker&#x27;s team manager" in page
    assert admin.get(reverse("admin:caseload_loneworkingbuddy_changelist")).status_code == 200
    for user in (trust.manager, trust.psw):
        response = client_for(user).get(reverse("admin:caseload_safetysettings_change", args=[cfg.pk]))
        assert response.status_code == 302


def test_beat_runs_the_scans_and_the_sender_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminder-scans"]["task"] == "peersupport.tasks.run_reminder_scans"
    assert schedule["send-reminders"]["task"] == "peersupport.tasks.send_reminders"
    assert schedule["reminder-scans"]["schedule"] == schedule["send-reminders"]["schedule"] == 60
