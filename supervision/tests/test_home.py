"""Home sections: a worker's next supervision, open actions and induction; a supervisor's supervisees'
due dates; a manager's overdue supervision in their teams."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from supervision.models import Agreement, Induction
from supervision.tests.factories import AgreementFactory, SessionFactory


def test_worker_sees_next_session_open_actions_and_induction(client_for, trust, content, new_worker, today):
    SessionFactory(agreement=trust.agreement, starts_at=timezone.now() + dt.timedelta(days=2), status="scheduled")
    page = client_for(trust.psw).get(reverse("home")).content.decode()
    assert "My supervision" in page and "Next session" in page and "Sasha Stone" in page
    assert "Read the lived experience guidance" in page  # Priya's own action
    Induction.objects.create(
        worker=new_worker, mentor=trust.colleague, starts_on=today, mentoring_ends_on=today, created_by=trust.manager
    )
    page = client_for(new_worker).get(reverse("home")).content.decode()
    assert "My induction" in page and "0 of 9 steps done" in page


def test_supervisor_sees_due_dates(client_for, trust):
    page = client_for(trust.supervisor).get(reverse("home")).content.decode()
    assert "People I supervise" in page and "Priya Patel" in page
    assert f"{trust.agreement.next_due_on:%-d %b %Y}" in page


def test_manager_sees_overdue_in_their_teams_only(client_for, trust, today):
    Agreement.objects.filter(pk=trust.agreement.pk).update(next_due_on=today - dt.timedelta(days=3))
    AgreementFactory(
        supervisor=trust.other_manager, supervisee=trust.other_psw, starts_on=today - dt.timedelta(days=200)
    )
    page = client_for(trust.manager).get(reverse("home")).content.decode()
    assert "Overdue supervision in my teams" in page and "Priya Patel" in page and "Olive" not in page
    page = client_for(trust.other_manager).get(reverse("home")).content.decode()
    assert "Olive Owen" in page and "Priya" not in page
