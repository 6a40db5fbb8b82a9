"""Agreements and sessions: the next due date, sign-off by both people, and bad input refused with a
message beside the field and nothing changed."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from supervision.models import Agreement, Session, SessionContent, SessionStatus
from supervision.tests.factories import AgreementFactory, SessionFactory


def test_next_due_follows_the_frequency_and_the_last_held_session(trust, today):
    agreement = AgreementFactory(
        supervisor=trust.manager, supervisee=trust.colleague, starts_on=today, frequency_weeks=6
    )
    assert agreement.next_due_on == today + dt.timedelta(weeks=6)
    held = timezone.now() - dt.timedelta(days=1)
    SessionFactory(agreement=agreement, starts_at=held, status=SessionStatus.HELD)
    SessionFactory(agreement=agreement, starts_at=held + dt.timedelta(hours=2), status=SessionStatus.CANCELLED)
    agreement.refresh_from_db()
    assert agreement.last_held_on == timezone.localdate(held)
    assert agreement.next_due_on == timezone.localdate(held) + dt.timedelta(weeks=6)


def test_manager_creates_an_agreement(client_for, trust, today):
    response = client_for(trust.manager).post(
        reverse("supervision:agreement-create"),
        {
            "supervisee": trust.colleague.pk,
            "supervisor": trust.manager.pk,
            "agreement_type": "line_management",
            "frequency_weeks": 4,
            "starts_on": today.isoformat(),
        },
    )
    agreement = Agreement.objects.get(supervisee=trust.colleague)
    assert response.status_code == 302
    assert agreement.next_due_on == today + dt.timedelta(weeks=4)


def test_frequency_of_zero_and_end_before_start_are_refused(client_for, trust, today):
    before = Agreement.objects.count()
    response = client_for(trust.manager).post(
        reverse("supervision:agreement-create"),
        {
            "supervisee": trust.colleague.pk,
            "supervisor": trust.manager.pk,
            "agreement_type": "peer",
            "frequency_weeks": 0,
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "frequency must be 1 week or more" in form.errors["frequency_weeks"][0]
    response = client_for(trust.manager).post(
        reverse("supervision:agreement-create"),
        {
            "supervisee": trust.colleague.pk,
            "supervisor": trust.manager.pk,
            "agreement_type": "peer",
            "frequency_weeks": 4,
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["form"].errors["ends_on"] == ["The end cannot be before the start."]
    assert "The end cannot be before the start." in response.content.decode()
    assert Agreement.objects.count() == before


def test_a_psw_cannot_be_a_supervisor(client_for, trust, today):
    response = client_for(trust.manager).post(
        reverse("supervision:agreement-create"),
        {
            "supervisee": trust.colleague.pk,
            "supervisor": trust.psw.pk,
            "agreement_type": "peer",
            "frequency_weeks": 4,
            "starts_on": today.isoformat(),
        },
    )
    assert response.status_code == 400 and "supervisor" in response.context["form"].errors


def test_a_session_before_the_agreement_started_is_refused(client_for, trust):
    before = Session.objects.count()
    day = trust.agreement.starts_on - dt.timedelta(days=3)
    response = client_for(trust.supervisor).post(
        reverse("supervision:session-create", args=[trust.agreement.pk]),
        {"starts_at": f"{day.isoformat()}T10:00", "status": "held", "duration_minutes": 60},
    )
    assert response.status_code == 400
    assert "a session cannot be before that" in response.context["form"].errors["starts_at"][0]
    assert Session.objects.count() == before


def test_a_held_session_needs_a_duration(client_for, trust):
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(trust.supervisor).post(
        reverse("supervision:session-create", args=[trust.agreement.pk]),
        {"starts_at": f"{day.isoformat()}T10:00", "status": "held"},
    )
    assert response.context["form"].errors["duration_minutes"] == ["Say how long the session lasted."]


def test_the_supervisee_cannot_record_sessions_and_a_manager_cannot_open_one(client_for, trust):
    url = reverse("supervision:session-create", args=[trust.agreement.pk])
    assert client_for(trust.psw).get(url).status_code == 403
    assert client_for(trust.manager).get(url).status_code == 403
    assert client_for(trust.manager).get(trust.session.get_absolute_url()).status_code == 404


def test_supervisor_records_and_both_sign_off(client_for, trust):
    client = client_for(trust.supervisor)
    client.post(
        reverse("supervision:session-notes", args=[trust.session.pk]),
        {"themes": "Ending well", "wellbeing_discussed": "on", "wellbeing_notes": ""},
    )
    assert SessionContent.objects.get(session=trust.session).themes == "Ending well"
    client.post(reverse("supervision:session-sign-off", args=[trust.session.pk]))
    client = client_for(trust.psw)
    assert "Ending well" in client.get(trust.session.get_absolute_url()).content.decode()
    client.post(reverse("supervision:session-sign-off", args=[trust.session.pk]))
    trust.session.refresh_from_db()
    assert trust.session.is_signed_off
    # Changing the notes asks both to sign off again.
    client.post(reverse("supervision:session-notes", args=[trust.session.pk]), {"themes": "Ending well, and more"})
    trust.session.refresh_from_db()
    assert not trust.session.supervisor_signed_off_at and not trust.session.supervisee_signed_off_at


def test_sign_off_by_someone_not_in_the_session_changes_nothing(client_for, trust):
    for user in (trust.manager, trust.dev_lead, trust.colleague, trust.admin):
        response = client_for(user).post(reverse("supervision:session-sign-off", args=[trust.session.pk]))
        assert response.status_code == 404
    trust.session.refresh_from_db()
    assert not trust.session.supervisor_signed_off_at and not trust.session.supervisee_signed_off_at


def test_a_scheduled_session_cannot_be_signed_off(client_for, trust):
    session = SessionFactory(
        agreement=trust.agreement, starts_at=timezone.now() + dt.timedelta(days=1), status="scheduled"
    )
    response = client_for(trust.psw).post(reverse("supervision:session-sign-off", args=[session.pk]), follow=True)
    assert "Only a session that was held can be signed off." in response.content.decode()
    session.refresh_from_db()
    assert session.supervisee_signed_off_at is None


def test_action_owner_must_be_in_the_room(client_for, trust):
    response = client_for(trust.supervisor).post(
        reverse("supervision:action-create", args=[trust.session.pk]),
        {"description": "Call Paul", "owner": trust.manager.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "owner" in response.context["form"].errors
