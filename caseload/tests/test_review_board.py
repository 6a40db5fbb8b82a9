"""The team caseload board: figures per worker and per team, filters, sorting and drill-down."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from caseload.models import ContactType, GoalStatus, PersonStatus, Rater
from caseload.review.board import build_board, psw_memberships
from caseload.tests.factories import (
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
)
from peersupport.models import EmploymentStatus
from peersupport.tests.factories import make_worker

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=LONDON)
BOARD = reverse("caseload:review-board")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def board_for(trust, **kwargs):
    return build_board(user=trust.manager, teams=[trust.north], memberships=psw_memberships([trust.north.pk]), **kwargs)


def row_for(board, worker):
    return next(r for r in board.rows if r.worker == worker)


def test_caseload_counts_open_people_against_capacity_from_contracted_hours(trust, frozen):
    trust.colleague.contracted_hours = Decimal("22.5")
    trust.colleague.save()
    trust.north.people_per_full_time = 20
    trust.north.save()
    PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.PAUSED)
    PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    board = board_for(trust)
    priya, paul = row_for(board, trust.psw), row_for(board, trust.colleague)
    assert (priya.caseload, priya.capacity) == (2, 20)  # Sam and the paused person; not the closed one
    assert (paul.caseload, paul.capacity) == (0, 12)  # 20 x 22.5 / 37.5
    assert priya.load == 10


def test_not_seen_counts_people_referred_or_active_by_their_last_contact(trust, frozen):
    seen_recently = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    ContactFactory(person=seen_recently, contact_at=ago(3))
    seen_three_weeks_ago = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    ContactFactory(person=seen_three_weeks_ago, contact_at=ago(20))
    ContactFactory(person=seen_three_weeks_ago, contact_at=ago(1), contact_type=ContactType.DID_NOT_ATTEND)
    seen_long_ago = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.REFERRED)
    ContactFactory(person=seen_long_ago, contact_at=ago(40))
    paused = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.PAUSED)
    ContactFactory(person=paused, contact_at=ago(90))
    # Sam (trust.person) has never been seen.
    row = row_for(board_for(trust), trust.psw)
    assert row.value("not_seen_14") == 3  # three weeks ago (a DNA is not seeing), long ago, never
    assert row.value("not_seen_28") == 2  # long ago, never


def test_contacts_this_month_count_contacts_with_the_people_on_each_caseload(trust, frozen):
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(2))
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(17))  # 1 Nov
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(19))  # 30 Oct
    ContactFactory(person=trust.person, worker=trust.colleague, contact_at=ago(1))  # Paul stood in for Priya
    mistaken = ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(1))
    mistaken.mark_entered_in_error(by=trust.psw, reason="Wrong person")
    ended = PersonFactory(team=trust.north, assigned_worker=trust.colleague, status=PersonStatus.CLOSED)
    ContactFactory(person=ended, worker=trust.colleague, contact_at=ago(3))  # a last session, closed since
    gone = PersonFactory(
        team=trust.north,
        assigned_worker=trust.colleague,
        status=PersonStatus.CLOSED,
        status_changed_on=dt.date(2026, 9, 1),
    )
    ContactFactory(person=gone, worker=trust.colleague, contact_at=ago(3))  # closed last quarter: not on the board
    board = board_for(trust)
    assert row_for(board, trust.psw).value("contacts_this_month") == 3
    assert row_for(board, trust.colleague).value("contacts_this_month") == 1
    assert row_for(board, trust.colleague).caseload == 0


def test_plans_past_review_use_each_persons_latest_current_plan(trust, frozen):
    RecoveryPlanFactory(person=trust.person, version=1, review_on=timezone.localdate() - dt.timedelta(days=30))
    renewed = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    RecoveryPlanFactory(person=renewed, version=1, review_on=timezone.localdate() - dt.timedelta(days=30))
    RecoveryPlanFactory(person=renewed, version=2, review_on=timezone.localdate() + dt.timedelta(days=60))
    assert row_for(board_for(trust), trust.psw).value("plans_past_review") == 1


def test_goals_achieved_this_quarter_include_people_closed_since(trust, frozen):
    RecoveryGoalFactory(person=trust.person, status=GoalStatus.ACHIEVED, status_changed_on=dt.date(2026, 10, 1))
    RecoveryGoalFactory(person=trust.person, status=GoalStatus.ACHIEVED, status_changed_on=dt.date(2026, 9, 30))
    RecoveryGoalFactory(person=trust.person, status=GoalStatus.ACTIVE)
    closed = PersonFactory(team=trust.north, assigned_worker=trust.psw, status=PersonStatus.CLOSED)
    RecoveryGoalFactory(person=closed, status=GoalStatus.ACHIEVED, status_changed_on=dt.date(2026, 11, 2))
    assert row_for(board_for(trust), trust.psw).value("goals_achieved") == 2


def test_goal_based_outcome_change_is_the_mean_of_latest_minus_first_per_goal(trust, frozen):
    walking = RecoveryGoalFactory(person=trust.person)
    GoalRatingFactory(goal=walking, score=2, rated_on=dt.date(2026, 9, 1))
    GoalRatingFactory(goal=walking, score=4, rated_on=dt.date(2026, 10, 1))
    GoalRatingFactory(goal=walking, score=7, rated_on=dt.date(2026, 11, 1))  # +5
    cooking = RecoveryGoalFactory(person=trust.person)
    GoalRatingFactory(goal=cooking, score=6, rated_on=dt.date(2026, 9, 1))
    GoalRatingFactory(goal=cooking, score=4, rated_on=dt.date(2026, 11, 1))  # -2
    once = RecoveryGoalFactory(person=trust.person)
    GoalRatingFactory(goal=once, score=9)  # one rating: no change yet
    wrong = GoalRatingFactory(goal=cooking, score=10, rated_on=dt.date(2026, 11, 10))
    wrong.mark_entered_in_error(by=trust.psw, reason="Typed 10 for 1")
    assert row_for(board_for(trust), trust.psw).value("gbo_change") == Decimal("1.5")


def test_dialog_change_uses_the_persons_own_ratings_only(trust, frozen):
    DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 6, 1))  # 3.75
    DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 11, 1), mental_health=7, family=6)
    DialogAssessmentFactory(
        person=trust.person, assessed_on=dt.date(2026, 11, 2), rater=Rater.WORKER, mental_health=1, family=1
    )
    row = row_for(board_for(trust), trust.psw)
    assert row.value("dialog_change") == Decimal("0.8")  # latest 4.38 minus first 3.63; the worker's 1s left out
    assert row_for(board_for(trust), trust.colleague).value("dialog_change") is None


def test_team_totals_add_up_and_team_means_are_over_all_cases(trust, frozen):
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(1))
    pauls = PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    ContactFactory(person=pauls, worker=trust.colleague, contact_at=ago(1))
    ContactFactory(person=pauls, worker=trust.colleague, contact_at=ago(2))
    for person, scores in ((trust.person, (1, 7)), (pauls, (5, 5)), (pauls, (5, 6))):
        goal = RecoveryGoalFactory(person=person)
        GoalRatingFactory(goal=goal, score=scores[0], rated_on=dt.date(2026, 9, 1))
        GoalRatingFactory(goal=goal, score=scores[1], rated_on=dt.date(2026, 11, 1))
    board = board_for(trust)
    (north,) = board.sections
    assert north.caseload == 2
    assert north.capacity == 30
    assert north.value("contacts_this_month") == 3
    assert north.value("gbo_change") == Decimal("2.3")  # (6 + 0 + 1) / 3 goals, not the mean of 6 and 0.5


def test_manager_of_two_teams_gets_a_section_and_totals_per_team(trust, frozen):
    trust.manager.memberships.create(team=trust.south, role="manager")
    manager = type(trust.manager).objects.get(pk=trust.manager.pk)
    board = build_board(
        user=manager, teams=[trust.north, trust.south], memberships=psw_memberships([trust.north.pk, trust.south.pk])
    )
    assert [s.team for s in board.sections] == [trust.north, trust.south]
    assert [r.worker for r in board.sections[1].rows] == [trust.other_psw]
    assert board.total.caseload == 2


def test_board_page_shows_only_the_managers_own_teams(client_for, trust):
    response = client_for(trust.manager).get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Priya Patel" in body and "Paul Price" in body
    assert "Olive" not in body and "South CMHT" not in body


@pytest.mark.parametrize("role", ["psw", "colleague", "dev_worker", "dev_lead", "admin"])
def test_board_is_for_managers_only(client_for, trust, role):
    assert client_for(trust.roles[role]).get(BOARD).status_code == 404


def test_board_filters_by_worker_and_status(client_for, trust):
    leaver = make_worker(trust.north, first_name="Leah", last_name="Left", employment_status=EmploymentStatus.LEFT)
    client = client_for(trust.manager)

    def workers(**params):
        return [row.worker for row in client.get(BOARD, params).context["board"].rows]

    assert workers() == [trust.psw, trust.colleague]  # in post or on leave by default, by surname
    assert workers(status="left") == [leaver]
    assert workers(status="any") == [leaver, trust.psw, trust.colleague]
    assert workers(worker=trust.colleague.pk) == [trust.colleague]
    assert workers(team=trust.north.pk, worker=leaver.pk, status="in_post") == []


def test_board_sorts_by_any_column(client_for, trust):
    for _ in range(3):
        PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    client = client_for(trust.manager)
    rows = client.get(BOARD, {"sort": "-caseload"}).context["board"].rows
    assert [r.worker for r in rows] == [trust.colleague, trust.psw]
    rows = client.get(BOARD, {"sort": "caseload"}).context["board"].rows
    assert [r.worker for r in rows] == [trust.psw, trust.colleague]


@pytest.mark.parametrize("params", [{"sort": "password"}, {"status": "everyone"}], ids=["sort", "status"])
def test_a_filter_or_sort_not_offered_gets_a_clear_message_never_a_500(client_for, trust, params):
    response = client_for(trust.manager).get(BOARD, params)
    assert response.status_code == 400
    field = next(iter(params))
    assert "not one of the options offered" in str(response.context["form"].errors[field])
    body = response.content.decode()
    assert 'class="invalid-feedback' in body
    assert next(iter(params.values())) not in body  # the tampered value is not echoed
    assert response.context["board"].rows  # the board as it stands, sorted and filtered by default


@pytest.mark.parametrize(
    "url",
    ["caseload:review-board", "caseload:review-board-csv", "caseload:review-people", "caseload:review-people-csv"],
)
@pytest.mark.parametrize("field", ["team", "worker"])
def test_a_team_or_worker_out_of_scope_answers_as_if_it_did_not_exist(client_for, trust, url, field):
    client = client_for(trust.manager)
    other = {"team": trust.south.pk, "worker": trust.other_psw.pk}[field]
    for value in (other, 999999, "abc"):
        response = client.get(reverse(url), {field: value})
        assert response.status_code == 404
        body = response.content.decode()
        assert f"{field}={value}" not in body and "South CMHT" not in body and "Olive" not in body


def test_figures_page_answers_404_for_another_managers_team(client_for, trust):
    response = client_for(trust.manager).get(reverse("caseload:review-figures"), {"team": trust.south.pk})
    assert response.status_code == 404


def test_board_rows_drill_down_to_the_workers_person_list_and_on_to_the_person(client_for, trust):
    client = client_for(trust.manager)
    board = client.get(BOARD).content.decode()
    drill = f"{reverse('caseload:review-people')}?team={trust.north.pk}&amp;worker={trust.psw.pk}"
    assert drill + "&amp;worker_status=current&amp;figure=caseload" in board
    people = client.get(reverse("caseload:review-people"), {"team": trust.north.pk, "worker": trust.psw.pk})
    assert [p.pk for p in people.context["people"]] == [trust.person.pk]
    assert trust.person.get_absolute_url() in people.content.decode()
    assert client.get(trust.person.get_absolute_url()).status_code == 200


def test_capacity_chart_has_a_text_alternative(client_for, trust):
    for _ in range(16):
        PersonFactory(team=trust.north, assigned_worker=trust.colleague)
    body = client_for(trust.manager).get(BOARD).content.decode()
    assert "Caseload against capacity" in body
    assert "1 of 2 workers over capacity: Paul Price." in body
    assert 'aria-hidden="true"' in body  # the drawing itself; the text beside it carries the figures


def test_this_months_and_this_quarters_counts_start_again_when_the_period_turns(trust):
    """The board reads counts kept per person with the month or quarter they were counted in."""
    with time_machine.travel(dt.datetime(2026, 12, 31, 20, 0, tzinfo=LONDON), tick=False) as traveller:
        ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(0) - dt.timedelta(hours=1))
        RecoveryGoalFactory(person=trust.person, status=GoalStatus.ACHIEVED, status_changed_on=timezone.localdate())
        row = row_for(board_for(trust), trust.psw)
        assert (row.value("contacts_this_month"), row.value("goals_achieved")) == (1, 1)
        traveller.move_to(dt.datetime(2027, 1, 1, 9, 0, tzinfo=LONDON))
        row = row_for(board_for(trust), trust.psw)
        assert (row.value("contacts_this_month"), row.value("goals_achieved")) == (0, 0)
        ContactFactory(person=trust.person, worker=trust.psw, contact_at=ago(0) - dt.timedelta(hours=1))
        row = row_for(board_for(trust), trust.psw)
        assert (row.value("contacts_this_month"), row.value("goals_achieved")) == (1, 0)
        assert row.value("not_seen_14") == 0


def test_open_risk_concerns_count_raised_and_acknowledged_but_not_resolved(trust, frozen):
    from caseload.services import safety

    def concern(person):
        return safety.raise_concern(
            person=person,
            contact=None,
            raised_by=trust.psw,
            description="Talked about not feeling safe at home.",
            severity="high",
            escalated_to=trust.manager,
            escalated_to_role="duty_worker",
        )

    concern(trust.person)
    resolved = concern(PersonFactory(team=trust.north, assigned_worker=trust.psw))
    safety.acknowledge_concern(resolved, by=trust.manager)
    safety.resolve_concern(resolved, by=trust.manager, note="Safety plan agreed; housing team involved.")
    concern(trust.other_person)
    assert row_for(board_for(trust), trust.psw).value("open_risk_concerns") == 1


def test_names_from_the_records_are_escaped_in_the_table_the_filters_and_the_chart(client_for, trust):
    trust.colleague.first_name, trust.colleague.last_name = "<b>Paul", 'Price" onmouseover="x'
    trust.colleague.save()
    trust.north.name = "North <i>CMHT</i>"
    trust.north.save()
    body = client_for(trust.manager).get(BOARD, {"sort": "nobody"}).content.decode()
    assert "<b>Paul" not in body and "<i>CMHT" not in body and '" onmouseover="x' not in body
    assert 'id="id_sort-error">That is not one of the options' in body  # a bad filter's message beside the field
    body = client_for(trust.manager).get(BOARD).content.decode()
    assert "<b>Paul" not in body and "<i>CMHT" not in body and '" onmouseover="x' not in body
    assert body.count("&lt;b&gt;Paul Price&quot; onmouseover=&quot;x") >= 3  # table, worker filter, chart
    assert "North &lt;i&gt;CMHT&lt;/i&gt;" in body
