#!/usr/bin/env bash
# Serve the app on http://127.0.0.1:8000; when Redis answers, run a Celery worker with beat beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if $PY - <<'PY' 2>/dev/null
import os, redis
redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), socket_connect_timeout=1).ping()
PY
then
  echo "Redis answers: starting a Celery worker with beat (reminders and alerts)."
  .venv/bin/celery -A peersupport worker --beat --loglevel=INFO --concurrency=2 \
    --schedule="${TMPDIR:-/tmp}/peersupport-celerybeat-schedule" &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
else
  echo "Redis does not answer: serving without the Celery worker (reminders run with 'manage.py send_reminders')."
fi
$PY manage.py runserver 127.0.0.1:8000
