"""Induction: a mentor (not the mentee), a checklist, shadowing, and the mentor's sign-off that lifts
the caseload hold, so the manager can then allocate people."""

import datetime as dt

from django.urls import reverse

from peersupport.models import User
from supervision.models import Induction
from supervision.tests.conftest import form_data


def _start(client, worker, mentor, today):
    return client.post(
        reverse("supervision:induction-create"),
        {"worker": worker.pk, "mentor": mentor.pk, "starts_on": today.isoformat()},
    )


def test_a_mentor_who_is_the_mentee_is_refused(client_for, trust, new_worker, today):
    response = _start(client_for(trust.manager), new_worker, new_worker, today)
    assert response.status_code == 400
    assert response.context["form"].errors["mentor"] == ["A mentor cannot be their own mentee: choose a colleague."]
    assert not Induction.objects.filter(worker=new_worker).exists()
    assert User.objects.get(pk=new_worker.pk).caseload_hold == ""


def test_mentoring_lasts_three_months_by_default(client_for, trust, new_worker):
    _start(client_for(trust.manager), new_worker, trust.colleague, dt.date(2026, 1, 31))
    assert Induction.objects.get(worker=new_worker).mentoring_ends_on == dt.date(2026, 4, 30)


def test_allocation_refused_until_the_mentor_signs_off(client, trust, new_worker, today):
    client.force_login(trust.manager)
    _start(client, new_worker, trust.colleague, today)
    induction = Induction.objects.get(worker=new_worker)
    hold = User.objects.get(pk=new_worker.pk).caseload_hold
    assert hold == "Shadowing not yet signed off by their mentor, Paul Price"
    assert User.history.filter(id=new_worker.pk, caseload_hold=hold).exists()

    edit = reverse("caseload:person-edit", args=[trust.person.pk])
    response = client.post(edit, form_data(client.get(edit), assigned_worker=new_worker.pk))
    assert response.status_code == 200
    assert hold in response.content.decode()
    trust.person.refresh_from_db()
    assert trust.person.assigned_worker == trust.psw

    # The mentor cannot sign off with no shadowing; someone else cannot sign off at all.
    client.force_login(trust.colleague)
    sign_off = reverse("supervision:induction-sign-off", args=[induction.pk])
    page = client.post(sign_off, follow=True).content.decode()
    assert "Record at least one shadowing visit before signing off." in page
    client.post(
        reverse("supervision:shadowing-create", args=[induction.pk]),
        {"shadowed": "Paul Price", "their_role": "PSW", "shadowed_on": today.isoformat(), "learned": "First meetings"},
    )
    client.force_login(trust.manager)
    page = client.post(sign_off, follow=True).content.decode()
    assert "Only the worker&#x27;s mentor can sign off their shadowing." in page
    assert User.objects.get(pk=new_worker.pk).caseload_hold == hold

    client.force_login(trust.colleague)
    client.post(sign_off)
    assert User.objects.get(pk=new_worker.pk).caseload_hold == ""
    induction.refresh_from_db()
    assert induction.shadowing_signed_off_by == trust.colleague

    client.force_login(trust.manager)
    response = client.post(edit, form_data(client.get(edit), assigned_worker=new_worker.pk))
    assert response.status_code == 302
    trust.person.refresh_from_db()
    assert trust.person.assigned_worker == new_worker


def test_shadowing_in_the_future_is_refused(client_for, trust, new_worker, today):
    _start(client_for(trust.manager), new_worker, trust.colleague, today)
    induction = Induction.objects.get(worker=new_worker)
    response = client_for(new_worker).post(
        reverse("supervision:shadowing-create", args=[induction.pk]),
        {"shadowed": "A", "their_role": "B", "shadowed_on": (today + dt.timedelta(days=2)).isoformat(), "learned": "C"},
    )
    assert response.status_code == 400 and "shadowed_on" in response.context["form"].errors
    assert not induction.shadowing.exists()


def test_the_checklist_is_for_the_manager_and_the_development_team(client_for, trust):
    url = reverse("supervision:induction-checklist", args=[trust.induction.pk])
    assert client_for(trust.colleague).get(url).status_code == 403  # the worker reads it
    assert client_for(trust.psw).get(url).status_code == 403  # the mentor reads it
    assert client_for(trust.other_manager).get(url).status_code == 404
    client_for(trust.dev_worker).post(url, {"welcome_done": "on", "training_done": "on"})
    trust.induction.refresh_from_db()
    assert trust.induction.training_done and trust.induction.welcome_done and not trust.induction.laptop_issued
    page = client_for(trust.psw).get(trust.induction.get_absolute_url()).content.decode()
    assert "Peer support training completed" in page
