"""The trust-wide governance roles as groups: the information governance lead and clinical reviewers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Information governance lead": ["search_audit", "govern_information"],
    "Clinical reviewer": ["release_subject_access"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrating; these groups need them now.
    app_config = apps.get_app_config("peersupport")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="peersupport", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("peersupport", "0006_audit_events_and_governance_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
