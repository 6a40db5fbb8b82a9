"""The person's page: its first screen from a fixed handful of queries, however long the record; the
folded sections opened in place (htmx) or on a page of their own, each logged as a view of the
record; and the hand-written queries behind it agree with the ORM's definitions they stand in for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.attention import attention_for
from caseload.models import (
    AppointmentOutcome,
    CaseloadCover,
    ContactType,
    CoverReason,
    EntryStatus,
    GoalStatus,
    Person,
)
from caseload.tests.factories import (
    AdvanceStatementFactory,
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)
from peersupport.models import AuditEvent

SECTIONS = {
    "person-recent-contacts": "Recent contacts",
    "person-goals": "Recovery goals",
    "person-appointments": "Appointments",
    "person-plans": "Plans",
    "person-outcomes": "Outcomes",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


def add_records(person, worker, n: int) -> None:
    resource = ResourceFactory()
    for i in range(n):
        goal = RecoveryGoalFactory(person=person, created_by=worker, description=f"Goal number {i}")
        GoalRatingFactory(goal=goal, score=2)
        GoalRatingFactory(goal=goal, score=6)
        contact = ContactFactory(person=person, worker=worker)
        contact.goals.add(goal)
        contact.signposted_to.add(resource)
        AppointmentFactory(person=person, worker=worker)
        AppointmentFactory(person=person, worker=worker, starts_at=timezone.now() - dt.timedelta(days=4))
        DialogAssessmentFactory(person=person)
        RecoveryPlanFactory(person=person, written_by=worker)
        AdvanceStatementFactory(person=person, written_by=worker)


def test_first_screen_reads_a_fixed_handful_of_queries_however_long_the_record(
    client_for, trust, django_assert_num_queries
):
    client = client_for(trust.psw)
    url = trust.person.get_absolute_url()
    add_records(trust.person, trust.psw, 1)
    client.get(url)
    # Session, user (with their roles), person, the view's audit row, the first screen's figures
    # (with how many concerns are open and whether the worker has a visit in progress: none here).
    with django_assert_num_queries(5) as one:
        client.get(url)
    add_records(trust.person, trust.psw, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert f"{trust.person.goals.active().count()} active" in page  # counted without reading the goals
    assert "Goal number" not in page  # the goals themselves wait until their section is opened
    for name in SECTIONS:
        assert reverse(f"caseload:{name}", args=[trust.person.pk]) in page


# Session, user, person and the view's audit row, then what the section reads.
SECTION_QUERIES = {
    "person-recent-contacts": 4 + 1,  # the latest contacts with their workers
    "person-goals": 4 + 2,  # goals, their current ratings
    "person-appointments": 4 + 1,
    "person-plans": 4 + 2,  # the latest recovery plan, the latest advance statement
    "person-outcomes": 4 + 3,  # goals, ratings, DIALOGs
}


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_reads_a_fixed_number_of_queries(client_for, trust, django_assert_num_queries, name):
    client = client_for(trust.psw)
    url = reverse(f"caseload:{name}", args=[trust.person.pk])
    add_records(trust.person, trust.psw, 1)
    client.get(url, **HTMX)
    with django_assert_num_queries(SECTION_QUERIES[name]):
        client.get(url, **HTMX)
    add_records(trust.person, trust.psw, 20)
    with django_assert_num_queries(SECTION_QUERIES[name]):
        assert client.get(url, **HTMX).status_code == 200


def test_a_section_opens_in_place_as_a_fragment_and_alone_as_a_page(client_for, trust):
    RecoveryGoalFactory(person=trust.person, created_by=trust.psw, description="Swim a length")
    client = client_for(trust.psw)
    url = reverse("caseload:person-goals", args=[trust.person.pk])

    fragment = client.get(url, **HTMX)
    assert fragment.status_code == 200
    assert "HX-Request" in fragment["Vary"]
    html = fragment.content.decode()
    assert "Swim a length" in html and "<html" not in html and "<h1" not in html

    page = client.get(url).content.decode()
    assert "<html" in page and "Swim a length" in page
    assert f'<a href="{trust.person.get_absolute_url()}">{trust.person.display_name}</a>' in page  # breadcrumb
    assert '<h2 id="section-heading" class="h4">Recovery goals</h2>' in page


@pytest.mark.parametrize("name", SECTIONS)
def test_opening_a_section_is_logged_as_a_view_of_the_person(client_for, trust, name):
    url = reverse(f"caseload:{name}", args=[trust.person.pk])
    client_for(trust.manager).get(url, **HTMX)
    event = AuditEvent.objects.get(action="view", actor=trust.manager)
    assert (event.subject_id, event.path) == (trust.person.pk, url)


@pytest.mark.parametrize("name", SECTIONS)
def test_a_section_of_someone_out_of_reach_is_not_found(client_for, trust, name):
    url = reverse(f"caseload:{name}", args=[trust.other_person.pk])
    assert client_for(trust.psw).get(url, **HTMX).status_code == 404
    assert client_for(trust.dev_worker).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_first_screen_names_what_needs_attention_without_opening_anything(client_for, trust):
    today = timezone.localdate()
    ContactFactory(person=trust.person, worker=trust.psw, contact_at=timezone.now() - dt.timedelta(days=20))
    RecoveryPlanFactory(person=trust.person, written_by=trust.psw, review_on=today - dt.timedelta(days=3))
    AppointmentFactory(
        person=trust.person,
        worker=trust.psw,
        title="Housing benefit form",
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    page = client_for(trust.psw).get(trust.person.get_absolute_url()).content.decode()
    attention = page.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]
    assert "20 days ago" in attention
    assert "The recovery plan was due for review on" in attention
    assert "Housing benefit form" in attention
    assert "Review overdue" in page  # on the folded Plans heading


def test_open_concerns_and_the_workers_visit_are_read_only_when_there_are_some(
    client_for, trust, django_assert_num_queries
):
    from caseload.models import ConcernSeverity, EscalationRole, RiskConcern, Visit

    client = client_for(trust.psw)
    url = trust.person.get_absolute_url()
    RiskConcern.objects.create(
        person=trust.person,
        raised_by=trust.psw,
        description="Said they had stopped eating since the eviction letter came.",
        severity=ConcernSeverity.HIGH,
        escalated_to=trust.manager,
        escalated_to_role=EscalationRole.TEAM_MANAGER,
    )
    Visit.objects.create(
        worker=trust.psw,
        person=trust.person,
        team=trust.north,
        location="12 Oak Road, Worksop",
        expected_end=timezone.now() + dt.timedelta(hours=1),
        buddy=trust.colleague,
    )
    client.get(url)
    with django_assert_num_queries(7):  # the five, then the concerns and the visit
        page = client.get(url).content.decode()
    attention = page.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]
    assert "Said they had stopped eating" in attention
    assert "Your visit here started at" in attention
    assert "Your visit in progress: check out" in page


# The hand-written queries ---------------------------------------------------------------------


def test_first_screen_figures_agree_with_the_caseload_lists(trust):
    """attention_for() gives what PersonQuerySet.with_summary() gives, over the records that differ:
    did-not-attend and amended contacts, cancelled and past appointments, goals achieved or entered in
    error, plan versions entered in error."""
    now = timezone.now()
    quiet = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    busy = PersonFactory(team=trust.north, assigned_worker=trust.psw)
    ContactFactory(person=busy, worker=trust.psw, contact_at=now - dt.timedelta(days=9))
    ContactFactory(
        person=busy, worker=trust.psw, contact_at=now - dt.timedelta(days=2), contact_type=ContactType.DID_NOT_ATTEND
    )
    ContactFactory(
        person=busy, worker=trust.psw, contact_at=now - dt.timedelta(days=1), entry_status=EntryStatus.AMENDED
    )
    AppointmentFactory(
        person=busy, worker=trust.psw, starts_at=now + dt.timedelta(days=1), outcome=AppointmentOutcome.CANCELLED
    )
    AppointmentFactory(person=busy, worker=trust.psw, starts_at=now - dt.timedelta(hours=1))
    AppointmentFactory(person=busy, worker=trust.psw, title="Choir", starts_at=now + dt.timedelta(days=5))
    AppointmentFactory(person=busy, worker=trust.psw, title="Later", starts_at=now + dt.timedelta(days=6))
    RecoveryGoalFactory(person=busy)
    RecoveryGoalFactory(person=busy)
    RecoveryGoalFactory(person=busy, status=GoalStatus.ACHIEVED)
    RecoveryGoalFactory(person=busy, entry_status=EntryStatus.ENTERED_IN_ERROR)
    RecoveryPlanFactory(person=busy, version=1, review_on=dt.date(2026, 1, 5))
    RecoveryPlanFactory(
        person=busy, version=2, review_on=dt.date(2026, 3, 5), entry_status=EntryStatus.ENTERED_IN_ERROR
    )
    AdvanceStatementFactory(person=busy, version=1, review_on=dt.date(2027, 2, 1))

    for person in (quiet, busy):
        listed = Person.objects.with_summary(now).get(pk=person.pk)
        first_screen = attention_for(person, trust.psw, now)
        assert first_screen.last_seen_at == listed.last_seen_at
        assert first_screen.next_appointment_at == listed.next_appointment_at
        assert first_screen.active_goals == listed.active_goals
        assert first_screen.plan_review_on == listed.plan_review_on
        assert first_screen.statement_review_on == listed.statement_review_on
    busy_screen = attention_for(busy, trust.psw, now)
    assert busy_screen.last_seen_at == now - dt.timedelta(days=9)
    assert busy_screen.next_appointment_title == "Choir"
    assert (busy_screen.active_goals, busy_screen.plan_review_on) == (2, dt.date(2026, 1, 5))
    assert attention_for(quiet, trust.psw, now).next_appointment_title is None


def test_the_hand_written_cover_subquery_agrees_with_the_cover_rule(trust):
    """CaseloadCover.objects.people_covered_sql() (every worker's page reaches people through it)
    gives the people people_covered_by() gives: on each day around covers that start, end, were
    ended early, are for another team or another covering worker."""
    day = dt.date(2026, 11, 10)

    def cover(covering, absent, team, starts, ends, ended=False):
        return CaseloadCover.objects.create(
            team=team,
            absent_worker=absent,
            covering_worker=covering,
            starts_on=starts,
            ends_on=ends,
            reason=CoverReason.ANNUAL_LEAVE,
            granted_by=trust.manager,
            ended_at=timezone.now() if ended else None,
        )

    PersonFactory(team=trust.north, assigned_worker=trust.psw)
    PersonFactory(team=trust.south, assigned_worker=trust.other_psw)
    cover(trust.colleague, trust.psw, trust.north, day, day + dt.timedelta(days=4))
    cover(trust.colleague, trust.psw, trust.south, day, day + dt.timedelta(days=4))  # no such caseload there
    cover(trust.psw, trust.colleague, trust.north, day + dt.timedelta(days=2), day + dt.timedelta(days=3), ended=True)
    cover(trust.other_psw, trust.psw, trust.north, day - dt.timedelta(days=5), day - dt.timedelta(days=1))
    covers = CaseloadCover.objects
    seen_any = False
    for offset in range(-7, 8):
        on = day + dt.timedelta(days=offset)
        for user in (trust.psw, trust.colleague, trust.other_psw, trust.manager):
            by_rule = set(Person.objects.filter(pk__in=covers.people_covered_by(user, on)).values_list("pk", flat=True))
            by_hand = set(
                Person.objects.filter(pk__in=covers.people_covered_sql(user, on)).values_list("pk", flat=True)
            )
            assert by_hand == by_rule, (user, on)
            seen_any |= bool(by_rule)
    assert seen_any
