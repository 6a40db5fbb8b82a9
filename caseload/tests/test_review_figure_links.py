"""Every figure on the board links to the people behind it, filtered and scoped as the board is:
each count of people equals the length of the list it links to; a total of records (contacts,
risk concerns, goals) equals the records of the people listed."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from caseload.models import ContactType, GoalStatus, PersonStatus
from caseload.review.columns import columns
from caseload.services import safety
from caseload.tests.factories import (
    ContactFactory,
    DialogAssessmentFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
)
from peersupport.models import EmploymentStatus
from peersupport.tests.factories import make_worker

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=LONDON)
BOARD = reverse("caseload:review-board")
PEOPLE = reverse("caseload:review-people")


@pytest.fixture
def busy_team(trust):
    """Priya and Paul with people in every state the figures count; a leaver's person; an
    unallocated person; and another team's person, who must never be counted."""
    with time_machine.travel(NOW, tick=False):
        now, today = timezone.now(), timezone.localdate()

        def ago(days):
            return now - dt.timedelta(days=days)

        for worker in (trust.psw, trust.colleague):
            seen = PersonFactory(team=trust.north, assigned_worker=worker)
            ContactFactory(person=seen, worker=worker, contact_at=ago(2))
            ContactFactory(person=seen, worker=worker, contact_at=ago(3), contact_type=ContactType.PHONE)
            three_weeks = PersonFactory(team=trust.north, assigned_worker=worker, status=PersonStatus.REFERRED)
            ContactFactory(person=three_weeks, worker=worker, contact_at=ago(20))
            RecoveryPlanFactory(person=three_weeks, version=1, review_on=today - dt.timedelta(days=5))
            PersonFactory(team=trust.north, assigned_worker=worker, status=PersonStatus.PAUSED)
            RecoveryGoalFactory(person=seen, status=GoalStatus.ACHIEVED, status_changed_on=today)
            RecoveryGoalFactory(person=seen, status=GoalStatus.ACHIEVED, status_changed_on=today)
            closed = PersonFactory(
                team=trust.north, assigned_worker=worker, status=PersonStatus.CLOSED, status_changed_on=today
            )
            RecoveryGoalFactory(person=closed, status=GoalStatus.ACHIEVED, status_changed_on=today)
            for _ in range(2):
                DialogAssessmentFactory(person=seen)
        for _ in range(2):
            safety.raise_concern(
                person=trust.person,
                contact=None,
                raised_by=trust.psw,
                description="Said they felt unsafe at home.",
                severity="high",
                escalated_to=trust.manager,
                escalated_to_role="duty_worker",
            )
        leaver = make_worker(
            trust.north, first_name="Leah", last_name="Fletcher", employment_status=EmploymentStatus.LEFT
        )
        PersonFactory(team=trust.north, assigned_worker=leaver)
        PersonFactory(team=trust.north, assigned_worker=None)
        PersonFactory(team=trust.south, assigned_worker=trust.other_psw)
    return trust


def figure_links(body: str) -> dict[str, str]:
    """Each linked figure's href on the board, by "row|figure"."""
    return {href: html.unescape(href) for href in re.findall(r'href="(/caseload/review/people/\?[^"]+)"', body)}


@pytest.mark.parametrize("board_params", [{}, {"status": "any"}, {"worker": "psw"}], ids=["current", "any", "worker"])
def test_each_figure_equals_the_list_it_links_to(client_for, busy_team, board_params):
    trust = busy_team
    if board_params.get("worker") == "psw":
        board_params = {"worker": trust.psw.pk}
    client = client_for(trust.manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(BOARD, board_params)
        board = response.context["board"]
        body = response.content.decode()
        checked = 0
        rows = [(row, f"team={row.team.pk}&worker={row.worker.pk}&") for row in board.rows]
        rows += [(section, f"team={section.team.pk}&") for section in board.sections]
        for figures, prefix in rows:
            for col in columns():
                value = figures.value(col.key)
                if col.kind == "mean":
                    value = figures.cases[col.key]
                if not value:
                    continue
                link = html.unescape(figures.link) + col.key
                assert html.escape(link) in body, (col.key, link)
                assert link.startswith(f"{PEOPLE}?{prefix}")
                listed = client.get(link)
                assert listed.status_code == 200
                people = listed.context["people"]
                if col.kind == "mean" or col.per_person:
                    assert len(people) == value, (col.key, link)
                else:
                    assert listed.context["records"] == value, (col.key, link)
                    assert all(p.figure_records for p in people)
                assert {p.team_id for p in people} <= {trust.north.pk}
                checked += 1
    assert checked >= 14


def test_the_figures_that_count_people_are_those_the_brief_names(client_for, busy_team):
    trust = busy_team
    client = client_for(trust.manager)
    with time_machine.travel(NOW, tick=False):
        section = client.get(BOARD).context["board"].sections[0]
        expected = {"caseload": 7, "not_seen_14": 3, "not_seen_28": 1, "plans_past_review": 2}
        for key, n in expected.items():
            assert section.value(key) == n
            people = client.get(f"{section.link.replace('&amp;', '&')}{key}").context["people"]
            assert len(people) == n
        concerns = client.get(f"{section.link.replace('&amp;', '&')}open_risk_concerns")
        assert [p.pk for p in concerns.context["people"]] == [trust.person.pk]
        assert concerns.context["records"] == 2 == section.value("open_risk_concerns")
        assert "2 in all" in concerns.content.decode()


def test_a_figures_list_names_the_figure_and_links_back_to_the_board(client_for, busy_team):
    trust = busy_team
    client = client_for(trust.manager)
    response = client.get(PEOPLE, {"team": trust.north.pk, "worker": trust.psw.pk, "figure": "not_seen_14"})
    body = response.content.decode()
    assert "<h1>Not seen in 14 days: Priya Patel" in body
    assert f'href="{BOARD}">Caseload board</a>' in body


def test_the_people_list_with_a_figure_runs_the_same_queries_as_without(
    client_for, busy_team, django_assert_num_queries
):
    trust = busy_team
    client = client_for(trust.manager)
    client.get(PEOPLE)
    with django_assert_num_queries(4) as plain:
        client.get(PEOPLE)
    for key in ("caseload", "open_risk_concerns", "goals_achieved"):
        with django_assert_num_queries(len(plain.captured_queries)):
            client.get(PEOPLE, {"figure": key, "worker_status": "current"})


def test_a_tampered_figure_gets_a_plain_message_and_no_list(client_for, trust):
    response = client_for(trust.manager).get(PEOPLE, {"figure": "salaries"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "not one of the options offered" in body and "salaries" not in body
    assert response.context["people"] == []
