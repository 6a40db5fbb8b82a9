import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peersupport.models import User


def test_sign_in_by_email_then_a_code_lands_on_home(client, trust, password):
    response = client.sign_in("PRIYA@example.nhs.uk", password, trust.psw)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == trust.psw


def test_wrong_password_gives_a_clear_message_and_no_session(client, trust):
    response = client.post(reverse("login"), {"username": trust.psw.email, "password": "nope"})
    assert response.status_code == 200
    assert "Enter the email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_missing_fields_are_reported_beside_the_field(client, trust):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["This field is required."]


def test_repeated_failures_lock_the_account_out(client, trust, password):
    for _ in range(5):
        client.post(reverse("login"), {"username": trust.psw.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": trust.psw.email, "password": password})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(client_for, trust):
    client = client_for(trust.psw)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_does_not_reveal_whether_an_account_exists(client, trust):
    known = client.post(reverse("password_reset"), {"email": trust.psw.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [trust.psw.email]


def test_password_reset_link_sets_a_new_password(client, trust):
    client.post(reverse("password_reset"), {"email": trust.psw.email})
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-passphrase", "new_password2": "a-much-better-passphrase"},
    )
    assert response.status_code == 302
    trust.psw.refresh_from_db()
    assert trust.psw.check_password("a-much-better-passphrase")


def test_tampered_reset_link_shows_a_clear_page(client, trust):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "Mg", "token": "abc-123"}))
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_post_without_csrf_token_gets_a_clear_page(trust, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": trust.psw.email, "password": password})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_session_ends_after_30_minutes_idle(client, trust, password):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client.sign_in(trust.psw.email, password, trust.psw)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_background_polling_does_not_keep_a_session_alive(client, trust, password):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client.sign_in(trust.psw.email, password, trust.psw)
        client.get(reverse("home"))
        for _ in range(4):
            traveller.shift(10 * 60)
            client.get(reverse("home"), headers={"X-Background-Poll": "1"})
        response = client.get(reverse("home"))
    assert response.status_code == 302


@pytest.mark.parametrize("email", ["UPPER@Example.NHS.uk"])
def test_emails_are_stored_lower_case(db, email):
    user = User.objects.create_user(email=email, password="x")
    assert user.email == "upper@example.nhs.uk"


def test_activity_is_written_to_the_session_at_most_once_a_minute(client, trust, password):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client.sign_in(trust.psw.email, password, trust.psw)
        client.get(reverse("home"))
        traveller.shift(30)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert not [q for q in queries if "UPDATE" in q["sql"] and "session" in q["sql"]]
        traveller.shift(31)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert [q for q in queries if "UPDATE" in q["sql"] and "session" in q["sql"]]
