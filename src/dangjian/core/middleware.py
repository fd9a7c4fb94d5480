"""Idle session timeout and the client address for the audit log."""

import time

from django.conf import settings
from django.contrib.auth import logout

from dangjian.core.audit import current_ip


class IdleTimeoutMiddleware:
    """Log a session out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and hasattr(request, "session"):
                now = int(time.time())
                last = request.session.get("last_seen", now)
                if now - last > settings.SESSION_IDLE_TIMEOUT:
                    logout(request)
                else:
                    request.session["last_seen"] = now
            return self.get_response(request)
        finally:
            current_ip.reset(token)
