import datetime as dt

import pytest
from django.urls import reverse

from devdays.models import Answer, DayStatus
from devdays.tests.factories import DayFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def test_a_worker_answers_from_their_home_page(client_for, trust):
    day = DayFactory(date=dt.date(2099, 2, 11), status=DayStatus.INVITED)
    invitation = InvitationFactory(day=day, user=trust.psw, email="", full_name="Priya Patel")
    client = client_for(trust.psw)
    home = client.get(reverse("home")).content.decode()
    assert "Peer development days" in home and "Wednesday 11 February 2099" in home
    assert "Not answered yet" in home
    response = client.post(
        reverse("devdays:my-answer", args=[day.pk]),
        {
            "prefix": f"day{day.pk}",
            f"day{day.pk}-answer": Answer.MAYBE,
            f"day{day.pk}-access_needs": "A hearing loop",
            f"day{day.pk}-version": invitation.version,
            "next": reverse("home"),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "we have noted &#x27;maybe&#x27;" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.access_needs) == (Answer.MAYBE, "A hearing loop")


def test_the_section_is_left_out_for_a_manager(client_for, trust):
    DayFactory(date=dt.date(2099, 2, 11))
    assert "Peer development days" not in client_for(trust.manager).get(reverse("home")).content.decode()


def test_the_answer_can_only_go_back_to_a_page_of_this_site(client_for, trust):
    day = DayFactory(date=dt.date(2099, 2, 11), status=DayStatus.INVITED)
    invitation = InvitationFactory(day=day, user=trust.psw, email="")
    response = client_for(trust.psw).post(
        reverse("devdays:my-answer", args=[day.pk]),
        {"answer": Answer.ATTENDING, "version": invitation.version, "next": "https://evil.example/"},
    )
    assert response["Location"] == day.get_absolute_url()


def test_someone_not_invited_cannot_answer(client_for, trust):
    day = DayFactory(date=dt.date(2099, 2, 11), status=DayStatus.INVITED)
    InvitationFactory(day=day, user=trust.psw, email="")
    response = client_for(trust.colleague).post(
        reverse("devdays:my-answer", args=[day.pk]), {"answer": Answer.ATTENDING, "version": 0}
    )
    assert response.status_code == 404
