"""The audit search: administrators and the information governance lead only; filters by who, whom,
action and dates; paginated; CSV and XLSX of the filtered events; bad filters answered beside the field."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from peersupport import audit
from peersupport.models import AuditEvent

URL = "/audit/"


@pytest.fixture
def events(trust):
    from caseload.models import Person

    Person.objects.filter(pk=trust.person.pk).update(nhs_number="9434765919")
    Person.objects.filter(pk=trust.other_person.pk).update(nhs_number="9434765870")
    trust.person.refresh_from_db()
    trust.other_person.refresh_from_db()
    with time_machine.travel("2026-11-10 09:00 +0000", tick=False):
        audit.record(audit.VIEW, actor=trust.psw, target=trust.person)
    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):
        audit.record(audit.VIEW, actor=trust.manager, target=trust.other_person)
        audit.record(audit.SIGN_IN_FAILED, actor_email="nobody@example.org")
        audit.record(audit.VIEW, actor=trust.manager, target=trust.psw)


def _rows(response):
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("role", ["psw", "manager", "dev_lead", "clinical_reviewer"])
def test_only_administrators_and_the_governance_lead_may_search(client_for, trust, role):
    client = client_for(getattr(trust, role))
    for name in ("audit-search", "audit-search-csv", "audit-search-xlsx"):
        assert client.get(reverse(name)).status_code == 404
    assert "/audit/" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", ["admin", "ig_lead"])
def test_the_search_is_in_their_menu(client_for, trust, role):
    client = client_for(getattr(trust, role))
    assert 'href="/audit/"' in client.get(reverse("home")).content.decode()
    assert client.get(URL).status_code == 200


def test_filters_by_who_whom_action_and_dates(client_for, trust, events):
    client = client_for(trust.ig_lead)
    by_manager = _rows(client.get(URL, {"who": trust.manager.email, "action": "view"}))
    assert {e.target for e in by_manager} == {trust.other_person, trust.psw}
    name = trust.person.given_name + " " + trust.person.family_name
    by_name = _rows(client.get(URL, {"whom": name, "action": "view"}))
    assert [e.target for e in by_name] == [trust.person]
    nhs = trust.other_person.nhs_number
    by_nhs = _rows(client.get(URL, {"whom": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "action": "view"}))
    assert [e.target for e in by_nhs] == [trust.other_person]
    about_staff = _rows(client.get(URL, {"whom": trust.psw.email, "action": "view"}))
    assert [e.subject for e in about_staff] == [trust.psw]
    failed = _rows(client.get(URL, {"who": "nobody@example.org"}))
    assert [e.action for e in failed] == ["sign-in-failed"]
    dated = _rows(client.get(URL, {"date_from": "2026-11-01", "date_to": "2026-11-15", "action": "view"}))
    assert [e.target for e in dated] == [trust.person]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"date_from": "31/02/2026"}, "date_from", "Enter a valid date"),
        ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "date_to", "on or after the start date"),
        ({"action": "<script>"}, "action", "Select a valid choice"),
        ({"who": "x" * 500}, "who", "at most 200 characters"),
    ],
)
def test_bad_filters_are_answered_beside_the_field(client_for, trust, events, params, field, message):
    client = client_for(trust.admin)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'id="id_{field}-error"' in response.content.decode()
    download = client.get(reverse("audit-search-csv"), params)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/html")


def test_downloads_hold_the_filtered_events_and_are_audited(client_for, trust, events):
    client = client_for(trust.ig_lead)
    response = client.get(reverse("audit-search-csv"), {"who": trust.manager.email, "action": "view"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("When (UTC),Who,")
    assert len(lines) == 3 and all("2026-11-20 09:00:00" in line for line in lines[1:])
    assert str(trust.other_person) in response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("audit-search-xlsx"), {"whom": trust.person.nhs_number, "action": "view"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2 and rows[1][8] == str(trust.person)
    downloads = AuditEvent.objects.filter(action=audit.DOWNLOAD, actor=trust.ig_lead)
    assert sorted(downloads.values_list("detail", flat=True)) == ["audit search, csv", "audit search, xlsx"]


def test_the_page_runs_a_fixed_number_of_queries(client_for, trust, events, django_assert_num_queries):
    client = client_for(trust.admin)
    client.get(URL)
    with django_assert_num_queries(7) as first:  # the user's roles come with the user
        client.get(URL, {"action": "view"})
    for n in range(30):
        audit.record(audit.VIEW, actor=trust.manager, target=trust.person if n % 2 else trust.psw)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(URL, {"action": "view"})
    assert len(_rows(response)) == 33


def test_pages_of_fifty_newest_first(client_for, trust):
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    for n in range(60):
        with time_machine.travel(start + dt.timedelta(minutes=n), tick=False):
            audit.record(audit.SIGN_IN, actor=trust.psw)
    client = client_for(trust.admin)  # signing in is an event too: Priya's 60 are asked for by name
    first = client.get(URL, {"action": "sign-in", "who": "priya"})
    assert len(_rows(first)) == 50 and _rows(first)[0].at == start + dt.timedelta(minutes=59)
    second = client.get(URL, {"action": "sign-in", "who": "priya", "page": 2})
    assert len(_rows(second)) == 10
    assert "page=1" in second.content.decode()


def test_the_admin_shows_the_audit_read_only(client_for, trust, events):
    client = client_for(trust.admin)
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:peersupport_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:peersupport_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:peersupport_auditevent_delete", args=[event.pk])).status_code == 403
    client.post(reverse("admin:peersupport_auditevent_change", args=[event.pk]), {"detail": "rewritten"})
    assert AuditEvent.objects.get(pk=event.pk).detail == event.detail
