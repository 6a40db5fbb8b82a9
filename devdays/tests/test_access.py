"""Who sees what: the development team plans and sees everything; a peer worker sees the days, their
own answer and their own history; a manager sees their teams' attendance, never feedback text."""

import datetime as dt

import pytest
from django.urls import reverse

from devdays import services
from devdays.models import Answer, DayStatus, Invitation
from devdays.tests.factories import DayFactory, InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_day(trust):
    day = DayFactory(date=dt.date(2026, 11, 11), status=DayStatus.HELD)
    for user, came in ((trust.psw, True), (trust.colleague, False), (trust.other_psw, True)):
        InvitationFactory(
            day=day, user=user, email="", full_name=user.get_full_name(), answer=Answer.ATTENDING, attended=came
        )
    services.give_feedback(
        invitation=Invitation.objects.get(user=trust.psw), anonymous=False, rating=5, most_useful="Quiet room chat"
    )
    return day


PLANNING = ["devdays:plan", "devdays:day-create", "devdays:figures", "devdays:figures-csv", "devdays:figures-xlsx"]
DAY_PLANNING = [
    "devdays:day-edit",
    "devdays:day-cancel",
    "devdays:item-create",
    "devdays:invite",
    "devdays:invitation-list",
    "devdays:register",
    "devdays:feedback-summary",
]


@pytest.mark.parametrize("role", ["psw", "manager", "other_psw"])
def test_planning_pages_are_the_development_teams_only(client_for, trust, held_day, role):
    client = client_for(getattr(trust, role))
    for name in PLANNING:
        assert client.get(reverse(name)).status_code == 404, name
    for name in DAY_PLANNING:
        assert client.get(reverse(name, args=[held_day.pk])).status_code == 404, name
    assert client.get(reverse("devdays:day-detail", args=[held_day.pk])).status_code == 200


def test_the_development_team_sees_feedback_text(client_for, trust, held_day):
    page = client_for(trust.dev_worker).get(reverse("devdays:feedback-summary", args=[held_day.pk]))
    assert "Quiet room chat" in page.content.decode()


def test_a_manager_sees_their_teams_attendance_and_never_feedback(client_for, trust, held_day):
    page = client_for(trust.manager).get(reverse("devdays:attendance") + "?year=2026").content.decode()
    assert "Priya Patel" in page and "Paul Price" in page
    assert "Olive Owen" not in page
    assert "Quiet room chat" not in page
    client = client_for(trust.manager)
    assert client.get(reverse("devdays:attendance") + f"?person={trust.other_psw.pk}").status_code == 404
    assert client.get(reverse("devdays:certificate", args=[held_day.pk]) + f"?person={trust.psw.pk}").status_code == 200
    other = reverse("devdays:certificate", args=[held_day.pk]) + f"?person={trust.other_psw.pk}"
    assert client.get(other).status_code == 404


def test_a_worker_sees_only_their_own_history_and_certificate(client_for, trust, held_day):
    client = client_for(trust.psw)
    page = client.get(reverse("devdays:attendance") + "?year=2026").content.decode()
    assert "Priya Patel" in page and "Paul Price" not in page
    assert client.get(reverse("devdays:attendance") + f"?person={trust.colleague.pk}").status_code == 404
    certificate = client.get(reverse("devdays:certificate", args=[held_day.pk])).content.decode()
    assert "This is to certify that <strong>Priya Patel</strong>" in certificate
    assert "6.5 hours" in certificate
    # Paul did not come: no certificate.
    assert client_for(trust.colleague).get(reverse("devdays:certificate", args=[held_day.pk])).status_code == 404
    assert client.get(reverse("devdays:certificate", args=[held_day.pk]) + "?person=abc").status_code == 404


def test_the_public_dates_page_names_nobody_and_hides_the_online_link(client, trust):
    DayFactory(date=dt.date(2099, 2, 11), online_link="https://teams.example/secret-meeting")
    page = client.get(reverse("devdays:dates")).content.decode()
    assert "11 February 2099" in page
    assert "secret-meeting" not in page


def test_feedback_is_given_once_and_anonymous_feedback_keeps_no_name(client_for, trust, held_day):
    client = client_for(trust.other_psw)
    client.post(
        reverse("devdays:feedback", args=[held_day.pk]),
        {"rating": "4", "to_improve": "Longer lunch", "anonymous": "on"},
    )
    from devdays.models import Feedback

    feedback = Feedback.objects.get(to_improve="Longer lunch")
    assert feedback.invitation is None
    response = client.post(reverse("devdays:feedback", args=[held_day.pk]), {"rating": "1"}, follow=True)
    assert "already given feedback" in response.content.decode()
    assert Feedback.objects.filter(day=held_day).count() == 2
    # Paul did not come: no feedback form for him.
    assert client_for(trust.colleague).get(reverse("devdays:feedback", args=[held_day.pk])).status_code == 404
    summary = client_for(trust.dev_lead).get(reverse("devdays:feedback-summary", args=[held_day.pk])).content.decode()
    assert "Anonymous" in summary and "Longer lunch" in summary


def test_the_register_ticks_people_in_and_adds_walk_ins(client_for, trust):
    day = DayFactory(date=dt.date(2027, 2, 10), status=DayStatus.INVITED)
    paul = InvitationFactory(day=day, user=trust.colleague, email="", full_name="Paul Price", answer=Answer.MAYBE)
    client = client_for(trust.dev_worker)
    client.post(reverse("devdays:register", args=[day.pk]), {"invitation": paul.pk, "attended": "yes"})
    client.post(reverse("devdays:walk-in", args=[day.pk]), {"full_name": "Wendy Walker", "email": "wendy@example.org"})
    client.post(reverse("devdays:walk-in", args=[day.pk]), {"user": trust.colleague.pk})  # already on it: not twice
    client.post(reverse("devdays:register", args=[day.pk]), {"close": "1"})
    day.refresh_from_db()
    assert day.status == DayStatus.HELD
    present = dict(Invitation.objects.filter(day=day).values_list("full_name", "attended"))
    assert present == {"Paul Price": True, "Wendy Walker": True}
    assert Invitation.objects.get(full_name="Wendy Walker").walk_in


def test_figures_download_as_csv_and_xlsx(client_for, trust, held_day):
    client = client_for(trust.dev_lead)
    csv = client.get(reverse("devdays:figures-csv") + "?year=2026")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Date,Quarter,Status,Invited")
    assert lines[1].startswith("2026-11-11,Q4 2026,Held,3,3,3,0,0,0,0,2,67")
    xlsx = client.get(reverse("devdays:figures-xlsx") + "?year=2026")
    assert xlsx.content[:2] == b"PK"


def test_the_sweeps_answer_link_would_catch_a_link_that_ignores_its_signature(client, trust, monkeypatch):
    from devdays import links
    from tests.access import KWARG_FILLERS, OUTSIDER_MARKER, build_outsider

    outsider = build_outsider()
    kwargs = {k: KWARG_FILLERS[k](outsider) for k in ("invitation_pk", "answer_token")}
    url = reverse("devdays:answer", kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 404 and OUTSIDER_MARKER not in response.content.decode()
    monkeypatch.setattr(links, "token_matches", lambda pk, token: True)
    assert OUTSIDER_MARKER in client.get(url).content.decode()
