import pytest
from django.urls import reverse

from caseload.models import Resource
from caseload.tests.factories import ResourceFactory

LIST = reverse("caseload:resource-list")


def resource_data(**overrides) -> dict:
    data = {
        "name": "Bassetlaw Recovery College",
        "category": "recovery_college",
        "provider": "trust",
        "area": "Bassetlaw",
        "how_to_refer": "Self-referral online or by phone.",
        "website": "recovery.example.nhs.uk",
        "active": "on",
        "checked_on": "2026-11-01",
    }
    data.update(overrides)
    return data


def test_staff_add_and_keep_the_directory_current(client_for, trust):
    client = client_for(trust.psw)
    assert client.post(reverse("caseload:resource-create"), resource_data()).status_code == 302
    resource = Resource.objects.get()
    assert resource.website == "https://recovery.example.nhs.uk" and resource.updated_by == trust.psw
    data = resource_data(active="", checked_on="2026-11-20")
    client_for(trust.manager).post(reverse("caseload:resource-edit", args=[resource.pk]), data)
    resource.refresh_from_db()
    assert not resource.active and resource.updated_by == trust.manager
    assert resource.history.count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"how_to_refer": ""}, "how_to_refer"),
        ({"website": "not a url"}, "website"),
        ({"email": "nope"}, "email"),
        ({"checked_on": "2099-01-01"}, "checked_on"),
        ({"category": "spaceship"}, "category"),
    ],
)
def test_bad_resources_are_refused(client_for, trust, overrides, field):
    response = client_for(trust.psw).post(reverse("caseload:resource-create"), resource_data(**overrides))
    assert field in response.context["form"].errors
    assert not Resource.objects.exists()


def test_directory_search_and_filters(client_for, trust):
    ResourceFactory(name="Walking for wellbeing", category="physical")
    ResourceFactory(name="Citizens Advice", category="money", description="Help with benefits and debt.")
    ResourceFactory(name="Closed cafe", active=False)
    client = client_for(trust.dev_worker)
    names = lambda **q: [r.name for r in client.get(LIST, q).context["resources"]]  # noqa: E731
    assert names(q="benefits") == ["Citizens Advice"]
    assert names(category="physical") == ["Walking for wellbeing"]
    assert "Closed cafe" not in names() and "Closed cafe" in names(inactive="1")


def test_development_team_reads_but_does_not_edit_the_directory(client_for, trust):
    resource = ResourceFactory()
    client = client_for(trust.dev_lead)
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("caseload:resource-create")).status_code == 403
    assert client.get(reverse("caseload:resource-edit", args=[resource.pk])).status_code == 403


def test_directory_runs_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries):
    client = client_for(trust.psw)
    ResourceFactory()
    client.get(LIST)
    with django_assert_num_queries(3) as one:  # the user's roles come with the user
        client.get(LIST)
    ResourceFactory.create_batch(49)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(LIST).context["resources"]) == 50


def test_adding_a_resource_asks_the_role_not_an_empty_record(client_for, trust, monkeypatch):
    def refuse(resource, user):
        raise AssertionError("asked an unsaved resource for permission")

    monkeypatch.setattr(Resource, "can_edit", refuse)
    assert client_for(trust.psw).get(reverse("caseload:resource-create")).status_code == 200
    assert client_for(trust.dev_worker).get(reverse("caseload:resource-create")).status_code == 403
