import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import Contact, EntryStatus
from caseload.tests.factories import ContactFactory, PersonFactory, RecoveryGoalFactory, ResourceFactory


def create_url(person):
    return reverse("caseload:contact-create", args=[person.pk])


def recent_contacts_url(person):
    """The person's page's Contacts section, as it opens in place."""
    return reverse("caseload:person-recent-contacts", args=[person.pk])


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def routine(**overrides) -> dict:
    data = {
        "contact_at": local(timezone.now() - dt.timedelta(minutes=5)),
        "contact_type": "face_to_face",
        "duration_minutes": "60",
        "notes": "Walked to the library together; Sam renewed her card.",
        "written_with_person": "on",
    }
    data.update(overrides)
    return data


def test_the_form_opens_with_sensible_defaults(client_for, trust):
    ContactFactory(person=trust.person, worker=trust.psw, duration_minutes=45)
    response = client_for(trust.psw).get(create_url(trust.person))
    form = response.context["form"]
    assert form["duration_minutes"].value() == 45  # the usual duration with this person
    assert form["contact_type"].value() == "face_to_face"
    shown = timezone.make_aware(form["contact_at"].value())  # shown in London time, to the minute
    assert dt.timedelta(0) <= timezone.now() - shown < dt.timedelta(minutes=2)  # (a slow machine's seconds too)


def test_psw_logs_a_contact_with_a_goal_and_signposting(client_for, trust):
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw)
    resource = ResourceFactory(name="Recovery college")
    response = client_for(trust.psw).post(
        create_url(trust.person), routine(goals=[goal.pk], signposted_to=[resource.pk])
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.worker == trust.psw and contact.written_with_person
    assert list(contact.goals.all()) == [goal] and list(contact.signposted_to.all()) == [resource]
    assert not contact.is_late_entry


def test_a_contact_logged_days_later_is_marked_late(client_for, trust):
    client = client_for(trust.psw)
    client.post(create_url(trust.person), routine(contact_at=local(timezone.now() - dt.timedelta(days=2))))
    assert Contact.objects.get().is_late_entry
    page = client.get(recent_contacts_url(trust.person)).content.decode()
    assert "Late entry" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"contact_at": "2099-01-01T10:00"}, "contact_at", "cannot be in the future"),
        ({"contact_at": "2020-01-01T10:00"}, "contact_at", "before the person was referred"),
        ({"contact_at": "yesterday"}, "contact_at", "Enter the date and time, such as"),
        ({"duration_minutes": "721"}, "duration_minutes", "Enter minutes as 720 or fewer"),
        ({"duration_minutes": "-5"}, "duration_minutes", "Enter minutes as 0 or more"),
        ({"duration_minutes": "0"}, "duration_minutes", "how long the contact lasted"),
        ({"duration_minutes": ""}, "duration_minutes", "how long the contact lasted"),
        ({"duration_minutes": "1e9"}, "duration_minutes", "Enter minutes as a whole number"),
        ({"contact_type": "did_not_attend", "duration_minutes": "30"}, "duration_minutes", "leave Minutes empty"),
        ({"contact_type": "cancelled", "duration_minutes": "5"}, "duration_minutes", "was cancelled has no duration"),
        ({"notes": "x" * 5001}, "notes", "at most 5000 characters"),
        ({"contact_type": "teleport"}, "contact_type", "Choose a type of contact from the list"),
        ({"contact_type": ""}, "contact_type", "Choose the type of contact"),
        ({"signposted_to": ["999999"]}, "signposted_to", "Select a valid choice"),
    ],
)
def test_bad_contacts_are_refused_beside_the_field(client_for, trust, overrides, field, message):
    response = client_for(trust.psw).post(create_url(trust.person), routine(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("minutes", ["", "0"])
def test_did_not_attend_needs_no_duration(client_for, trust, minutes):
    response = client_for(trust.psw).post(
        create_url(trust.person), routine(contact_type="did_not_attend", duration_minutes=minutes, notes="")
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.contact_type == "did_not_attend" and contact.duration_minutes == 0


def test_a_refused_contact_shows_the_problems_at_the_top_linked_to_their_fields(client_for, trust):
    response = client_for(trust.psw).post(
        create_url(trust.person), routine(contact_type="did_not_attend", duration_minutes="30")
    )
    page = response.content.decode()
    summary = page[page.index("There is a problem") : page.index("</div>", page.index("There is a problem"))]
    assert 'href="#id_duration_minutes"' in summary and "leave Minutes empty" in summary
    assert page.index("There is a problem") < page.index("<h1")


def test_a_goal_of_another_person_cannot_be_ticked(client_for, trust):
    other_goal = RecoveryGoalFactory(person=trust.other_person, created_by=trust.other_psw)
    response = client_for(trust.psw).post(create_url(trust.person), routine(goals=[other_goal.pk]))
    assert "goals" in response.context["form"].errors
    assert Contact.objects.count() == 0


def test_script_in_notes_is_shown_escaped(client_for, trust):
    client = client_for(trust.psw)
    client.post(create_url(trust.person), routine(notes="<script>alert('x')</script> went well"))
    page = client.get(recent_contacts_url(trust.person)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; went well" in page


def test_amending_keeps_the_original_visible_in_the_history(client_for, trust):
    client = client_for(trust.psw)
    original = ContactFactory(person=trust.person, worker=trust.psw, duration_minutes=30, notes="Coffee at the cafe.")
    data = routine(
        contact_at=local(original.contact_at), duration_minutes="50", notes="Coffee at the cafe, then the park."
    )
    response = client.post(
        reverse("caseload:contact-amend", args=[original.pk]), {**data, "reason": "Forgot the park."}
    )
    replacement = Contact.objects.current().get()
    assert response["Location"] == reverse("caseload:contact-detail", args=[replacement.pk])
    original.refresh_from_db()
    assert original.entry_status == EntryStatus.AMENDED and original.notes == "Coffee at the cafe."
    detail = client.get(response["Location"]).content.decode()
    assert "Coffee at the cafe." in detail and "Forgot the park." in detail and "Version 2 (current)" in detail
    history = client.get(reverse("caseload:person-history", args=[trust.person.pk])).content.decode()
    assert "Contact amended" in history and "Forgot the park." in history
    person_page = client.get(recent_contacts_url(trust.person)).content.decode()
    assert "then the park" in person_page and person_page.count("Coffee at the cafe") == 1


def test_amendment_needs_a_reason_and_changes_nothing_without_one(client_for, trust):
    original = ContactFactory(person=trust.person, worker=trust.psw)
    response = client_for(trust.psw).post(
        reverse("caseload:contact-amend", args=[original.pk]), routine(contact_at=local(original.contact_at))
    )
    assert "This field is required" in str(response.context["form"].errors["reason"])
    original.refresh_from_db()
    assert original.is_current and Contact.objects.count() == 1


def test_entered_in_error_stays_in_the_history(client_for, trust):
    client = client_for(trust.psw)
    contact = ContactFactory(person=trust.person, worker=trust.psw, notes="Meant for someone else.")
    url = reverse("caseload:contact-error", args=[contact.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Written on the wrong record."})
    contact.refresh_from_db()
    assert contact.entry_status == EntryStatus.ENTERED_IN_ERROR
    assert "Meant for someone else." not in client.get(trust.person.get_absolute_url()).content.decode()
    history = client.get(reverse("caseload:person-history", args=[trust.person.pk])).content.decode()
    assert "Contact entered in error" in history and "Written on the wrong record." in history
    # A corrected version cannot be corrected again.
    assert client.get(reverse("caseload:contact-amend", args=[contact.pk])).status_code == 403


def test_others_cannot_read_or_correct_a_contact(client_for, trust):
    contact = ContactFactory(person=trust.person, worker=trust.psw)
    for user in (trust.colleague, trust.other_psw, trust.other_manager, trust.dev_lead):
        client = client_for(user)
        for name in ("contact-detail", "contact-amend", "contact-error"):
            assert client.get(reverse(f"caseload:{name}", args=[contact.pk])).status_code == 404, (user, name)
    assert client_for(trust.manager).get(reverse("caseload:contact-amend", args=[contact.pk])).status_code == 200


def test_contact_list_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.psw)
    url = reverse("caseload:contact-list", args=[trust.person.pk])
    goal = RecoveryGoalFactory(person=trust.person, created_by=trust.psw)
    resource = ResourceFactory()

    def add(n):
        for _ in range(n):
            contact = ContactFactory(person=trust.person, worker=trust.psw)
            contact.goals.add(goal)
            contact.signposted_to.add(resource)

    add(1)
    client.get(url)
    # 7: the page logs the view of the record (one insert), as the person page does; the user's roles
    # come with the user.
    with django_assert_num_queries(7) as one:
        client.get(url)
    add(49)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("contact-item") == 50


def test_directory_search_keeps_ticked_choices_and_finds_matches(client_for, trust):
    walking = ResourceFactory(name="Walking for wellbeing", area="Worksop")
    ticked = ResourceFactory(name="Citizens Advice")
    ResourceFactory(name="Walking football (closed)", active=False)
    page = (
        client_for(trust.psw)
        .get(reverse("caseload:resource-search"), {"q": "walking", "signposted_to": [str(ticked.pk)]})
        .content.decode()
    )
    assert f'value="{ticked.pk}" id="signpost-{ticked.pk}" checked' in page
    assert f'value="{walking.pk}"' in page and "closed" not in page


def test_contact_form_offers_the_resources_used_recently(client_for, trust):
    used = ResourceFactory(name="Men's shed")
    old = ContactFactory(person=PersonFactory(team=trust.north, assigned_worker=trust.psw), worker=trust.psw)
    old.signposted_to.add(used)
    page = client_for(trust.psw).get(create_url(trust.person)).content.decode()
    assert "Men&#x27;s shed" in page


def test_logging_the_contact_for_a_visit_closes_it(client_for, trust):
    from caseload.models import Visit, VisitStatus

    client = client_for(trust.psw)
    start = client.post(
        reverse("caseload:person-visit-start", kwargs={"person_pk": trust.person.pk}),
        {
            "location": "Home visit",
            "buddy": trust.colleague.pk,
            "expected_end": (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert start.status_code == 302
    visit = Visit.objects.get(worker=trust.psw)
    assert visit.status == VisitStatus.OPEN
    response = client.post(
        reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk}),
        {
            "contact_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "contact_type": "face_to_face",
            "notes": "Walked to the allotment together.",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status != VisitStatus.OPEN
    assert visit.closed_by == trust.psw


def test_a_contact_with_a_risk_flag_goes_on_to_raise_the_concern(client_for, trust):
    client = client_for(trust.psw)
    response = client.post(
        reverse("caseload:contact-create", kwargs={"person_pk": trust.person.pk}),
        {
            "contact_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "contact_type": "phone",
            "notes": "Said things feel too much this week.",
            "risk_flag": "on",
        },
    )
    contact = trust.person.contacts.get()
    expected = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk}) + f"?contact={contact.pk}"
    assert response["Location"] == expected
    assert client.get(expected).status_code == 200


def test_person_page_shows_the_five_latest_contacts_briefly_and_links_to_all(client_for, trust):
    long_note = " ".join(f"word{n}" for n in range(60))
    for days in range(7):
        ContactFactory(
            person=trust.person,
            worker=trust.psw,
            contact_at=timezone.now() - dt.timedelta(days=days + 1),
            notes=long_note,
        )
    page = client_for(trust.psw).get(recent_contacts_url(trust.person)).content.decode()
    assert page.count('class="list-group-item contact-item') == 5
    assert "word39 …" in page and "word59" not in page
    full = client_for(trust.psw).get(reverse("caseload:contact-list", kwargs={"person_pk": trust.person.pk}))
    assert full.content.decode().count("word59") == 7


def test_full_contact_list_logs_the_view_of_the_record(client_for, trust):
    # Every note of the person is on this page, so reading it is logged as the person page is.
    from peersupport.models import AuditEvent

    ContactFactory(person=trust.person, worker=trust.psw)
    response = client_for(trust.manager).get(reverse("caseload:contact-list", kwargs={"person_pk": trust.person.pk}))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", actor=trust.manager, subject_id=trust.person.pk).count() == 1
