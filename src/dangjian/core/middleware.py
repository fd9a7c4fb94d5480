"""Idle session timeout, the client address for the audit log, the request id, and the
refusal of NUL characters."""

import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, JsonResponse

from dangjian.core.audit import current_ip
from dangjian.core.logging import current_request_id


class IdleTimeoutMiddleware:
    """Log a session out after SESSION_IDLE_TIMEOUT seconds without a request.

    The session's ``last_seen`` is refreshed at most once every ``TOUCH_SECONDS``: a read
    request within that minute writes nothing (no session save, no database write). The
    stored time is then up to a minute early, so an idle session ends at most that much
    sooner, never later."""

    TOUCH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and hasattr(request, "session"):
                now = int(time.time())
                last = request.session.get("last_seen")
                if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                    logout(request)
                elif last is None or now - last >= self.TOUCH_SECONDS:
                    request.session["last_seen"] = now
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class RequestIdMiddleware:
    """A request id for every request: taken from a well-formed incoming ``X-Request-ID``
    (a proxy's), else made here; in ``request.request_id``, in every log record of the
    request (``core.logging.RequestIdFilter``) and in the ``X-Request-ID`` response header."""

    HEADER = "X-Request-ID"
    ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.HEADER, "")
        request_id = incoming if self.ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[self.HEADER] = request_id
        return response


class NulCharacterMiddleware:
    """Refuse a request whose path, query, form fields or JSON body carry a NUL character
    (``\\x00``, ``%00``, ``\\u0000``): PostgreSQL cannot store or compare text holding one,
    so it would otherwise fail deep inside a query. The API answers JSON 422 (documented on
    every operation), pages 400."""

    MESSAGE = "请求中含有不允许的空字符（\\u0000），请删除后重试"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE, "errors": []}, status=422)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs):
            return True
        kind = request.content_type or ""
        if kind == "application/json" or kind.endswith("+json"):
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        if kind == "application/x-www-form-urlencoded":
            return any("\x00" in k or "\x00" in v for k, vs in request.POST.lists() for v in vs)
        return False
