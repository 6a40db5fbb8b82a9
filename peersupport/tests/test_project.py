import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from caseload.models import Person
from peersupport.celery import app
from peersupport.models import Team, User

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "peersupport.settings",
        "DEBUG": "false",
        "SECRET_KEY": "kP3vQ8rT6wZ1mN4bX7cL2dF9gH5jS0yUe" * 2,
        "ALLOWED_HOSTS": "peersupport.example.nhs.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "peersupport.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_celery_reads_redis_from_settings_and_finds_app_tasks():
    assert app.conf.broker_url == settings.REDIS_URL
    app.loader.import_default_modules()
    assert "peersupport.tasks.clear_expired_sessions" in app.tasks
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_seed_demo_builds_a_trust_and_running_it_twice_changes_nothing(db, capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Team.objects.count(), Person.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Team.objects.count(), Person.objects.count()) == counts
    assert counts[1] >= 4 and counts[2] >= 30
    out = capsys.readouterr().out
    assert "priya.patel@demo.nhs.uk" in out and "peer-support-demo" in out
    assert Team.objects.filter(is_development_team=True).count() == 1


def test_demo_sign_ins_all_reach_their_home_page(db, client):
    call_command("seed_demo")
    for user in User.objects.in_post():
        client.force_login(user)
        assert client.get("/").status_code == 200
