"""The demo (manage.py seed_demo): safe to run twice, and every training page answers for the demo's
development lead, a manager and a peer worker, with the data the demo promises."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from peersupport.models import User
from training.models import (
    Attendance,
    CodeVersion,
    Cohort,
    Course,
    Enrolment,
    ModuleCompletion,
    Session,
    Trainee,
    TrainingCompletion,
    TrainingSubject,
)

pytestmark = pytest.mark.django_db

MODELS = [Attendance, CodeVersion, Cohort, Enrolment, ModuleCompletion, Session, Trainee, TrainingCompletion]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        role: User.objects.get(email=email)
        for role, email in [
            ("lead", "dana.doyle@demo.nhs.uk"),
            ("manager", "maya.morris@demo.nhs.uk"),
            ("psw", "priya.patel@demo.nhs.uk"),
        ]
    }


def _pages(psw: User) -> dict[str, list[tuple[str, list]]]:
    today = timezone.localdate()
    past = Cohort.objects.filter(ends_on__lt=today).first()
    running = Cohort.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    session = running.sessions.order_by("date").first()
    course = Course.objects.first()
    certificate = Enrolment.objects.get(cohort=past, trainee__user=psw)
    outside = Trainee.objects.filter(user__isnull=True).first()
    completion = TrainingCompletion.objects.filter(user=psw).first()
    code = CodeVersion.objects.order_by("-published_on").first()
    everyone = [
        ("overview", []),
        ("course-list", []),
        ("course-detail", [course.pk]),
        ("certificate", [certificate.pk]),
        ("code-list", []),
        ("code-detail", [code.pk]),
        ("subject-list", []),
        ("worker-record", [psw.pk]),
    ]
    managers = [
        *everyone,
        ("matrix", []),
        ("trend", []),
        ("matrix-csv", []),
        ("matrix-xlsx", []),
        ("untrained", []),
        ("untrained-csv", []),
        ("completion-create", [psw.pk]),
        ("completion-withdraw", [completion.pk]),
    ]
    lead = [
        *managers,
        ("course-create", []),
        ("module-create", [course.pk]),
        ("course-edit", [course.pk]),
        ("module-edit", [course.modules.first().pk]),
        ("session-edit", [session.pk]),
        ("cohort-create", [course.pk]),
        ("cohort-detail", [past.pk]),
        ("cohort-detail", [running.pk]),
        ("cohort-edit", [running.pk]),
        ("session-create", [running.pk]),
        ("enrol-staff", [running.pk]),
        ("enrol-trainee", [running.pk]),
        ("module-completions", [running.pk]),
        ("invite", [past.pk]),
        ("attendance", [session.pk]),
        ("trainee-list", []),
        ("trainee-create", []),
        ("trainee-detail", [outside.pk]),
        ("trainee-edit", [outside.pk]),
        ("consent-withdraw", [outside.pk]),
        ("equivalent-create", [outside.pk]),
        ("register", []),
        ("register-csv", []),
        ("code-create", []),
        ("import", []),
        ("subject-create", []),
        ("subject-edit", [TrainingSubject.objects.first().pk]),
    ]
    return {"lead": lead, "manager": managers, "psw": everyone}


def test_seed_demo_twice_adds_nothing_and_every_training_page_answers_for_the_demo_roles(demo, client):
    counts = [model.objects.count() for model in MODELS]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [model.objects.count() for model in MODELS] == counts
    pages = _pages(demo["psw"])
    for role in ["lead", "manager", "psw"]:
        client.force_login(demo[role])
        for name, args in pages[role]:
            response = client.get(reverse(f"training:{name}", args=args))
            assert response.status_code == 200, (role, name)


def test_the_demo_shows_real_training_data(demo, client):
    today = timezone.localdate()
    assert Cohort.objects.filter(ends_on__lt=today).exists()
    running = Cohort.objects.get(starts_on__lte=today, ends_on__gte=today)
    assert Attendance.objects.filter(session__cohort=running).exists()
    assert Trainee.objects.register().filter(user__isnull=True).count() >= 3

    client.force_login(demo["lead"])
    home = client.get(reverse("home")).content.decode()
    expiring = home.split("Expiring this month")[1].split("</section>")[0]
    assert "Nothing expires this month" not in expiring and today.strftime("%b %Y") in expiring
    register = client.get(reverse("training:register")).content.decode()
    assert "Grace Hollis" in register and "Tomasz Wolak" in register
    cohort = client.get(reverse("training:cohort-detail", args=[running.pk])).content.decode()
    assert "Sam Okafor" in cohort

    client.force_login(demo["manager"])
    matrix = client.get(reverse("training:matrix")).content.decode()
    assert "Priya Patel" in matrix and "Olive Owen" not in matrix

    client.force_login(demo["psw"])
    home = client.get(reverse("home")).content.decode()
    assert "Please read and acknowledge the" in home and "version 2026.1" in home
