"""`manage.py backup` (pg_dump, custom format) and the README's restore into a fresh database: every
table's row count and checksum equal, the sequences carry on, the app serves on the restored copy,
and its outbox sends nothing twice (rows already sent stay sent; claims that were in flight wait
for their lease, then go once). Each step is timed."""

from __future__ import annotations

import re
import subprocess
import time

import requests

from faults.conftest import record
from faults.servers import PG_BIN, WebServer, csrf_post, manage, signed_in, stage
from faults.test_postgres_restart import contact_form

CHECKSUMS = """
SELECT string_agg(format(
    'SELECT %L, count(*), coalesce(md5(string_agg(md5(t::text), '''' ORDER BY md5(t::text))), '''') FROM %I t',
    tablename, tablename), ' UNION ALL ' ORDER BY tablename)
FROM pg_tables WHERE schemaname = 'public'
"""
SEQUENCES = "SELECT sequencename || '=' || coalesce(last_value, 0) FROM pg_sequences ORDER BY sequencename"


def table_figures(cluster, database: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows (order-independent)."""
    union = cluster.psql(database, CHECKSUMS)
    figures = {}
    for line in cluster.psql(database, union).splitlines():
        table, count, checksum = line.split("|")
        figures[table] = (int(count), checksum)
    return figures


def test_backup_then_restore_into_a_fresh_database(cluster, workdir, smtp):
    source = cluster.create_database("ps_source", template="ps_template")
    web_key = "backup-run-secret-key-" + "x" * 40
    staged = stage(source, "trust", web_key, teams=3, workers=10, documents=True, tag="backup")
    teams = [t["team"] for t in staged["teams"]]
    outbox = stage(source, "records", web_key, teams=teams, contacts=20, sent=20, pending=10, in_flight=5)
    steps: dict[str, float] = {}

    dump = workdir / "peersupport.dump"
    started = time.monotonic()
    output = manage(source, "backup", "--output", str(dump))
    steps["backup (manage.py backup)"] = round(time.monotonic() - started, 2)
    assert f"to {dump}" in output and dump.stat().st_size > 0
    assert not list(workdir.glob("*.partial"))

    started = time.monotonic()
    restored = cluster.create_database("ps_restored")  # fresh and empty, from template1
    subprocess.run(  # noqa: S603 (the README's restore command)
        [str(PG_BIN / "pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    steps["restore (pg_restore into a fresh database)"] = round(time.monotonic() - started, 2)

    started = time.monotonic()
    before, after = table_figures(cluster, "ps_source"), table_figures(cluster, "ps_restored")
    assert after == before
    assert cluster.psql("ps_restored", SEQUENCES) == cluster.psql("ps_source", SEQUENCES)
    assert before["caseload_contact"][0] == 30 * 20 and before["peersupport_reminder"][0] == 35
    steps["verify (counts and checksums of every table)"] = round(time.monotonic() - started, 2)
    manage(restored, "migrate", "--check")  # nothing left to apply: the schema came back whole

    # The app serves on the restored copy: the same sessions still sign people in; a new contact saves.
    started = time.monotonic()
    web = WebServer(restored, workdir=workdir, secret_key=web_key, EMAIL_URL=smtp.url)
    web.start()
    try:
        team = staged["teams"][0]
        worker = team["workers"][0]
        session = signed_in(web, worker["session"])
        person_url = f"{web.url}/caseload/people/{worker['person']}/"
        assert session.get(person_url, timeout=30).status_code == 200
        assert "Backup run contact 1." in session.get(f"{person_url}contacts/", timeout=30).text
        manager = requests.Session()
        manager.cookies.set("sessionid", team["manager"], domain="127.0.0.1")
        assert manager.get(f"{web.url}/caseload/review/board/?team={team['team']}", timeout=30).status_code == 200
        form = f"{person_url}contacts/new/"
        assert session.get(form, timeout=30).status_code == 200
        assert csrf_post(session, form, contact_form("After the restore."), timeout=30).status_code == 302
        steps["serve (gunicorn up, pages and a new contact)"] = round(time.monotonic() - started, 2)
    finally:
        web.stop()

    # The restored outbox: sent rows stay sent; pending rows go once; in-flight claims wait for the lease.
    started = time.monotonic()
    mail = {"EMAIL_URL": smtp.url, "SITE_URL": "http://127.0.0.1"}
    manage(restored, "send_reminders", env=mail)
    manage(restored, "send_reminders", env=mail)
    first = [m.message_id for m in smtp.handler.messages]
    assert sorted(first) == sorted(f"<reminder-{pk}@127.0.0.1>" for pk in outbox["reminders"]["pending"])
    # The lease of the claims taken before the backup runs out (here at once): each goes once.
    manage(restored, "send_reminders", env={**mail, "REMINDER_CLAIM_TIMEOUT": "0"})
    manage(restored, "send_reminders", env={**mail, "REMINDER_CLAIM_TIMEOUT": "0"})
    steps["send the restored outbox (4 sender runs)"] = round(time.monotonic() - started, 2)
    ids = [m.message_id for m in smtp.handler.messages]
    expected = outbox["reminders"]["pending"] + outbox["reminders"]["in_flight"]
    assert sorted(ids) == sorted(f"<reminder-{pk}@127.0.0.1>" for pk in expected)  # each once, none sent before
    assert cluster.psql("ps_restored", "SELECT count(*) FROM peersupport_reminder WHERE status <> 'sent'") == "0"

    size = re.search(r"\(([\d.]+) MB\)", output)
    record(
        "2. Backup and restore",
        **{f"{name} s": seconds for name, seconds in steps.items()},
        tables_compared=len(before),
        rows_compared=sum(count for count, _ in before.values()),
        tables_differing=sum(before[t] != after.get(t) for t in before),
        dump_mb=float(size.group(1)) if size else None,
        reminders_sent_before_backup_resent=len(
            set(ids) & {f"<reminder-{pk}@127.0.0.1>" for pk in outbox["reminders"]["sent"]}
        ),
        reminders_sent_by_restored_copy=len(ids),
    )
