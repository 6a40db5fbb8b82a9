"""Sign-in, sign-out, failed sign-ins, lockouts and unlocks in the audit; rate limits on password
resets and downloads answer 429 with when to try again."""

from axes.utils import reset as axes_reset
from django.forms.models import model_to_dict
from django.urls import reverse

from peersupport.models import AuditEvent


def test_sign_in_and_out_are_audited_with_the_address(client, trust, password):
    client.sign_in(trust.psw.email, password, trust.psw)
    event = AuditEvent.objects.get(action="sign-in")
    assert event.actor == trust.psw and event.actor_email == trust.psw.email and event.ip_address == "127.0.0.1"
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="sign-out", actor=trust.psw).count() == 1


def test_a_failed_sign_in_keeps_the_typed_email_never_the_password(client, trust):
    client.post(reverse("login"), {"username": "Priya@Example.nhs.uk", "password": "Secret-guess-42"})
    event = AuditEvent.objects.get(action="sign-in-failed")
    assert event.actor is None and event.actor_email == "priya@example.nhs.uk"
    assert event.ip_address == "127.0.0.1"
    every_value = " ".join(str(v) for e in AuditEvent.objects.all() for v in model_to_dict(e).values())
    assert "Secret-guess-42" not in every_value


def test_a_lockout_and_its_unlock_are_audited(client, trust, password):
    for _ in range(5):
        client.post(reverse("login"), {"username": trust.psw.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": trust.psw.email, "password": password})
    assert response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()
    assert AuditEvent.objects.filter(action="locked-out", actor_email=trust.psw.email).exists()
    axes_reset(username=trust.psw.email)
    unlocked = AuditEvent.objects.get(action="unlocked")
    assert trust.psw.email in unlocked.detail
    assert client.post(reverse("login"), {"username": trust.psw.email, "password": password}).status_code == 302


def test_password_resets_are_rate_limited(client, trust, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-reset": (3, 60)}
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": trust.psw.email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": trust.psw.email})
    assert response.status_code == 429 and "Try again in" in response.content.decode()
    # Another address from the same place is held back too: the limit is per IP as well.
    assert client.post(reverse("password_reset"), {"email": trust.colleague.email}).status_code == 429


def test_downloads_are_rate_limited(client_for, trust, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "download": (2, 60)}
    client = client_for(trust.manager)
    url = reverse("caseload:review-board-csv")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert AuditEvent.objects.filter(action="rate-limited", actor=trust.manager, detail="downloading").exists()
    assert client.get(reverse("home")).status_code == 200
