"""Pages kept per user while what they show is unchanged: the member's phone home.

A member opens their home many times a day and it changes a few times a year. The view
names a *stamp*: one cheap query that reads when each row the page shows last changed
(``updated_at``, counts, the newest id). The rendered page is kept in the cache under the
release (``release()``: a deployment starts afresh), the user, the path, the date (ages and
positions in force follow the calendar) and that stamp;
while the stamp is the same the kept page is served without running the view. Nothing has
to remember to invalidate it: a changed row changes the stamp and the next request renders
afresh.

Two values of a page are per response, never kept: the CSRF token (in the ``csrf-token``
meta tag of ``base/html.html`` and the logout form) and the CSP nonce of the scripts. They
are kept as placeholders and filled in for every response. A request with flash messages
waiting, or any method but GET, goes to the view.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache as cache_once
from functools import wraps
from pathlib import Path

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

KEEP_SECONDS = 24 * 3600
PACKAGE = Path(__file__).resolve().parent.parent
CSRF_HOLE = "\x00csrf\x00"
NONCE_HOLE = "\x00nonce\x00"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([A-Za-z0-9]{64})">')


@cache_once
def release() -> str:
    """This installation of the code: its files' names, sizes and times. A deployment (new
    templates, new static file names) starts a new set of kept pages instead of serving the
    old ones; every process of one deployment finds the same."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix != ".pyc":
            info = path.stat()
            digest.update(
                f"{path.relative_to(PACKAGE)}:{info.st_size}:{info.st_mtime_ns};".encode()
            )
    return digest.hexdigest()


def _hollow(html: str, request: HttpRequest) -> str | None:
    """``html`` with its token and nonce as placeholders; ``None`` when it cannot be kept."""
    found = CSRF_META.search(html)
    if found is None:
        return None
    html = html.replace(found.group(1), CSRF_HOLE)
    nonce = getattr(request, "_csp_nonce", None)
    return html.replace(nonce, NONCE_HOLE) if isinstance(nonce, str) else html


def _fill(html: str, request: HttpRequest) -> str:
    html = html.replace(CSRF_HOLE, get_token(request))
    return html.replace(NONCE_HOLE, str(request.csp_nonce)) if NONCE_HOLE in html else html


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() does not mark them as read


def kept_per_user(stamp: Callable[[HttpRequest], tuple | None]):
    """Keep the page of the decorated view (GET, signed-in user) per user while
    ``stamp(request)`` gives the same values (``None``: this request is not kept). Put it
    under ``login_required``."""

    def decorate(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method != "GET" or _has_messages(request):
                return view(request, *args, **kwargs)
            values = stamp(request)
            if values is None:
                return view(request, *args, **kwargs)
            signature = repr((values, timezone.localdate(), request.get_full_path()))
            digest = hashlib.blake2b(signature.encode(), digest_size=16).hexdigest()
            key = f"page:{release()}:{name}:{request.user.pk}:{digest}"
            kept = cache.get(key)
            if kept is not None:
                return HttpResponse(_fill(kept, request))
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                hollow = _hollow(response.content.decode(), request)
                if hollow is not None:
                    cache.set(key, hollow, KEEP_SECONDS)
            return response

        return wrapper

    return decorate
