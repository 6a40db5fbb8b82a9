"""`manage.py backup`: the whole database in pg_dump's custom format, one consistent snapshot.

Restore into a fresh, empty database (README, Backup and restore):
    createdb peersupport_restored
    pg_restore --no-owner --exit-on-error --dbname=postgres://.../peersupport_restored FILE
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Back up the database with pg_dump (custom format, compressed, one consistent snapshot)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="file to write (default: BACKUP_DIR/peersupport-YYYYMMDD-HHMMSS.dump; BACKUP_DIR defaults to "
            "backups/ beside manage.py)",
        )

    def handle(self, *args, output: str | None = None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("manage.py backup needs PostgreSQL (DATABASE_URL=postgres://...).")
        pg_dump = os.environ.get("PG_DUMP") or shutil.which("pg_dump")
        if not pg_dump:
            raise CommandError("pg_dump is not installed (apt-get install -y postgresql-client).")
        db = settings.DATABASES["default"]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        directory = Path(os.environ.get("BACKUP_DIR") or settings.BASE_DIR / "backups")
        path = Path(output) if output else directory / f"peersupport-{stamp}.dump"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        # The password goes by the environment, never on the command line (ps would show it).
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={db['NAME']}"]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command.append(f"{option}={db[key]}")
        started = time.monotonic()
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (no shell)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        # Only a complete dump takes the final name: a half-written file is never mistaken for a backup.
        partial.replace(path)
        seconds = time.monotonic() - started
        size_mb = path.stat().st_size / 1_000_000
        self.stdout.write(f"Backed up {db['NAME']} to {path} ({size_mb:.1f} MB) in {seconds:.1f} s.")
