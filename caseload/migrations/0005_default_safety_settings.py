from django.db import migrations


def create_defaults(apps, schema_editor):
    """The safe defaults, visible and editable in the admin from the first day."""
    SafetySettings = apps.get_model("caseload", "SafetySettings")
    EscalationStep = apps.get_model("caseload", "EscalationStep")
    settings_row, created = SafetySettings.objects.get_or_create(pk=1)
    if created or not EscalationStep.objects.exists():
        EscalationStep.objects.bulk_create(
            [
                EscalationStep(safety_settings=settings_row, chain="concern", position=1, target="manager"),
                EscalationStep(safety_settings=settings_row, chain="concern", position=2, target="development_lead"),
                EscalationStep(safety_settings=settings_row, chain="visit", position=1, target="development_lead"),
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("caseload", "0004_lone_working_and_risk_concerns")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
