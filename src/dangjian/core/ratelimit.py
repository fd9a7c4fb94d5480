"""Rate limits for pages and endpoints that answer without login (the public portal).

A fixed window per client address in the cache (Redis in production, the local cache on
one process)::

    from dangjian.core.ratelimit import rate_limited

    @rate_limited("consultation-ask", per_minute=settings.PUBLIC_WRITES_PER_MINUTE)
    def ask(request): ...

Over the limit a browser gets the error page and the API JSON, both with status 429 and a
Chinese message; nothing is recorded. ``hit()`` is the same count for callers that decide
themselves (an API operation that must answer in the API's error shape).
"""

from __future__ import annotations

import functools

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

MESSAGE = "请求过于频繁，请稍后再试"


def client_address(request) -> str:
    """The client's address as the proxy in front reports it (nginx sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(scope: str, request, *, per_minute: int) -> bool:
    """Count one request of this client in this minute; True while within ``per_minute``."""
    window = int(timezone.now().timestamp() // 60)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=70)
            count = 1
    return count <= per_minute


def too_many(request):
    """The 429 answer: JSON for the API, the error page for browsers."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": MESSAGE, "errors": [], "code": "rate_limited"},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    context = {"title": "请稍后再试", "message": MESSAGE}
    return render(request, "base/error.html", context, status=429)


def rate_limited(scope: str, *, per_minute: int):
    """Decorate a view: beyond ``per_minute`` requests a minute from one client, answer 429."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not hit(scope, request, per_minute=per_minute):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
