"""The wellbeing at work plan: the worker's own, versioned, shared only by their choice, withdrawn at once."""

from django.urls import reverse

from peersupport.models import Reminder
from supervision.models import WellbeingPlan

PLAN = {
    "keeps_me_well": "A walk at lunchtime",
    "early_signs": "I skip breaks",
    "triggers": "Back-to-back visits",
    "what_helps": "A check-in after a hard visit",
    "manager_can_do": "Ask in supervision",
}


def test_shared_read_withdrawn_then_404(client, trust):
    client.force_login(trust.psw)
    client.post(reverse("supervision:wellbeing-edit"), PLAN)
    plan = WellbeingPlan.objects.get(worker=trust.psw)
    url = reverse("supervision:wellbeing-shared", args=[plan.pk])

    client.force_login(trust.supervisor)
    assert client.get(url).status_code == 404  # private by default

    client.force_login(trust.psw)
    client.post(reverse("supervision:wellbeing-sharing"), {"share_with_supervisors": "on"})
    client.force_login(trust.supervisor)
    page = client.get(url)
    assert page.status_code == 200 and "A walk at lunchtime" in page.content.decode()

    client.force_login(trust.psw)
    client.post(reverse("supervision:wellbeing-sharing"), {})
    client.force_login(trust.supervisor)
    assert client.get(url).status_code == 404


def test_sharing_with_supervisors_is_not_sharing_with_the_team_or_managers(client_for, trust):
    plan = WellbeingPlan.objects.create(worker=trust.psw, share_with_supervisors=True)
    url = reverse("supervision:wellbeing-shared", args=[plan.pk])
    for user in (trust.manager, trust.colleague, trust.dev_lead, trust.admin, trust.other_psw):
        assert client_for(user).get(url).status_code == 404, user
    plan.share_with_team = True
    plan.save()
    assert client_for(trust.colleague).get(url).status_code == 200
    assert client_for(trust.manager).get(url).status_code == 200
    assert client_for(trust.other_psw).get(url).status_code == 404


def test_versions_are_kept(client_for, trust):
    client = client_for(trust.psw)
    client.post(reverse("supervision:wellbeing-edit"), PLAN)
    client.post(reverse("supervision:wellbeing-edit"), {**PLAN, "keeps_me_well": "Finishing on time"})
    plan = WellbeingPlan.objects.get(worker=trust.psw)
    assert [v.number for v in plan.versions.all()] == [2, 1]
    page = client.get(reverse("supervision:wellbeing-mine")).content.decode()
    assert "Finishing on time" in page and "Earlier versions" in page and "A walk at lunchtime" in page


def test_an_empty_plan_is_refused_and_nothing_saved(client_for, trust):
    response = client_for(trust.psw).post(reverse("supervision:wellbeing-edit"), {})
    assert response.status_code == 400
    assert "Write something in at least one section" in response.content.decode()
    assert not WellbeingPlan.objects.exists()


def test_never_nagged(client_for, trust):
    """No reminder, no "missing" badge, no column: a worker without a plan hears nothing about it."""
    from peersupport import reminders

    reminders.run_scans(force=True)
    assert not Reminder.objects.filter(kind__icontains="wellbeing").exists()
    for user in (trust.psw, trust.manager, trust.supervisor, trust.dev_lead):
        assert "wellbeing plan" not in client_for(user).get(reverse("home")).content.decode().lower()
    for user in (trust.manager, trust.dev_lead):
        page = client_for(user).get(reverse("supervision:compliance")).content.decode().lower()
        table = page[page.index("<table") : page.index("</table>")]
        assert "wellbeing" not in table and "plan" not in table
        assert "wellbeing" not in client_for(user).get(reverse("supervision:compliance-csv")).content.decode().lower()
    page = client_for(trust.psw).get(reverse("supervision:wellbeing-mine")).content.decode()
    assert "Optional, and yours" in page and "missing" not in page.lower()
