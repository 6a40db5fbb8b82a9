"""The bell, the list, marking as read, and email choices."""

import time_machine
from django.urls import reverse

from caseload.kinds import NotificationKind
from peersupport.models import EmailPreference, Notification


def notify(user, n=1, **fields):
    return [
        Notification.objects.create(
            recipient=user, kind=NotificationKind.CONCERN_UPDATE, title=f"Update {i}", url="/caseload/people/", **fields
        )
        for i in range(n)
    ]


def test_bell_shows_the_unread_count_and_refreshes_itself(client_for, trust):
    notify(trust.psw, 3)
    notify(trust.colleague, 5)
    client = client_for(trust.psw)
    home = client.get(reverse("home")).content.decode()
    assert 'hx-get="/notifications/bell/"' in home and 'hx-trigger="load, every 30s"' in home
    assert "data-background-poll" in home
    bell = client.get(reverse("notification-bell"), headers={"HX-Request": "true"}).content.decode()
    assert 'data-unread-count="3"' in bell and "unread" in bell
    Notification.objects.filter(recipient=trust.psw).update(read_at="2026-11-23T10:00:00Z")
    assert "data-unread-count" not in client.get(reverse("notification-bell")).content.decode()


def test_bell_polling_does_not_keep_the_session_alive(client, trust):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as traveller:
        client.force_login(trust.psw)
        client.get(reverse("home"))
        before = client.session["last_activity"]
        traveller.shift(5 * 60)
        client.get(reverse("notification-bell"), headers={"HX-Request": "true", "X-Background-Poll": "1"})
        assert client.session["last_activity"] == before
        client.get(reverse("home"))
        assert client.session["last_activity"] == before + 5 * 60


def test_list_shows_only_my_notifications(client_for, trust):
    notify(trust.psw)
    Notification.objects.create(recipient=trust.colleague, kind=NotificationKind.CONCERN_UPDATE, title="For Paul only")
    page = client_for(trust.psw).get(reverse("notification-list")).content.decode()
    assert "Update 0" in page and "For Paul only" not in page


def test_open_marks_as_read_and_follows_the_link(client_for, trust):
    (notification,) = notify(trust.psw)
    url = reverse("notification-read", kwargs={"notification_pk": notification.pk})
    response = client_for(trust.psw).post(url, {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/caseload/people/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_as_read_stays_on_the_list(client_for, trust):
    (notification,) = notify(trust.psw)
    response = client_for(trust.psw).post(reverse("notification-read", kwargs={"notification_pk": notification.pk}))
    assert response["Location"] == reverse("notification-list")


def test_mark_all_as_read(client_for, trust):
    notify(trust.psw, 4)
    (other,) = notify(trust.colleague)
    response = client_for(trust.psw).post(reverse("notification-read-all"), follow=True)
    assert "4 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=trust.psw, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_a_tampered_notification_id_is_not_found_and_changes_nothing(client_for, trust):
    (theirs,) = notify(trust.colleague)
    client = client_for(trust.psw)
    response = client.post(reverse("notification-read", kwargs={"notification_pk": theirs.pk}))
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert client.post(reverse("notification-read", kwargs={"notification_pk": 987654})).status_code == 404
    assert client.post("/notifications/abc/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_outside_link_in_a_notification_is_not_followed(client_for, trust):
    notification = Notification.objects.create(
        recipient=trust.psw, kind=NotificationKind.CONCERN_UPDATE, title="x", url="https://evil.example.com/"
    )
    response = client_for(trust.psw).post(
        reverse("notification-read", kwargs={"notification_pk": notification.pk}), {"open": "1"}
    )
    assert response["Location"] == reverse("notification-list")


def test_list_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.psw)
    notify(trust.psw)
    with django_assert_num_queries(99, exact=False) as one:
        client.get(reverse("notification-list"))
    notify(trust.psw, 50)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("notification-list"))


def test_email_choices_are_saved_but_safety_alerts_cannot_be_turned_off(client_for, trust):
    client = client_for(trust.psw)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert "Safety alerts are always emailed." in page
    client.post(
        reverse("notification-preferences"),
        {"visit_update": "", "concern_update": "on", "risk_concern": "", "lone_working": ""},
    )
    assert not EmailPreference.wants_email(trust.psw, NotificationKind.VISIT_UPDATE)
    assert EmailPreference.wants_email(trust.psw, NotificationKind.CONCERN_UPDATE)
    assert EmailPreference.wants_email(trust.psw, NotificationKind.RISK_CONCERN)
    assert EmailPreference.wants_email(trust.psw, NotificationKind.LONE_WORKING)
    assert not EmailPreference.objects.filter(kind__in=["risk_concern", "lone_working"]).exists()
