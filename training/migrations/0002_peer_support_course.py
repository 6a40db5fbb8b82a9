"""The trust's peer support training and its six modules (SPEC section 6), so that "completed peer
support training" means the same course on every install. Existing rows are kept."""

from django.db import migrations

COURSE = "Peer support training"
MODULES = [
    "Active listening",
    "The importance of language and the role of stigma",
    "Supporting personal wellbeing",
    "Building, maintaining and ending relationships with people who use services",
    "Codes of conduct, boundaries and personal safety",
    "Using lived experience in a way that is helpful",
]


def create_course(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    Module = apps.get_model("training", "Module")
    course = Course.objects.filter(kind="peer_support").first()
    if course is None:
        course = Course.objects.create(
            name=COURSE,
            kind="peer_support",
            description="The trust's training for peer support workers. Every peer worker completes it, "
            "or an external course the development team approves as equivalent.",
        )
    for position, title in enumerate(MODULES, start=1):
        Module.objects.get_or_create(course=course, title=title, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_trainees_courses_mandatory_codes")]

    operations = [migrations.RunPython(create_course, migrations.RunPython.noop)]
