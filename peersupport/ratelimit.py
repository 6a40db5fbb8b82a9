"""Rate limits: at most N tries in a window, counted in the cache (Redis in production).

`hit(kind, key)` counts one try and answers how many seconds to wait when the limit is passed
(None while within it). Limits are in settings.RATE_LIMITS: {kind: (tries, window in minutes)}.
A page over its limit answers `too_many(request, retry_after)`: HTTP 429 with a page saying when to
try again, and the refusal in the audit.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RATE_LIMITED = "rate-limited"


def _key(kind: str, key: str) -> str:
    return f"ratelimit:{kind}:{key}"


def hit(kind: str, key: str) -> int | None:
    tries, minutes = settings.RATE_LIMITS[kind]
    window = minutes * 60
    now = int(time.time())
    started = now - now % window
    name = f"{_key(kind, key)}:{started}"
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window + 1)
        count = 1
    if count > tries:
        return started + window - now
    return None


def too_many(request: HttpRequest, retry_after: int, what: str) -> HttpResponse:
    from . import audit

    audit.record(RATE_LIMITED, request=request, detail=what)
    minutes = max(1, -(-retry_after // 60))
    body = render_to_string("429.html", {"minutes": minutes, "what": what}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response
