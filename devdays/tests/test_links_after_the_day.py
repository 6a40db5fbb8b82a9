"""After the day the same link asks those who came for feedback, then gives their certificate."""

import datetime as dt

import pytest

from devdays import links
from devdays.models import Answer, DayStatus, Feedback
from devdays.tests.factories import DayFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def test_the_link_gives_feedback_then_the_certificate_to_someone_who_came(client, trust):
    day = DayFactory(date=dt.date(2026, 11, 11), status=DayStatus.HELD)
    came = InvitationFactory(day=day, full_name="Ann Archer", answer=Answer.ATTENDING, attended=True)
    link = links.answer_path(came.pk)
    page = client.get(link)
    assert page.status_code == 200 and "How was the day?" in page.content.decode()
    response = client.post(link, {"rating": "5", "most_useful": "Everything", "anonymous": "on"}, follow=True)
    assert "This is to certify that <strong>Ann Archer</strong>" in response.content.decode()
    feedback = Feedback.objects.get()
    assert feedback.invitation is None and feedback.most_useful == "Everything"
    # Once only: the link now goes straight to the certificate.
    again = client.post(link, {"rating": "1"}, follow=True)
    assert "already given feedback" in again.content.decode()
    assert Feedback.objects.count() == 1


def test_no_certificate_for_someone_who_did_not_come(client, trust):
    day = DayFactory(date=dt.date(2026, 11, 11), status=DayStatus.HELD)
    absent = InvitationFactory(day=day, answer=Answer.ATTENDING, attended=False)
    assert client.get(links.answer_path(absent.pk) + "certificate/").status_code == 404
    assert client.get(links.answer_path(absent.pk)).status_code == 410
