import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from caseload import services
from caseload.models import Contact, EntryStatus, Person, PersonStatus, dialog_outcomes, goal_outcome
from caseload.tests.factories import (
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
)
from caseload.validators import validate_nhs_number


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919"])
def test_valid_nhs_numbers_pass(number):
    validate_nhs_number(number)


@pytest.mark.parametrize("number", ["9434765918", "123", "94347659190", "abcdefghij", "0000000010"])
def test_invalid_nhs_numbers_fail(number):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_nhs_number(number)


def test_assigned_worker_and_team_managers_may_edit_nobody_else(trust):
    person = trust.person
    assert person.can_edit(trust.psw)
    assert person.can_edit(trust.manager)
    for user in (trust.colleague, trust.other_psw, trust.other_manager, trust.dev_lead, trust.dev_worker):
        assert not person.can_edit(user)


def test_closed_record_takes_no_new_entries_but_stays_editable_for_corrections(trust):
    services.change_status(
        person=trust.person,
        by=trust.psw,
        to_status=PersonStatus.CLOSED,
        on=timezone.localdate(),
        closure_reason="goals_achieved",
        ending_summary="Back at work and in the choir.",
    )
    trust.person.refresh_from_db()
    assert trust.person.can_edit(trust.psw)
    assert not trust.person.can_add_entries(trust.psw)


def test_amendment_keeps_the_original_and_its_recorded_time(trust):
    contact_at = timezone.now() - dt.timedelta(days=3)
    original = ContactFactory(person=trust.person, worker=trust.psw, contact_at=contact_at, duration_minutes=30)
    draft = original.draft_amendment()
    draft.duration_minutes = 45
    replacement = services.amend(original=original, replacement=draft, by=trust.psw, reason="It was 45 minutes.")
    original.refresh_from_db()
    assert original.entry_status == EntryStatus.AMENDED
    assert original.duration_minutes == 30
    assert original.correction_reason == "It was 45 minutes." and original.corrected_by == trust.psw
    assert replacement.amends == original and replacement.pk != original.pk
    assert replacement.recorded_at == original.recorded_at
    assert not replacement.is_late_entry
    assert list(Contact.objects.current()) == [replacement]


def test_an_entry_cannot_be_corrected_twice(trust):
    contact = ContactFactory(person=trust.person, worker=trust.psw)
    contact.mark_entered_in_error(by=trust.psw, reason="Wrong person.")
    with pytest.raises(ValueError):
        contact.mark_entered_in_error(by=trust.psw, reason="Again.")


def test_late_entry_is_flagged_after_24_hours(trust):
    now = timezone.now()
    timely = ContactFactory(person=trust.person, contact_at=now - dt.timedelta(hours=23), recorded_at=now)
    late = ContactFactory(person=trust.person, contact_at=now - dt.timedelta(hours=25), recorded_at=now)
    assert not timely.is_late_entry
    assert late.is_late_entry


def test_dialog_means_are_stored(trust):
    dialog = DialogAssessmentFactory(person=trust.person)
    # life domains 3,4,2,5,3,4,3,5 -> 29/8; treatment 4,4,5 -> 13/3
    assert dialog.quality_of_life == Decimal("3.63")
    assert dialog.treatment_satisfaction == Decimal("4.33")


def test_dialog_change_is_per_rater(trust):
    first = DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 9, 10), rater="person")
    DialogAssessmentFactory(person=trust.person, assessed_on=dt.date(2026, 9, 11), rater="worker", mental_health=7)
    latest = DialogAssessmentFactory(
        person=trust.person, assessed_on=dt.date(2026, 11, 1), rater="person", mental_health=7, friendships=7
    )
    outcomes = {o.rater: o for o in dialog_outcomes(list(trust.person.dialog_assessments.all()))}
    assert outcomes["person"].first == first and outcomes["person"].latest == latest
    assert outcomes["person"].quality_of_life_change == Decimal("1.00")
    assert outcomes["worker"].count == 1 and outcomes["worker"].quality_of_life_change == 0


def test_goal_based_outcome_is_latest_minus_first_of_current_ratings(trust):
    goal = RecoveryGoalFactory(person=trust.person, set_on=dt.date(2026, 9, 1))
    GoalRatingFactory(goal=goal, score=2, rated_on=dt.date(2026, 9, 2))
    mistaken = GoalRatingFactory(goal=goal, score=9, rated_on=dt.date(2026, 10, 1))
    GoalRatingFactory(goal=goal, score=5, rated_on=dt.date(2026, 11, 1))
    mistaken.mark_entered_in_error(by=trust.psw, reason="Rated the wrong goal.")
    outcome = goal_outcome(list(goal.ratings.all()))
    assert outcome.change == 3 and outcome.is_reliable
    assert goal_outcome(list(goal.ratings.all())[:1]) is None


def test_summary_annotations(trust):
    now = timezone.now()
    ContactFactory(person=trust.person, contact_at=now - dt.timedelta(days=20))
    ContactFactory(person=trust.person, contact_at=now - dt.timedelta(days=5), contact_type="did_not_attend")
    wrong = ContactFactory(person=trust.person, contact_at=now - dt.timedelta(days=1))
    wrong.mark_entered_in_error(by=trust.psw, reason="Wrong person.")
    soonest = AppointmentFactory(person=trust.person, starts_at=now + dt.timedelta(days=2))
    AppointmentFactory(person=trust.person, starts_at=now + dt.timedelta(days=9))
    RecoveryGoalFactory(person=trust.person)
    RecoveryGoalFactory(person=trust.person, status="achieved")
    RecoveryPlanFactory(person=trust.person, version=1, review_on=dt.date(2026, 1, 1))
    RecoveryPlanFactory(person=trust.person, version=2, review_on=dt.date(2027, 1, 1))
    person = Person.objects.with_summary().get(pk=trust.person.pk)
    assert (now - person.last_seen_at).days == 20  # did-not-attend and entered-in-error do not count as seen
    assert person.next_appointment_at == soonest.starts_at
    assert person.active_goals == 1
    assert person.plan_review_on == dt.date(2027, 1, 1)
    assert person.statement_review_on is None


def test_plan_versions_refuse_a_stale_save(trust):
    first = services.save_version(
        document=RecoveryPlanFactory.build(person=trust.person), person=trust.person, by=trust.psw, based_on=0
    )
    assert first.version == 1
    with pytest.raises(services.VersionConflict) as conflict:
        services.save_version(
            document=RecoveryPlanFactory.build(person=trust.person), person=trust.person, by=trust.manager, based_on=0
        )
    assert conflict.value.latest == 1
    assert trust.person.recovery_plans.count() == 1
