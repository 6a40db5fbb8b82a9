"""Downloads of the board and of the person list: scoped exactly as the page, formulas neutralised."""

import csv
import io

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from caseload.models import Person, PersonStatus
from caseload.tests.factories import PersonFactory
from peersupport.exports import neutralise
from peersupport.models import AuditEvent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Sam Sutton", "Sam Sutton"),
        (-2, -2),
    ],
)
def test_text_a_spreadsheet_would_run_is_neutralised(value, expected):
    assert neutralise(value) == expected


def test_board_csv_matches_the_page_rows_and_team_total(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    rows = read_csv(client_for(trust.manager).get(reverse("caseload:review-board-csv"), {"sort": "-caseload"}))
    header = rows[0]
    assert header[:7] == ["Team", "Peer support worker", "Status", "Contracted hours", "Caseload", "Capacity", "Load %"]
    assert "Average goal-based outcome change" in header
    assert [r[1] for r in rows[1:]] == ["Paul Price", "Priya Patel", "Team total"]
    assert [r[4] for r in rows[1:]] == ["2", "1", "3"]


def test_board_xlsx_is_scoped_to_the_filtered_worker(client_for, trust):
    response = client_for(trust.manager).get(reverse("caseload:review-board-xlsx"), {"worker": trust.psw.pk})
    rows = read_xlsx(response)
    assert [r[1] for r in rows[1:]] == ["Priya Patel", "Team total"]
    assert rows[1][4] == 1 and rows[1][5] == 15  # numbers stay numbers


def test_board_export_never_includes_another_managers_team(client_for, trust):
    for name in ("caseload:review-board-csv", "caseload:review-board-xlsx"):
        response = client_for(trust.manager).get(reverse(name), {"status": "any"})
        assert b"Olive" not in response.content and b"South" not in response.content


def test_board_export_with_a_filter_not_offered_is_refused_and_says_why(client_for, trust):
    client = client_for(trust.manager)
    assert client.get(reverse("caseload:review-board-csv"), {"team": trust.south.pk}).status_code == 404
    response = client.get(reverse("caseload:review-board-csv"), {"sort": "salary"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 400
    assert "The download was not made" in page.content.decode()


def test_person_list_exports_hold_exactly_the_filtered_people(client_for, trust):
    closed = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    PersonFactory(team=trust.north, assigned_worker=trust.colleague, given_name="Pat", family_name="Other")
    client = client_for(trust.manager)
    params = {"worker": trust.psw.pk, "status": "any", "sort": "name"}
    page = client.get(reverse("caseload:review-people"), params)
    expected = [p.display_name for p in page.context["people"]]
    assert sorted(expected) == sorted([trust.person.display_name, closed.display_name])
    csv_rows = read_csv(client.get(reverse("caseload:review-people-csv"), params))
    xlsx_rows = read_xlsx(client.get(reverse("caseload:review-people-xlsx"), params))
    assert [r[0] for r in csv_rows[1:]] == expected
    assert [r[0] for r in xlsx_rows[1:]] == expected
    assert csv_rows[0][:5] == ["Name", "NHS number", "Status", "Team", "Peer support worker"]


def test_names_that_look_like_formulas_are_neutralised_in_both_downloads(client_for, trust):
    PersonFactory(team=trust.north, assigned_worker=trust.psw, given_name="=cmd|' /C calc'!A0", family_name="+Smith")
    client = client_for(trust.manager)
    params = {"worker": trust.psw.pk, "sort": "name"}
    csv_names = [r[0] for r in read_csv(client.get(reverse("caseload:review-people-csv"), params))[1:]]
    xlsx_rows = read_xlsx(client.get(reverse("caseload:review-people-xlsx"), params))
    assert "'=cmd|' /C calc'!A0 +Smith" in csv_names
    assert "'=cmd|' /C calc'!A0 +Smith" in [r[0] for r in xlsx_rows[1:]]
    workbook = load_workbook(io.BytesIO(client.get(reverse("caseload:review-people-xlsx"), params).content))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_worker_names_that_look_like_formulas_are_neutralised_in_the_board(client_for, trust):
    trust.colleague.first_name = "@SUM(1+1)"
    trust.colleague.save()
    client = client_for(trust.manager)
    csv_workers = [r[1] for r in read_csv(client.get(reverse("caseload:review-board-csv")))]
    xlsx_workers = [r[1] for r in read_xlsx(client.get(reverse("caseload:review-board-xlsx")))]
    assert "'@SUM(1+1) Price" in csv_workers and "'@SUM(1+1) Price" in xlsx_workers


def test_person_list_export_never_reaches_another_team(client_for, trust):
    client = client_for(trust.manager)
    for name in ("caseload:review-people-csv", "caseload:review-people-xlsx"):
        assert b"Sol" not in client.get(reverse(name), {"status": "any"}).content
        assert client.get(reverse(name), {"worker": trust.other_psw.pk}).status_code == 404


@pytest.mark.parametrize("name", ["caseload:review-people-csv", "caseload:review-board-xlsx"])
def test_exports_are_for_managers_only(client_for, trust, name):
    assert client_for(trust.psw).get(reverse(name)).status_code == 404


def test_a_person_list_download_logs_a_view_of_each_person_in_it_and_nobody_else(client_for, trust):
    closed = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    other = PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    url = reverse("caseload:review-people-xlsx")
    with time_machine.travel("2026-11-24 10:15 +0000", tick=False):  # signed in just now: no re-authentication
        client = client_for(trust.manager)
        client.get(reverse("caseload:review-people"), {"worker": trust.psw.pk})
        # The page lists people; opening or downloading is a view.
        assert not AuditEvent.objects.filter(action="view").exists()
        assert client.get(url, {"worker": trust.psw.pk, "status": "any"}).status_code == 200
    person_type = ContentType.objects.get_for_model(Person)
    views = AuditEvent.objects.filter(action="view", target_type=person_type)
    assert sorted(views.values_list("target_id", flat=True)) == sorted([trust.person.pk, closed.pk])
    assert {(v.actor, v.path, v.at.isoformat(), v.subject_type, v.subject_id == v.target_id) for v in views} == {
        (trust.manager, url, "2026-11-24T10:15:00+00:00", person_type, True)
    }
    assert other.pk not in set(views.values_list("target_id", flat=True))
    client.get(reverse("caseload:review-people-csv"), {"team": trust.south.pk})  # not offered: no download
    assert views.count() == 2
