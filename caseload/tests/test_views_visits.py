"""Lone-working pages: start, extend, check out, alarm, acknowledge, close, the live board."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from caseload.models import LoneWorkingBuddy, SafetyEvent, Visit, VisitStatus
from caseload.services.safety import scan_overdue_visits
from caseload.tests.safety_helpers import visit_for
from peersupport import reminders
from peersupport.tests.factories import make_worker


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def start(client, trust, **data):
    url = reverse("caseload:person-visit-start", kwargs={"person_pk": trust.person.pk})
    fields = {
        "location": "12 Oak Road",
        "expected_end": local(timezone.now() + timedelta(hours=1)),
        "buddy": trust.colleague.pk,
    }
    return client.post(url, fields | data)


def test_start_a_visit_from_the_persons_page(client_for, trust):
    LoneWorkingBuddy.objects.create(worker=trust.psw, buddy=trust.colleague)
    client = client_for(trust.psw)
    url = reverse("caseload:person-visit-start", kwargs={"person_pk": trust.person.pk})
    form = client.get(url).content.decode()
    assert f'<option value="{trust.colleague.pk}" selected>' in form  # the named buddy is the default
    response = start(client, trust)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.person == trust.person and visit.team == trust.north and visit.buddy == trust.colleague
    assert SafetyEvent.objects.filter(visit=visit, kind="started").exists()
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "check out" in page and "Raise the alarm" in page


def test_a_visit_not_tied_to_a_person(client_for, trust):
    client = client_for(trust.psw)
    response = client.post(
        reverse("caseload:visit-start"),
        {
            "location": "Team base, then the library",
            "expected_end": local(timezone.now() + timedelta(hours=2)),
            "buddy": trust.colleague.pk,
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.person is None and visit.team == trust.north


def test_an_expected_end_in_the_past_is_explained_and_nothing_starts(client_for, trust):
    response = start(client_for(trust.psw), trust, expected_end=local(timezone.now() - timedelta(minutes=10)))
    assert response.status_code == 400
    assert "The expected end is in the past" in response.content.decode()
    assert not Visit.objects.exists()


def test_nonsense_input_is_explained(client_for, trust):
    response = start(client_for(trust.psw), trust, expected_end="tea time", location="", buddy="999999")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid date/time" in page and "Say where you are going" in page
    assert "Select a valid choice" in page
    assert not Visit.objects.exists()


def test_a_visit_started_twice_is_refused_with_a_message(client_for, trust):
    client = client_for(trust.psw)
    start(client, trust)
    response = start(client, trust, location="Somewhere else")
    assert response.status_code == 400
    assert "You already have a visit in progress at 12 Oak Road" in response.content.decode()
    assert Visit.objects.count() == 1


def test_the_database_allows_one_open_visit_per_worker(trust):
    import pytest

    from caseload.services.safety import VisitAlreadyOpen

    visit_for(trust)
    with pytest.raises(VisitAlreadyOpen):
        visit_for(trust)


def test_extend_and_check_out(client_for, trust):
    client = client_for(trust.psw)
    visit = visit_for(trust, minutes=10)
    old_end = visit.expected_end
    client.post(reverse("caseload:visit-extend", kwargs={"visit_pk": visit.pk}), {"minutes": "30"})
    visit.refresh_from_db()
    assert visit.expected_end == old_end + timedelta(minutes=30)
    response = client.post(
        reverse("caseload:visit-extend", kwargs={"visit_pk": visit.pk}), {"minutes": "9999"}, follow=True
    )
    assert "Choose to extend by 15, 30 or 60 minutes." in response.content.decode()
    visit.refresh_from_db()
    assert visit.expected_end == old_end + timedelta(minutes=30)
    response = client.post(reverse("caseload:visit-checkout", kwargs={"visit_pk": visit.pk}))
    contact_url = reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk})
    assert response["Location"] == f"{contact_url}?visit={visit.pk}"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.close_reason == "checked_out"
    assert visit.history.first().status == VisitStatus.CLOSED


def test_only_the_worker_checks_out_their_own_visit(client_for, trust):
    visit = visit_for(trust)
    response = client_for(trust.manager).post(reverse("caseload:visit-checkout", kwargs={"visit_pk": visit.pk}))
    assert response.status_code == 403 and "Only the worker on the visit" in response.content.decode()
    for user in (trust.colleague, trust.other_psw, trust.other_manager, trust.dev_lead):
        assert (
            client_for(user).post(reverse("caseload:visit-checkout", kwargs={"visit_pk": visit.pk})).status_code == 404
        )
    visit.refresh_from_db()
    assert visit.is_open


def test_psw_sees_only_their_own_visits_until_alerted_as_buddy(client_for, trust):
    visit = visit_for(trust, minutes=1)
    colleague = client_for(trust.colleague)
    assert colleague.get(visit.get_absolute_url()).status_code == 404
    with time_machine.travel(visit.expected_end + timedelta(minutes=16)):
        scan_overdue_visits()
    assert colleague.get(visit.get_absolute_url()).status_code == 404  # only Priya is alerted so far
    with time_machine.travel(visit.expected_end + timedelta(minutes=31)):
        scan_overdue_visits()
    page = colleague.get(visit.get_absolute_url())
    assert page.status_code == 200 and "12 Oak Road" in page.content.decode()
    assert "Acknowledge" in page.content.decode()


def test_buddy_acknowledges_then_closes_with_a_note(client_for, trust):
    visit = visit_for(trust, minutes=1)
    for minutes in (16, 31):
        with time_machine.travel(visit.expected_end + timedelta(minutes=minutes)):
            scan_overdue_visits()
    with time_machine.travel(visit.expected_end + timedelta(minutes=35)):
        colleague = client_for(trust.colleague)  # signs in now: 30 minutes idle would sign out
        colleague.post(reverse("caseload:visit-acknowledge", kwargs={"visit_pk": visit.pk}))
    visit.refresh_from_db()
    assert visit.acknowledged_by == trust.colleague and visit.next_alert_at is None
    close = reverse("caseload:visit-close", kwargs={"visit_pk": visit.pk})
    with time_machine.travel(visit.expected_end + timedelta(minutes=36)):
        response = colleague.post(close, {"note": ""})
    assert response.status_code == 400 and "Write a note" in response.content.decode()
    with time_machine.travel(visit.expected_end + timedelta(minutes=40)):
        colleague.post(close, {"note": "Phoned Priya: her phone had died, she is safe."})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.closed_by == trust.colleague
    kinds = list(visit.events.values_list("kind", flat=True))
    assert kinds == ["started", "alert", "alert", "alert", "acknowledged", "closed"]


def test_alarm_button_alerts_at_once(client_for, trust):
    visit = visit_for(trust)
    response = client_for(trust.psw).post(reverse("caseload:visit-alarm", kwargs={"visit_pk": visit.pk}), follow=True)
    assert "Alarm raised" in response.content.decode()
    reminders.send_due_reminders()
    from peersupport.models import Notification

    assert Notification.objects.filter(recipient=trust.colleague, title__startswith="ALARM: Priya").count() == 1
    assert (
        "ALARM: Priya Patel needs help now"
        in client_for(trust.colleague).get(reverse("notification-list")).content.decode()
    )


def test_manager_sees_every_open_visit_in_their_teams_live(client_for, trust, django_assert_num_queries):
    visit_for(trust)
    visit_for(trust, worker=trust.other_psw, buddy=trust.other_manager, person=False)
    client = client_for(trust.manager)
    page = client.get(reverse("caseload:visit-list")).content.decode()
    assert "Priya Patel" in page and "Olive" not in page and 'hx-trigger="every 30s"' in page
    fragment = client.get(reverse("caseload:visit-list"), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "Priya Patel" in fragment.content.decode()
    with django_assert_num_queries(99, exact=False) as one:
        client.get(reverse("caseload:visit-list"))
    for _ in range(20):
        visit_for(trust, worker=make_worker(trust.north), buddy=trust.psw)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("caseload:visit-list")).content.decode()
    assert page.count("On time") == 21


def test_home_shows_the_visit_in_progress(client_for, trust):
    visit_for(trust)
    assert (
        "Your visit at 12 Oak Road, Worksop is in progress"
        in client_for(trust.psw).get(reverse("home")).content.decode()
    )
    manager_home = client_for(trust.manager).get(reverse("home")).content.decode()
    assert (
        "Visits in progress in your teams" in manager_home and "Priya Patel</a> at 12 Oak Road, Worksop" in manager_home
    )


def test_manager_names_buddies_for_their_teams_workers(client_for, trust):
    client = client_for(trust.manager)
    page = client.get(reverse("caseload:buddies")).content.decode()
    assert "Buddy for Priya Patel" in page and "Buddy for Paul Price" in page and "Olive" not in page
    response = client.post(
        reverse("caseload:buddies"), {f"buddy_{trust.psw.pk}": trust.colleague.pk, f"buddy_{trust.colleague.pk}": ""}
    )
    assert response.status_code == 302
    assert LoneWorkingBuddy.objects.get(worker=trust.psw).buddy == trust.colleague
    # Someone outside the worker's teams cannot be named; nothing changes.
    response = client.post(reverse("caseload:buddies"), {f"buddy_{trust.psw.pk}": trust.other_psw.pk})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert LoneWorkingBuddy.objects.get(worker=trust.psw).buddy == trust.colleague


def test_only_managers_name_buddies(client_for, trust):
    response = client_for(trust.psw).get(reverse("caseload:buddies"))
    assert response.status_code == 403 and "Team managers name the lone-working buddies" in response.content.decode()


def test_buddies_page_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.manager)
    with django_assert_num_queries(99, exact=False) as one:
        client.get(reverse("caseload:buddies"))
    for _ in range(20):
        make_worker(trust.north)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("caseload:buddies")).content.decode()
    assert page.count("Buddy for") == 22


def test_acting_on_a_closed_visit_says_so_and_changes_nothing(client_for, trust):
    visit = visit_for(trust)
    visit.close(by=trust.psw, reason="checked_out")
    manager = client_for(trust.manager)
    for name in ("caseload:visit-acknowledge", "caseload:visit-close"):
        response = manager.post(reverse(name, kwargs={"visit_pk": visit.pk}), {"note": "x"}, follow=True)
        assert "This visit is already closed. Nothing was changed." in response.content.decode()
    response = client_for(trust.psw).post(
        reverse("caseload:visit-extend", kwargs={"visit_pk": visit.pk}), {"minutes": "15"}, follow=True
    )
    assert "This visit is already closed." in response.content.decode()
    visit.refresh_from_db()
    assert visit.close_reason == "checked_out" and visit.closed_by == trust.psw


def test_buddies_page_checks_the_role_before_reading_any_staff(client_for, trust):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(trust.psw)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("caseload:buddies"))
    assert response.status_code == 403
    # The worker list filters on employment status; a worker who may not name buddies never reaches it.
    assert not any('"employment_status" =' in q["sql"] for q in queries.captured_queries)
    assert not any("caseload_loneworkingbuddy" in q["sql"] for q in queries.captured_queries)


def test_the_contact_after_a_check_out_starts_with_the_visits_place_and_times(client_for, trust):
    client = client_for(trust.psw)
    visit = visit_for(trust, minutes=10)
    Visit.objects.filter(pk=visit.pk).update(started_at=timezone.now() - timedelta(minutes=50), location="The cafe")
    client.post(reverse("caseload:visit-checkout", kwargs={"visit_pk": visit.pk}))
    url = reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk})
    form = client.get(f"{url}?visit={visit.pk}").context["form"]
    visit.refresh_from_db()
    assert form["location"].value() == "The cafe"
    assert form["duration_minutes"].value() == 50
    assert timezone.make_aware(form["contact_at"].value()) == timezone.localtime(visit.started_at).replace(
        second=0, microsecond=0
    )
    # Someone else's visit, or nonsense, is not carried over.
    other = client.get(f"{url}?visit=abc").context["form"]
    assert other["location"].value() in ("", None)
    assert client_for(trust.manager).get(f"{url}?visit={visit.pk}").context["form"]["location"].value() in ("", None)
