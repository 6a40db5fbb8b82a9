import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import Person, PersonStatus, StatusChange
from caseload.tests.factories import (
    AppointmentFactory,
    ContactFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
)

CREATE = reverse("caseload:person-create")


def intake(**overrides) -> dict:
    data = {
        "given_name": "Nia",
        "family_name": "Newton",
        "nhs_number": "943 476 5919",
        "referral_source": "gp",
        "referral_date": "2026-10-01",
        "referral_reason": "Would like support to get back to her choir.",
    }
    data.update(overrides)
    return data


def test_psw_adds_a_person_to_their_own_caseload(client_for, trust):
    response = client_for(trust.psw).post(CREATE, intake(team=trust.north.pk))
    person = Person.objects.get(family_name="Newton")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.assigned_worker == trust.psw and person.team == trust.north
    assert person.nhs_number == "9434765919"
    assert person.status == PersonStatus.REFERRED


def test_psw_cannot_add_a_person_to_another_team(client_for, trust):
    response = client_for(trust.psw).post(CREATE, intake(team=trust.south.pk))
    assert response.status_code == 200
    assert not Person.objects.filter(family_name="Newton").exists()


def test_manager_assigns_a_person_to_a_worker_in_their_team(client_for, trust):
    client = client_for(trust.manager)
    response = client.post(CREATE, intake(team=trust.north.pk, assigned_worker=trust.colleague.pk))
    assert response.status_code == 302
    assert Person.objects.get(family_name="Newton").assigned_worker == trust.colleague
    response = client.post(CREATE, intake(nhs_number="", team=trust.north.pk, assigned_worker=trust.other_psw.pk))
    assert response.status_code == 200
    assert Person.objects.filter(family_name="Newton").count() == 1


def test_development_team_cannot_add_people(client_for, trust):
    assert client_for(trust.dev_lead).get(CREATE).status_code == 403


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "not a valid NHS number"),
        ({"nhs_number": "12345"}, "nhs_number", "10 digits"),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"referral_date": "2099-01-01"}, "referral_date", "cannot be in the future"),
        ({"consent_date": "2026-09-01"}, "consent_date", "before the referral date"),
        ({"given_name": "x" * 101}, "given_name", "at most 100 characters"),
        ({"family_name": ""}, "family_name", "This field is required"),
        ({"referral_date": "not a date"}, "referral_date", "Enter a valid date"),
    ],
)
def test_bad_intake_is_refused_beside_the_field(client_for, trust, overrides, field, message):
    response = client_for(trust.psw).post(CREATE, intake(team=trust.north.pk, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Person.objects.filter(given_name="Nia").exists()


def test_duplicate_nhs_number_links_to_the_record_the_user_may_see(client_for, trust):
    trust.person.nhs_number = "9434765919"
    trust.person.save()
    page = client_for(trust.psw).post(CREATE, intake(team=trust.north.pk)).content.decode()
    assert f'<a href="{trust.person.get_absolute_url()}">Sam Sutton</a>' in page
    assert Person.objects.filter(nhs_number="9434765919").count() == 1


def test_duplicate_nhs_number_out_of_reach_is_a_plain_refusal(client_for, trust):
    trust.other_person.nhs_number = "9434765919"
    trust.other_person.save()
    page = client_for(trust.psw).post(CREATE, intake(team=trust.north.pk)).content.decode()
    assert "already exists, held by another team" in page
    assert "Sol" not in page and trust.other_person.get_absolute_url() not in page


def test_caseload_list_shows_who_needs_attention_first(client_for, trust):
    now = timezone.now()
    ContactFactory(person=trust.person, contact_at=now - dt.timedelta(days=1))
    never = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Nell", family_name="Never")
    stale = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Stan", family_name="Stale")
    ContactFactory(person=stale, contact_at=now - dt.timedelta(days=30))
    overdue = PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Olga", family_name="Overdue")
    ContactFactory(person=overdue, contact_at=now - dt.timedelta(days=2))
    RecoveryPlanFactory(person=overdue, version=1, review_on=timezone.localdate() - dt.timedelta(days=3))
    response = client_for(trust.psw).get(reverse("caseload:person-list"))
    rows = response.context["people"]
    assert [p.family_name for p in rows] == ["Never", "Stale", "Overdue", "Sutton"]
    page = response.content.decode()
    assert "Not seen for 30 days" in page and "No contact yet" in page and "Recovery plan review overdue" in page
    assert never.display_name in page


def test_caseload_list_shows_only_the_workers_own_people(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.colleague, given_name="Colin", family_name="Colleague")
    page = client_for(trust.psw).get(reverse("caseload:person-list")).content.decode()
    assert "Sam Sutton" in page and "Colin" not in page and "Sol Sharp" not in page


def test_caseload_search_and_filters(client_for, trust):
    PersonFactory(
        team=trust.north, assigned_worker=trust.psw, given_name="Zara", family_name="Zed", nhs_number="4010232137"
    )
    PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="Cleo", family_name="Closed", status="closed")
    client = client_for(trust.psw)
    url = reverse("caseload:person-list")
    assert [p.given_name for p in client.get(url, {"q": "zar"}).context["people"]] == ["Zara"]
    assert [p.given_name for p in client.get(url, {"q": "401 023"}).context["people"]] == ["Zara"]
    open_names = {p.given_name for p in client.get(url).context["people"]}
    assert "Cleo" not in open_names and "Sam" in open_names
    assert [p.given_name for p in client.get(url, {"status": "closed"}).context["people"]] == ["Cleo"]
    attention = {p.given_name for p in client.get(url, {"attention": "on"}).context["people"]}
    assert attention == {"Sam", "Zara"}  # nobody has been seen yet


def test_manager_filters_by_worker(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.colleague, given_name="Colin", family_name="Colleague")
    # A manager's one people list is the review's: the caseload list sends them there, filter kept.
    client = client_for(trust.manager)
    response = client.get(reverse("caseload:person-list"), {"assigned_worker": trust.colleague.pk}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("caseload:review-people"))
    assert [p.given_name for p in response.context["people"]] == ["Colin"]
    everyone = client.get(reverse("caseload:person-list"), follow=True).content.decode()
    assert "Sam Sutton" in everyone and "Colin Colleague" in everyone and "Sol Sharp" not in everyone


def _busy_people(trust, n):
    now = timezone.now()
    for i in range(n):
        person = PersonFactory(team=trust.north, assigned_worker=trust.psw)
        goal = RecoveryGoalFactory(person=person, created_by=trust.psw)
        contact = ContactFactory(person=person, worker=trust.psw, contact_at=now - dt.timedelta(days=i % 40))
        contact.goals.add(goal)
        AppointmentFactory(person=person, worker=trust.psw)
        RecoveryPlanFactory(person=person, version=1)


def test_caseload_list_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.psw)
    url = reverse("caseload:person-list")
    _busy_people(trust, 1)
    client.get(url)
    with django_assert_num_queries(3) as one:  # session, user with their roles, the list
        response = client.get(url)
    assert len(response.context["people"]) == 2
    _busy_people(trust, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["people"]) == 51


def test_other_workers_person_is_404_for_every_page(client_for, trust):
    client = client_for(trust.psw)
    for name in ["person-detail", "person-edit", "person-status", "person-history", "contact-create", "goal-create"]:
        assert client.get(reverse(f"caseload:{name}", args=[trust.other_person.pk])).status_code == 404, name
    colleague = client_for(trust.colleague)
    assert colleague.get(trust.person.get_absolute_url()).status_code == 404


def test_closing_needs_a_reason_and_an_ending_summary(client_for, trust):
    url = reverse("caseload:person-status", args=[trust.person.pk])
    client = client_for(trust.psw)
    response = client.post(url, {"to_status": "closed", "changed_on": "2026-11-20"})
    assert response.status_code == 200
    assert "Needed to close the record." in str(response.context["form"].errors["ending_summary"])
    trust.person.refresh_from_db()
    assert trust.person.status == PersonStatus.ACTIVE


def test_closure_makes_the_record_read_only_and_reopening_is_recorded(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:person-status", args=[trust.person.pk])
    contact = ContactFactory(person=trust.person, worker=trust.psw)
    response = client.post(
        url,
        {
            "to_status": "closed",
            "changed_on": "2026-11-20",
            "closure_reason": "goals_achieved",
            "ending_summary": "Sam is back at the choir and volunteering.",
        },
    )
    assert response.status_code == 302
    page = client.get(trust.person.get_absolute_url()).content.decode()
    assert "Closed on 20 Nov 2026" in page and "Log a contact" not in page
    for name in ["contact-create", "goal-create", "plan-create", "person-edit", "appointment-create"]:
        assert client.get(reverse(f"caseload:{name}", args=[trust.person.pk])).status_code == 403, name
    # Amendments are still allowed on a closed record.
    assert client.get(reverse("caseload:contact-amend", args=[contact.pk])).status_code == 200
    response = client.post(url, {"to_status": "active", "changed_on": "2026-11-22", "note": "Asked for support again."})
    assert response.status_code == 302
    trust.person.refresh_from_db()
    assert trust.person.status == PersonStatus.ACTIVE
    events = list(StatusChange.objects.filter(person=trust.person).order_by("recorded_at"))
    assert [(e.from_status, e.to_status) for e in events] == [("active", "closed"), ("closed", "active")]
    assert events[1].is_reopening
    history = client.get(reverse("caseload:person-history", args=[trust.person.pk])).content.decode()
    assert "Reopened" in history and "Asked for support again." in history and "Goals achieved" in history


def test_activating_a_referral_needs_consent(client_for, trust):
    person = PersonFactory(team=trust.north, assigned_worker=trust.psw, status="referred", consent_date=None)
    url = reverse("caseload:person-status", args=[person.pk])
    client = client_for(trust.psw)
    response = client.post(url, {"to_status": "active", "changed_on": "2026-11-20"})
    assert "Record when the person agreed" in str(response.context["form"].errors["consent_date"])
    client.post(url, {"to_status": "active", "changed_on": "2026-11-20", "consent_date": "2026-11-19"})
    person.refresh_from_db()
    assert person.status == "active" and person.consent_date == dt.date(2026, 11, 19)
    assert person.consent_recorded_by == trust.psw


def test_status_cannot_jump_to_an_unlisted_status(client_for, trust):
    url = reverse("caseload:person-status", args=[trust.person.pk])
    response = client_for(trust.psw).post(url, {"to_status": "referred", "changed_on": "2026-11-20"})
    assert "to_status" in response.context["form"].errors


def test_editing_details_is_kept_in_the_history(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:person-edit", args=[trust.person.pk])
    data = intake(given_name="Sam", family_name="Sutton", phone="07700 900123", nhs_number="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    history = client.get(reverse("caseload:person-history", args=[trust.person.pk])).content.decode()
    assert "Details changed" in history and "phone" in history


def test_history_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    from caseload import services
    from caseload.tests.factories import GoalRatingFactory

    client = client_for(trust.psw)
    url = reverse("caseload:person-history", args=[trust.person.pk])

    def correct(n):
        for _ in range(n):
            contact = ContactFactory(person=trust.person, worker=trust.psw)
            draft = contact.draft_amendment()
            draft.notes = "Amended notes."
            services.amend(original=contact, replacement=draft, by=trust.psw, reason="Typo.")
            goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw)
            goal.status = "achieved"
            goal.save()
            GoalRatingFactory(goal=goal).mark_entered_in_error(by=trust.psw, reason="Wrong goal.")
            RecoveryPlanFactory(person=trust.person, written_by=trust.psw)

    correct(1)
    client.get(url)
    with django_assert_num_queries(15) as one:
        client.get(url)
    correct(49)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Contact amended") == 50 and page.count("Goal rating entered in error") == 50
    assert page.count("Goal changed") == 50


def test_viewing_the_record_is_logged(client_for, trust):
    from peersupport.models import AuditEvent

    contact = ContactFactory(person=trust.person, worker=trust.psw)
    client_for(trust.manager).get(reverse("caseload:contact-detail", args=[contact.pk]))
    assert AuditEvent.objects.filter(action="view", actor=trust.manager, subject_id=trust.person.pk).count() == 1


def test_adding_to_a_closed_record_says_the_record_is_closed(client_for, trust):
    Person.objects.filter(pk=trust.person.pk).update(status=PersonStatus.CLOSED)
    response = client_for(trust.psw).get(reverse("caseload:contact-create", args=[trust.person.pk]))
    assert response.status_code == 403
    assert "This record is closed" in response.content.decode()
    assert "role" not in response.content.decode().split("<main", 1)[1].split("</main>")[0].lower()
