"""Risk concerns: the named person is alerted at once; unacknowledged, it goes up the chain."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from caseload.kinds import NotificationKind
from caseload.models import ConcernSeverity, ConcernStatus, RiskConcern, SafetyEvent
from caseload.services.safety import acknowledge_concern, resolve_concern, scan_unacknowledged_concerns
from caseload.tests.factories import PersonFactory
from caseload.tests.safety_helpers import concern_for
from peersupport import reminders
from peersupport.models import Notification
from peersupport.tests.factories import make_worker


def alerted(concern, stage):
    return set(
        SafetyEvent.objects.filter(concern=concern, kind="alert", stage=stage).values_list(
            "recipient__first_name", flat=True
        )
    )


def run_at(moment):
    with time_machine.travel(moment):
        scan_unacknowledged_concerns()
        reminders.send_due_reminders()


def test_raising_a_concern_alerts_the_named_person_at_once(trust, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern_for(trust, escalated_to=trust.colleague)
    notification = Notification.objects.get(recipient=trust.colleague)
    assert notification.kind == NotificationKind.RISK_CONCERN and "please acknowledge" in notification.title
    assert [m.to for m in mail.outbox] == [[trust.colleague.email]]
    # Clinical detail stays in the app: the email says a concern was raised, not what it is.
    assert "not wanting to be here" not in mail.outbox[0].body


def test_unacknowledged_high_concern_goes_to_the_manager_then_the_development_lead(trust):
    concern = concern_for(trust, severity=ConcernSeverity.HIGH)
    raised = concern.raised_at
    run_at(raised + timedelta(minutes=29))
    assert alerted(concern, "level-1") == set()
    run_at(raised + timedelta(minutes=30))
    assert alerted(concern, "level-1") == {"Maya"}
    run_at(raised + timedelta(minutes=60))
    assert alerted(concern, "level-2") == {"Dana"}
    run_at(raised + timedelta(hours=10))
    assert SafetyEvent.objects.filter(concern=concern, kind="alert").count() == 3


def test_a_low_concern_waits_longer_before_escalating(trust):
    concern = concern_for(trust, severity=ConcernSeverity.LOW)
    run_at(concern.raised_at + timedelta(hours=23))
    assert alerted(concern, "level-1") == set()
    run_at(concern.raised_at + timedelta(hours=24))
    assert alerted(concern, "level-1") == {"Maya"}


def test_acknowledging_stops_escalation_and_tells_the_raiser(trust):
    concern = concern_for(trust)
    assert acknowledge_concern(concern, by=trust.colleague)
    assert not acknowledge_concern(concern, by=trust.colleague)
    run_at(concern.raised_at + timedelta(hours=5))
    assert alerted(concern, "level-1") == set()
    assert Notification.objects.filter(recipient=trust.psw, kind=NotificationKind.CONCERN_UPDATE).exists()


def test_resolving_keeps_the_note(trust):
    concern = concern_for(trust)
    assert resolve_concern(concern, by=trust.manager, note="Spoke with the crisis team; plan in place.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED and concern.resolution_note.startswith("Spoke")
    latest = concern.history.first()
    assert concern.history.count() == 2 and latest.status == ConcernStatus.RESOLVED
    assert latest.history_user == trust.manager


def test_psw_sees_concerns_of_their_own_caseload_only(trust):
    mine = concern_for(trust)
    other_person = PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    theirs = RiskConcern.objects.create(
        person=other_person,
        raised_by=trust.colleague,
        description="x",
        severity="low",
        escalated_to=trust.manager,
        escalated_to_role="supervisor",
    )
    visible = set(RiskConcern.objects.visible_to(trust.psw))
    assert mine in visible and theirs not in visible
    # The named person sees the concern escalated to them, to acknowledge it.
    assert mine in set(RiskConcern.objects.visible_to(trust.colleague))
    assert set(RiskConcern.objects.visible_to(trust.other_manager)) == set()


def test_raise_acknowledge_resolve_through_the_pages(client_for, trust):
    client = client_for(trust.psw)
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    response = client.post(
        url,
        {
            "description": "Sam said they feel unsafe at home.",
            "severity": "high",
            "escalated_to": trust.manager.pk,
            "escalated_to_role": "supervisor",
        },
    )
    concern = RiskConcern.objects.get()
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    manager = client_for(trust.manager)
    page = manager.get(concern.get_absolute_url()).content.decode()
    assert "Sam said they feel unsafe at home." in page and "Acknowledge" in page
    manager.post(reverse("caseload:concern-acknowledge", kwargs={"concern_pk": concern.pk}))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.acknowledged_by == trust.manager
    resolve = reverse("caseload:concern-resolve", kwargs={"concern_pk": concern.pk})
    assert manager.post(resolve, {"note": ""}).status_code == 400
    manager.post(resolve, {"note": "Safety plan agreed with Sam."})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED


def test_raising_from_a_contact_links_it(client_for, trust):
    from caseload.models import Contact

    contact = Contact.objects.create(person=trust.person, worker=trust.psw, risk_flag=True)
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk}) + f"?contact={contact.pk}"
    client = client_for(trust.psw)
    assert "from the contact on" in client.get(url).content.decode()
    client.post(
        url,
        {
            "description": "x",
            "severity": "moderate",
            "escalated_to": trust.manager.pk,
            "escalated_to_role": "duty_worker",
            "contact": contact.pk,
        },
    )
    assert RiskConcern.objects.get().contact == contact


def test_bad_concern_input_is_explained_and_saves_nothing(client_for, trust):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    response = client_for(trust.psw).post(url, {"severity": "extreme", "escalated_to": trust.other_manager.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Describe the concern." in page and "Select a valid choice" in page
    assert RiskConcern.objects.count() == 0


def test_a_tampered_contact_id_is_not_found(client_for, trust):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    client = client_for(trust.psw)
    assert client.get(url + "?contact=abc").status_code == 404
    assert client.get(url + "?contact=999999").status_code == 404


def test_acknowledging_someone_elses_concern_is_refused_and_changes_nothing(client_for, trust):
    concern = concern_for(trust, escalated_to=trust.colleague)
    # Maya manages the team, so she can see the concern, but it was not escalated to her.
    response = client_for(trust.manager).post(
        reverse("caseload:concern-acknowledge", kwargs={"concern_pk": concern.pk})
    )
    assert response.status_code == 403
    assert "Only the people this concern was escalated to can acknowledge it" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN and concern.acknowledged_by is None
    # Someone who cannot see it at all gets "not found".
    response = client_for(trust.other_psw).post(
        reverse("caseload:concern-acknowledge", kwargs={"concern_pk": concern.pk})
    )
    assert response.status_code == 404


def test_person_page_and_home_pages_show_open_concerns(client_for, trust):
    concern_for(trust, escalated_to=trust.colleague)
    person_page = client_for(trust.psw).get(trust.person.get_absolute_url()).content.decode()
    assert "Needs attention" in person_page and "Sam spoke about" in person_page
    assert "Raise a risk concern" in person_page and "Start a visit" in person_page
    for user in (trust.psw, trust.manager):
        home = client_for(user).get(reverse("home")).content.decode()
        assert "Open risk concerns" in home and "Sam Sutton: high" in home
    colleague_home = client_for(trust.colleague).get(reverse("home")).content.decode()
    assert "Safety alerts waiting for you" in colleague_home
    assert "Sam Sutton" not in client_for(trust.other_manager).get(reverse("home")).content.decode()


def test_person_page_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.manager)
    url = trust.person.get_absolute_url()
    concern_for(trust)
    client.get(url)
    with django_assert_num_queries(99, exact=False) as one:
        client.get(url)
    for _ in range(20):
        concern_for(trust)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_concern_detail_logs_the_view(client_for, trust):
    from peersupport.models import AuditEvent

    concern = concern_for(trust)
    client_for(trust.manager).get(concern.get_absolute_url())
    assert AuditEvent.objects.filter(action="view", actor=trust.manager, subject_id=trust.person.pk).exists()


def test_concern_escalation_scan_is_idempotent(trust):
    concern_for(trust)
    moment = timezone.now() + timedelta(minutes=31)
    run_at(moment)
    run_at(moment)
    assert Notification.objects.filter(recipient=trust.manager).count() == 1


def test_home_safety_sections_run_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    from caseload.tests.safety_helpers import visit_for
    from peersupport.tests.factories import make_worker

    concern_for(trust, escalated_to=trust.manager)
    visit_for(trust)
    client = client_for(trust.manager)
    client.get(reverse("home"))
    with django_assert_num_queries(99, exact=False) as one:
        client.get(reverse("home"))
    for _ in range(20):
        concern_for(trust, escalated_to=trust.manager)
        visit_for(trust, worker=make_worker(trust.north), buddy=trust.psw)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Sam Sutton: high") == 21


def test_home_safety_section_shows_the_concerns_of_the_people_a_worker_covers(client_for, trust):
    # The section takes its people from Person.objects.visible_to, so cover counts as it does elsewhere.
    import datetime as dt

    from django.utils import timezone

    from caseload.models import CaseloadCover, CoverReason

    concern_for(trust, escalated_to=trust.manager)
    badge = 'Open risk concerns <span class="badge text-bg-danger">1</span>'
    assert badge not in client_for(trust.colleague).get(reverse("home")).content.decode()
    today = timezone.localdate()
    CaseloadCover.objects.create(
        team=trust.north,
        absent_worker=trust.psw,
        covering_worker=trust.colleague,
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        reason=CoverReason.ANNUAL_LEAVE,
        granted_by=trust.manager,
    )
    page = client_for(trust.colleague).get(reverse("home")).content.decode()
    assert badge in page and "Sam Sutton: high" in page


def test_the_concern_form_starts_with_the_managers_of_the_persons_team_when_no_app_suggests_a_contact(
    client_for, trust
):
    # Paul has no supervision agreement (supervision's plug-in suggests nobody): the manager, as before.
    from caseload.models import EscalationRole

    person = PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    response = client_for(trust.colleague).get(reverse("caseload:concern-create", kwargs={"person_pk": person.pk}))
    form = response.context["form"]
    assert form["escalated_to"].value() == trust.manager.pk
    assert form["escalated_to_role"].value() == EscalationRole.TEAM_MANAGER
    assert trust.psw.pk in {u.pk for u in form.fields["escalated_to"].queryset}  # still a choice


def test_the_concern_form_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    client = client_for(trust.psw)
    client.get(url)
    # 6: the session, the user with their roles, the person, the escalation contact an app suggests
    # (supervision: Priya's supervisor), whether the form offers them with the fallback manager of the
    # person's team in the same query, and the choices. The app's suggestion is the one query more.
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(10):
        make_worker(trust.north)
    with django_assert_num_queries(6):
        client.get(url)
    # Whoever is suggested, or nobody: the same queries.
    person = PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    client = client_for(trust.colleague)
    url = reverse("caseload:concern-create", kwargs={"person_pk": person.pk})
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).context["form"]["escalated_to"].value() == trust.manager.pk
