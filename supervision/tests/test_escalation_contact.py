"""Raising a risk concern starts with the worker's own supervisor as the escalation contact (issue #11):
supervision's plug-in suggests them, the concern form offers them first and keeps the choice open."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from caseload.models import EscalationRole, RiskConcern
from peersupport import plugins
from peersupport.models import EmploymentStatus, Role
from peersupport.tests.factories import make_worker
from supervision.models import AgreementType
from supervision.tests.factories import AgreementFactory


def concern_form(client_for, trust):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    return client_for(trust.psw).get(url)


def test_a_worker_with_a_supervisor_starts_with_them_and_the_role_supervisor(client_for, trust):
    response = concern_form(client_for, trust)
    form = response.context["form"]
    assert form["escalated_to"].value() == trust.supervisor.pk
    assert form["escalated_to_role"].value() == EscalationRole.SUPERVISOR
    page = response.content.decode()
    assert f'<option value="{trust.supervisor.pk}" selected>Sasha Stone' in page
    assert '<option value="supervisor" selected>Supervisor</option>' in page
    # The choice stays open: the manager and colleagues are still offered.
    offered = {user.pk for user in form.fields["escalated_to"].queryset}
    assert {trust.manager.pk, trust.colleague.pk} <= offered


def test_an_ended_agreement_is_ignored_and_the_manager_is_suggested(client_for, trust, today):
    trust.agreement.ends_on = today - dt.timedelta(days=1)
    trust.agreement.save()
    form = concern_form(client_for, trust).context["form"]
    assert form["escalated_to"].value() == trust.manager.pk
    assert form["escalated_to_role"].value() == EscalationRole.TEAM_MANAGER


def test_an_agreement_not_yet_started_is_ignored(client_for, trust, today):
    trust.agreement.starts_on = today + dt.timedelta(days=1)
    trust.agreement.save()
    assert concern_form(client_for, trust).context["form"]["escalated_to"].value() == trust.manager.pk


def test_line_management_or_clinical_supervision_comes_before_peer_supervision(client_for, trust, today):
    AgreementFactory(
        supervisor=trust.dev_worker,
        supervisee=trust.psw,
        agreement_type=AgreementType.CLINICAL,
        starts_on=today - dt.timedelta(days=10),
    )
    form = concern_form(client_for, trust).context["form"]
    assert form["escalated_to"].value() == trust.dev_worker.pk
    assert form["escalated_to_role"].value() == EscalationRole.SUPERVISOR


def test_a_supervisor_not_in_post_or_not_offered_is_skipped_for_the_next_agreement(client_for, trust, today):
    away = make_worker(trust.devteam, Role.DEVELOPMENT_WORKER, employment_status=EmploymentStatus.LONG_LEAVE)
    AgreementFactory(supervisor=away, supervisee=trust.psw, agreement_type=AgreementType.CLINICAL)
    # Omar manages another team: not someone Priya may escalate a concern about Sam to.
    AgreementFactory(supervisor=trust.other_manager, supervisee=trust.psw, agreement_type=AgreementType.LINE_MANAGEMENT)
    form = concern_form(client_for, trust).context["form"]
    offered = {user.pk for user in form.fields["escalated_to"].queryset}
    assert away.pk not in offered and trust.other_manager.pk not in offered
    assert form["escalated_to"].value() == trust.supervisor.pk  # the peer supervisor, the next in order


def test_a_supervisor_who_manages_the_persons_team_is_suggested_as_their_team_manager(client_for, trust):
    # The role they hold, as the concern records it when saved.
    AgreementFactory(supervisor=trust.manager, supervisee=trust.psw, agreement_type=AgreementType.LINE_MANAGEMENT)
    form = concern_form(client_for, trust).context["form"]
    assert form["escalated_to"].value() == trust.manager.pk
    assert form["escalated_to_role"].value() == EscalationRole.TEAM_MANAGER


def test_the_worker_may_still_choose_someone_else_and_it_is_saved_as_chosen(client_for, trust):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    response = client_for(trust.psw).post(
        url,
        {
            "description": "Sam said they feel unsafe at home.",
            "severity": "high",
            "escalated_to": trust.colleague.pk,
            "escalated_to_role": EscalationRole.DUTY_WORKER,
        },
    )
    concern = RiskConcern.objects.get()
    assert response.status_code == 302
    assert concern.escalated_to == trust.colleague and concern.escalated_to_role == EscalationRole.DUTY_WORKER


def test_the_supervisor_suggested_is_saved_with_the_role_supervisor(client_for, trust):
    url = reverse("caseload:concern-create", kwargs={"person_pk": trust.person.pk})
    client = client_for(trust.psw)
    form = client.get(url).context["form"]
    data = {
        "description": "Sam said they feel unsafe at home.",
        "severity": "high",
        "escalated_to": form["escalated_to"].value(),
        "escalated_to_role": form["escalated_to_role"].value(),
    }
    client.post(url, data)
    concern = RiskConcern.objects.get()
    assert concern.escalated_to == trust.supervisor and concern.escalated_to_role == EscalationRole.SUPERVISOR


def test_the_escalation_contact_plug_in_is_registered_once(trust):
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        plugins.register_escalation_contact("supervision", lambda worker, person, among: None)
