"""On PostgreSQL, the audit's table refuses UPDATE and DELETE whoever asks (the application, a shell,
a report writer with the app's credentials). Other databases (SQLite in development) rely on the
model, which refuses the same through the ORM."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION peersupport_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER peersupport_auditevent_append_only
    BEFORE UPDATE OR DELETE ON peersupport_auditevent
    FOR EACH ROW EXECUTE FUNCTION peersupport_audit_is_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS peersupport_auditevent_append_only ON peersupport_auditevent;
DROP FUNCTION IF EXISTS peersupport_audit_is_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % in the function are PL/pgSQL's

    return run


class Migration(migrations.Migration):
    dependencies = [("peersupport", "0009_retire_record_views")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
