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
    # 13: the governance roles behind the menu's Audit and Governance entries come with the user.
    with django_assert_num_queries(13) as one:
        client.get(reverse("home"))
    PersonFactory.create_batch(30, team=trust.north, assigned_worker=trust.psw)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))
