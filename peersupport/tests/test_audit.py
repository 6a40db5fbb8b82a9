from django.urls import reverse

from caseload.models import Person
from peersupport.models import RecordView


def test_changes_keep_who_when_before_and_after(client_for, trust):
    person = trust.person
    person.referral_reason = "Changed reason"
    person._history_user = trust.manager
    person.save()
    latest, previous = person.history.all()[:2]
    assert latest.history_user == trust.manager
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("referral_reason", previous.referral_reason, "Changed reason")
    ]


def test_staff_changes_are_kept_without_password_hashes(trust):
    trust.psw.contracted_hours = 30
    trust.psw.save()
    record = trust.psw.history.first()
    assert record.contracted_hours == 30
    assert not hasattr(record, "password")


def test_viewing_a_person_is_logged(client_for, trust):
    client_for(trust.psw).get(reverse("caseload:person-detail", kwargs={"person_pk": trust.person.pk}))
    view = RecordView.objects.get()
    assert (view.viewer, view.record) == (trust.psw, trust.person)


def test_a_refused_view_is_not_logged_as_a_view(client_for, trust):
    client_for(trust.psw).get(reverse("caseload:person-detail", kwargs={"person_pk": trust.other_person.pk}))
    assert RecordView.objects.count() == 0


def test_history_is_recorded_with_the_signed_in_user_through_the_admin(client_for, trust):
    client = client_for(trust.admin)
    url = reverse("admin:caseload_person_change", args=[trust.person.pk])
    page = client.get(url)
    assert page.status_code == 200
    history = client.get(reverse("admin:caseload_person_history", args=[trust.person.pk]))
    assert history.status_code == 200
    assert Person.history.filter(id=trust.person.pk).exists()


def test_admin_cannot_delete_people(client_for, trust):
    response = client_for(trust.admin).get(reverse("admin:caseload_person_delete", args=[trust.person.pk]))
    assert response.status_code == 403
