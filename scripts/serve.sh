#!/usr/bin/env bash
# Serve the app on http://127.0.0.1:8000 with a Celery worker and beat beside it (reminders and alerts).
# Redis is started when it is installed but not running. If the worker dies, everything stops with a
# clear message: a server that looks fine while no lone-working alert can go out is worse than none.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export REDIS_URL

redis_answers() {
  $PY - <<'PY' 2>/dev/null
import os, redis
redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=1).ping()
PY
}

if ! redis_answers && command -v redis-server >/dev/null 2>&1 && [[ "$REDIS_URL" == redis://127.0.0.1:6379* ]]; then
  echo "Starting Redis on 127.0.0.1:6379..."
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis_answers && break; sleep 0.5; done
fi

if ! redis_answers; then
  echo "Redis does not answer at $REDIS_URL, so no Celery worker can run: reminders and alerts will NOT be sent."
  echo "Install Redis (apt-get install -y redis-server) or run 'manage.py send_reminders' every minute from cron."
  exec $PY manage.py runserver 127.0.0.1:8000
fi

echo "Redis answers: starting a Celery worker with beat (reminders and alerts)."
.venv/bin/celery -A peersupport worker --beat --loglevel=INFO --concurrency=2 \
  --schedule="${TMPDIR:-/tmp}/peersupport-celerybeat-schedule" &
worker=$!
$PY manage.py runserver 127.0.0.1:8000 &
web=$!
trap 'kill $worker $web 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

wait -n $worker $web
status=$?
if ! kill -0 $worker 2>/dev/null; then
  echo "" >&2
  echo "The Celery worker stopped (exit code $status): reminders and lone-working alerts cannot be sent." >&2
  echo "Stopping the web server too. Read the worker's output above, fix the cause and run 'make run' again." >&2
  exit 1
fi
echo "The web server stopped (exit code $status); stopping the worker." >&2
exit $status
