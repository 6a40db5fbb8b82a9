from django.urls import reverse

from caseload.models import Person
from peersupport.models import AuditEvent


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
    view = AuditEvent.objects.get(action="view")
    assert (view.actor, view.target, view.subject) == (trust.psw, trust.person, trust.person)


def test_a_refused_view_is_not_logged_as_a_view(client_for, trust):
    client_for(trust.psw).get(reverse("caseload:person-detail", kwargs={"person_pk": trust.other_person.pk}))
    assert not AuditEvent.objects.filter(action="view").exists()


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


def test_an_audit_event_records_who_what_whom_when_and_from_where(rf, trust):
    from peersupport import audit

    request = rf.post("/people/1/", REMOTE_ADDR="10.1.2.3")
    request.user = trust.manager
    event = audit.record(audit.CHANGE, request=request, target=trust.person, subject=trust.person, detail="status")
    event.refresh_from_db()
    assert (event.actor, event.actor_email, event.action, event.target, event.subject) == (
        trust.manager,
        "maya@example.nhs.uk",
        "change",
        trust.person,
        trust.person,
    )
    assert (event.method, event.path, event.ip_address, event.detail) == ("POST", "/people/1/", "10.1.2.3", "status")
    assert event.at.utcoffset().total_seconds() == 0


def test_the_audit_cannot_be_changed_or_deleted_through_the_application(trust):
    import pytest
    from django.core.exceptions import PermissionDenied

    from peersupport import audit
    from peersupport.models import AuditEvent

    event = audit.record(audit.SIGN_IN, actor=trust.psw)
    event.detail = "rewritten"
    for attempt in (event.save, event.delete, AuditEvent.objects.all().delete):
        with pytest.raises(PermissionDenied):
            attempt()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_governance_roles_are_held_through_groups_and_not_by_administrators(trust):
    assert trust.ig_lead.is_information_governance_lead and trust.ig_lead.can_search_audit
    assert not trust.ig_lead.is_clinical_reviewer
    assert trust.clinical_reviewer.is_clinical_reviewer and not trust.clinical_reviewer.can_search_audit
    assert trust.admin.can_search_audit
    assert not trust.admin.is_information_governance_lead and not trust.admin.is_clinical_reviewer
    assert not any(
        u.is_information_governance_lead or u.can_search_audit for u in (trust.psw, trust.manager, trust.dev_lead)
    )
