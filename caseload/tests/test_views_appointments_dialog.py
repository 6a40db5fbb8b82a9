import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import Appointment, DialogAssessment, EntryStatus
from caseload.tests.factories import AppointmentFactory, DialogAssessmentFactory, PersonFactory, RecoveryGoalFactory


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_psw_books_an_appointment_linked_to_a_goal(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw)
    data = {
        "title": "Job centre",
        "kind": "work",
        "starts_at": local(timezone.now() + dt.timedelta(days=2)),
        "location": "Worksop job centre",
        "goals": [goal.pk],
        "outcome": "planned",
    }
    client = client_for(trust.psw)
    assert client.post(reverse("caseload:appointment-create", args=[trust.person.pk]), data).status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.worker == trust.psw and list(appointment.goals.all()) == [goal]
    home = client.get(reverse("home")).content.decode()
    assert "Upcoming appointments" in home and "Job centre" in home


def test_recording_how_an_appointment_went(client_for, trust):
    appointment = AppointmentFactory(
        person=trust.person, worker=trust.psw, starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    data = {
        "title": appointment.title,
        "kind": appointment.kind,
        "starts_at": local(appointment.starts_at),
        "outcome": "attended",
        "outcome_note": "Sam spoke up about her medication herself.",
    }
    client_for(trust.psw).post(reverse("caseload:appointment-edit", args=[appointment.pk]), data)
    appointment.refresh_from_db()
    assert appointment.outcome == "attended"
    assert appointment.history.count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"outcome": "attended"}, "outcome"),  # still in the future
        ({"title": ""}, "title"),
        ({"starts_at": "2031-01-01T10:00"}, "starts_at"),
        ({"starts_at": "soon"}, "starts_at"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_appointments_are_refused(client_for, trust, overrides, field):
    data = {
        "title": "GP",
        "kind": "health",
        "starts_at": local(timezone.now() + dt.timedelta(days=1)),
        "outcome": "planned",
    }
    data.update(overrides)
    response = client_for(trust.psw).post(reverse("caseload:appointment-create", args=[trust.person.pk]), data)
    assert field in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_home_lists_only_the_workers_upcoming_appointments(client_for, trust, django_assert_num_queries):
    AppointmentFactory(person=trust.person, worker=trust.psw, title="Art group")
    AppointmentFactory(
        person=trust.person, worker=trust.psw, title="Old one", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    AppointmentFactory(person=trust.other_person, worker=trust.other_psw, title="Sol's appointment")
    client = client_for(trust.psw)
    page = client.get(reverse("home")).content.decode()
    assert "Art group" in page and "Old one" not in page and "Sol" not in page
    with django_assert_num_queries(18) as one:  # the user's roles come with the user
        client.get(reverse("home"))
    for _ in range(49):
        person = PersonFactory(team=trust.north, assigned_worker=trust.psw)
        AppointmentFactory(person=person, worker=trust.psw)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Last contact:") == 50


def dialog_data(**overrides) -> dict:
    data = {"assessed_on": "2026-11-20", "stage": "start", "rater": "person"}
    for name in ["mental_health", "physical_health", "job_situation", "accommodation", "leisure", "family",
                 "friendships", "safety", "medication", "practical_help", "meetings"]:  # fmt: skip
        data[name] = "4"
    data.update(overrides)
    return data


def test_dialog_is_recorded_with_its_means_and_change_shows_in_the_persons_outcomes(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:dialog-create", args=[trust.person.pk])
    assert client.get(url).context["form"]["stage"].value() == "start"
    client.post(url, dialog_data(assessed_on="2026-09-10", mental_health_help="on"))
    client.post(url, dialog_data(stage="review", mental_health="6", friendships="6", meetings="7"))
    first, latest = DialogAssessment.objects.order_by("assessed_on")
    assert first.mental_health_help and first.quality_of_life == 4
    assert latest.quality_of_life == 4.5 and latest.treatment_satisfaction == 5
    page = client.get(reverse("caseload:person-outcomes", args=[trust.person.pk])).content.decode()
    assert "The person&#x27;s own rating" in page and "+0.5" in page and "+1" in page


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"mental_health": "8"}, "mental_health"),
        ({"meetings": "0"}, "meetings"),
        ({"safety": ""}, "safety"),
        ({"rater": "cat"}, "rater"),
        ({"assessed_on": "2099-01-01"}, "assessed_on"),
        ({"assessed_on": "2020-01-01"}, "assessed_on"),
    ],
)
def test_bad_dialog_is_refused(client_for, trust, overrides, field):
    response = client_for(trust.psw).post(
        reverse("caseload:dialog-create", args=[trust.person.pk]), dialog_data(**overrides)
    )
    assert field in response.context["form"].errors
    assert not DialogAssessment.objects.exists()


def test_amending_a_dialog_keeps_the_original(client_for, trust):
    original = DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 11, 1))
    client = client_for(trust.psw)
    url = reverse("caseload:dialog-amend", args=[original.pk])
    response = client.post(
        url, dialog_data(assessed_on="2026-11-01", reason="Rated by the person, not me.", rater="person")
    )
    replacement = DialogAssessment.objects.current().get()
    assert response["Location"] == reverse("caseload:dialog-detail", args=[replacement.pk])
    original.refresh_from_db()
    assert original.entry_status == EntryStatus.AMENDED
    page = client.get(response["Location"]).content.decode()
    assert "Rated by the person, not me." in page and "Version 2" in page


def test_other_worker_cannot_reach_a_dialog(client_for, trust):
    dialog = DialogAssessmentFactory(person=trust.person)
    client = client_for(trust.other_psw)
    for name in ("dialog-detail", "dialog-amend", "dialog-error"):
        assert client.get(reverse(f"caseload:{name}", args=[dialog.pk])).status_code == 404
