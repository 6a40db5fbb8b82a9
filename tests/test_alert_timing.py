"""Each escalation step falls due a step after the previous one fell due, whenever the scan ran."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from caseload.models import ConcernSeverity, EscalationRole, RiskConcern, SafetySettings, Visit
from caseload.services.safety import raise_concern, scan_overdue_visits, scan_unacknowledged_concerns, start_visit


def test_a_late_scan_does_not_make_the_next_visit_step_late(trust):
    SafetySettings.objects.update_or_create(pk=1, defaults={"visit_grace_minutes": 0, "visit_escalation_minutes": 15})
    start = timezone.now()
    visit = start_visit(
        worker=trust.psw, person=trust.person, location="12 Oak Road", expected_end=start, buddy=trust.colleague
    )
    with time_machine.travel(start + timedelta(minutes=4), tick=False):  # the scan ran 4 minutes late
        assert scan_overdue_visits() == 1
    visit.refresh_from_db()
    assert visit.alert_level == 1
    assert visit.next_alert_at == start + timedelta(minutes=15)  # not 4 + 15


def test_a_late_scan_does_not_make_the_next_concern_step_late(trust):
    SafetySettings.objects.update_or_create(pk=1, defaults={"concern_high_minutes": 30})
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        concern = raise_concern(
            person=trust.person,
            contact=None,
            raised_by=trust.psw,
            description="Said they feel unsafe at home.",
            severity=ConcernSeverity.HIGH,
            escalated_to=trust.manager,
            escalated_to_role=EscalationRole.SUPERVISOR,
        )
    with time_machine.travel(start + timedelta(minutes=37), tick=False):  # 7 minutes late
        assert scan_unacknowledged_concerns() >= 1
    concern = RiskConcern.objects.get(pk=concern.pk)
    assert concern.escalation_level == 1
    assert concern.next_escalation_at == start + timedelta(minutes=60)


def test_an_overdue_visit_is_still_caught_up_at_once_after_a_long_outage(trust):
    SafetySettings.objects.update_or_create(pk=1, defaults={"visit_grace_minutes": 0, "visit_escalation_minutes": 15})
    start = timezone.now()
    start_visit(worker=trust.psw, person=trust.person, location="Home", expected_end=start, buddy=trust.colleague)
    with time_machine.travel(start + timedelta(hours=1), tick=False):  # the worker was down for an hour
        scan_overdue_visits()
        scan_overdue_visits()  # the next step was due 45 minutes ago: it goes now, at the next scan
    assert Visit.objects.get().alert_level == 2
