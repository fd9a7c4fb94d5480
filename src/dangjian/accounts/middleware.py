"""Send a user whose password someone else chose to the change form first."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user who must change their password may still open.
ALLOWED_URL_NAMES = ("accounts:password_change", "accounts:logout", "accounts:login")


class PasswordChangeRequiredMiddleware:
    """Pages redirect to the password form while ``user.must_change_password`` is set (a
    new login or a reset: the password is one someone else chose). The API answers 403
    ``password_change_required`` instead (``api.auth.BearerAuth``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path)
        ):
            if request.headers.get("HX-Request"):
                # An HTMX fragment request: have the browser load the whole form page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("accounts:password_change")
                return response
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        from django.conf import settings

        if path.startswith(("/api/", settings.STATIC_URL, "/healthz")):
            return True
        return path in {reverse(name) for name in ALLOWED_URL_NAMES}
