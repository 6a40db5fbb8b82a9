"""The health page for the trust's monitoring: database, Redis, Celery and the reminder sender.

It answers without signing in and says only whether each part works (200 when all do, 503 when one
does not), never a record, a setting or an error's text.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import reminders
from .celery import app as celery_app

logger = logging.getLogger(__name__)


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _redis() -> bool:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    return bool(client.ping())


def _celery() -> bool:
    return bool(celery_app.control.ping(timeout=settings.HEALTH_CELERY_TIMEOUT))


def _reminders() -> bool:
    return not reminders.sender_is_stale()


CHECKS = {"database": _database, "redis": _redis, "celery": _celery, "reminders": _reminders}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # a part that is down must show as down, never break the page
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = False
    return results


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    last = reminders.last_sender_run() if results["database"] else None
    body = {
        "status": "ok" if all(results.values()) else "failing",
        "checks": {name: "ok" if ok else "failing" for name, ok in results.items()},
        "reminders_last_run": last.isoformat() if last else None,
        "checked_at": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if all(results.values()) else 503)
