from django.urls import reverse

from caseload.tests.factories import PersonFactory
from peersupport.models import EmploymentStatus


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_psw_home_shows_their_own_caseload_only(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.colleague, given_name="Colin", family_name="Colleague")
    page = client_for(trust.psw).get(reverse("home")).content.decode()
    assert "My caseload" in page and "Sam Sutton" in page
    assert "Colin" not in page and "Sol Sharp" not in page


def test_manager_home_shows_team_workers_and_who_needs_a_worker(client_for, trust):
    trust.colleague.employment_status = EmploymentStatus.LEFT
    trust.colleague.save()
    PersonFactory(team=trust.north, assigned_worker=trust.colleague, given_name="Nina", family_name="Needs")
    PersonFactory(team=trust.south, assigned_worker=None, given_name="Other", family_name="Team")
    page = client_for(trust.manager).get(reverse("home")).content.decode()
    assert "Your teams: North CMHT" in page
    assert "Priya Patel" in page and "Nina Needs" in page
    assert "Other Team" not in page and "Olive" not in page


def test_development_team_home_shows_the_workforce_not_caseloads(client_for, trust):
    page = client_for(trust.dev_worker).get(reverse("home")).content.decode()
    assert "Peer workforce across the trust" in page
    assert "North CMHT" in page and "South CMHT" in page
    assert "Sam Sutton" not in page


def test_home_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.manager)
    client.get(reverse("home"))
    # 12: the governance roles behind the menu's Audit and Governance entries, and the user's teams
    # and roles, come with the user.
    with django_assert_num_queries(12) as one:
        client.get(reverse("home"))
    PersonFactory.create_batch(30, team=trust.north, assigned_worker=trust.psw)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))


def test_the_governance_roles_home_shows_their_work_waiting(client_for, trust, django_assert_num_queries):
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from peersupport.models import Destruction, SubjectAccessRequest

    person_type = ContentType.objects.get_for_model(trust.person)
    today = dt.date.today()

    def request(status, due_on):
        return SubjectAccessRequest.objects.create(
            subject_type=person_type,
            subject_id=trust.person.pk,
            requested_by="Sam, by letter",
            received_on=due_on - dt.timedelta(days=30),
            due_on=due_on,
            status=status,
            opened_by=trust.ig_lead,
        )

    request("open", today + dt.timedelta(days=10))
    request("open", today - dt.timedelta(days=2))  # past its due date
    request("prepared", today + dt.timedelta(days=5))
    request("released", today - dt.timedelta(days=20))  # done: not counted as overdue
    Destruction.objects.create(
        subject_type=person_type,
        subject_id=trust.person.pk,
        basis="20 years",
        reason="Reviewed",
        confirmed_by=trust.ig_lead,
    )
    lead = client_for(trust.ig_lead)
    lead.get(reverse("home"))
    # Session, user with their roles, the safety section's alerts (2), then one query each for the
    # requests' counts and the destructions, however many there are.
    with django_assert_num_queries(6):
        page = lead.get(reverse("home")).content.decode()
    assert "Information governance lead" in page and "has no role in a team" not in page
    assert "not prepared: <strong>2</strong>" in page
    assert "release: <strong>1</strong>" in page
    assert "Past their due date and not yet released: <strong>1</strong>" in page
    assert "agreement: <strong>1</strong>" in page
    reviewer = client_for(trust.clinical_reviewer).get(reverse("home")).content.decode()
    assert "Clinical reviewer" in reviewer and "release: <strong>1</strong>" in reviewer
    assert "not prepared" not in reviewer  # the reviewer sees prepared exports only
    assert "Information governance" not in client_for(trust.psw).get(reverse("home")).content.decode()
    for _ in range(5):
        request("prepared", today)
    lead = client_for(trust.ig_lead)
    lead.get(reverse("home"))
    with django_assert_num_queries(6):
        assert "release: <strong>6</strong>" in lead.get(reverse("home")).content.decode()
