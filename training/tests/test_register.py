"""The register of people trained but not in role, and who may be contacted (the contract with
development days)."""

import datetime as dt

import pytest

from peersupport.models import EmploymentStatus, Role
from peersupport.tests.factories import TeamFactory, make_worker
from training.models import Trainee

from .factories import CohortFactory, EnrolmentFactory, ExternalEquivalentFactory, TraineeFactory, completed_enrolment

pytestmark = pytest.mark.django_db


def test_trainee_never_employed_who_completed_is_on_the_register():
    trainee = TraineeFactory(full_name="Nia North")
    completed_enrolment(trainee)
    assert list(Trainee.objects.register()) == [trainee]


def test_enrolment_not_completed_is_not_on_the_register():
    EnrolmentFactory(trainee=TraineeFactory(), completed_on=None)
    assert not Trainee.objects.register().exists()


def test_withdrawn_enrolment_does_not_count():
    trainee = TraineeFactory()
    enrolment = completed_enrolment(trainee)
    enrolment.withdrawn_at = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    enrolment.save()
    assert not Trainee.objects.register().exists()


def test_other_course_does_not_count():
    from training.models import Course

    other = Course.objects.create(name="Mental health first aid")
    completed_enrolment(TraineeFactory(), course=other)
    assert not Trainee.objects.register().exists()


def test_approved_external_equivalent_counts_unless_withdrawn():
    equivalent = ExternalEquivalentFactory()
    assert list(Trainee.objects.register()) == [equivalent.trainee]
    equivalent.withdrawn_at = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    equivalent.save()
    assert not Trainee.objects.register().exists()


def test_psw_in_post_is_in_role_and_leaver_or_long_leave_is_not():
    team = TeamFactory()
    in_post = make_worker(team)
    leaver = make_worker(team, employment_status=EmploymentStatus.LEFT)
    on_leave = make_worker(team, employment_status=EmploymentStatus.LONG_LEAVE)
    manager = make_worker(team, Role.MANAGER)  # trained, but works as a manager: not in a PSW role
    trainees = {}
    for user in (in_post, leaver, on_leave, manager):
        trainees[user] = Trainee.for_user(user)
        completed_enrolment(trainees[user])
    assert set(Trainee.objects.register()) == {trainees[leaver], trainees[on_leave], trainees[manager]}


def test_register_has_each_person_once_with_two_completions():
    trainee = TraineeFactory()
    completed_enrolment(trainee)
    completed_enrolment(trainee, on=dt.date(2024, 9, 1))
    ExternalEquivalentFactory(trainee=trainee)
    assert Trainee.objects.register().count() == 1


def test_contactable_needs_consent_not_withdrawn_and_an_address(django_user_model):
    consenting = TraineeFactory()
    TraineeFactory(consent_to_contact=False)
    TraineeFactory(email="")  # no address at all
    withdrawn = TraineeFactory()
    withdrawn.withdraw_consent(by=None)
    staff = Trainee.for_user(make_worker(TeamFactory(), employment_status=EmploymentStatus.LEFT))
    staff.consent_to_contact = True
    staff.save()
    assert set(Trainee.objects.contactable()) == {consenting, staff}
    assert staff.contact_email == staff.user.email
    assert withdrawn.consent_withdrawn_at is not None
    assert withdrawn.history.count() == 2  # the withdrawal is kept in the history


def test_register_and_contactable_chain():
    yes = TraineeFactory()
    completed_enrolment(yes)
    no = TraineeFactory()
    completed_enrolment(no)
    no.withdraw_consent(by=None)
    assert list(Trainee.objects.register().contactable()) == [yes]


def test_visible_to(trust):
    mine = Trainee.for_user(trust.psw)
    colleague = Trainee.for_user(trust.colleague)
    outside = TraineeFactory()
    assert set(Trainee.objects.visible_to(trust.psw)) == {mine}
    assert set(Trainee.objects.visible_to(trust.manager)) == {mine, colleague}
    assert set(Trainee.objects.visible_to(trust.other_manager)) == set()
    assert set(Trainee.objects.visible_to(trust.dev_worker)) == {mine, colleague, outside}
    # Administrators keep the system; training records are not theirs to read.
    assert set(Trainee.objects.visible_to(trust.admin)) == set()


def test_the_trusts_course_has_its_six_modules():
    from .factories import peer_support_course

    titles = list(peer_support_course().modules.values_list("title", flat=True))
    assert len(titles) == 6
    assert titles[0] == "Active listening"
    assert titles[-1] == "Using lived experience in a way that is helpful"
    CohortFactory()  # the course can be run
